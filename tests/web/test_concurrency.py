"""Many clients at once: every request is served, none waits out a database timeout (#14).

Before requests were bounded in the database (``deps.database_slot``), 60 clients on SQLite
filled all of anyio's 40 worker threads with requests waiting for the write lock, leaving none
for the request holding it: each waited out the 30 s busy timeout and failed with a 500.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
from fastapi import FastAPI

CLIENTS = 60  # more than anyio's 40 worker threads


async def _burst(app: FastAPI, headers: dict[str, str]) -> list[int]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        paths = ["/api/v1/auth/me", "/api/v1/devices?limit=5", "/api/v1/health"]
        responses = await asyncio.gather(
            *(client.get(paths[i % len(paths)], headers=headers) for i in range(CLIENTS))
        )
    return [r.status_code for r in responses]


def test_sixty_clients_at_once_are_all_served(app: FastAPI, as_role: dict[str, dict[str, str]]) -> None:
    started = time.monotonic()
    # In a thread of its own: the browser tests' Playwright keeps an event loop running in the
    # main thread of the test process that ran them (pytest-xdist may run this test after them).
    with ThreadPoolExecutor(1) as pool:
        statuses = pool.submit(asyncio.run, _burst(app, as_role["viewer"])).result()
    assert time.monotonic() - started < 20
    # health says 503 "degraded" without a worker or a queue here; everything else is 200
    assert [s for i, s in enumerate(statuses) if i % 3 != 2] == [200] * (2 * CLIENTS // 3)
    assert all(s in (200, 503) for s in statuses[2::3])
