"""A real PostgreSQL 15 server for the test session, on 127.0.0.1 and a free port, gone afterwards.

`postgres_server` (session) runs initdb into a fresh directory owned by the `postgres` user (the
server refuses to run as root) and starts it with pg_ctl; `postgres_url` (per test) creates an
empty database on it (createdb) and gives its SQLAlchemy URL; the code under test connects with asyncpg. Without initdb/pg_ctl the fixture
fails, saying what to install: these tests are never skipped silently.

Test modules import the fixtures by name: `from fakes.postgres import postgres_server, postgres_url`.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fakes.network import free_port

__all__ = ["PostgresServer", "postgres_server", "postgres_url"]

INSTALL_HINT = ("PostgreSQL 15 is needed for these tests: install it (Debian: apt-get install postgresql-15) so "
                "that initdb and pg_ctl are on the PATH (or in /usr/lib/postgresql/15/bin)")


@dataclass(frozen=True)
class PostgresServer:
    """A running test server: where it listens and who may connect (trust authentication, loopback only)."""

    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        """Return the SQLAlchemy URL of a database on this server."""
        return f"postgresql+asyncpg://{self.user}@{self.host}:{self.port}/{database}"


def _tool(name: str) -> str:
    """Find a PostgreSQL server tool, or fail the test with the install hint."""
    found = shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin")
    if found is None:
        pytest.fail(f"{name} not found. {INSTALL_HINT}", pytrace=False)
    return found



def _as_server_user(command: list[str]) -> list[str]:
    """Run as the unprivileged `postgres` user when we are root (the server refuses to run as root)."""
    if os.geteuid() != 0:
        return command
    runuser = shutil.which("runuser")
    if runuser is None:
        pytest.fail("running as root needs runuser to start PostgreSQL as the postgres user", pytrace=False)
    return [runuser, "-u", "postgres", "--", *command]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        pytest.fail(f"{what} failed ({result.returncode}): {result.stderr.strip()[-2000:]}", pytrace=False)


@contextmanager
def running_postgres() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL server (as `postgres`, in a temporary directory) until the block ends."""
    initdb, pg_ctl = _tool("initdb"), _tool("pg_ctl")
    # Not under pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    base = Path(tempfile.mkdtemp(prefix="stifinder-pg-"))
    data, sockets, log = base / "data", base / "sockets", base / "server.log"
    sockets.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    port = free_port()
    started = False
    try:
        _run(_as_server_user([initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                              "--locale=C"]), "initdb")
        options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off"
        _run(_as_server_user([pg_ctl, "-D", str(data), "-l", str(log), "-w", "-t", "60", "-o", options, "start"]),
             "pg_ctl start")
        started = True
        yield PostgresServer(host="127.0.0.1", port=port, user="postgres")
    finally:
        if started:
            subprocess.run(_as_server_user([pg_ctl, "-D", str(data), "-m", "fast", "-w", "stop"]),
                           capture_output=True, timeout=120, check=False)
        shutil.rmtree(base, ignore_errors=True)


def create_database(server: PostgresServer, name: str) -> str:
    """Create an empty database on the server; return its URL."""
    _run([_tool("createdb"), "-h", server.host, "-p", str(server.port), "-U", server.user, name], "createdb")
    return server.url(name)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """Start a throw-away PostgreSQL server for the session and stop it at the end."""
    with running_postgres() as server:
        yield server


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """Create an empty database for one test and drop it afterwards (sync: usable from any fixture)."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    where = ["-h", postgres_server.host, "-p", str(postgres_server.port), "-U", postgres_server.user]
    _run([_tool("createdb"), *where, name], "createdb")
    try:
        yield postgres_server.url(name)
    finally:
        subprocess.run([_tool("dropdb"), *where, "--force", "--if-exists", name], capture_output=True, timeout=60,
                       check=False)
