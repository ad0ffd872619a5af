"""Runs the real `stifinder` command line in a subprocess against one database, as an administrator would."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
STIFINDER = [sys.executable, "-m", "bot.cli"]

__all__ = ["Cli", "STIFINDER", "processes"]


class Cli:
    """`cli(*args, **env)` runs one command with STIFINDER_DATABASE_URL set (env adds or overrides variables)."""

    def __init__(self, database_url: str, drop_env: tuple[str, ...] = ()) -> None:
        self.database_url = database_url
        self.drop_env = drop_env

    def __call__(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environ = {key: value for key, value in os.environ.items() if key not in self.drop_env}
        environ |= {"STIFINDER_SECRET": "test-secret", "STIFINDER_DATABASE_URL": self.database_url, **env}
        return subprocess.run([*STIFINDER, *args], capture_output=True, text=True, cwd=ROOT, env=environ,
                              timeout=120)

    def ok(self, *args: str, **env: str) -> str:
        """Run a command that must succeed; return its standard output."""
        result = self(*args, **env)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def refused(self, *args: str) -> str:
        """Run a command that must be refused with exit code 2 and one line on stderr; return that line."""
        result = self(*args)
        assert result.returncode == 2, (result.stdout, result.stderr)
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1, result.stderr
        return result.stderr.strip()


@pytest.fixture
async def processes() -> AsyncIterator[list[asyncio.subprocess.Process]]:
    """Processes a test starts (`stifinder run` ...): any still running at the end are killed."""
    started: list[asyncio.subprocess.Process] = []
    yield started
    for process in started:
        if process.returncode is None:
            process.kill()
            await process.wait()
