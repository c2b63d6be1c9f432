"""The shared kernel: settings, the Neo4j driver and plain values.

Imports nothing of the project.
"""
