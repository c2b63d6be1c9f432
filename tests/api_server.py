"""A real linkgraph API for tests: uvicorn in its own process on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from gql import Client, gql
from gql.transport.httpx import HTTPXTransport
from neo4j import Driver

from analytics.pipeline import run_analysis
from core.settings import Settings
from graph_schema.apply import apply_schema
from graph_schema.loader import GraphModel, load_model
from ingest.loader import Loader
from linkgraph.demo import demo_mappings
from tests.conftest import wipe

ROOT = Path(__file__).resolve().parent.parent


def load_demo_graph(driver: Driver, settings: Settings, rejects: Path) -> GraphModel:
    """An empty database given the schema, the demo investigation and its analysis."""
    database = settings.neo4j_database
    wipe(driver, database)
    model = load_model()
    apply_schema(driver, model, database)
    loader = Loader.from_settings(driver, model, settings)
    for mapping in demo_mappings():
        loader.load(mapping, rejects_dir=rejects)
    run_analysis(driver, model, database)
    return model


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def api_server(audit_log: Path, **env: str) -> Iterator[str]:
    """Run `linkgraph serve` against the test Neo4j; yields its base URL.

    Its output goes to `api-<port>.log` beside the audit log: a pipe nobody reads
    would fill and stop the server mid-test.
    """
    port = free_port()
    environment = os.environ | {
        "LINKGRAPH_AUDIT_LOG": str(audit_log),
        "LINKGRAPH_API_PORT": str(port),
        **env,
    }
    log_path = audit_log.parent / f"api-{port}.log"
    audit_log.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "linkgraph", "serve"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the API exited: {log_path.read_text(errors='replace')}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the API did not answer within 60 s")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def client(url: str, token: str | None) -> Client:
    """A GraphQL client sending `token` as its bearer key."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return Client(transport=HTTPXTransport(url=f"{url}/graphql", headers=headers, timeout=120))


def ask(url: str, token: str, query: str, **variables: Any) -> dict[str, Any]:
    """Run one operation; the data (a TransportQueryError when GraphQL reports errors)."""
    with client(url, token) as session:
        request = gql(query)
        request.variable_values = variables
        result: dict[str, Any] = session.execute(request)
        return result


def ask_raw(url: str, token: str | None, query: str, **variables: Any) -> httpx.Response:
    """The HTTP response to one operation, errors and extensions included."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables},
        headers=headers,
        timeout=120,
    )
