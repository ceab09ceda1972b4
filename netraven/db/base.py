"""The declarative base of every model, and the annotated column types the models share.

Metadata, naming convention and column types live in :mod:`netraven.db.core` (ORM-free)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from sqlalchemy import JSON, Integer, String
from sqlalchemy.orm import DeclarativeBase, mapped_column

from netraven.db import core
from netraven.db.core import MAX_INTEGER, UTCDateTime, link_table, utcnow

__all__ = ["MAX_INTEGER", "Base", "UTCDateTime", "link_table", "utcnow"]

intpk = Annotated[int, mapped_column(Integer, primary_key=True)]
created_at = Annotated[datetime, mapped_column(UTCDateTime, default=utcnow, nullable=False)]
name_str = Annotated[str, mapped_column(String(255))]
json_dict = Annotated[dict[str, Any], mapped_column(JSON, default=dict, nullable=False)]


class Base(DeclarativeBase):
    """Base of every NetRaven model."""

    metadata = core.metadata
    type_annotation_map = {datetime: UTCDateTime}
