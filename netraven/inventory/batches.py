"""Large ``IN (...)`` lists split into batches, to stay under the databases' bound-parameter limits."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

BATCH_SIZE = 900  # under SQLite's old limit of 999 bound parameters


def batched(values: Sequence[str], size: int = BATCH_SIZE) -> Iterator[Sequence[str]]:
    """Consecutive slices of ``values`` of at most ``size`` items."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
