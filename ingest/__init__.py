"""Ingest: mappings, readers, normalisers and the batched loader."""
