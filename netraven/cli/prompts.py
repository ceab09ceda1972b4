"""Reading a secret: prompted without echo on a terminal, else one line of standard input."""

from __future__ import annotations

import sys

import click


def read_secret(prompt: str, confirm: bool, from_stdin: bool = False) -> str | None:
    """The secret typed (twice with ``confirm``) on a terminal, or the next line of standard input
    when it is not a terminal or ``from_stdin``; None when empty."""
    stdin = sys.stdin
    if stdin.isatty() and not from_stdin:
        default = None if confirm else ""
        value: str = click.prompt(
            prompt,
            hide_input=True,
            confirmation_prompt=confirm,
            default=default,
            show_default=False,
            err=True,
        )
    else:
        value = stdin.readline().rstrip("\r\n")
    return value or None
