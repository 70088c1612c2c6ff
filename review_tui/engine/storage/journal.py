"""One step, one transaction: every command that writes happens wholly or not at all.

A step (``with step(root, "deal"):``) holds the workspace lock from start to end, so two
steps on one workspace never interleave. Inside it nothing reaches its final place:

- store files stay in memory (the store reads them back from the step: read your writes);
- other files go to temp files beside their targets (``.name.tmp-<step id>-…``);
- audit records are collected, their sequence numbers and hashes already fixed;
- removals are noted.

When the block ends the step commits. Pending store files are written to temp files, then
the journal ``.step.json`` (fsync) lists every rename, audit line and removal: writing it is
the commit point. The journal is then applied (renames, audit appends, removals; each one
idempotent) and deleted.

Before the commit point the journal, if any, says ``open`` and names the folders outside
the workspace where temp files may lie. A kill before the commit point therefore leaves
temp files only, which the next step (or any command, :func:`recover`) removes; a kill after
it leaves a ``commit`` journal, which the next one applies again. An exception inside the
block rolls back the same way. A disk that is full, read-only or failing surfaces as one
:class:`~.errors.StoreError` naming the file, never as a traceback.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import functools
import os
import secrets
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, ParamSpec, TypeVar

from filelock import FileLock, Timeout

from review_tui.engine.errors import ConfigError, StoreError
from review_tui.engine.storage import json_codec
from review_tui.engine.storage.atomic import TEMP_MARK, fsync_dir, open_atomic, written_temp

JOURNAL_FILE = ".step.json"
LOCK_FILE = ".workspace.lock"
LOCK_TIMEOUT_SECONDS = 15.0
SWEPT_FOLDERS = ("", "scores", "queues", "submissions")

_current: contextvars.ContextVar[Step | None] = contextvars.ContextVar("step", default=None)
_locks: dict[str, FileLock] = {}
_locks_guard = threading.Lock()
_swept: set[str] = set()


def resolved(root: Path | str) -> Path:
    """``root`` made absolute with its links followed: once per absolute path in a process
    (a step asks for it at every store read and audit record: 2,000 score sheets made
    ~30,000 calls, a tenth of the import); a relative path, which depends on the current
    folder, every time."""
    found = _RESOLVED.get(root)
    if found is not None:
        return found
    path = Path(root)
    if not path.is_absolute():
        return path.resolve()
    if len(_RESOLVED) > 256:  # a long test run opens many workspaces
        _RESOLVED.clear()
    found = _RESOLVED[root] = path.resolve()
    return found


_RESOLVED: dict[Path | str, Path] = {}


def workspace_lock(root: Path) -> FileLock:
    """The one inter-process lock of the workspace at ``root`` (one object per process)."""
    key = str(resolved(root))
    with _locks_guard:
        lock = _locks.get(key)
        if lock is None:
            lock = _locks[key] = FileLock(os.path.join(key, LOCK_FILE),
                                          timeout=LOCK_TIMEOUT_SECONDS)
        return lock


def current_step(root: Path | None = None) -> Step | None:
    """The step running in this thread (on ``root``, when given), or None."""
    active = _current.get()
    if active is None or root is None:
        return active
    return active if active.root == resolved(root) else None


def disk_error(path: Path | str, exc: OSError) -> StoreError:
    """A write that failed (full disk, read-only, I/O error) as one message naming the file."""
    return StoreError("store.unwritable", path=str(path), reason=exc.strerror or str(exc))


class Step:
    """The pending writes of one step; see the module docstring."""

    def __init__(self, root: Path, name: str) -> None:
        self.root = root
        self.name = name
        self.id = secrets.token_hex(4)
        self.json_files: dict[Path, tuple[Any, bool]] = {}  # target → (data, durable)
        self.renames: dict[Path, Path] = {}  # target → temp (or a file in a scratch folder)
        self.removals: list[Path] = []
        self.prunes: list[Path] = []
        self.audit_lines: list[dict[str, Any]] = []
        self.audit_tail: tuple[str, int] | None = None
        self.role: str | None = None  # the role the step is taken in (see :mod:`..access.roles`)
        self.actor: str | None = None  # who takes it (:func:`.audit.current_actor`)
        self.folders: set[Path] = set()  # folders outside the workspace holding our temps
        self.scratch: list[Path] = []
        self.provisional: list[tuple[Path, str]] = []  # (folder, glob) removed on rollback
        self.journal_written = False
        self.committed = False  # the commit journal is on disk: roll forward, never back
        self.made_dirs: list[str] = []  # folders this step created (removed on rollback)

    # --- what the body of a step calls ------------------------------------------------------

    def put_json(self, path: Path, data: Any, *, durable: bool = True) -> None:
        """Keep a store file's new content until the commit."""
        earlier = self.json_files.get(path)
        self.json_files[path] = (data, durable or (earlier is not None and earlier[1]))

    def pending_json(self, path: Path) -> Any | None:
        entry = self.json_files.get(path)
        return None if entry is None else entry[0]

    def temp_for(self, path: Path) -> Path:
        """A fresh temp path beside ``path``, announced first if it lies outside the
        workspace (so a rollback after a kill can find it)."""
        path = Path(path).absolute()  # the journal is applied from any working folder
        self._announce(path.parent)
        return path.with_name(f".{path.name}{TEMP_MARK}{self.id}-{secrets.token_hex(3)}")

    def will_rename(self, temp: Path, target: Path) -> None:
        """Move ``temp`` to ``target`` at the commit (an older pending version is dropped)."""
        temp, target = Path(temp).absolute(), Path(target).absolute()
        older = self.renames.get(target)
        if older is not None and older != temp:
            with contextlib.suppress(OSError):
                older.unlink()
        self.renames[target] = temp

    def will_remove(self, path: Path) -> None:
        """Remove ``path`` (a file or a folder) once the step has committed."""
        self.removals.append(Path(path).absolute())

    def will_prune(self, folder: Path) -> None:
        """Remove ``folder`` after the removals, if they left it empty."""
        self.prunes.append(Path(folder).absolute())

    def scratch_folder(self, beside: Path) -> Path:
        """A fresh folder beside ``beside`` for work moved in at the commit, removed after."""
        name = f".scratch{TEMP_MARK}{self.id}-{secrets.token_hex(3)}"
        folder = Path(beside).absolute().parent / name
        self._announce(beside.parent, scratch=folder)
        folder.mkdir(parents=True)
        return folder

    def remove_on_rollback(self, folder: Path, pattern: str) -> None:
        """Files matching ``pattern`` in ``folder`` are this step's own: gone on rollback."""
        self.provisional.append((Path(folder).absolute(), pattern))
        self._write_journal("open")

    def add_audit(self, record: dict[str, Any]) -> None:
        self.audit_lines.append(record)

    @contextlib.contextmanager
    def savepoint(self) -> Iterator[None]:
        """A part of the step that is undone alone when it raises: what it put in the
        step (store files, renames, removals, audit records) is dropped, what came before
        stays, and the exception goes on. (One sheet of a batch refused, the others kept.)
        """
        files, renames = dict(self.json_files), dict(self.renames)
        removals, prunes = list(self.removals), list(self.prunes)
        audit, tail = list(self.audit_lines), self.audit_tail
        try:
            yield
        except BaseException:
            for target, temp in self.renames.items():  # this part's own temps
                if renames.get(target) != temp:
                    with contextlib.suppress(OSError):
                        temp.unlink()
            self.json_files, self.renames = files, renames
            self.removals, self.prunes = removals, prunes
            self.audit_lines, self.audit_tail = audit, tail
            raise

    # --- journal ----------------------------------------------------------------------------

    def _announce(self, folder: Path, scratch: Path | None = None) -> None:
        folder = resolved(folder)
        inside = folder == self.root or self.root in folder.parents
        changed = False
        if not inside and folder not in self.folders:
            self.folders.add(folder)
            changed = True
        if scratch is not None:
            self.scratch.append(scratch)
            changed = True
        if not folder.is_dir():
            missing = [folder, *(p for p in folder.parents if not p.is_dir())]
            self.made_dirs += [str(p) for p in missing]
            changed = True
        if changed:  # announced before anything is made, so a rollback after a kill finds it
            self._write_journal("open")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:  # /proc, a file where a folder should be, no permission
                raise disk_error(folder, exc) from exc

    def _journal_data(self, state: str) -> dict[str, Any]:
        return {
            "step": self.name, "id": self.id, "state": state,
            "folders": sorted(map(str, self.folders)),
            "scratch": [str(p) for p in self.scratch],
            "provisional": [[str(f), p] for f, p in self.provisional],
            "renames": [[str(temp), str(target)] for target, temp in self.renames.items()],
            "audit": self.audit_lines,
            "removals": [str(p) for p in self.removals],
            "prunes": [str(p) for p in self.prunes],
            "made_dirs": self.made_dirs,
        }

    def _write_journal(self, state: str) -> None:
        self.journal_written = True
        _write_file(self.root / JOURNAL_FILE,
                    json_codec.compact(self._journal_data(state)))

    def commit(self) -> None:
        """Write what is pending and apply it (see the module docstring)."""
        if not (self.json_files or self.renames or self.removals or self.audit_lines):
            if self.journal_written:  # a provisional file or scratch folder to remove
                self.rollback()
            return
        if len(self.json_files) == 1 and not (self.renames or self.removals or self.audit_lines
                                              or self.journal_written):
            # One file and nothing else: its atomic rename is the whole transaction.
            (path, (data, durable)), = self.json_files.items()
            _write_file(path, json_codec.compact(data), durable=durable)
            return
        for path, (data, durable) in self.json_files.items():
            temp = self.temp_for(path)
            _write_file(temp, json_codec.compact(data), durable=durable, atomic=False)
            self.will_rename(temp, path)
        self._write_journal("commit")  # the commit point
        self.committed = True
        try:
            apply_journal(self.root, self._journal_data("commit"))
        except OSError as exc:  # decided, not yet all in place: the next command finishes it
            raise StoreError("step.unfinished", path=str(exc.filename or self.root),
                             reason=exc.strerror or str(exc)) from exc

    def rollback(self) -> None:
        """Remove every temp file and scratch folder of this step; the journal goes last."""
        _roll_back(self.root, self._journal_data("open"), self.id)


