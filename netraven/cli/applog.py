"""The application log of one command: where NetRaven's and its libraries' log records go.

With no handler configured, Python prints every record of WARNING and above raw on stderr (its
"last resort"): paramiko's ``Socket exception: Bad file descriptor (9)`` and its tracebacks, or a
traceback per host when the database is lost mid-run, in the middle of a command's output. A
command's stderr is for its progress and its one-line errors (:mod:`netraven.cli.errors`), so
records go to ``logs/netraven.log`` in the data directory (owner-only, rotated at 10 MB, made
with its first record), at ``logging.level``. ``netraven worker`` logs to stderr instead: its
stderr is its log.

paramiko logs every packet at DEBUG and a closing socket as an error; the host's outcome already
says what failed, so its records are kept at WARNING and above (DEBUG with ``logging.level:
DEBUG``), and in the log, never on stderr. Huey's likewise.
"""

from __future__ import annotations

import io
import logging
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from netraven.datadir import private_file
from netraven.redaction import RedactingFormatter

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
LOG_FILE = Path("logs") / "netraven.log"  # in the data directory
_QUIET = ("paramiko", "huey")  # libraries whose DEBUG/INFO is noise unless asked for


class ApplicationLog:
    """The root logger's one handler while a command runs (:meth:`close` removes it).

    Its ``formatter`` masks secrets as the runs' own logs do (the worker refreshes its redactor).
    """

    def __init__(self, level: str, home: Path | None = None) -> None:
        """Log to ``home``/logs/netraven.log (created with the first record), or to stderr."""
        self.handler: logging.Handler = (
            logging.StreamHandler(sys.stderr)
            if home is None
            else _PrivateFileHandler(
                home / LOG_FILE, maxBytes=10_000_000, backupCount=3, encoding="utf-8", delay=True
            )
        )
        self.formatter = RedactingFormatter(LOG_FORMAT)
        self.handler.setFormatter(self.formatter)
        root = logging.getLogger()
        self._saved = [(name, logging.getLogger(name).level) for name in ("", "netraven", *_QUIET)]
        root.addHandler(self.handler)
        root.setLevel(logging.WARNING)
        logging.getLogger("netraven").setLevel(level)
        for name in _QUIET:
            logging.getLogger(name).setLevel(logging.DEBUG if level == "DEBUG" else logging.WARNING)

    def close(self) -> None:
        logging.getLogger().removeHandler(self.handler)
        for name, level in self._saved:
            logging.getLogger(name).setLevel(level)
        self.handler.close()


class _PrivateFileHandler(RotatingFileHandler):
    """A rotating log file opened on its first record, created owner-only like the data directory."""

    def _open(self) -> io.TextIOWrapper:
        private_file(Path(self.baseFilename))
        return super()._open()
