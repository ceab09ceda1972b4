"""Run a run's hosts (or some of them) and store each as it ends: the part every kind of run shares.

A run in one process, a run split over shard processes on one machine
(:class:`~netraven.runner.shards.StartedShards`) and a shard of a run spread over the queue
(:mod:`netraven.runner.distributed`) all build Nornir over their hosts, store each host through
one :class:`~netraven.runner.processor.ResultsProcessor` and record the hosts nobody reported.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from netraven.inventory.circuit import Skip
from netraven.jobs.base import JobType
from netraven.jobs.concurrent import ConcurrentJobType
from netraven.jobs.events import HostOutcome, RunInfo
from netraven.nornir_factory import open_nornir
from netraven.plugins import NetRavenPluginManager
from netraven.runner.capture import HostCapture, HostRecorder
from netraven.runner.concurrent import run_concurrent_hosts, skipped_record
from netraven.runner.host_task import run_hosts
from netraven.runner.processor import ResultsProcessor
from netraven.runner.reporter import Reporter
from netraven.runner.runs import record_lost_hosts
from netraven.runner.shards import StartedShards
from netraven.runner.writer import ResultsWriter
from netraven.settings import Settings


def run_and_store(
    *,
    info: RunInfo,
    job: JobType,
    params: dict[str, Any],
    device_ids: list[int],
    settings: Settings,
    engine: Engine,
    sessions: sessionmaker[Session],
    plugin_manager: NetRavenPluginManager,
    stop: threading.Event,
    on_host: Callable[[HostOutcome], None] | None = None,
    shards: StartedShards | None = None,
    num_workers: int | None = None,
    skips: Mapping[int, Skip] | None = None,
) -> dict[str, HostOutcome]:
    """Every host's outcome, by name, once each is stored: run here, or by ``shards`` when given.

    The devices of ``skips`` (not among ``device_ids``) are stored skipped, with why. A host
    nobody reported fails with the reason, and gets its JobResult too.
    """
    capture = HostCapture()
    nornir = open_nornir(settings, engine=engine, device_ids=device_ids, num_workers=num_workers,
                         extra_options=capture.connection_options, record_later=True)  # fmt: skip
    hosts = nornir.inventory.hosts
    reporter = Reporter(info, plugin_manager, on_host)
    writer = ResultsWriter(info, job, sessions, settings, plugin_manager, hosts)
    with ResultsProcessor(writer, reporter) as processor:  # leaving waits for the last host
        for skip in (skips or {}).values():
            processor.host_finished(skipped_record(skip))
        if shards is not None and shards.shards:
            shards.collect(hosts, processor.host_finished, stop)
        elif isinstance(job, ConcurrentJobType):
            run_concurrent_hosts(hosts, job, info.job_type, params, settings, processor.host_finished, stop)
        elif hosts:
            run_hosts(nornir, HostRecorder(capture, processor.host_finished), job, info.job_type, params,
                      settings, stop)  # fmt: skip
    outcomes = reporter.outcomes
    lost = [host for host in hosts.values() if host.name not in outcomes]
    for host in lost:  # a host never reported: counted and recorded, never silently dropped
        outcomes[host.name] = HostOutcome(
            host.name, host.data.get("device_id"), "failed", message=f"{host.name}: no result was reported"
        )
    record_lost_hosts(sessions, info.run_id, [outcomes[host.name] for host in lost])
    return outcomes