def _write_file(path: Path, data: bytes, *, durable: bool = True, atomic: bool = True) -> None:
    """Write ``data`` to ``path`` (through a temp file and a rename when ``atomic``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    opened = open_atomic(path, durable=durable, staged=False) if atomic else written_temp(
        path, path, durable=durable)
    with opened as handle:
        handle.write(data)


def _resolve(root: Path, name: str) -> Path:
    path = Path(name)
    return path if path.is_absolute() else root / path


def apply_journal(root: Path, journal: dict[str, Any]) -> None:
    """Apply a committed journal; safe to run again after a kill at any point."""
    folders = set()
    for temp, target in journal["renames"]:
        temp_path, target_path = _resolve(root, temp), _resolve(root, target)
        if temp_path.exists():
            target_path.parent.mkdir(parents=True, exist_ok=True)
            os.replace(temp_path, target_path)
            folders.add(target_path.parent)
    for folder in folders:
        fsync_dir(folder)
    if journal["audit"]:
        _append_audit(root, journal["audit"])
    for removal in journal["removals"]:
        _remove(_resolve(root, removal))
    for folder in journal.get("prunes", []):
        with contextlib.suppress(OSError):
            _resolve(root, folder).rmdir()
    for scratch in journal["scratch"]:
        shutil.rmtree(scratch, ignore_errors=True)
    with contextlib.suppress(FileNotFoundError):
        (root / JOURNAL_FILE).unlink()
    fsync_dir(root)


def _append_audit(root: Path, records: list[dict[str, Any]]) -> None:
    """Append the records the log does not hold yet (a kill may have cut one short)."""
    from review_tui.engine.storage.audit import AUDIT_FILE, canonical

    path = root / AUDIT_FILE
    last_seq = 0
    if path.exists():
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):  # a line of ours, cut by a kill: write it again
            data = data[:data.rfind(b"\n") + 1]
            with open(path, "r+b") as handle:
                handle.truncate(len(data))
        tail = data.rstrip(b"\n").rsplit(b"\n", 1)[-1]
        with contextlib.suppress(ValueError, KeyError, TypeError):
            last_seq = int(json_codec.loads(tail)["seq"]) if tail else 0
    lines = b"".join(canonical(r) + b"\n" for r in records if r["seq"] > last_seq)
    if not lines:
        return
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, lines)
        os.fsync(fd)
    finally:
        os.close(fd)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _roll_back(root: Path, journal: dict[str, Any], step_id: str) -> None:
    for folder in [root / name for name in SWEPT_FOLDERS] + [Path(f) for f in
                                                              journal["folders"]]:
        _remove_temps(folder, f"*{TEMP_MARK}{step_id}-*")
    for temp, _target in journal["renames"]:
        with contextlib.suppress(OSError):
            _resolve(root, temp).unlink()
    for scratch in journal["scratch"]:
        shutil.rmtree(scratch, ignore_errors=True)
    for folder, pattern in journal["provisional"]:
        _remove_temps(Path(folder), pattern)
    for folder in sorted(journal.get("made_dirs", []), key=len, reverse=True):
        with contextlib.suppress(OSError):
            Path(folder).rmdir()
    with contextlib.suppress(FileNotFoundError):
        (root / JOURNAL_FILE).unlink()


def _remove_temps(folder: Path, pattern: str) -> None:
    with contextlib.suppress(OSError):
        for leftover in folder.glob(pattern):
            _remove(leftover)


def recover(root: Path, *, wait: bool = True) -> str | None:
    """Finish (roll forward) or undo (roll back) a step a kill interrupted, and remove temp
    files left by a killed writer. Returns ``"forward"``, ``"back"`` or None.

    With ``wait=False`` a workspace busy with another step is left alone.
    """
    root = resolved(root)
    if not (root / JOURNAL_FILE).exists() and str(root) in _swept:
        return None
    if not root.is_dir():
        return None
    lock = workspace_lock(root)
    try:
        lock.acquire(timeout=LOCK_TIMEOUT_SECONDS if wait else 0)
    except Timeout as exc:
        if wait:
            raise StoreError("store.busy", path=str(root)) from exc
        return None
    try:
        return _recover_locked(root)
    finally:
        lock.release()


def _recover_locked(root: Path) -> str | None:
    outcome = None
    journal_path = root / JOURNAL_FILE
    if journal_path.exists():
        try:
            journal = json_codec.loads(journal_path.read_bytes())
        except (OSError, ValueError):  # torn before its rename: it was never written
            journal = None
        if journal is None or not isinstance(journal, dict):
            journal_path.unlink(missing_ok=True)
        elif journal.get("state") == "commit":
            try:
                apply_journal(root, journal)
            except OSError as exc:
                raise disk_error(root, exc) from exc
            outcome = "forward"
        else:
            _roll_back(root, journal, str(journal.get("id")))
            outcome = "back"
    if str(root) not in _swept:
        for folder in SWEPT_FOLDERS:  # temps of a killed single-file write (no journal)
            _remove_temps(root / folder, f".*{TEMP_MARK}*")
        _swept.add(str(root))
    return outcome


@contextlib.contextmanager
def step(root: Path | str, name: str) -> Iterator[Step]:
    """Run a block as one transaction on the workspace at ``root``; nested steps join."""
    root_path = resolved(root)
    active = current_step(root_path)
    if active is not None:
        yield active
        return
    if not root_path.is_dir():  # a mistyped --workspace: no folder made, no lock left
        raise ConfigError("config.no_committee", path=str(root))
    lock = workspace_lock(root_path)
    try:
        lock.acquire()
    except Timeout as exc:
        raise StoreError("store.busy", path=str(root_path)) from exc
    token = _current.set(Step(root_path, name))
    current = _current.get()
    assert current is not None
    try:
        _recover_locked(root_path)
        try:
            yield current
        except BaseException as exc:
            if current.journal_written or current.renames:
                current.rollback()
            if isinstance(exc, OSError) and exc.errno in DISK_ERRORS:
                raise disk_error(exc.filename or root_path, exc) from exc
            raise
        try:
            current.commit()
        except BaseException:
            if not current.committed:
                current.rollback()
            raise
    finally:
        _current.reset(token)
        lock.release()


P = ParamSpec("P")
R = TypeVar("R")


def transaction(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make an engine function whose first argument is the workspace one :func:`step`."""
    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            with step(args[0].root, name):  # type: ignore[attr-defined]
                return function(*args, **kwargs)
        return run
    return decorate


DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EACCES, errno.EPERM,
               errno.EFBIG}


@contextlib.contextmanager
def staged_write(path: Path, *, durable: bool = True) -> Iterator[IO[bytes]]:
    """Inside a step: write ``path``'s new content to a temp file moved in at the commit."""
    active = current_step()
    assert active is not None
    temp = active.temp_for(path)
    with written_temp(temp, path, durable=durable) as handle:
        yield handle
    active.will_rename(temp, Path(path).absolute())
