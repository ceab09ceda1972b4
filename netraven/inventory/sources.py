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

SUFFIXES = (".csv", ".yaml", ".yml", ".json")
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: about 10x faster


def read_records(path: Path) -> list[object]:
    """The device records of ``path``, one per device, in file order (mappings, unless the file is wrong)."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InventoryError(f"{path}: expected a file ending in {', '.join(SUFFIXES)}")
    try:
        if suffix == ".csv":
            with path.open(newline="", encoding="utf-8-sig") as handle:
                return list(csv.DictReader(handle))
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if suffix == ".json" else yaml.load(text, Loader=_YAML_LOADER)
    except OSError as exc:
        raise InventoryError(f"cannot read {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise InventoryError(f"{path} is not UTF-8 text (byte {exc.start})") from exc
    except csv.Error as exc:
        raise InventoryError(f"{path} is not valid CSV: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise InventoryError(f"{path} is not valid JSON: {exc.msg} at line {exc.lineno}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise InventoryError(
            f"{path} is not valid YAML: {getattr(exc, 'problem', None) or 'syntax error'}{where}"
        ) from exc
    if isinstance(data, dict) and "devices" in data:
        data = data["devices"]
    if not isinstance(data, list):
        raise InventoryError(f"{path}: expected a list of devices, or a mapping with a 'devices' list")
    return data
