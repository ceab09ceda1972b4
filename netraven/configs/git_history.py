"""The git history of stored configs: one file per device, one commit per run.

The repository is **bare** (``settings.git_dir``, default ``configs.git`` in the data directory) and
written with dulwich, so no git binary is needed: blobs, one flat tree and a commit go straight into
the object store and ``refs/heads/main`` moves with a compare-and-swap. ``git clone`` it to browse.

Each device is the file ``<slug>@<id>.cfg`` at the top of the tree (:func:`device_filename`): the
device id makes it unique and stable, the slug (the hostname in ASCII letters, digits, ``.``, ``_``
and ``-``) makes it readable. A commit that writes a device removes its file under any other name;
given every device's current hostname it also moves the files of renamed devices, and removes the
``<hostname>.cfg`` files of the layout before #13 once their device has its own file.

A lock per repository path serialises writers in this process (every run has its own
ConfigStore); across processes, a ref held by another writer (dulwich's ``FileLocked``) or moved by
it (the compare-and-swap fails) makes the commit retry on top of the other one instead of losing it.
"""

from __future__ import annotations

import os
import re
import threading
import time
import unicodedata
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from dulwich.file import FileLocked
from dulwich.objects import Blob, Commit, ShaFile, Tree
from dulwich.repo import Repo

from netraven.datadir import private_dir
from netraven.exceptions import DatabaseError

if TYPE_CHECKING:
    from dulwich.objects import ObjectID
    from dulwich.refs import Ref

DEFAULT_AUTHOR = "NetRaven <netraven@localhost>"
BRANCH = cast("Ref", b"refs/heads/main")
FILE_MODE = 0o100644
SLUG_LENGTH = 60
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_OWNED = re.compile(rb"^[A-Za-z0-9._-]*@(\d+)\.cfg$")
_ATTEMPTS = 12  # backoff 0.05 s doubling to 1 s: about 8 s in all
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()

Entries = dict[bytes, tuple[int, "ObjectID"]]


