"""A Nornir host that logs in through NetRaven's credentials, decrypted only when it connects."""

from __future__ import annotations

from typing import Any

from nornir.core.configuration import Config
from nornir.core.inventory import Host
from nornir.core.plugins.connections import ConnectionPlugin

from netraven.connections.opener import HostAccess


class NetRavenHost(Host):
    """A host whose ``netmiko`` connection opens with credential fallback (see ``CredentialBroker``).

    ``username`` and ``password`` stay empty: the candidates live, encrypted, in ``access``.
    """

    __slots__ = ("access",)

    def __init__(self, *args: Any, access: HostAccess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.access = access

    def open_connection(
        self,
        connection: str,
        configuration: Config,
        hostname: str | None = None,
        username: str | None = None,
        password: str | None = None,
        port: int | None = None,
        platform: str | None = None,
        extras: dict[str, Any] | None = None,
        default_to_host_attributes: bool = True,
    ) -> ConnectionPlugin:
        if connection != "netmiko" or username is not None or password is not None:
            return super().open_connection(
                connection, configuration, hostname, username, password, port, platform, extras,
                default_to_host_attributes,
            )  # fmt: skip
        if connection in self.connections:
            return super().open_connection(connection, configuration)  # raises ConnectionAlreadyOpen
        options = self.get_connection_parameters(connection).extras or {}
        plugin = self.access.broker.open(self, self.access, configuration, {**options, **(extras or {})})
        self.connections[connection] = plugin
        return plugin
