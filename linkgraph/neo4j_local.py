"""The project's own Neo4j: built from Maven Central by `neo4j-local/`, run as a child JVM.

`start` lays out a Neo4j home (conf, data, logs, run) under `settings.neo4j_home`,
sets a generated password before the first start, launches the server with Bolt on
loopback and returns only once Bolt answers. `stop` asks the JVM to shut down
(SIGTERM: Neo4j checkpoints and closes its stores) and waits for it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from core.db import auth_for
from core.settings import Settings

SERVER_MAIN = "org.neo4j.server.CommunityEntryPoint"
ADMIN_MAIN = "org.neo4j.cli.AdminTool"

# The options Neo4j's own launcher passes; without the add-opens the page cache
# falls back to a slower mode.
JVM_OPTIONS = (
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
)


def half_of(size: str) -> str:
    """Half of a Neo4j memory size ("1g" -> "512m"), in the same notation."""
    units = {"k": 1, "m": 1024, "g": 1024**2, "t": 1024**3}
    text = size.strip().lower()
    if not text or text[-1] not in units or not text[:-1].isdigit():
        raise ValueError(f"{size!r} is not a memory size like 512m or 4g")
    kib = int(text[:-1]) * units[text[-1]] // 2
    return f"{kib // 1024}m" if kib >= 1024 else f"{max(kib, 1)}k"


def new_password() -> str:
    """A fresh random password for the local server's `neo4j` user.

    It never starts with `-`: neo4j-admin would read it as an option and refuse the
    command (one random token in 64 would).
    """
    return "p" + secrets.token_urlsafe(24)


class Neo4jLocalError(RuntimeError):
    """The local Neo4j could not be built, started, stopped or reached."""


@dataclass(frozen=True)
class ServerStatus:
    """What `linkgraph neo4j status` reports."""

    running: bool
    address: str
    pid: int | None = None
    version: str | None = None
    edition: str | None = None
    home: Path | None = None

    def describe(self) -> str:
        """One line for people."""
        if not self.running:
            return f"stopped (would listen on {self.address}; home {self.home})"
        version = f"Neo4j {self.version} {self.edition}" if self.version else "Neo4j"
        return f"running: {version} at {self.address} (pid {self.pid}; home {self.home})"


class LocalNeo4j:
    """One local Neo4j server, identified by its home directory."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = settings.neo4j_home.resolve()
        self.dist = settings.neo4j_dist.resolve()
        self.port = settings.neo4j_port

    # -- layout ---------------------------------------------------------------

    @property
    def pid_file(self) -> Path:
        """Holds the server JVM's process id while it runs."""
        return self.home / "run" / "neo4j.pid"

    @property
    def log_dir(self) -> Path:
        """Neo4j's logs (neo4j.log, debug.log) and the JVM's console output."""
        return self.home / "logs"

    @property
    def address(self) -> str:
        """The Bolt URI clients use."""
        return f"bolt://127.0.0.1:{self.port}"

    def build(self) -> None:
        """Resolve Neo4j, APOC and GDS from Maven Central into `neo4j-local/target/`."""
        pom = self.dist / "pom.xml"
        stamp = self.dist / "target" / ".built"
        if stamp.exists() and stamp.stat().st_mtime >= pom.stat().st_mtime:
            return
        result = subprocess.run(
            ["mvn", "-B", "-q", "-f", str(pom), "package"],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-20:]
            raise Neo4jLocalError("Maven could not build neo4j-local:\n" + "\n".join(tail))
        stamp.touch()

    def _classpath(self) -> str:
        # Plugins go on the class path as well as in the plugins directory: GDS
        # registers its kernel extension through the class path's service files.
        target = self.dist / "target"
        return f"{target / 'plugins'}/*{os.pathsep}{target / 'lib'}/*"

    def _write_config(self) -> None:
        conf = self.home / "conf"
        conf.mkdir(parents=True, exist_ok=True)
        for sub in ("data", "logs", "run", "import"):
            (self.home / sub).mkdir(parents=True, exist_ok=True)
        lines = {
            "server.directories.data": self.home / "data",
            "server.directories.logs": self.log_dir,
            "server.directories.run": self.home / "run",
            "server.directories.import": self.home / "import",
            "server.directories.plugins": self.dist / "target" / "plugins",
            "server.bolt.listen_address": f"127.0.0.1:{self.port}",
            "server.bolt.advertised_address": f"127.0.0.1:{self.port}",
            # Bolt only: no HTTP ports to collide between a demo and a test run.
            "server.http.enabled": "false",
            "server.https.enabled": "false",
            "server.memory.pagecache.size": self.settings.neo4j_pagecache,
            "db.memory.transaction.max": self.settings.neo4j_transaction_memory
            or half_of(self.settings.neo4j_heap),
            "db.tx_log.rotation.retention_policy": self.settings.neo4j_tx_log_retention,
            "dbms.security.auth_enabled": str(self.settings.neo4j_auth).lower(),
            "dbms.security.procedures.unrestricted": "gds.*,apoc.*",
            "dbms.usage_report.enabled": "false",
        }
        text = "".join(f"{key}={value}\n" for key, value in lines.items())
        (conf / "neo4j.conf").write_text("# Written by `linkgraph neo4j start`.\n" + text)

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_HOME"] = str(self.home)
        env["NEO4J_CONF"] = str(self.home / "conf")
        return env

    def _ensure_password(self) -> None:
        password_file = self.settings.password_file.resolve()
        auth_store = self.home / "data" / "dbms" / "auth.ini"
        if password_file.exists():
            return
        if auth_store.exists():
            raise Neo4jLocalError(
                f"{password_file} is missing but the database at {self.home} already has a "
                "password; set LINKGRAPH_NEO4J_PASSWORD or remove the home directory"
            )
        password = new_password()
        password_file.parent.mkdir(parents=True, exist_ok=True)
        # Create it 0600 from the start: never world-readable, not even briefly.
        fd = os.open(password_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(password + "\n")
        result = subprocess.run(
            [
                "java",
                "-cp",
                self._classpath(),
                ADMIN_MAIN,
                "dbms",
                "set-initial-password",
                password,
            ],
            env=self._env(),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            password_file.unlink()
            raise Neo4jLocalError("could not set the initial password:\n" + result.stderr[-2000:])

    # -- lifecycle ------------------------------------------------------------

    def pid(self) -> int | None:
        """The server's pid if it is alive, else None (a stale pid file is removed)."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _alive(pid):
            self.pid_file.unlink(missing_ok=True)
            return None
        return pid

    def port_in_use(self) -> bool:
        """True when something already listens on (or holds) the Bolt port."""
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            # As Neo4j binds: connections left in TIME_WAIT by a stopped server must
            # not count as "in use", a listener must.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", self.port))
            except OSError:
                return True
        return False

    def log_tail(self, lines: int = 30) -> str:
        """The last lines of Neo4j's log and the JVM's console, for error messages."""
        parts = []
        for name in ("neo4j.log", "console.log"):
            path = self.log_dir / name
            if path.exists():
                tail = path.read_text(errors="replace").splitlines()[-lines:]
                parts.append(f"--- {path} ---\n" + "\n".join(tail))
        return "\n".join(parts) or "(no log written)"

    def start(self) -> ServerStatus:
        """Start the server and return once Bolt answers; no-op when it already runs."""
        if self.pid() is not None:
            return self.status()
        if self.port_in_use():
            raise Neo4jLocalError(
                f"port {self.port} is already in use on 127.0.0.1: another Neo4j or program "
                "holds it; stop it or choose another port with LINKGRAPH_NEO4J_PORT"
            )
        self.build()
        self._write_config()
        if self.settings.neo4j_auth:
            self._ensure_password()
        command = [
            "java",
            f"-Xms{self.settings.neo4j_heap}",
            f"-Xmx{self.settings.neo4j_heap}",
            *JVM_OPTIONS,
            "-cp",
            self._classpath(),
            SERVER_MAIN,
            f"--home-dir={self.home}",
            f"--config-dir={self.home / 'conf'}",
        ]
        console = (self.log_dir / "console.log").open("ab")
        # A session of its own: the server outlives this command and ignores its Ctrl-C.
        process = subprocess.Popen(
            command,
            env=self._env(),
            stdout=console,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        console.close()
        self.pid_file.write_text(f"{process.pid}\n")
        self._wait_for_bolt(process)
        return self.status()

    def _wait_for_bolt(self, process: subprocess.Popen[bytes]) -> None:
        deadline = time.monotonic() + self.settings.neo4j_start_timeout
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if process.poll() is not None:
                self.pid_file.unlink(missing_ok=True)
                raise Neo4jLocalError(
                    f"Neo4j exited during start-up (exit status {process.returncode}):\n"
                    + self.log_tail()
                )
            try:
                with GraphDatabase.driver(self.address, auth=auth_for(self.settings)) as driver:
                    driver.verify_connectivity()
                return
            except (ServiceUnavailable, OSError) as error:
                last_error = error
            except AuthError as error:
                raise Neo4jLocalError(f"Neo4j is up but refused the password: {error}") from error
            time.sleep(0.5)
        self.stop()
        raise Neo4jLocalError(
            f"Bolt did not answer within {self.settings.neo4j_start_timeout:.0f} s "
            f"({last_error}):\n" + self.log_tail()
        )

    def stop(self, timeout: float = 120.0) -> bool:
        """Shut the server down cleanly; True if it was running."""
        pid = self.pid()
        if pid is None:
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not _alive(pid):
                self.pid_file.unlink(missing_ok=True)
                return True
            time.sleep(0.2)
        raise Neo4jLocalError(
            f"Neo4j (pid {pid}) did not shut down within {timeout:.0f} s; it is still "
            "running and its stores are intact. Check the log:\n" + self.log_tail()
        )

    def status(self) -> ServerStatus:
        """Whether the server runs, and if so its version and address."""
        pid = self.pid()
        if pid is None:
            return ServerStatus(running=False, address=self.address, home=self.home)
        version = edition = None
        with (
            contextlib.suppress(ServiceUnavailable, OSError),
            GraphDatabase.driver(self.address, auth=auth_for(self.settings)) as driver,
        ):
            records, _, _ = driver.execute_query("CALL dbms.components()")
            version = records[0]["versions"][0]
            edition = records[0]["edition"]
        return ServerStatus(
            running=True,
            address=self.address,
            pid=pid,
            version=version,
            edition=edition,
            home=self.home,
        )


def _alive(pid: int) -> bool:
    # The server is our child only when this process started it; reap it if so,
    # otherwise a zombie would look alive forever.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
