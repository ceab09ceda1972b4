"""``NetRavenInventory``: Nornir's inventory from NetRaven's database, in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import cache, partial
from pathlib import Path
from typing import Any

from nornir.core.inventory import (
    ConnectionOptions,
    Defaults,
    Group,
    Groups,
    Host,
    Hosts,
    Inventory,
    ParentGroups,
)
from sqlalchemy import Engine, Select, select
from sqlalchemy.orm import Session

from netraven.connections.opener import CredentialBroker, HostAccess
from netraven.credentials.store import candidates_for_devices
from netraven.credentials.vault import load_vault
from netraven.db.migrate import require_current_schema
from netraven.db.models import Device, Tag, device_tags
from netraven.db.session import create_engine_for_url, create_engine_from_settings, create_session_factory
from netraven.settings import Settings, load_settings
from netraven_inventory.host import NetRavenHost


class NetRavenInventory:
    """Nornir inventory plugin reading devices, tags and credentials from NetRaven's database.

    Options (all optional): ``settings`` (a Settings object or a YAML path), ``database_url``,
    ``engine``; filters ``names``, ``tags`` (any of), ``platforms``, ``enabled`` (default True;
    None for all), ``device_ids``. Tags become groups. Hosts carry no secret: their credential
    candidates stay encrypted until a connection opens. A run passes its connection options:
    ``extra_options`` (a callable giving a host's extra netmiko options at each login) and
    ``record_later`` (login outcomes wait on each host to be counted with its result); see
    ``CredentialBroker``. A host's ``backup_command`` data is its device's own backup command, or
    its first tag's (by name) that has one.
    """

    def __init__(
        self,
        settings: Settings | str | Path | None = None,
        database_url: str | None = None,
        engine: Engine | None = None,
        names: Iterable[str] | None = None,
        tags: Iterable[str] | None = None,
        platforms: Iterable[str] | str | None = None,
        enabled: bool | None = True,
        device_ids: Iterable[int] | None = None,
        extra_options: Callable[[Host], dict[str, Any]] | None = None,
        record_later: bool = False,
    ) -> None:
        self.settings = settings if isinstance(settings, Settings) else load_settings(settings)
        self.engine = engine or (
            create_engine_for_url(database_url)
            if database_url
            else create_engine_from_settings(self.settings)
        )
        self.names = list(names) if names is not None else None
        self.tags = list(tags) if tags is not None else None
        self.platforms = [platforms] if isinstance(platforms, str) else list(platforms) if platforms else None
        self.enabled = enabled
        self.device_ids = list(device_ids) if device_ids is not None else None
        self.extra_options = extra_options
        self.record_later = record_later

    def load(self) -> Inventory:
        require_current_schema(self.engine)
        sessions = create_session_factory(self.engine)
        settings = self.settings
        broker = CredentialBroker(
            cache(partial(load_vault, settings)),
            sessions,
            settings.connection,
            extra_options=self.extra_options,
            record_later=self.record_later,
        )
        with sessions() as session:
            devices: list[Device] = list(session.scalars(self._query()))
            ids = self._query().with_only_columns(Device.id)
            tags_of, tag_transports = _tags_of(session, ids)
            candidates = candidates_for_devices(session, ids)
            tag_commands: dict[str, str] = {
                name: command
                for name, command in session.execute(
                    select(Tag.name, Tag.backup_command).where(Tag.backup_command.is_not(None))
                )
                if command
            }
        extras = _netmiko_extras(settings)
        per_platform = settings.connection.platform_options
        groups = Groups({name: Group(name=name, data={"type": kind}) for name, kind in _group_kinds(tags_of)})
        hosts = Hosts()
        for device in devices:
            hosts[device.hostname] = NetRavenHost(
                name=device.hostname,
                hostname=device.host,
                port=device.port,
                platform=device.platform,
                groups=ParentGroups(groups[name] for name, _ in tags_of.get(device.id, [])),
                data={
                    **device.data,
                    "device_id": device.id,
                    **_backup_command(device, tags_of, tag_commands),
                    "transport": device.transport or tag_transports.get(device.id) or "ssh",
                },
                connection_options=_device_options(device.data, extras, per_platform.get(device.platform)),
                access=HostAccess(device.id, candidates.get(device.id, []), broker),
            )
        defaults = Defaults(connection_options={"netmiko": ConnectionOptions(extras=extras)})
        return Inventory(hosts=hosts, groups=groups, defaults=defaults)

    def _query(self) -> Select[Any]:
        query = select(Device).order_by(Device.hostname)
        if self.enabled is not None:
            query = query.where(Device.enabled.is_(self.enabled))
        if self.names is not None:
            query = query.where(Device.hostname.in_(self.names))
        if self.device_ids is not None:
            query = query.where(Device.id.in_(self.device_ids))
        if self.platforms:
            query = query.where(Device.platform.in_(self.platforms))
        if self.tags is not None:
            tagged = select(device_tags.c.device_id).join(Tag, Tag.id == device_tags.c.tag_id)
            query = query.where(Device.id.in_(tagged.where(Tag.name.in_(self.tags))))
        return query


def _tags_of(
    session: Session, device_ids: Select[Any]
) -> tuple[dict[int, list[tuple[str, str]]], dict[int, str]]:
    """Per device, its tags' (name, type) by name, and the transport of its first tag with one."""
    result: dict[int, list[tuple[str, str]]] = defaultdict(list)
    transports: dict[int, str] = {}
    rows = session.execute(
        select(device_tags.c.device_id, Tag.name, Tag.type, Tag.transport)
        .join(Tag, Tag.id == device_tags.c.tag_id)
        .where(device_tags.c.device_id.in_(device_ids.order_by(None)))
        .order_by(Tag.name)
    )
    for device_id, name, kind, transport in rows:
        result[device_id].append((name, kind))
        if transport:
            transports.setdefault(device_id, transport)
    return result, transports


def _backup_command(
    device: Device, tags_of: dict[int, list[tuple[str, str]]], tag_commands: dict[str, str]
) -> dict[str, str]:
    """``{"backup_command": ...}`` when the device or one of its tags (the first by name) has one."""
    command = device.backup_command or next(
        (tag_commands[name] for name, _ in tags_of.get(device.id, []) if name in tag_commands), None
    )
    return {"backup_command": command} if command else {}


def _group_kinds(tags_of: dict[int, list[tuple[str, str]]]) -> list[tuple[str, str]]:
    return sorted({tag for tags in tags_of.values() for tag in tags})


def _netmiko_extras(settings: Settings) -> dict[str, Any]:
    c = settings.connection
    return {
        "conn_timeout": c.timeout,
        "auth_timeout": c.auth_timeout,
        "banner_timeout": c.banner_timeout,
        "read_timeout_override": c.read_timeout,
        "fast_cli": c.fast_cli,
    }


def _device_options(
    data: dict[str, Any], defaults: dict[str, Any], platform: dict[str, Any] | None
) -> dict[str, ConnectionOptions]:
    """A host's own netmiko options: the device's (``netmiko_options`` in its data) over its
    platform's (``connection.platform_options``) over the defaults; none if it has neither."""
    own = data.get("netmiko_options")
    own = own if isinstance(own, dict) else {}
    if not own and not platform:
        return {}
    return {"netmiko": ConnectionOptions(extras={**defaults, **(platform or {}), **own})}
