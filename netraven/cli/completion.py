"""``netraven completion SHELL``: the shell completion script, to source from the shell's startup file."""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class


@click.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
@click.pass_context
def completion(ctx: click.Context, shell: str) -> None:
    """Print the completion script for SHELL.

    \b
    bash:  eval "$(netraven completion bash)"     (in ~/.bashrc)
    zsh:   eval "$(netraven completion zsh)"      (in ~/.zshrc)
    fish:  netraven completion fish > ~/.config/fish/completions/netraven.fish
    """
    root = ctx.find_root().command
    completer = get_completion_class(shell)
    assert completer is not None  # the three choices are click's built-in shells
    click.echo(completer(root, {}, "netraven", "_NETRAVEN_COMPLETE").source())
