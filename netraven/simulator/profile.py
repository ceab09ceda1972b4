"""Platform profiles: what a simulated device of each netmiko device type looks and answers like.

A profile is one YAML file, ``netraven/simulator/profiles/<device_type>.yaml``; adding a platform
is adding a file. It holds the prompts of each mode, the banner and telnet login prompts, paging,
the commands netmiko's driver sends while preparing a session (with their replies and the mode
or paging they switch to), the outputs of the configuration and facts commands, and the error
printed for anything else. ``engine: cisco`` or ``engine: junos`` marks the four platforms whose
configuration lives in a stateful engine (config mode changes it); every other profile is served
by :class:`netraven.simulator.platforms.generic.ProfileShell` from its data alone.

Outputs are templates: ``{{hostname}}``, ``{{user}}``, ``{{serial}}`` are fixed per device;
``{{now:STRFTIME}}``, ``{{uptime:FORMAT}}``, ``{{hex:N}}``, ``{{int:A-B}}`` and ``{{b64:N}}`` are
volatile and differ at every read, as timestamps, counters and generated hashes do on real devices.
``{{line}}`` and ``{{caret}}`` (a caret under the typed line) exist in error texts only,
``{{count}}`` (the number of commands typed so far) in prompts only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from netraven.exceptions import ConfigError

ENGINES = ("generic", "cisco", "junos")
TOKEN = re.compile(r"\{\{(\w+)(?::([^}]*))?\}\}")
FIXED_TOKENS = ("hostname", "user", "serial")
VOLATILE_TOKENS = ("now", "uptime", "hex", "int", "b64")


@dataclass(frozen=True)
class Command:
    """A command the device understands besides its outputs: netmiko's session preparation, paging,
    mode changes. ``match`` is a regex matched against the whole typed line (spaces collapsed)."""

    match: re.Pattern[str]
    modes: tuple[str, ...] = ()  # where it is understood; empty: everywhere
    output: str = ""
    goto: str | None = None  # the mode it switches to
    paging: bool | None = None  # paging turned on or off
    enable: bool = False  # asks for the enable secret first; ``goto`` only when it is right
    close: bool = False  # ends the session

    def understood_in(self, mode: str) -> bool:
        return not self.modes or mode in self.modes


@dataclass(frozen=True)
class Profile:
    """One platform's simulated behaviour, loaded from its YAML file (see the module docstring)."""

    name: str
    short: str
    engine: str
    banner: str
    login: tuple[str, str]
    login_failed: str
    inband_login: bool  # an SSH login asks for the username and password again, in the session
    username_suffix: re.Pattern[str] | None
    modes: dict[str, str]
    start: str
    redraw_echo: bool  # a typed line is echoed after its prompt again (``\r`` + prompt + line)
    more: str
    page_length: int
    paging: bool
    enable_prompt: str
    enable_failed: str
    commands: tuple[Command, ...]
    outputs: dict[str, str]
    output_modes: tuple[str, ...]
    config: tuple[str, ...]
    facts: str | None
    secrets: tuple[str, ...]
    error: str

    @property
    def volatile(self) -> bool:
        """Whether the configuration has lines that change at every read."""
        text = "".join(self.outputs[c] for c in self.config)
        return any(t.group(1) in VOLATILE_TOKENS for t in TOKEN.finditer(text))

    def secret_patterns(self) -> tuple[re.Pattern[str], ...]:
        """Each secret the configuration carries as a regex (a volatile token: any non-blank text,
        as an ``ENC`` value re-encrypted at each read)."""
        return tuple(re.compile(_pattern(s, "")) for s in self.secrets)

    def output_for(self, line: str, mode: str) -> str | None:
        """The output template of ``line`` (spaces collapsed) in ``mode``, if it is one."""
        if self.output_modes and mode not in self.output_modes:
            return None
        return self.outputs.get(" ".join(line.split()))

    def command_for(self, line: str, mode: str) -> Command | None:
        """The first command matching ``line`` in ``mode``."""
        typed = " ".join(line.split())
        return next((c for c in self.commands if c.understood_in(mode) and c.match.fullmatch(typed)), None)

    def login_name(self, username: str) -> str:
        """The username without what the client appends (MikroTik's ``+ct511w4098h``)."""
        return self.username_suffix.sub("", username) if self.username_suffix else username

    def config_pattern(self, hostname: str, commands: tuple[str, ...] | None = None) -> re.Pattern[str]:
        """A regex the configuration text must match in full: the outputs of ``commands`` (the
        profile's config commands by default) joined by a blank line, each volatile token any text
        on its line, ``{{hostname}}`` the device's name."""
        return re.compile(_pattern("\n\n".join(self.outputs[c] for c in commands or self.config), hostname))


