"""GraphQL and REST API (FastAPI + strawberry): app factory, auth, roles, audit."""
