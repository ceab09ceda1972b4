"""Paged lists: ``Page[T]`` (``items``, ``total``, ``limit``, ``offset``) and the query parameters
every list endpoint takes. The domain query functions page, filter, sort and count."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Query
from pydantic import BaseModel, Field

T = TypeVar("T")
DEFAULT_LIMIT = 50
MAX_LIMIT = 1000


class Page(BaseModel, Generic[T]):
    """One page of a list, with the number of items matching in all."""

    items: list[T]
    total: int = Field(examples=[1234])
    limit: int = Field(examples=[DEFAULT_LIMIT])
    offset: int = Field(examples=[0])


@dataclass(frozen=True)
class Paging:
    """``limit`` items from the ``offset``-th (0-based)."""

    limit: int
    offset: int

    def page(self, items: list[T], total: int) -> Page[T]:
        """The page of ``items`` (already this page's), of ``total`` matching."""
        return Page(items=items, total=total, limit=self.limit, offset=self.offset)


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")] = 0,
) -> Paging:
    """The ``limit`` and ``offset`` query parameters."""
    return Paging(limit, offset)


PagingDep = Annotated[Paging, Depends(paging)]
