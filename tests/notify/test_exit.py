"""``netraven run`` ends soon after its run even when a receiver hangs: deliveries still in flight
get ``notifications.exit_wait`` seconds, then are recorded as failed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from netraven.db.models import NotificationDelivery
from netraven.settings import Settings
from tests.notify.conftest import Receiver
from tests.runner.conftest import FAST


def test_the_cli_waits_a_bounded_time_then_records_the_delivery_failed(
    engine: Engine, settings: Settings, lab: Any, receiver: Receiver
) -> None:
    lab(2, failures="1:refuse")
    receiver.mode = "hang"
    env = {
        **os.environ,
        **FAST,
        "NETRAVEN_DATABASE__URL": engine.url.render_as_string(hide_password=False),
        "NETRAVEN_HOME": settings.home.as_posix(),
        "NETRAVEN_NOTIFICATIONS__CHANNELS": json.dumps({"hook": {"type": "webhook", "url": receiver.url}}),
        "NETRAVEN_NOTIFICATIONS__RULES": json.dumps({"all": {"channels": ["hook"]}}),
        "NETRAVEN_NOTIFICATIONS__TIMEOUT": "60",
        "NETRAVEN_NOTIFICATIONS__EXIT_WAIT": "1",
    }
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "netraven", "run", "backup", "--all"], env=env, capture_output=True, timeout=60
    )
    took = time.monotonic() - started

    assert done.returncode == 3, done.stderr  # partial
    assert took < 20  # the run, then one second: not the 60 s timeout of the hanging receiver
    assert len(receiver.requests) >= 1
    with Session(engine) as session:
        rows = list(session.scalars(select(NotificationDelivery).order_by(NotificationDelivery.id)))
    assert [(row.event, row.status, row.sent_at) for row in rows] == [("run_failed", "failed", None)]
    assert rows[0].last_error == "not delivered: the process ended while sending it (waited 1 s)"
