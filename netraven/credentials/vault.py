"""Encryption of passwords and enable secrets at rest (Fernet, MultiFernet for key rotation).

Keys come from ``credentials.keys`` in settings (first key encrypts, all keys decrypt) or from the key
file (one key per line, first encrypts), created with owner-only permissions on first use.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from netraven.datadir import private_dir
from netraven.exceptions import CredentialError
from netraven.settings import Settings


class Vault:
    """Encrypts and decrypts secrets; never shows a key or a secret in ``repr`` or errors."""

    def __init__(self, keys: Sequence[bytes | str], source: str = "settings") -> None:
        if not keys:
            raise CredentialError(f"no encryption key in {source}")
        try:
            self._fernets = [Fernet(key) for key in keys]
        except (ValueError, TypeError):
            raise CredentialError(
                f"an encryption key in {source} is not a valid Fernet key (32 url-safe base64-encoded bytes)"
            ) from None
        self._multi = MultiFernet(self._fernets)
        self.source = source

    def __repr__(self) -> str:
        return f"Vault(keys={len(self._fernets)}, source={self.source!r})"

    def encrypt(self, secret: str) -> bytes:
        return self._multi.encrypt(secret.encode("utf-8"))

    def decrypt(self, token: bytes) -> str:
        try:
            return self._multi.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise CredentialError(
                f"cannot decrypt a stored secret with the key(s) from {self.source}: wrong or missing key"
            ) from None

    def rotate(self, token: bytes) -> bytes:
        """Re-encrypt ``token`` under the first key."""
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise CredentialError(
                f"cannot decrypt a stored secret with the key(s) from {self.source}: wrong or missing key"
            ) from None


def generate_key() -> bytes:
    return Fernet.generate_key()


def read_key_file(path: Path) -> list[bytes]:
    """The keys in ``path``, one per line (blank lines and ``#`` comments ignored)."""
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except OSError as exc:
        raise CredentialError(f"cannot read key file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError:
        raise CredentialError(f"key file {path} is not a text file of Fernet keys") from None
    return [line.strip().encode() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def write_key_file(path: Path, keys: Sequence[bytes]) -> None:
    """Write ``keys`` to ``path`` atomically, readable by the owner only."""
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write("# NetRaven credential keys: the first encrypts, all decrypt. Keep this file secret.\n")
        handle.writelines(key.decode() + "\n" for key in keys)
    os.replace(tmp, path)


def load_vault(settings: Settings, create: bool = False) -> Vault:
    """The vault from settings' keys, else from the key file (created if ``create`` and missing)."""
    if settings.credentials.keys:
        return Vault(settings.credentials.keys, source="credentials.keys")
    path = settings.key_file
    if not path.exists():
        if not create:
            raise CredentialError(
                f"no encryption key: key file {path} does not exist and credentials.keys is not set"
            )
        write_key_file(path, [generate_key()])
    return Vault(read_key_file(path), source=f"key file {path}")
