"""The key that signs access tokens and derives CSRF tokens: ``web.secret_key``, or a random key
kept in ``web-secret.key`` in the data directory (created 0600 on first use, by whichever server
process comes first: every process then reads the same key)."""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

from netraven.datadir import FILE_MODE, private_dir
from netraven.exceptions import ConfigError
from netraven.settings import Settings

MIN_KEY = 32  # bytes: HS256 wants a key at least as long as its hash


def signing_key(settings: Settings) -> bytes:
    """The signing key; ConfigError when ``web.secret_key`` is too short or the file unusable."""
    if settings.web.secret_key:
        key = settings.web.secret_key.encode()
        if len(key) < MIN_KEY:
            raise ConfigError(
                f"web.secret_key is too short: at least {MIN_KEY} characters (empty: a key file)",
                key="web.secret_key",
            )
        return key
    return _key_file(settings.web_secret_file)


def digest(value: str) -> str:
    """The hex SHA-256 of ``value``: how token secrets and session ids are stored and looked up."""
    return hashlib.sha256(value.encode()).hexdigest()


def _key_file(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except FileNotFoundError:
        key = b""
    except OSError as exc:
        raise ConfigError(f"cannot read the web signing key {path}: {exc.strerror}") from exc
    if len(key) >= MIN_KEY:
        return key
    private_dir(path.parent)
    new = secrets.token_urlsafe(48).encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        with os.fdopen(fd, "wb") as handle:
            handle.write(new + b"\n")
        os.link(temporary, path)  # fails if another process made the file first: keep theirs
    except FileExistsError:
        pass
    except OSError as exc:
        raise ConfigError(f"cannot create the web signing key {path}: {exc.strerror}") from exc
    finally:
        temporary.unlink(missing_ok=True)
    key = path.read_bytes().strip()
    if len(key) < MIN_KEY:
        raise ConfigError(
            f"the web signing key {path} is shorter than {MIN_KEY} bytes: remove it to make a new one"
        )
    return key
