"""A run's progress bar, shared by ``netraven run`` and ``netraven demo``."""

from __future__ import annotations

from collections import Counter
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from netraven.jobs import HostOutcome


class RunProgress:
    """A bar drawn once the run has started (bad input draws nothing), advanced by each host.

    Pass :meth:`on_start` and :meth:`on_host` to ``run_job``; use as a context manager.
    """

    def __init__(self, console: Console, label: str, disable: bool = False) -> None:
        self.label = label
        self.statuses = Counter[str]()
        self._progress = Progress(
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            console=console,
            disable=disable,
        )
        self._bar = self._progress.add_task(label, total=None, failed=0)

    def on_start(self, run_id: int, hosts: int) -> None:
        self._progress.update(self._bar, description=f"run {run_id} {self.label}", total=hosts)
        self._progress.start()

    def on_host(self, outcome: HostOutcome) -> None:
        self.statuses[outcome.status] += 1
        self._progress.update(self._bar, advance=1, failed=self.statuses["failed"])

    def __enter__(self) -> RunProgress:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._progress.live.is_started:
            self._progress.stop()
