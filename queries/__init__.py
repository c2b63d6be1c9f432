"""The saved-query library (one YAML file per query) and its read-only runner."""
