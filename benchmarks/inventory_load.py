"""Load 10,000 devices into Nornir: NetRavenInventory from PostgreSQL vs SimpleInventory YAML files.

Both inventories describe the same hosts (3 tags each as groups, platform, port, data); NetRaven's
also carries 20 credentials bound through the tags. Each load is timed from a fresh InitNornir call
(best of --repeat runs, after one warm-up), in the same process and run. Usage:

    python benchmarks/inventory_load.py [--devices 10000] [--repeat 5] [--url postgresql://...]

The script creates a throw-away database on the server given by --url (default: postgres at
127.0.0.1:5432) and drops it at the end.
"""

from __future__ import annotations

import argparse
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import yaml
from cryptography.fernet import Fernet
from nornir import InitNornir
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from netraven.credentials.vault import Vault
from netraven.db import create_engine_for_url, migrate
from netraven.db.models import Credential, Device, Tag, credential_tags, device_tags
from netraven.settings import load_settings


def best_of(repeat: int, load: Callable[[], int]) -> tuple[float, int]:
    load()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        hosts = load()
        times.append(time.perf_counter() - start)
    return min(times), hosts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default="postgresql+psycopg2://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()

    admin = create_engine(args.url, isolation_level="AUTOCOMMIT")
    name = f"netraven_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(args.url).set(database=name).render_as_string(hide_password=False)
    engine = create_engine_for_url(url)
    try:
        run(engine, args.devices, args.repeat)
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def run(engine, count: int, repeat: int) -> None:  # type: ignore[no-untyped-def]
    migrate.upgrade(engine)
    vault = Vault([Fernet.generate_key()])
    platforms = ["cisco_ios", "cisco_nxos", "arista_eos", "juniper_junos"]
    tag_names = [f"site-{i}" for i in range(50)] + [f"role-{i}" for i in range(10)] + platforms
    with engine.begin() as conn:
        conn.execute(insert(Tag), [{"id": i + 1, "name": n, "type": "custom", "description": None}
                                   for i, n in enumerate(tag_names)])  # fmt: skip
        tag_id = {n: i + 1 for i, n in enumerate(tag_names)}
        conn.execute(insert(Device), [
            {"id": i + 1, "hostname": f"dev-{i:05d}", "host": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}",
             "port": 22, "platform": platforms[i % 4], "enabled": True, "data": {"site": f"site-{i % 50}"}}
            for i in range(count)
        ])  # fmt: skip
        conn.execute(insert(device_tags), [
            {"device_id": i + 1, "tag_id": tag_id[t]}
            for i in range(count) for t in (f"site-{i % 50}", f"role-{i % 10}", platforms[i % 4])
        ])  # fmt: skip
        conn.execute(insert(Credential), [
            {"id": c + 1, "name": f"cred-{c}", "username": f"user{c}",
             "password_encrypted": vault.encrypt("x"), "enable_secret_encrypted": None, "priority": c,
             "success_count": 0, "failure_count": 0}
            for c in range(20)
        ])  # fmt: skip
        conn.execute(insert(credential_tags), [
            {"credential_id": c + 1, "tag_id": tag_id[tag_names[c * 3 % len(tag_names)]]} for c in range(20)
        ])  # fmt: skip

    workdir = Path(tempfile.mkdtemp(prefix="netraven-bench-"))
    hosts = {
        f"dev-{i:05d}": {"hostname": f"10.{i // 65536}.{i // 256 % 256}.{i % 256}", "port": 22,
                         "platform": platforms[i % 4], "groups": sorted([f"site-{i % 50}", f"role-{i % 10}",
                         platforms[i % 4]]), "data": {"site": f"site-{i % 50}", "device_id": i + 1}}
        for i in range(count)
    }  # fmt: skip
    (workdir / "hosts.yaml").write_text(yaml.safe_dump(hosts, sort_keys=False))
    (workdir / "groups.yaml").write_text(yaml.safe_dump({n: {"data": {"type": "custom"}} for n in tag_names}))
    (workdir / "defaults.yaml").write_text("data: {}\n")
    settings = load_settings()

    def netraven() -> int:
        nr = InitNornir(
            inventory={"plugin": "NetRavenInventory", "options": {"settings": settings, "engine": engine}},
            logging={"enabled": False},
        )
        return len(nr.inventory.hosts)

    def simple() -> int:
        nr = InitNornir(
            inventory={"plugin": "SimpleInventory", "options": {
                "host_file": str(workdir / "hosts.yaml"), "group_file": str(workdir / "groups.yaml"),
                "defaults_file": str(workdir / "defaults.yaml")}},
            logging={"enabled": False},
        )  # fmt: skip
        return len(nr.inventory.hosts)

    yaml_time, yaml_hosts = best_of(repeat, simple)
    db_time, db_hosts = best_of(repeat, netraven)
    assert yaml_hosts == db_hosts == count
    print(f"devices: {count} (3 tags each), credentials: 20, best of {repeat} after a warm-up")
    print(f"SimpleInventory (YAML, safe_load):   {yaml_time:.3f} s")
    print(f"NetRavenInventory (PostgreSQL):      {db_time:.3f} s")
    print(f"ratio YAML / NetRaven: {yaml_time / db_time:.2f}x (above 1 means NetRaven is faster)")


if __name__ == "__main__":
    main()