def _pattern(template: str, hostname: str) -> str:
    """A regex of ``template``: text as itself, ``{{hostname}}`` the name, any other token a run of
    non-blank characters (text spanning lines when the hostname is unknown)."""
    parts, position = [], 0
    for token in TOKEN.finditer(template):
        parts.append(re.escape(template[position : token.start()]))
        name = token.group(1)
        if name == "hostname" and hostname:
            parts.append(re.escape(hostname))
        else:
            parts.append(r"[^\n]*?" if hostname else r"(?!<redacted>)[^\s\"]+")
        position = token.end()
    parts.append(re.escape(template[position:]))
    return "".join(parts)


def names() -> tuple[str, ...]:
    """Every platform with a profile, sorted (file names only: nothing is parsed)."""
    folder = resources.files("netraven.simulator.profiles")
    return tuple(sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".yaml")))


@cache
def load(name: str) -> Profile:
    """The profile of platform ``name``; :class:`ConfigError` naming the file when it is wrong."""
    source = resources.files("netraven.simulator.profiles") / f"{name}.yaml"
    if not source.is_file():
        raise ConfigError(f"no simulator profile for platform {name!r}")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return _build(name, yaml.load(source.read_text(encoding="utf-8"), Loader=loader))
    except (KeyError, TypeError, ValueError, re.error, yaml.YAMLError) as exc:
        raise ConfigError(f"simulator profile {name}.yaml: {type(exc).__name__}: {exc}") from None


def _text(value: Any) -> str:
    text = "" if value is None else str(value)
    return text[:-1] if text.endswith("\n") else text


def _command(raw: dict[str, Any], modes: dict[str, str]) -> Command:
    command = Command(
        match=re.compile(raw["match"]),
        modes=tuple(raw.get("modes", ())),
        output=_text(raw.get("output")),
        goto=raw.get("goto"),
        paging=raw.get("paging"),
        enable=bool(raw.get("enable", False)),
        close=bool(raw.get("close", False)),
    )
    unknown = [m for m in (*command.modes, command.goto) if m is not None and m not in modes]
    if unknown:
        raise ValueError(f"command {raw['match']!r} names unknown mode(s) {unknown}")
    return command


def _build(name: str, data: dict[str, Any]) -> Profile:
    if data.get("platform") != name:
        raise ValueError(f"platform is {data.get('platform')!r}, not {name!r} as the file name says")
    engine = data.get("engine", "generic")
    if engine not in ENGINES:
        raise ValueError(f"engine {engine!r} is not one of {', '.join(ENGINES)}")
    modes = {str(k): str(v) for k, v in (data.get("modes") or {}).items()}
    start = data.get("start", next(iter(modes), ""))
    if engine == "generic" and start not in modes:
        raise ValueError(f"start mode {start!r} is not among the modes")
    paging = data.get("paging") or {}
    enable = data.get("enable") or {}
    login = data.get("login") or {}
    outputs = {" ".join(str(k).split()): _text(v) for k, v in (data.get("outputs") or {}).items()}
    config = tuple(data.get("config", ()))
    missing = [c for c in config if c not in outputs]
    if engine == "generic" and (not config or missing):
        raise ValueError(f"config commands {missing or '(none)'} have no output")
    facts = data.get("facts")
    if facts is not None and engine == "generic" and facts not in outputs:
        raise ValueError(f"facts command {facts!r} has no output")
    templates = [data.get("banner") or "", data.get("error") or "", *outputs.values(), *modes.values()]
    templates += [str(c.get("output") or "") for c in data.get("commands") or ()]
    known = (*FIXED_TOKENS, *VOLATILE_TOKENS, "line", "caret", "count")
    unknown = sorted({t.group(1) for text in templates for t in TOKEN.finditer(str(text))} - set(known))
    if unknown:
        raise ValueError(f"unknown template tokens {unknown}; known: {', '.join(known)}")
    suffix = login.get("username_suffix")
    return Profile(
        name=name,
        short=str(data.get("short", name)),
        engine=engine,
        banner=_text(data.get("banner")),
        login=(str(login.get("username", "Username: ")), str(login.get("password", "Password: "))),
        login_failed=_text(login.get("failed", "% Login invalid")),
        inband_login=bool(login.get("inband", False)),
        username_suffix=re.compile(suffix) if suffix else None,
        modes=modes,
        start=start,
        redraw_echo=bool(data.get("redraw_echo", False)),
        more=str(paging.get("prompt", " --More-- ")),
        page_length=int(paging.get("lines", 24)),
        paging=bool(paging.get("default", False)),
        enable_prompt=str(enable.get("prompt", "Password: ")),
        enable_failed=_text(enable.get("failed", "% Access denied")),
        commands=tuple(_command(c, modes) for c in data.get("commands") or ()),
        outputs=outputs,
        output_modes=tuple(data.get("output_modes", ())),
        config=config,
        facts=facts,
        secrets=tuple(str(s) for s in data.get("secrets") or ()),
        error=_text(data.get("error", "% Invalid input")),
    )
