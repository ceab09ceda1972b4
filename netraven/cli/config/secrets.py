"""What the config commands print of a config's secrets: masked, unless asked for as stored."""

from collections.abc import Callable
from typing import Any, TypeVar

import click

from netraven.redaction import Redactor

F = TypeVar("F", bound=Callable[..., Any])


def reveal_option(command: F) -> F:
    """The ``--reveal-secrets`` flag, passed to the command as ``reveal``."""
    return click.option(
        "--reveal-secrets",
        "reveal",
        is_flag=True,
        help="Print secrets (enable secrets, keys, communities) as stored, e.g. to restore a device. "
        "Default: masked as <redacted>.",
    )(command)


def shown(text: str, reveal: bool) -> str:
    """``text`` as the command prints it: with the secrets a config carries masked, unless ``reveal``."""
    return text if reveal else Redactor().redact(text)
