"""Device connections: netmiko sessions with credential fallback, retries and error classification.

The inventory gives each Nornir host a :class:`HostAccess` (its candidates, encrypted) and one
:class:`CredentialBroker` for all hosts (vault, database, connection settings), which opens each
connection trying the candidates in order and records every :class:`Attempt`; :func:`classify`
turns what went wrong into one :class:`~netraven.exceptions.DeviceError`.
"""

from netraven.connections.errors import classify
from netraven.connections.opener import Attempt, CredentialBroker, HostAccess

__all__ = ["Attempt", "CredentialBroker", "HostAccess", "classify"]
