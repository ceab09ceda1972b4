"""Job parameters: declared once per job type, checked and coerced from CLI strings or JSON."""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from netraven.exceptions import JobError

ParamType = type[str] | type[int] | type[float] | type[bool] | type[list[str]]

_TRUE, _FALSE = {"true", "yes", "on", "1"}, {"false", "no", "off", "0"}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a job type.

    ``type`` is ``str``, ``int``, ``float``, ``bool`` or ``list[str]`` (a comma-separated string
    on the command line). A parameter without ``required`` takes ``default`` when not given.
    ``choices`` limits the value (each item, for a list).
    """

    type: ParamType = str
    default: Any = None
    required: bool = False
    help: str = ""
    choices: Sequence[Any] | None = None

    @property
    def type_name(self) -> str:
        return "list[str]" if self.type == list[str] else self.type.__name__

    def describe(self) -> dict[str, Any]:
        """A JSON-able description, for ``netraven plugins list --json`` and the API."""
        return {
            "type": self.type_name,
            "default": self.default,
            "required": self.required,
            "help": self.help,
            "choices": list(self.choices) if self.choices is not None else None,
        }

    def coerce(self, value: Any) -> Any:
        """``value`` as this parameter's type; raises ``ValueError`` saying what was expected."""
        if self.type == list[str]:
            items = [s.strip() for s in value.split(",")] if isinstance(value, str) else value
            if not isinstance(items, list | tuple) or not all(isinstance(s, str) for s in items):
                raise ValueError("expected a list of strings (comma-separated)")
            result: Any = [s for s in items if s]
        elif self.type is bool:
            result = _to_bool(value)
        elif self.type in (int, float):
            result = _to_number(value, self.type)
        elif isinstance(value, str):
            result = value
        else:
            raise ValueError("expected a string")
        for item in result if isinstance(result, list) else [result]:
            if self.choices is not None and item not in self.choices:
                raise ValueError(f"expected one of {', '.join(map(str, self.choices))}")
        return result


def validate_parameters(
    job_type: str, declared: Mapping[str, Parameter], raw: Mapping[str, Any]
) -> dict[str, Any]:
    """``raw`` checked against ``declared``: coerced, defaults applied; one-line ``JobError`` otherwise."""
    unknown = sorted(set(raw) - set(declared))
    if unknown:
        known = ", ".join(sorted(declared)) or "none"
        raise JobError(f"job type {job_type!r}: unknown parameter {unknown[0]!r} (known: {known})")
    values: dict[str, Any] = {}
    for name, param in declared.items():
        if raw.get(name) is None:  # not given, or null in JSON
            if param.required:
                raise JobError(
                    f"job type {job_type!r}: parameter {name!r} is required ({param.type_name}"
                    f"{': ' + param.help if param.help else ''})"
                )
            values[name] = copy.deepcopy(param.default)
            continue
        try:
            values[name] = param.coerce(raw[name])
        except ValueError as exc:
            raise JobError(f"job type {job_type!r}: parameter {name!r} = {raw[name]!r}: {exc}") from None
    return values


def parse_assignments(items: Iterable[str]) -> dict[str, str]:
    """``["retries=3", "commands=show ver"]`` as a dict of strings, for :meth:`JobType.validate`."""
    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise JobError(f"parameter {item!r}: expected NAME=VALUE")
        result[name.strip()] = value
    return result


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError("expected true or false")


def _to_number(value: Any, kind: type[int] | type[float]) -> int | float:
    noun = "an integer" if kind is int else "a number"
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"expected {noun}")
    if kind is int and isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"expected {noun}")
        return int(value)
    try:
        return kind(value.strip() if isinstance(value, str) else value)
    except ValueError:
        raise ValueError(f"expected {noun}") from None
