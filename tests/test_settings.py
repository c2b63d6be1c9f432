"""Settings: the LINKGRAPH_ prefix, secrets, the production guard."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.db import ConfigurationError, auth_for
from core.settings import Settings


def test_environment_variables_use_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LINKGRAPH_NEO4J_URI", "bolt://graph.example:7687")
    monkeypatch.setenv("LINKGRAPH_NEO4J_PASSWORD", "s3cret-value")
    monkeypatch.setenv("LINKGRAPH_NEO4J_DATABASE", "cases")
    settings = Settings()
    assert settings.bolt_uri == "bolt://graph.example:7687"
    assert not settings.uses_local_neo4j
    assert settings.neo4j_database == "cases"
    assert "s3cret-value" not in repr(settings)
    assert auth_for(settings) == ("neo4j", "s3cret-value")


def test_local_uri_follows_the_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKGRAPH_NEO4J_URI", raising=False)
    settings = Settings(neo4j_port=7999)
    assert settings.bolt_uri == "bolt://127.0.0.1:7999"
    assert settings.uses_local_neo4j


def test_production_refuses_to_run_without_a_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKGRAPH_NEO4J_PASSWORD", raising=False)
    with pytest.raises(ValidationError, match="LINKGRAPH_NEO4J_PASSWORD must be set"):
        Settings(environment="production")


def test_missing_password_is_a_clear_error(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LINKGRAPH_NEO4J_URI", raising=False)
    monkeypatch.delenv("LINKGRAPH_NEO4J_PASSWORD", raising=False)
    settings = Settings(neo4j_home=f"{tmp_path}/nowhere")
    with pytest.raises(ConfigurationError, match="linkgraph neo4j start"):
        auth_for(settings)
    assert auth_for(settings.model_copy(update={"neo4j_auth": False})) is None
