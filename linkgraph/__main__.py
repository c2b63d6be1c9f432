"""`python -m linkgraph` is the `linkgraph` command."""

from linkgraph.cli import main

main()
