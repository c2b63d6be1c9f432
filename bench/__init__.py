"""Benchmarks for linkgraph: figures and ratios against baselines measured in the same run.

Benchmarks are not timed tests: they print numbers for people to read, and never fail
on a slow machine. See bench/README.md.
"""
