"""Job logs as people and scripts read them: filtered listings, following, connection transcripts.

:mod:`netraven.logs.queries` holds the queries, :mod:`netraven.logs.follow` the polling tail and
:mod:`netraven.logs.times` the ``--since``/``--until`` syntax.
"""

from netraven.logs.follow import Tail
from netraven.logs.queries import (
    LEVELS,
    LogEntry,
    LogFilter,
    Transcript,
    count_logs,
    device_transcripts,
    entry_to_dict,
    get_transcript,
    latest_id,
    list_logs,
    list_transcripts,
    logs_after,
    transcript_to_dict,
)
from netraven.logs.times import parse_time

__all__ = [
    "LEVELS",
    "LogEntry",
    "LogFilter",
    "Tail",
    "Transcript",
    "count_logs",
    "device_transcripts",
    "entry_to_dict",
    "get_transcript",
    "latest_id",
    "list_logs",
    "list_transcripts",
    "logs_after",
    "parse_time",
    "transcript_to_dict",
]
