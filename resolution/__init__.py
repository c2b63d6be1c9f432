"""Entity resolution: which Person records are one human.

Blocking, probabilistic scoring (Fellegi–Sunter with term-frequency adjustment, run by
Splink on DuckDB), analysts' judgements and the identities they give. Source Person
nodes are never merged: an identity is a layer over them (docs/resolution.md).
"""
