"""One shard of a run, in its own process: a Nornir run over some of the run's hosts.

The shard talks to devices only. Each host's result goes back to the run's process as a
:class:`~netraven.runner.record.HostRecord` the moment the host ends, classified in the host's
thread here; the run's process stores it, fires the hooks and counts it, exactly as for a host
of its own. The shard stops starting hosts on ``"stop"`` from the run's process, on SIGTERM, or
when the run's process is gone. SIGINT is left to the run's process (a Ctrl-C reaches the whole
process group).
"""

from __future__ import annotations

import gc
import importlib
import logging
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from netraven.db.session import create_engine_for_url
from netraven.exceptions import one_line
from netraven.jobs.base import JobType
from netraven.jobs.events import RunInfo
from netraven.nornir_factory import open_nornir
from netraven.redaction import Redactor
from netraven.runner.capture import HostCapture, HostRecorder
from netraven.runner.host_task import run_hosts
from netraven.runner.record import HostRecord, without_results
from netraven.settings import Settings

log = logging.getLogger("netraven.runner")

STOP = "stop"


@dataclass(frozen=True)
class ShardSpec:
    """What a shard process needs: its hosts (device ids), its threads, and how to run them."""

    index: int
    run: RunInfo
    job_class: str  # "module:QualName" of the job type
    device_ids: list[int]
    num_workers: int
    settings: Settings = field(repr=False)  # may hold encryption keys
    database_url: str = field(repr=False)  # may hold a password
    sys_path: list[str] = field(default_factory=list)  # the run's: the job type imports as there


def main(argv: list[str]) -> None:
    """``python -m netraven.runner.shard_child RESULTS_FD CONTROL_FD``: the spec comes first on control."""
    results = Connection(int(argv[0]), readable=False)
    control = Connection(int(argv[1]), writable=False)
    try:
        spec = control.recv()
    except (EOFError, OSError):  # the run's process is gone already
        return
    shard_main(spec, results, control)


def shard_main(spec: ShardSpec, results: Connection, control: Connection) -> None:
    """Run ``spec``'s hosts: send ``("started", None)`` once set up, ``("host", HostRecord)`` for each
    host, then ``("done", None)``.

    A shard that cannot start sends ``("error", one line)`` instead and runs nothing.
    """
    stop = threading.Event()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lock = threading.Lock()

    def send(message: tuple[str, Any]) -> None:
        with lock:
            results.send(message)

    sys.path[:] = spec.sys_path
    try:
        job: JobType = load_class(spec.job_class)()
        engine = create_engine_for_url(spec.database_url, pool_size=2)
    except Exception as exc:
        send(("error", _one_line(exc)))
        return
    try:
        capture = HostCapture()
        nornir = open_nornir(
            spec.settings,
            engine=engine,
            device_ids=spec.device_ids,
            num_workers=spec.num_workers,
            extra_options=capture.connection_options,
            record_later=True,
        )
        threading.Thread(target=_listen, args=(control, stop), name="shard-control", daemon=True).start()
        send(("started", None))  # its set-up is over: from now on, each host reports within its limit
        recorder = HostRecorder(capture, _Relay(send, stop))
        run_hosts(nornir, recorder, job, spec.run.job_type, dict(spec.run.parameters), spec.settings, stop)
    except Exception as exc:
        send(("error", _one_line(exc)))
        return
    finally:
        engine.dispose()
    send(("done", None))


class _Relay:
    """Sends each host's record to the run's process, from the host's thread as it ends."""

    def __init__(self, send: Callable[[tuple[str, Any]], None], stop: threading.Event) -> None:
        self._send = send
        self._stop = stop

    def __call__(self, record: HostRecord) -> None:
        try:
            try:
                self._send(("host", record))
            except (pickle.PicklingError, TypeError, AttributeError) as exc:  # never into Nornir
                why = f"{record.name}: the task's result cannot be passed to the run ({type(exc).__name__})"
                self._send(("host", without_results(record, why)))
        except OSError:  # the run's process is gone: start no more hosts
            self._stop.set()


def _listen(control: Connection, stop: threading.Event) -> None:
    """Set ``stop`` on the run's ``"stop"``, or when the run's process has gone away."""
    try:
        while control.recv() != STOP:
            pass
    except (EOFError, OSError):
        pass
    stop.set()


def load_class(path: str) -> Any:
    """The object named ``module:QualName`` (raises ImportError or AttributeError)."""
    module, _, qualname = path.partition(":")
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target


def _one_line(exc: BaseException) -> str:
    return Redactor().redact(one_line(exc))[:300]


if __name__ == "__main__":
    main(sys.argv[1:])
    gc.freeze()  # the process ends here: no final collection over its Nornir run (as netraven.cli.run)
