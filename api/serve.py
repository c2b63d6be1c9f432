"""The API under uvicorn, in one process or several (`linkgraph serve` runs it)."""

from __future__ import annotations

import os
import socket

import click
import uvicorn
from uvicorn.supervisors import Multiprocess

from api.app import create_app
from api.settings import ApiSettings
from core.settings import Settings

# What uvicorn imports in each worker process: the composition root's app factory.
APP_FACTORY = "linkgraph.wiring:app_factory"


def serve_api(
    settings: Settings,
    host: str | None = None,
    port: int | None = None,
    workers: int | None = None,
) -> None:
    """Serve the API until interrupted, in `workers` processes (each shares one driver
    among its threads)."""
    given = {"host": host, "port": port, "workers": workers}
    chosen = ApiSettings(**(ApiSettings().model_dump() | {k: v for k, v in given.items() if v}))
    base = f"http://{chosen.host}:{chosen.port}"
    click.echo(
        f"linkgraph API at {base}/graphql "
        "(send `Authorization: Bearer <key>`; create one with `linkgraph apikey create`)"
        + (f", {chosen.workers} worker processes" if chosen.workers > 1 else "")
        + f"; in a browser, log in with the key at {base}/login"
    )
    if chosen.workers == 1:
        app = create_app(settings, chosen)
        uvicorn.run(app, host=chosen.host, port=chosen.port, log_level="warning")
        return
    # Each worker builds its own app (uvicorn imports the factory in every process),
    # from the same settings: the chosen ones are handed down through the environment.
    for name, value in chosen.model_dump(include={"host", "port", "workers"}).items():
        os.environ[f"LINKGRAPH_API_{name.upper()}"] = str(value)
    config = uvicorn.Config(
        APP_FACTORY,
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
