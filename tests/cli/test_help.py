"""Every command and group of the CLI has help text, and --help works everywhere."""

import subprocess
import sys

import click
from click.testing import CliRunner

from netraven.cli import main


def walk(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found: list[tuple[tuple[str, ...], click.Command]] = []
    for name, command in sorted(group.commands.items()):
        found.append(((*path, name), command))
        if isinstance(command, click.Group):
            found += walk(command, (*path, name))
    return found


def test_every_command_has_help_text() -> None:
    commands = walk(main)
    assert len(commands) > 40  # the walk is real: every noun and verb
    for path, command in commands:
        assert command.help and command.help.strip(), " ".join(path)
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert param.help, f"{' '.join(path)} {param.opts[0]}"
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output, path


def test_version_and_completion() -> None:
    from netraven import __version__

    assert CliRunner().invoke(main, ["--version"]).output == f"netraven, version {__version__}\n"
    script = CliRunner().invoke(main, ["completion", "bash"])
    assert script.exit_code == 0 and "_NETRAVEN_COMPLETE=bash_complete" in script.output
    words = subprocess.run(
        [sys.executable, "-m", "netraven"],
        env={"_NETRAVEN_COMPLETE": "bash_complete", "COMP_WORDS": "netraven con", "COMP_CWORD": "1"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "plain,config" in words
