"""Conversation keys: a keyed hash (HMAC-SHA256) of the channel and chat id, never the id itself.

The key comes from STIFINDER_SECRET, or is created once in var/secret.key (mode 600).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Mapping

from bot.config import Secret


def load_secret(var_dir: Path, environ: Mapping[str, str] | None = None) -> Secret:
    """Return the HMAC key, creating var/secret.key on first use when the environment has none."""
    env = os.environ if environ is None else environ
    if env.get("STIFINDER_SECRET"):
        return Secret(env["STIFINDER_SECRET"])
    path = var_dir / "secret.key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return Secret(path.read_text().strip())


def conversation_key(secret: Secret, channel: str, chat_id: str | int) -> str:
    """Return the pseudonymous key of a conversation (64 hex characters)."""
    message = f"{channel}:{chat_id}".encode()
    return hmac.new(secret.reveal().encode(), message, hashlib.sha256).hexdigest()
