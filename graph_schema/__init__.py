"""The graph model as data: YAML specs, and everything derived from them.

`load_model()` reads the model; `ddl` turns it into Neo4j constraints and indexes,
`apply` brings a database in line with it, `models` derives pydantic classes and
`docs` writes the Markdown reference.
"""

from graph_schema.loader import GraphModel, ModelError, load_model

__all__ = ["GraphModel", "ModelError", "load_model"]
