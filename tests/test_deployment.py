"""The deployment shape (docker-compose.yml) and the committed model reference.

Docker cannot run on the development machines, so the compose file's structure is
checked here instead.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml

from graph_schema.docs import render_markdown
from graph_schema.loader import load_model

ROOT = Path(__file__).resolve().parent.parent


def _compose() -> dict[str, Any]:
    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert isinstance(data, dict)
    return data


def test_compose_runs_neo4j_with_apoc_and_gds() -> None:
    neo4j = _compose()["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5.26")
    plugins = yaml.safe_load(neo4j["environment"]["NEO4J_PLUGINS"])
    assert set(plugins) == {"apoc", "graph-data-science"}
    assert "neo4j-data:/data" in neo4j["volumes"]
    # Bolt is published on loopback only.
    assert all(port.startswith("127.0.0.1:") for port in neo4j["ports"])
    assert "NEO4J_AUTH" in neo4j["environment"]


def test_compose_runs_api_and_scheduler_against_neo4j() -> None:
    services = _compose()["services"]
    for name, command in (("api", "serve"), ("scheduler", "scheduler")):
        service = services[name]
        assert service["command"][:2] == ["linkgraph", command]
        env = service["environment"]
        assert env["LINKGRAPH_NEO4J_URI"] == "bolt://neo4j:7687"
        assert env["LINKGRAPH_ENVIRONMENT"] == "production"
        assert "LINKGRAPH_NEO4J_PASSWORD" in env
        assert service["depends_on"]["neo4j"]["condition"] == "service_healthy"
    assert (ROOT / "Dockerfile").exists()


def test_image_copies_every_package() -> None:
    """A package the wheel holds but the image lacks fails only when a process imports it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    packages = {p.rstrip("*") for p in project["tool"]["setuptools"]["packages"]["find"]["include"]}
    copied = set(re.findall(r"^COPY (\w+) \./\1$", (ROOT / "Dockerfile").read_text(), re.M))
    assert packages - copied == set()


def test_model_reference_is_up_to_date() -> None:
    committed = (ROOT / "docs" / "model.md").read_text()
    assert committed == render_markdown(load_model()), (
        "docs/model.md is stale: run `make docs` and commit it"
    )
