"""The data directory and the files NetRaven keeps, readable by their owner only.

Stored configs hold type-7 passwords, SNMP communities and TACACS/RADIUS keys, so the data
directory, the SQLite database and the git repository are created 0700/0600 whatever the umask;
:func:`exposed` names those that other users can read, for a warning at start-up.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from sqlalchemy.engine import make_url

from netraven.exceptions import ConfigError
from netraven.settings import Settings

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create directory ``path`` and its missing parents owner-only; ConfigError if it cannot be used."""
    missing = [p for p in (path, *path.parents) if not os.path.lexists(p)]
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        for created in missing:
            os.chmod(created, DIR_MODE)  # mkdir's mode passes through the umask; chmod does not
    except FileExistsError:
        raise ConfigError(
            f"{path} is not a directory (check NETRAVEN_HOME and the settings' paths)"
        ) from None
    except OSError as exc:
        raise ConfigError(f"cannot create directory {path}: {exc.strerror}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"directory {path} is not writable by this user (check NETRAVEN_HOME)")
    return path


def private_file(path: Path) -> Path:
    """Create ``path`` empty and owner-only (its directory too) unless it exists."""
    private_dir(path.parent)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return path
    except OSError as exc:
        raise ConfigError(f"cannot create {path}: {exc.strerror}") from exc
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for other databases and in-memory ones."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).expanduser()


def exposed(settings: Settings) -> list[str]:
    """``path (mode 755)`` for each of the data directory, SQLite file, git repository and key file
    that exists and gives its group or other users any access."""
    database = sqlite_path(settings.database_url)
    paths = [settings.home, *([database] if database else []), settings.git_dir, settings.key_file]
    found = []
    for path in paths:
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError:
            continue
        if mode & 0o077:
            found.append(f"{path} (mode {mode:o})")
    return found


def exposed_warning(settings: Settings) -> str | None:
    """One line naming what other users can read, and the fix; None when everything is private."""
    found = exposed(settings)
    if not found:
        return None
    return (
        f"readable by other users, though it holds device configs with secrets: {', '.join(found)}; "
        "fix with chmod 700 (directories) or chmod 600 (files)"
    )
