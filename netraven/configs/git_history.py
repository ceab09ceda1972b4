"""The git history of stored configs: one file per device, one commit per run.

The repository is **bare** (``settings.git_dir``, default ``configs.git`` in the data directory) and
written with dulwich, so no git binary is needed: blobs, one flat tree and a commit go straight into
the object store and ``refs/heads/main`` moves with a compare-and-swap. Each device is the file
``<hostname>.cfg`` at the top of the tree (hostname sanitised for paths). ``git clone`` it to browse.

A lock per repository path serialises writers in this process (every run has its own
ConfigStore); across processes, a ref held by another writer (dulwich's ``FileLocked``) or moved by
it (the compare-and-swap fails) makes the commit retry on top of the other one instead of losing it.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, cast

from dulwich.file import FileLocked
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

from netraven.exceptions import DatabaseError

if TYPE_CHECKING:
    from dulwich.objects import ObjectID
    from dulwich.refs import Ref

DEFAULT_AUTHOR = "NetRaven <netraven@localhost>"
BRANCH = cast("Ref", b"refs/heads/main")
FILE_MODE = 0o100644
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_ATTEMPTS = 12  # backoff 0.05 s doubling to 1 s: about 8 s in all
_LOCKS: dict[Path, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _path_lock(path: Path) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(path.resolve(), threading.Lock())


def device_filename(hostname: str) -> str:
    """``<hostname>.cfg`` with anything but letters, digits, ``.``, ``_`` and ``-`` replaced by ``_``."""
    safe = _UNSAFE.sub("_", hostname).lstrip(".") or "_"
    return safe[:200] + ".cfg"


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
        self.path.mkdir(parents=True, exist_ok=True)
        return Repo.init_bare(str(self.path), default_branch=b"main")

    def commit_run(self, files: Mapping[str, str], message: str, author: str = DEFAULT_AUTHOR) -> str | None:
        """Write ``files`` (hostname -> config text) in one commit; its sha, or None if nothing changed."""
        if not files:
            return None
        with self._lock:
            repo = self._open()
            try:
                return self._commit(repo, files, message, author)
            finally:
                repo.close()

    def _commit(self, repo: Repo, files: Mapping[str, str], message: str, author: str) -> str | None:
        blobs = {
            device_filename(host).encode(): Blob.from_string(text.encode()) for host, text in files.items()
        }
        for attempt in range(_ATTEMPTS):
            head = repo.refs.as_dict().get(BRANCH)
            tree = Tree()
            old_tree_id = None
            if head is not None:
                old_tree = _tree(repo, head)
                old_tree_id = old_tree.id
                for entry in old_tree.iteritems():
                    tree.add(entry.path, entry.mode, entry.sha)
            for name, blob in blobs.items():
                tree.add(name, FILE_MODE, blob.id)
            if tree.id == old_tree_id:
                return None
            commit = Commit()
            commit.tree = tree.id
            commit.parents = [head] if head is not None else []
            commit.author = commit.committer = author.encode()
            commit.author_time = commit.commit_time = int(time.time())
            commit.author_timezone = commit.commit_timezone = 0
            commit.encoding = b"UTF-8"
            commit.message = message.rstrip("\n").encode() + b"\n"
            for obj in (*blobs.values(), tree, commit):
                repo.object_store.add_object(obj)
            try:
                moved = (
                    repo.refs.add_if_new(BRANCH, commit.id)
                    if head is None
                    else repo.refs.set_if_equals(BRANCH, head, commit.id)
                )
            except FileLocked:  # another process is moving the branch right now
                moved = False
            if moved:
                return commit.id.decode()
            time.sleep(min(0.05 * 2**attempt, 1.0))  # then rebuild on top of the other commit
        raise DatabaseError(f"git history {self.path}: could not update {BRANCH.decode()} (busy)")

    def read(self, hostname: str, commit: str | None = None) -> str | None:
        """The text of ``hostname``'s file at ``commit`` (default: the latest), or None."""
        if not (self.path / "objects").is_dir():
            return None
        repo = Repo(str(self.path))
        try:
            sha = cast("ObjectID", commit.encode()) if commit else repo.refs.as_dict().get(BRANCH)
            if sha is None:
                return None
            name = device_filename(hostname).encode()
            for entry in _tree(repo, sha).iteritems():
                blob = repo[entry.sha]
                if entry.path == name and isinstance(blob, Blob):
                    return blob.data.decode()
            return None
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


def _tree(repo: Repo, commit_sha: ObjectID) -> Tree:
    commit = repo[commit_sha]
    tree = repo[commit.tree] if isinstance(commit, Commit) else None
    if not isinstance(tree, Tree):
        raise DatabaseError(f"git history {repo.path}: {commit_sha.decode()} is not a commit")
    return tree
