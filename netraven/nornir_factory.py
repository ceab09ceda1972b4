"""Build a Nornir object over NetRaven's inventory."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from nornir import InitNornir
from nornir.core import Nornir
from nornir.core.inventory import Host
from sqlalchemy import Engine

from netraven.platforms import use_site
from netraven.settings import Settings, load_settings


def open_nornir(
    settings: Settings | None = None,
    *,
    engine: Engine | None = None,
    names: Iterable[str] | None = None,
    tags: Iterable[str] | None = None,
    platforms: Iterable[str] | None = None,
    device_ids: Iterable[int] | None = None,
    enabled: bool | None = True,
    num_workers: int | None = None,
    extra_options: Callable[[Host], dict[str, Any]] | None = None,
    record_later: bool = False,
) -> Nornir:
    """A fresh Nornir over NetRaven's devices (filtered), threaded, with Nornir's own logging off.

    Hosts log in through NetRaven's credentials with fallback; ``extra_options`` and
    ``record_later`` are a run's connection options. See ``NetRavenInventory``.
    """
    settings = settings or load_settings()
    use_site(settings.platforms)  # a shard process gets the settings, not their loading
    options: dict[str, Any] = {
        "settings": settings,
        "engine": engine,
        "names": list(names) if names is not None else None,
        "tags": list(tags) if tags is not None else None,
        "platforms": list(platforms) if platforms is not None else None,
        "device_ids": list(device_ids) if device_ids is not None else None,
        "enabled": enabled,
        "extra_options": extra_options,
        "record_later": record_later,
    }
    return InitNornir(
        runner={"plugin": "threaded", "options": {"num_workers": num_workers or settings.runner.num_workers}},
        inventory={"plugin": "NetRavenInventory", "options": options},
        logging={"enabled": False},
    )
