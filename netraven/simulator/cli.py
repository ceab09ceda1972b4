"""``start``: the click command behind ``netraven simulator start`` and ``python -m netraven.simulator``.

It lives beside the library rather than under ``netraven.cli`` so the subprocess that tests start
imports neither the database layer nor the rest of the CLI (faster, and immune to their breakage);
``netraven.cli.simulator.start`` re-exports it.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

import click

from netraven.exceptions import ConfigError
from netraven.simulator.inventory import write_inventory
from netraven.simulator.spec import ALL_PLATFORMS, TELNET_SUFFIX, FleetSpec, build_fleet, parse_failures


def _address_range(spec: FleetSpec) -> str:
    first, last = spec.devices[0], spec.devices[-1]
    if first.host == last.host:
        return f"{first.host}:{first.port}-{last.port}"
    return f"{first.host}-{last.host}:{first.port}"


@click.command()
@click.option("--count", "-n", type=click.IntRange(min=1), required=True, help="How many devices.")
@click.option(
    "--platform",
    "platforms",
    multiple=True,
    type=click.Choice((*ALL_PLATFORMS, *(p + TELNET_SUFFIX for p in ALL_PLATFORMS))),
    help="Platform(s), assigned round-robin; PLATFORM_telnet serves it over telnet. Default: cisco_ios.",
)
@click.option(
    "--base-address",
    default="127.0.1.1",
    show_default=True,
    help="First loopback address; one address per device (127.0.0.0/8 only).",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    default=2222,
    show_default=True,
    help="SSH port (with --per-port: the first port).",
)
@click.option("--per-port", is_flag=True, help="All devices on --base-address, one port each.")
@click.option(
    "--inventory-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the fleet (with its lab credentials) here: .csv or .yaml.",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the persistent host key lives. Default: <tmp>/netraven-simulator.",
)
@click.option(
    "--failures",
    default="",
    metavar="SPEC",
    help="Failure modes by device index: '0:refuse,2:slow=0.5,4-6:garbled'.",
)
@click.option("--max-seconds", type=click.FloatRange(min=0), help="Stop after this many seconds.")
@click.option(
    "--seed", default="", help="Mixed into each hostname's config seed: other configs, same layout."
)
def start(
    count: int,
    platforms: tuple[str, ...],
    base_address: str,
    port: int,
    per_port: bool,
    inventory_out: Path | None,
    state_dir: Path | None,
    failures: str,
    max_seconds: float | None,
    seed: str,
) -> None:
    """Serve COUNT simulated devices over SSH (or telnet) until SIGINT/SIGTERM; print one READY line
    when listening."""
    from netraven.simulator.runner import serve
    from netraven.simulator.server import Fleet

    try:
        spec = build_fleet(
            count,
            platforms or ("cisco_ios",),
            base_address,
            port,
            per_port,
            parse_failures(failures, count),
            seed=seed,
        )
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from exc
    fleet = Fleet(spec, state_dir or Path(tempfile.gettempdir()) / "netraven-simulator")

    def ready(control: tuple[str, int]) -> None:
        if inventory_out is not None:
            write_inventory(inventory_out, spec)
        click.echo(
            f"READY count={count} addresses={_address_range(spec)} pid={os.getpid()} "
            f"control={control[0]}:{control[1]}" + (f" inventory={inventory_out}" if inventory_out else "")
        )

    try:
        asyncio.run(serve(fleet, ready, max_seconds))
    except (OSError, ConfigError) as exc:
        raise click.ClickException(f"simulator could not start: {exc}") from exc
