"""The Neo4j driver's lifecycle: one driver per process, opened lazily, closed once."""

from __future__ import annotations

import atexit
import threading

from neo4j import Driver, GraphDatabase

from core.settings import Settings, get_settings

_lock = threading.Lock()
_driver: Driver | None = None


class ConfigurationError(RuntimeError):
    """linkgraph cannot reach Neo4j as configured (missing password, bad URI...)."""


def auth_for(settings: Settings) -> tuple[str, str] | None:
    """The (user, password) to send, or None when the server runs without auth."""
    if not settings.neo4j_auth:
        return None
    if settings.neo4j_password is not None:
        return settings.neo4j_user, settings.neo4j_password.get_secret_value()
    if settings.uses_local_neo4j and settings.password_file.exists():
        return settings.neo4j_user, settings.password_file.read_text().strip()
    raise ConfigurationError(
        "no Neo4j password: set LINKGRAPH_NEO4J_PASSWORD, or run `linkgraph neo4j start` "
        f"to create the local server's password file ({settings.password_file})"
    )


# The driver's own default: batch jobs ride out a Neo4j restart (the API asks for less).
DRIVER_RETRY_S = 30.0


def open_driver(settings: Settings, retry_s: float = DRIVER_RETRY_S) -> Driver:
    """A new driver for `settings`; callers own it. Most code wants `get_driver()`.

    `retry_s`: how long a failing transaction is retried before its error is raised.
    """
    # Notifications ("this label does not exist yet" on an empty graph) are noise
    # for a service whose Cypher is generated from the model; errors still raise.
    return GraphDatabase.driver(
        settings.bolt_uri,
        auth=auth_for(settings),
        notifications_min_severity="OFF",
        max_transaction_retry_time=retry_s,
    )


def get_driver() -> Driver:
    """The process's one driver, created on first use and closed at exit."""
    global _driver
    with _lock:
        if _driver is None:
            _driver = open_driver(get_settings())
            atexit.register(close_driver)
        return _driver


def close_driver() -> None:
    """Close the process's driver (safe to call twice)."""
    global _driver
    with _lock:
        if _driver is not None:
            _driver.close()
            _driver = None
