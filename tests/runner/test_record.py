"""A host's record is classified in the host's own thread and crosses processes as it is."""

import pickle
import threading
from typing import Any

from netmiko.exceptions import ReadTimeout
from nornir.core import Nornir
from nornir.core.inventory import Defaults, Groups, Host, Hosts, Inventory
from nornir.core.task import Result, Task
from nornir.plugins.runners import ThreadedRunner

from netraven.runner.capture import HostCapture, HostRecorder
from netraven.runner.record import HostRecord, multi_result


class Unpicklable(Exception):
    def __init__(self) -> None:
        super().__init__("holds a lock")
        self.lock = threading.Lock()


def read(task: Task) -> Result:
    raise ReadTimeout("Pattern not detected: 'r1#' in output.\n\nThings you might try ...")


def work(task: Task) -> Result:
    if task.host.name == "r1":
        task.run(read)  # fails: Nornir wraps the subtask's ReadTimeout in a NornirSubTaskError
    if task.host.name == "r2":
        raise Unpicklable()
    return Result(host=task.host, result={"lines": 3}, changed=True)


def test_each_host_is_recorded_in_its_own_thread_classified_and_picklable() -> None:
    hosts = Hosts({name: Host(name, platform="cisco_ios", data={"device_id": i}) for i, name in
                   enumerate(("r0", "r1", "r2"), start=1)})  # fmt: skip
    nornir = Nornir(Inventory(hosts=hosts, groups=Groups(), defaults=Defaults()), runner=ThreadedRunner(3))
    records: dict[str, tuple[HostRecord, int]] = {}

    def deliver(record: HostRecord) -> None:
        records[record.name] = (record, threading.get_ident())

    threads: dict[str, int] = {}

    def task(task: Task) -> Result:
        threads[task.host.name] = threading.get_ident()
        return work(task)

    nornir.with_processors([HostRecorder(HostCapture(), deliver)]).run(task=task, name="toy")

    assert {name: thread for name, (_, thread) in records.items()} == threads  # each host's own thread
    fields: dict[str, Any] = {name: (r.status, r.error_kind, r.message) for name, (r, _) in records.items()}
    assert fields == {
        "r0": ("succeeded", None, ""),
        "r1": ("failed", "timeout", "r1: the device stopped answering (read timeout)"),
        "r2": ("failed", "command", "r2: unexpected Unpicklable"),
    }
    for record, _ in records.values():
        assert pickle.loads(pickle.dumps(record)) == record
    ok = records["r0"][0]
    assert (ok.device_id, ok.platform, ok.task) == (1, "cisco_ios", "toy")
    result = multi_result(pickle.loads(pickle.dumps(ok)), hosts["r0"])
    assert (result.name, result[0].result, result[0].changed, result.failed) == (
        "toy",
        {"lines": 3},
        True,
        False,
    )
    assert records["r1"][0].results == [] and records["r2"][0].results == []  # a failed host's stay behind
