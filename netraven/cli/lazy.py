"""Command groups whose subcommands are imported only when one is looked up (click's lazy group pattern).

Starting ``netraven`` then costs only the modules of the commands it touches: ``netraven --help``
imports the noun groups, ``netraven device --help`` the device verbs, and neither imports the
database layer, Nornir or netmiko, which the verbs import when they run.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

import click


class LazyCommands(MutableMapping[str, click.Command]):
    """A group's commands by name; a command named by ``"module:attribute"`` is imported on first access."""

    def __init__(self, paths: Mapping[str, str]) -> None:
        self._paths = dict(paths)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, _, attribute = self._paths[name].partition(":")
            self._loaded[name] = getattr(importlib.import_module(module), attribute)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        if self._paths.pop(name, None) is None and name not in self._loaded:
            raise KeyError(name)
        self._loaded.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._paths, *self._loaded]))

    def __len__(self) -> int:
        return len({*self._paths, *self._loaded})


class LazyGroup(click.Group):
    """A group given its subcommands as ``{name: "module:attribute"}``, each imported when first used.

    ``list_commands`` reads only the names; ``get_command`` (running, ``--help``, completion) imports
    the one module asked for. ``commands`` stays a mapping of name to command, so code that walks it
    imports every subcommand as it goes.
    """

    def __init__(self, *args: Any, lazy: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commands = LazyCommands(lazy)
        commands.update(self.commands)
        self.commands = commands
