"""``docs/platforms.md`` from the built-in registry: ``python -m netraven.platforms.doc > docs/platforms.md``.

A test keeps the page in sync with the data: change a platform file, regenerate the page.
"""

from __future__ import annotations

import sys

from netraven.platforms.loader import KEYS
from netraven.platforms.model import Platform
from netraven.platforms.registry import Registry, build_registry

INTRO = """\
# Platforms

NetRaven knows each platform (a netmiko device type) from one YAML file in
`netraven/platforms/data/<device type>.yaml`: the command(s) printing the whole configuration, whether
privileged mode is needed, set-up commands, the lines by which the device says a command failed, the
lines every configuration of it has, the lines that change without the configuration changing
(ignored when comparing versions), the secret patterns the Redactor masks, how to read its facts and
netmiko's telnet device type for it. The entries were learnt from netmiko's drivers, Oxidized's
models, RANCID's filters and ntc-templates' fixtures.

A device whose platform has no entry is backed up with `show running-config`, without privileged
mode, and only the generic rules apply to it. The order of several commands is kept; their outputs
are joined with a blank line between them.

This page is generated: `python -m netraven.platforms.doc > docs/platforms.md`.
"""

GUIDE = """\
## Adding or changing a platform from the settings

A `platforms:` block in `netraven.yaml` adds platforms or changes built-in ones, without code. Its
keys are netmiko device types; an entry has the keys of the files above:

| key | what |
| --- | --- |
{keys}

```yaml
platforms:
  cisco_ftd:                      # a new platform: a netmiko device type
    base: cisco_asa               # starts from the ASA entry
    commands: [show running-config all]
  mikrotik_routeros:              # a built-in platform: merged into it
    commands: ["/export show-sensitive"]
    secrets: ['my-token=(?P<s>\\S+)']
```

A new platform names a `base` to start from, or gives a whole entry (`commands` at least). A key
given replaces the base's value, except `secrets`, `volatile` and `error_markers`, which are added
to the base's (an entry can never drop what its base masks), and `facts` and `config_markers`,
merged key by key (`facts: null` removes them). Each secret pattern captures the secret in a group
named `s`, each facts pattern the value in a group named `v`; separate words with `[ \\t]+`, not `\\s+`,
so that a pattern never reaches into the next line. A wrong entry stops the settings from loading,
with one line naming the key and, for a misspelt key or platform, the closest one:

```
platforms.cisco_ios.comands: unknown key (did you mean 'commands'?)
platforms.cisco_ftd.base: unknown platform 'cisco_iso' (did you mean 'cisco_ios'?)
```

From the environment, an entry is a JSON object:
`NETRAVEN_PLATFORMS__CISCO_XE='{"base": "cisco_ios", "commands": ["show running-config view full"]}'`.

A device or a tag can also carry its own backup command (`netraven device edit R1
--backup-command "show running-config all"`, `netraven tag edit core --backup-command ...`, also on
`device add` and `tag add`; an empty one clears it): the device's wins over its tags' (the first by
name that has one), and a run's `--param command=...` over both.
"""


def _code(text: str) -> str:
    return f"`{text}`".replace("|", "\\|")


def _row(platform: Platform) -> str:
    facts = _code(platform.facts.command) if platform.facts else "—"
    if platform.facts and platform.facts.textfsm_platform:
        facts += f" (TextFSM {platform.facts.textfsm_platform})"
    volatile = "<br>".join(_code(p.pattern) for p in platform.volatile) or "—"
    cells = [
        _code(platform.name) + (f"<br>({', '.join(platform.aliases)})" if platform.aliases else ""),
        platform.description,
        "<br>".join(_code(c) for c in platform.commands),
        "yes" if platform.enable else "no",
        facts,
        _code(platform.telnet) if platform.telnet else "—",
        volatile,
    ]
    return "| " + " | ".join(cells) + " |"


def render(registry: Registry | None = None) -> str:
    """The whole page for ``registry`` (the built-in platforms by default)."""
    registry = registry or build_registry()
    rows = "\n".join(_row(registry.get(name)) for name in registry.names())
    generic = "<br>".join(_code(p.pattern) for p in registry.generic_volatile)
    keys = "\n".join(f"| `{key}` | {what} |" for key, what in KEYS.items())
    return (
        f"{INTRO}\n## The platforms ({len(registry.names())})\n\n"
        "| platform (aliases) | what | commands | enable | facts | telnet | ignored as volatile |\n"
        "| --- | --- | --- | --- | --- | --- | --- |\n"
        f"{rows}\n\nEvery platform also ignores {generic}.\n\n{GUIDE.replace('{keys}', keys)}"
    )


if __name__ == "__main__":
    sys.stdout.write(render())
