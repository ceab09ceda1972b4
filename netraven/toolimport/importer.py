"""Importing an Oxidized or RANCID ``router.db``: the devices, and the logins it gives as
encrypted credentials bound to them, all in the caller's transaction, all or nothing."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.credentials import add_credential, edit_credential, vault_for_new_credentials
from netraven.credentials.vault import Vault
from netraven.db.models import Credential
from netraven.exceptions import CredentialError
from netraven.inventory.importer import ImportReport, import_records
from netraven.settings import Settings
from netraven.toolimport.models import model_table
from netraven.toolimport.routerdb import Login, read_router_db


@dataclass(frozen=True)
class ToolImportReport:
    """What a ``router.db`` import did: the devices, and the credentials made from its logins."""

    devices: ImportReport
    credentials_created: int
    credentials_reused: int
    logins_ignored: int

    def to_dict(self) -> dict[str, Any]:
        return {**self.devices.to_dict(), **{k: v for k, v in asdict(self).items() if k != "devices"}}


def import_router_db(
    session: Session,
    settings: Settings,
    path: str | os.PathLike[str],
    tool: str,
    *,
    default_tags: Iterable[str] = (),
    update: bool = False,
    credentials: bool = True,
    model_map: Mapping[str, str] | None = None,
    delimiter: str | None = None,
) -> ToolImportReport:
    """Import the devices of ``tool``'s (``oxidized`` or ``rancid``) ``router.db`` at ``path``.

    Models are mapped to device types by :mod:`netraven.toolimport.models` plus ``model_map``. The
    logins of an Oxidized file become credentials named ``oxidized-<username>`` (``-2``... for
    another password), bound to their devices; a stored one with the same name and secrets is
    reused. With ``credentials`` false they are left out. Raises
    :class:`~netraven.inventory.ImportValidationError` naming every bad line, having written nothing.
    """
    path = Path(path)
    parsed = read_router_db(path, tool, model_table(tool, model_map), delimiter)
    devices = import_records(
        session, parsed.records, str(path), default_tags, update,
        lines=parsed.lines, unit="line", problems=parsed.problems,
    )  # fmt: skip
    if not credentials or not parsed.logins:
        return ToolImportReport(devices, 0, 0, len(parsed.logins))
    created, reused = _store_logins(session, settings, parsed.logins, tool, str(path))
    return ToolImportReport(devices, created, reused, 0)


def _store_logins(
    session: Session, settings: Settings, logins: Mapping[str, Login], tool: str, where: str
) -> tuple[int, int]:
    """One credential per distinct login, bound to its devices: (created, reused)."""
    vault = vault_for_new_credentials(session, settings)
    devices: dict[Login, list[str]] = defaultdict(list)
    for hostname, login in logins.items():
        devices[login].append(hostname)
    created = reused = 0
    for login, hostnames in devices.items():
        base, number = f"{tool}-{login.username}", 1
        while True:
            name = base if number == 1 else f"{base}-{number}"
            stored = session.scalar(select(Credential).where(Credential.name == name))
            if stored is None:
                add_credential(
                    session, vault, name, login.username, login.password, login.enable,
                    devices=hostnames, description=f"imported from {where}",
                )  # fmt: skip
                created += 1
                break
            if _same(vault, stored, login):
                bound = {device.hostname for device in stored.devices}
                edit_credential(session, vault, name, add_devices=[h for h in hostnames if h not in bound])
                reused += 1
                break
            number += 1
    return created, reused


def _same(vault: Vault, stored: Credential, login: Login) -> bool:
    """Whether ``stored`` holds exactly ``login`` (False when its secrets cannot be decrypted)."""
    if stored.username != login.username:
        return False
    try:
        enable = vault.decrypt(stored.enable_secret_encrypted) if stored.enable_secret_encrypted else None
        return vault.decrypt(stored.password_encrypted) == login.password and enable == login.enable
    except CredentialError:
        return False
