"""`linkgraph serve` (the API under uvicorn) and `linkgraph graphql-schema` (the SDL)."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import click
import uvicorn
from uvicorn.supervisors import Multiprocess

from api.app import create_app
from api.schema import sdl
from api.settings import ApiSettings
from graph_schema.loader import load_model
from linkgraph.settings import get_settings


def serve_api(host: str | None = None, port: int | None = None, workers: int | None = None) -> None:
    """Serve the API until interrupted, in `workers` processes (each shares one driver
    among its threads)."""
    given = {"host": host, "port": port, "workers": workers}
    chosen = ApiSettings(**(ApiSettings().model_dump() | {k: v for k, v in given.items() if v}))
    click.echo(
        f"linkgraph API at http://{chosen.host}:{chosen.port}/graphql "
        "(send `Authorization: Bearer <key>`; create one with `linkgraph apikey create`)"
        + (f", {chosen.workers} worker processes" if chosen.workers > 1 else "")
    )
    if chosen.workers == 1:
        app = create_app(get_settings(), chosen)
        uvicorn.run(app, host=chosen.host, port=chosen.port, log_level="warning")
        return
    # Each worker builds its own app (uvicorn imports the factory in every process),
    # from the same settings: the chosen ones are handed down through the environment.
    for name, value in chosen.model_dump(include={"host", "port", "workers"}).items():
        os.environ[f"LINKGRAPH_API_{name.upper()}"] = str(value)
    config = uvicorn.Config(
        "api.app:app_factory",
        factory=True,
        host=chosen.host,
        port=chosen.port,
        workers=chosen.workers,
        log_level="warning",
    )
    bound = config.bind_socket()
    # asyncio turns Nagle's algorithm off (TCP_NODELAY) only on sockets made for TCP
    # (proto IPPROTO_TCP). uvicorn binds with proto 0, and its workers answered a lone
    # client 40 ms late (the response's last segment waiting for a delayed ACK): the
    # same descriptor, its protocol stated, is handed to the workers instead.
    listener = socket.socket(bound.family, bound.type, socket.IPPROTO_TCP, fileno=bound.detach())
    Multiprocess(config, sockets=[listener]).run()


@click.command()
@click.option("--host", help="Interface to bind (default LINKGRAPH_API_HOST, 127.0.0.1).")
@click.option("--port", type=int, help="Port (default LINKGRAPH_API_PORT, 8000).")
@click.option(
    "--workers", type=click.IntRange(1, 64), help="Processes (default LINKGRAPH_API_WORKERS, 1)."
)
def serve(host: str | None, port: int | None, workers: int | None) -> None:
    """Serve the GraphQL API (and /healthz, /readyz) for visual front ends."""
    serve_api(host, port, workers)


@click.command("graphql-schema")
@click.option("--out", type=click.Path(path_type=Path), help="Write to this file (default stdout).")
def graphql_schema(out: Path | None) -> None:
    """Print (or write) the API's GraphQL schema (SDL), derived from the graph model."""
    text = sdl(load_model(get_settings().model_dir))
    if out is None:
        click.echo(text, nl=False)
    else:
        out.write_text(text, encoding="utf-8")
        click.echo(f"wrote {out}", err=True)
