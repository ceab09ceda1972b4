"""Retention: deleting old runs (with their results and logs), transcripts and config versions.

:mod:`.policy` turns ``settings.retention`` into what to delete (the selections), :mod:`.pruning`
deletes it in short batches and writes the audit row. ``netraven prune`` and the worker's daily
task both call :func:`prune`. The git history of configs is never rewritten.
"""

from netraven.retention.policy import KINDS, Policy
from netraven.retention.pruning import PruneReport, prune, report_to_dict

__all__ = ["KINDS", "Policy", "PruneReport", "prune", "report_to_dict"]