def _path_lock(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


def device_filename(device_id: int, hostname: str) -> str:
    """``<slug>@<id>.cfg``: the hostname folded to ASCII (``.``, ``_``, ``-`` kept, other runs ``-``)."""
    ascii_name = unicodedata.normalize("NFKD", hostname).encode("ascii", "ignore").decode()
    slug = _UNSAFE.sub("-", ascii_name).strip(".-")[:SLUG_LENGTH].rstrip(".-")
    return f"{slug or 'device'}@{device_id}.cfg"


def legacy_filename(hostname: str) -> str:
    """The file name of ``hostname`` before #13 (not unique: only to remove such files)."""
    return (re.sub(r"[^A-Za-z0-9._-]", "_", hostname).lstrip(".") or "_")[:200] + ".cfg"


def _owner(path: bytes) -> int | None:
    found = _OWNED.match(path)
    return int(found[1]) if found else None


@dataclass(frozen=True, slots=True)
class DeviceFile:
    """One device's config as a commit writes it."""

    device_id: int
    hostname: str
    text: str


class GitHistory:
    """A bare git repository at ``path``, created on first use."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = _path_lock(self.path)

    def __repr__(self) -> str:
        return f"GitHistory({str(self.path)!r})"

    def _open(self) -> Repo:
        if (self.path / "objects").is_dir():
            return Repo(str(self.path))
        private_dir(self.path)  # raw configs hold secrets: owner-only whatever the umask
        return Repo.init_bare(str(self.path), default_branch=b"main")

    def commit(
        self,
        files: Iterable[DeviceFile],
        message: str,
        author: str = DEFAULT_AUTHOR,
        hostnames: Mapping[int, str] | None = None,
    ) -> str | None:
        """Write ``files`` in one commit; its sha, or None if the tree did not change.

        ``hostnames`` (device id -> current hostname) moves the files of renamed devices and
        removes pre-#13 files of devices that have their own file.
        """
        blobs = {f.device_id: (f.hostname, Blob.from_string(f.text.encode())) for f in files}
        if not blobs and not hostnames:
            return None
        with self._lock:
            repo = self._open()
            try:
                return self._commit(repo, blobs, dict(hostnames or {}), message, author)
            finally:
                repo.close()

    def _commit(
        self,
        repo: Repo,
        blobs: dict[int, tuple[str, Blob]],
        hostnames: dict[int, str],
        message: str,
        author: str,
    ) -> str | None:
        hostnames.update({device_id: hostname for device_id, (hostname, _) in blobs.items()})
        for attempt in range(_ATTEMPTS):
            head = repo.refs.as_dict().get(BRANCH)
            entries: Entries = {}
            old_tree_id = None
            if head is not None:
                old_tree = _tree(repo, head)
                old_tree_id = old_tree.id
                entries = {e.path: (e.mode, e.sha) for e in old_tree.iteritems()}
            _arrange(entries, {i: blob.id for i, (_, blob) in blobs.items()}, hostnames)
            tree = Tree()
            for path, (mode, sha) in entries.items():
                tree.add(path, mode, sha)
            if tree.id == old_tree_id or (head is None and not entries):
                return None
            commit = Commit()
            commit.tree = tree.id
            commit.parents = [head] if head is not None else []
            commit.author = commit.committer = author.encode()
            commit.author_time = commit.commit_time = int(time.time())
            commit.author_timezone = commit.commit_timezone = 0
            commit.encoding = b"UTF-8"
            commit.message = message.rstrip("\n").encode() + b"\n"
            for obj in (*(blob for _, blob in blobs.values()), tree, commit):
                _add_object(repo, obj)
            try:
                moved = (
                    repo.refs.add_if_new(BRANCH, commit.id)
                    if head is None
                    else repo.refs.set_if_equals(BRANCH, head, commit.id)
                )
            except FileLocked:  # another process is moving the branch right now
                moved = False
            except OSError:  # the lock was ours: dulwich leaves it when the write fails (disk full)
                Path(repo.controldir(), BRANCH.decode() + ".lock").unlink(missing_ok=True)
                raise
            if moved:
                return commit.id.decode()
            time.sleep(min(0.05 * 2**attempt, 1.0))  # then rebuild on top of the other commit
        raise DatabaseError(f"git history {self.path}: could not update {BRANCH.decode()} (busy)")

    def files(self, commit: str | None = None) -> dict[str, str]:
        """Every file at ``commit`` (default: the latest): name -> text."""
        return {name.decode(): text for name, text in self._entries(commit, lambda name: True)}

    def read(self, device_id: int, commit: str | None = None) -> str | None:
        """The text of device ``device_id``'s file at ``commit`` (default: the latest), or None."""
        found = self._entries(commit, lambda name: _owner(name) == device_id)
        return found[0][1] if found else None

    def _entries(self, commit: str | None, wanted: Callable[[bytes], bool]) -> list[tuple[bytes, str]]:
        if not (self.path / "objects").is_dir():
            return []
        repo = Repo(str(self.path))
        try:
            sha = cast("ObjectID", commit.encode()) if commit else repo.refs.as_dict().get(BRANCH)
            if sha is None:
                return []
            found = []
            for entry in _tree(repo, sha).iteritems():
                blob = repo[entry.sha] if wanted(entry.path) else None
                if isinstance(blob, Blob):
                    found.append((entry.path, blob.data.decode()))
            return found
        finally:
            repo.close()

    def head(self) -> str | None:
        """The sha of the latest commit, or None before the first one."""
        if not (self.path / "objects").is_dir():
            return None
        repo = Repo(str(self.path))
        try:
            sha = repo.refs.as_dict().get(BRANCH)
            return sha.decode() if sha is not None else None
        finally:
            repo.close()

    def message(self, commit: str) -> str:
        """The message of ``commit``."""
        repo = Repo(str(self.path))
        try:
            obj = repo[cast("ObjectID", commit.encode())]
            if not isinstance(obj, Commit):
                raise DatabaseError(f"git history {self.path}: {commit} is not a commit")
            message: bytes = obj.message
            return message.decode()
        finally:
            repo.close()


def _arrange(entries: Entries, blobs: Mapping[int, ObjectID], hostnames: Mapping[int, str]) -> None:
    """Edit ``entries`` in place: write ``blobs`` (by device id), move renamed devices' files,
    drop a written device's file under an older name and pre-#13 files of devices that have one."""
    names = {
        device_id: device_filename(device_id, hostname).encode() for device_id, hostname in hostnames.items()
    }
    for path in list(entries):
        owner = _owner(path)
        target = names.get(owner) if owner is not None else None
        if target is not None and target != path:
            entry = entries.pop(path)
            if owner not in blobs:  # a renamed device: its file moves
                entries[target] = entry
    for device_id, sha in blobs.items():
        entries[names[device_id]] = (FILE_MODE, sha)
    legacy = {legacy_filename(hostnames[i]).encode() for i, name in names.items() if name in entries}
    written = set(blobs.values())
    for path in [p for p in entries if _owner(p) is None]:
        if path in legacy or entries[path][1] in written:
            del entries[path]


def _add_object(repo: Repo, obj: ShaFile) -> None:
    """Store ``obj`` as a loose object, leaving nothing behind if the write fails.

    Not dulwich's ``add_object``: when the disk is full it leaves the object's lock file (and the
    file open), and every later write of that object fails as locked.
    """
    path = Path(repo.object_store.path, obj.id[:2].decode(), obj.id[2:].decode())
    if path.exists():
        return
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_name(f"tmp_{uuid.uuid4().hex}")
    try:
        with os.fdopen(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o444), "wb") as out:
            out.write(obj.as_legacy_object())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _tree(repo: Repo, commit_sha: ObjectID) -> Tree:
    commit = repo[commit_sha]
    tree = repo[commit.tree] if isinstance(commit, Commit) else None
    if not isinstance(tree, Tree):
        raise DatabaseError(f"git history {repo.path}: {commit_sha.decode()} is not a commit")
    return tree
