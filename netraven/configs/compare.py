"""Two versions of a device's config side by side and as a unified diff, line by line (difflib).

:func:`compare` loads exactly two versions (volatile lines left out, as :func:`queries.diff` does)
and returns every line once, classified, so a face can draw either view and highlight the changed
lines without parsing diff text.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from netraven.configs.normalize import normalize
from netraven.configs.queries import DC, masked, resolve_device
from netraven.exceptions import InventoryError, InventoryNotFound

Kind = Literal["same", "changed", "removed", "added", "gap"]  # gap: unchanged lines left out
MAX_CONTEXT = 100


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the side-by-side view: a line on the left (old), the right (new), or both."""

    kind: Kind
    old_number: int | None
    old: str | None
    new_number: int | None
    new: str | None


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the unified view: ``" "`` unchanged, ``"-"`` removed, ``"+"`` added, ``"@"`` a hunk."""

    sign: str
    old_number: int | None
    new_number: int | None
    text: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Versions ``old_version`` and ``new_version`` of ``hostname``, compared."""

    hostname: str
    old_version: int
    new_version: int
    rows: tuple[Row, ...]  # side by side, only the hunks (changes with their context)
    lines: tuple[Line, ...]  # unified
    added: int
    removed: int


def compare(
    session: Session,
    device: str | int,
    old_version: int,
    new_version: int,
    context: int = 3,
    reveal: bool = False,
    extra_patterns: Iterable[str] = (),
) -> Comparison:
    """Versions ``old_version`` and ``new_version`` of ``device`` compared, with ``context``
    unchanged lines around each change; without ``reveal`` their secrets are masked first."""
    if not 0 <= context <= MAX_CONTEXT:
        raise InventoryError(f"context {context} must be from 0 to {MAX_CONTEXT}", field="context")
    found = resolve_device(session, device)
    query = select(DC.version, DC.config_text).where(
        DC.device_id == found.id, DC.version.in_([old_version, new_version])
    )
    texts: dict[int, str] = {version: text for version, text in session.execute(query)}
    for version in (old_version, new_version):
        if version not in texts:
            raise InventoryNotFound(f"device {found.hostname!r} has no version {version}", field="version")
    extra = tuple(extra_patterns)
    old, new = (
        normalize(texts[v] if reveal else masked(texts[v]), found.platform, extra).splitlines()
        for v in (old_version, new_version)
    )
    rows, lines = compare_lines(old, new, context)
    added = sum(1 for line in lines if line.sign == "+")
    removed = sum(1 for line in lines if line.sign == "-")
    return Comparison(found.hostname, old_version, new_version, rows, lines, added, removed)


def compare_lines(
    old: list[str], new: list[str], context: int = 3
) -> tuple[tuple[Row, ...], tuple[Line, ...]]:
    """The side-by-side rows and unified lines of ``old`` against ``new``, hunks only."""
    rows: list[Row] = []
    lines: list[Line] = []
    matcher = difflib.SequenceMatcher(None, old, new)  # as difflib.unified_diff: the same hunks
    for group in matcher.get_grouped_opcodes(context):
        first, last = group[0], group[-1]
        header = f"@@ -{first[1] + 1},{last[2] - first[1]} +{first[3] + 1},{last[4] - first[3]} @@"
        lines.append(Line("@", None, None, header))
        if rows:
            rows.append(Row("gap", None, None, None, None))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                    rows.append(Row("same", i + 1, old[i], j + 1, new[j]))
                    lines.append(Line(" ", i + 1, j + 1, old[i]))
                continue
            lines.extend(Line("-", i + 1, None, old[i]) for i in range(i1, i2))
            lines.extend(Line("+", None, j + 1, new[j]) for j in range(j1, j2))
            for k in range(max(i2 - i1, j2 - j1)):
                i, j = i1 + k, j1 + k
                left = (i + 1, old[i]) if i < i2 else (None, None)
                right = (j + 1, new[j]) if j < j2 else (None, None)
                kind: Kind = "changed" if i < i2 and j < j2 else "removed" if i < i2 else "added"
                rows.append(Row(kind, *left, *right))
    return tuple(rows), tuple(lines)
