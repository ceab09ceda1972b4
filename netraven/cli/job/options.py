"""What ``netraven job`` and ``netraven schedule`` commands share on input: schedule options and
job references."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from netraven.cli.application import Application
from netraven.cli.params import MAX_INT
from netraven.jobs.schedules import SCHEDULE_TYPES

_SCHEDULE_OPTIONS = (
    click.option("--time", "time_of_day", metavar="HH:MM", help="Time of day (daily, weekly)."),
    click.option("--days", metavar="DAYS", help="Days of the week, such as mon,thu (weekly)."),
    click.option("--interval", metavar="SECONDS", help="Seconds between runs, or 15m, 2h, 1d (interval)."),
    click.option("--cron", metavar="EXPR", help="Cron expression, such as '0 2 * * *' (cron)."),
    click.option(
        "--at",
        "run_at",
        metavar="ISO",
        help="Run time (onetime) or first run (interval); without an offset, in scheduler.timezone.",
    ),
)


def schedule_options(default: str | None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add ``--schedule-type`` and the fields of each type; the command gets one ``schedule``.

    Times are wall-clock times in the ``scheduler.timezone`` setting. With no ``default``, the
    type is required.
    """

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            from netraven.jobs import Schedule

            app: Application = click.get_current_context().obj
            fields = {
                name: kwargs.pop(name) for name in ("time_of_day", "days", "interval", "cron", "run_at")
            }
            kwargs["schedule"] = Schedule.parse(
                kwargs.pop("schedule_type"),
                run_at=fields["run_at"],
                interval_seconds=fields["interval"],
                time_of_day=fields["time_of_day"],
                days_of_week=fields["days"],
                cron_expression=fields["cron"],
                tz=app.tz,
            )
            return command(*args, **kwargs)

        type_option = click.option(
            "--schedule-type",
            default=default,
            required=default is None,
            show_default=default is not None,
            metavar="TYPE",
            help=f"When it runs: {', '.join(SCHEDULE_TYPES)}.",
        )
        for option in reversed((type_option, *_SCHEDULE_OPTIONS)):
            wrapper = option(wrapper)
        return wrapper

    return decorate


def job_ref(text: str) -> int | str:
    """A JOB argument: a number the database can take is an id, anything else a name."""
    return int(text) if text.strip().isdigit() and int(text) <= MAX_INT else text
