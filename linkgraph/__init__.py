"""linkgraph: link analysis for investigators of smuggling and trafficking networks.

This package is the composition root: settings, the Neo4j driver's lifecycle, the
local Neo4j runner and the ``linkgraph`` command line that gathers every package's
commands.
"""

__version__ = "0.1.0"
