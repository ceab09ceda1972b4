"""Finding the legacy log files in a directory and reading them, gzipped or not.

A log file is ``NAME.log`` (text) or ``NAME.jsonl`` (JSON lines), optionally rotated with a number
(``.1``, ``.2``: higher is older, as ``RotatingFileHandler`` names them) or a date
(``.2025-03-14``, ``.2025-03-14_02-00``: as ``TimedRotatingFileHandler`` names them), optionally
gzipped (``.gz``). The files of one *stream* (same path without those suffixes) are read oldest first.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

_NAME = re.compile(
    r"(?P<stream>.+\.(?P<ext>log|jsonl))"
    r"(?:\.(?:(?P<number>\d+)|(?P<date>\d{4}-\d{2}-\d{2}(?:_\d{2}(?:-\d{2}){0,2})?)))?"
    r"(?:\.gz)?"
)


@dataclass(frozen=True)
class LogFile:
    """One log file; ``name`` and ``stream`` are relative to the log directory, with ``/``."""

    path: Path
    name: str
    stream: str
    kind: Literal["text", "json"]
    age: tuple[int, str, int]  # sorts the files of a stream oldest first

    @property
    def gzipped(self) -> bool:
        return self.path.suffix == ".gz"


def find_log_files(log_dir: Path) -> list[LogFile]:
    """The log files under ``log_dir`` (recursively), by stream, oldest first within each stream."""
    files = []
    for path in log_dir.rglob("*"):
        name = path.relative_to(log_dir).as_posix()
        match = _NAME.fullmatch(name)
        if match is None or not path.is_file():
            continue
        if match["date"]:
            age = (0, match["date"], 0)
        elif match["number"]:
            age = (1, "", -int(match["number"]))
        else:
            age = (2, "", 0)
        kind: Literal["text", "json"] = "json" if match["ext"] == "jsonl" else "text"
        files.append(LogFile(path, name, match["stream"], kind, age))
    return sorted(files, key=lambda f: (f.stream, f.age))


def read_lines(file: LogFile) -> Iterator[str]:
    """The lines of ``file`` without their line ends; bytes that are not UTF-8 become U+FFFD.

    A damaged gzip file raises ``OSError``, ``EOFError`` or ``zlib.error`` while it is read.
    """
    opener = gzip.open if file.gzipped else open
    with opener(file.path, "rt", encoding="utf-8", errors="replace") as stream:
        for line in stream:
            yield line.rstrip("\r\n")
