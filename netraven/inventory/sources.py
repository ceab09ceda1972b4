"""Reading device files: CSV with a header, or YAML/JSON fleet files; parsing only, no validation.

A YAML or JSON file is a list of device mappings, or a mapping whose ``devices`` key holds that list
(the device simulator's fleet file; its other keys, such as lab credentials, are ignored).
Error messages name the file and line but never quote its content: it may hold secrets.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import yaml

from netraven.exceptions import InventoryError
from netraven.inventory.validation import show

SUFFIXES = (".csv", ".yaml", ".yml", ".json")


class _Repeated(ValueError):
    """A CSV column, or a key of a YAML or JSON mapping, given twice."""


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML (libyaml when present: about 10x faster) refusing a key given twice in a mapping."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[object, object]:
    seen: set[object] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)  # type: ignore[no-untyped-call]
        if isinstance(key, (str, int, float, bool)):
            if key in seen:
                line = key_node.start_mark.line + 1
                raise _Repeated(f"key {show(key)} given twice in one mapping at line {line}")
            seen.add(key)
    return loader.construct_mapping(node)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _unique_pairs(pairs: list[tuple[str, object]]) -> dict[str, object]:
    data = dict(pairs)
    if len(data) < len(pairs):
        repeated = next(key for i, (key, _) in enumerate(pairs) if key in dict(pairs[:i]))
        raise _Repeated(f"key {show(repeated)} given twice in one object")
    return data


def _csv_records(path: Path) -> list[object]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [name.strip().lower() for name in reader.fieldnames or ()]
        repeated = next((name for i, name in enumerate(columns) if name in columns[:i]), None)
        if repeated is not None:
            raise _Repeated(f"column {show(repeated)} appears twice in the header")
        return list(reader)


def read_records(path: Path, label: str | None = None) -> list[object]:
    """The device records of ``path``, one per device, in file order (mappings, unless the file is
    wrong); errors name the file ``label`` (default: its path)."""
    where = label or str(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InventoryError(f"{where}: expected a file ending in {', '.join(SUFFIXES)}")
    try:
        if suffix == ".csv":
            return _csv_records(path)
        text = path.read_text(encoding="utf-8-sig")
        data = (
            json.loads(text, object_pairs_hook=_unique_pairs)
            if suffix == ".json"
            else yaml.load(text, _Loader)
        )
    except _Repeated as exc:
        raise InventoryError(f"{where}: {exc}") from None
    except OSError as exc:
        raise InventoryError(f"cannot read {where}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InventoryError(f"{where} is not UTF-8 text (byte {exc.start})") from exc
    except csv.Error as exc:
        raise InventoryError(f"{where} is not valid CSV: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InventoryError(f"{where} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InventoryError(
            f"{where} is not valid YAML: {getattr(exc, 'problem', None) or 'syntax error'}{where}"
        ) from exc
    if isinstance(data, dict) and "devices" in data:
        data = data["devices"]
    if not isinstance(data, list):
        raise InventoryError(f"{where}: expected a list of devices, or a mapping with a 'devices' list")
    return data
