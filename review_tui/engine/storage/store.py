"""The only module that touches TinyDB.

The workspace holds one TinyDB JSON file per concern (``entries.json``, ``agencies.json`` …).
Writers take that file's lock, work on it in memory and, when the transaction ends without an
error, replace the file atomically (see :mod:`.atomic`). Readers take no lock: a rename is
atomic, so they always see a whole file. A file that is not valid JSON is reported by name.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Hashable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from tinydb import Query, TinyDB
from tinydb.storages import Storage

from review_tui.engine.errors import StoreError
from review_tui.engine.storage import json_codec
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import current_step, resolved, step


@bulk_step  # parsing a 20,000-entry file makes a million containers
def _load_json_document(path: Path) -> dict[str, Any] | None:
    """Read a TinyDB file; ``None`` when it does not exist; StoreError when it is damaged."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError("store.unreadable", path=str(path), reason=str(exc)) from exc
    if not raw.strip():
        return None
    try:
        data = json_codec.loads(raw)
    except json_codec.DecodeError as exc:
        raise StoreError("store.corrupt", path=str(path), reason=str(exc)) from exc
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise StoreError("store.corrupt", path=str(path), reason="not a table map")
    return data


# Store files parsed ahead of the step that reads them (:meth:`Store.read_ahead`): each
# path's version when it was parsed, what was parsed, and whether every reader that copies
# what it returns may take it (else the first reader does).
_AHEAD: dict[Path, tuple[tuple[int, int, int, int], dict[str, Any], bool]] = {}


def forget_read_ahead() -> None:
    """Drop whatever was read ahead and not taken (at the end of a command)."""
    _AHEAD.clear()


def _version_or_none(path: Path) -> tuple[int, int, int, int] | None:
    try:
        return file_version(path)
    except OSError:
        return None


def _read_document(path: Path, *, copy: bool = True) -> dict[str, Any] | None:
    """A store file as the running step sees it: its pending version, else the file (as
    read ahead, if it was and has not changed since: :meth:`Store.read_ahead`).
    ``copy=False`` hands over the pending version itself, to a reader that copies the
    rows it returns (:meth:`Store.tables`)."""
    active = current_step()
    pending = active.pending_json(path) if active is not None else None
    if pending is not None and not copy:
        return pending  # type: ignore[no-any-return]
    if pending is not None:  # a copy down to the rows: a failed transaction changes nothing
        return {table: {key: dict(row) for key, row in rows.items()}
                for table, rows in pending.items()}
    if _AHEAD:
        ahead = _AHEAD.get(path)
        if ahead is not None and (copy or not ahead[2]):
            del _AHEAD[path]  # handed over: the reader owns it, as a parse of its own
        if ahead is not None and _version_or_none(path) == ahead[0]:
            return ahead[1]
    return _load_json_document(path)


def file_version(path: Path) -> tuple[int, int, int, int]:
    """A version of the file at ``path``: its inode, size, and modification and change
    times in nanoseconds. Every write replaces a file by a rename (a new inode), so a file
    written since cannot match all four; a cache of what was parsed from it keys on this."""
    info = path.stat()
    return info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns


# (file, what was derived from it) → (the file's version then, the value): see
# :meth:`Store.per_version`.
_DERIVED: dict[tuple[Path, Hashable], tuple[tuple[int, int, int, int], Any]] = {}
T = TypeVar("T")


def rows_by_id(docs: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """A table as a store file holds it: each document under its id, 1, 2, …"""
    return {str(doc_id): dict(doc) for doc_id, doc in enumerate(docs, start=1)}


class BufferedJSONStorage(Storage):
    """TinyDB storage that reads a file once and writes only when :meth:`flush` is called.

    Keeping writes in memory until the transaction ends makes a transaction all-or-nothing:
    an exception half-way leaves the file as it was.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._data: dict[str, Any] | None = None
        self._loaded = False
        self.dirty = False

    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self._data = _read_document(self.path)
            self._loaded = True
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        self._data = data
        self._loaded = True
        self.dirty = True

    def flush(self, *, durable: bool = True) -> None:
        """Hand the buffered tables to the running step, if anything changed (the step
        writes them at its commit)."""
        active = current_step()
        if self.dirty and self._data is not None and active is not None:
            active.put_json(self.path, self._data, durable=durable)
            self.dirty = False

    def close(self) -> None:
        """Nothing to release: the file is only open inside :meth:`flush`."""


class Transaction:
    """Bulk operations on the tables of one file, each linear in the table size."""

    def __init__(self, db: TinyDB) -> None:
        self._db = db

    def rows(self, table: str = "_default") -> list[dict[str, Any]]:
        return [dict(doc) for doc in self._db.table(table).all()]

    def upsert_many(self, table: str, docs: list[dict[str, Any]], key: str) -> None:
        """Insert or replace documents, matched on the value of field ``key``.

        New documents get ids after the highest. The table is rewritten as one dict, not
        document by document through TinyDB (a fifth of a second at 20,000 entries).
        """
        rows = dict(self._table_data(table))
        index = {row.get(key): doc_id for doc_id, row in rows.items()}
        next_id = max((int(doc_id) for doc_id in rows), default=0) + 1
        for doc in docs:
            doc_id = index.get(doc[key])
            if doc_id is None:
                doc_id = index[doc[key]] = str(next_id)
                next_id += 1
            rows[doc_id] = dict(doc)
        self._write_table(table, rows)

    def upsert(self, table: str, doc: dict[str, Any], key: str) -> None:
        self._db.table(table).upsert(doc, Query()[key] == doc[key])

    def replace_all(self, table: str, docs: list[dict[str, Any]]) -> None:
        """Make ``docs`` the whole table (ids 1, 2, …), written as one dict, not doc by doc."""
        self._write_table(table, rows_by_id(docs))

    def _table_data(self, table: str) -> dict[str, dict[str, Any]]:
        return (self._db.storage.read() or {}).get(table, {})

    def _write_table(self, table: str, rows: dict[str, dict[str, Any]]) -> None:
        self._db.drop_table(table)  # also forgets TinyDB's cached view (its next id)
        data = self._db.storage.read() or {}
        data[table] = rows
        self._db.storage.write(data)


class Store:
    """The workspace's TinyDB files, one per concern."""

    def __init__(self, workspace: Path) -> None:
        self.workspace = Path(workspace)
        self._root = resolved(self.workspace)  # pending files are keyed by absolute path
        self._paths: dict[str, Path] = {}

    @property
    def root(self) -> Path:
        """The workspace's folder, absolute, its links followed."""
        return self._root

    def path(self, name: str) -> Path:
        """The file of store ``name`` (made once: a sheet's import asks for it 7 times)."""
        found = self._paths.get(name)
        if found is None:
            found = self._paths[name] = self._root / f"{name}.json"
        return found

    @contextmanager
    def write(self, name: str, *, durable: bool = True,
              fresh: bool = False) -> Iterator[Transaction]:
        """Open ``name`` for writing; its new content is part of the running step (one
        is started for this block alone when none runs) and reaches the disk at its commit.

        ``fresh`` starts from an empty file instead of reading the old one, for a block that
        replaces every table (the seal rewrites a 20,000-entry file it need not parse).
        """
        with step(self._root, f"write:{name}"):
            storage = BufferedJSONStorage(self.path(name))
            if fresh:
                storage.write({})
            db = TinyDB(storage=lambda: storage)
            storage.read()
            yield Transaction(db)
            storage.flush(durable=durable)

    def fingerprint(self, *folders: str) -> int:
        """Changes whenever a store file here (or in ``folders``) is written: a cheap stat of
        each file, so a screen can refresh only when something changed."""
        stamps = []
        for folder in ("", *folders):
            try:
                with os.scandir(self.workspace / folder) as entries:
                    stamps += [(e.name, e.stat().st_mtime_ns, e.stat().st_size)
                               for e in entries if e.name.endswith(".json")]
            except FileNotFoundError:
                continue
        return hash(tuple(sorted(stamps)))

    def table_rows(self, name: str, table: str = "_default") -> list[dict[str, Any]]:
        """All documents of one table, as plain dicts, in insertion order."""
        return self.tables(name, table)[table]

    def small_table_rows(self, name: str, table: str) -> list[dict[str, Any]]:
        """:meth:`table_rows` of a small table in a large file (the deal's one-row ``meta``
        beside its queues), parsed once per version of the file (:func:`file_version`) in
        this process. A step with the file pending reads it as usual.
        """
        rows = self.per_version(name, ("rows", table), lambda: self.table_rows(name, table))
        return [dict(row) for row in rows]

    def version(self, name: str) -> tuple[int, int, int, int] | None:
        """The version of store ``name``'s file now (:func:`file_version`); None when it
        cannot be looked at."""
        return _version_or_none(self.path(name))

    def per_version(self, name: str, key: Hashable, compute: Callable[[], T], *,
                    version: tuple[int, int, int, int] | None = None) -> T:
        """``compute()``, a value derived from store ``name`` (``key`` names which), kept
        per version of its file (:func:`file_version`: a file written since cannot match
        it) in this process; computed afresh while a step has the file pending, or when
        the file cannot be looked at. ``version``: the file's version taken before the
        caller read what ``compute`` derives from (a file replaced since is another
        version). The caller must not change what it is handed."""
        path = self.path(name)
        active = current_step()
        if active is not None and active.pending_json(path) is not None:
            return compute()
        if version is None:
            try:
                version = file_version(path)
            except OSError:
                return compute()
        cached = _DERIVED.get((path, key))
        if cached is None or cached[0] != version:
            cached = _DERIVED[path, key] = (version, compute())
        return cached[1]

    def read_ahead(self, names: Iterable[str], *, shared: Collection[str] = ()) -> int:
        """Parse these store files now, for the next read of each to take, once and only if
        the file is still the one parsed (:func:`file_version`: every write renames a new
        file in). For a wait that leaves the interpreter free, as the derivation of a
        credential's key does: reading beside it, a step's reads cost nothing. A file
        named in ``shared`` is left for every read that copies what it returns
        (:meth:`tables`) until :func:`forget_read_ahead`: a file a step reads more than
        once. A file that cannot be read is left for the step, which says why. Returns
        how many were read."""
        count = 0
        for name in names:
            path = self.path(name)
            version = _version_or_none(path)  # before the read: a file replaced since the
            if version is None:               # stat has a newer version than this one
                continue
            try:
                data = _load_json_document(path)
            except StoreError:
                continue
            if data is not None:
                _AHEAD[path] = (version, data, name in shared)
                count += 1
        return count

    def names_in(self, folder: str) -> list[str]:
        """The store files directly in ``folder`` of the workspace (``scores/J01`` …)."""
        try:
            with os.scandir(self.workspace / folder) as entries:
                return sorted(f"{folder}/{e.name[:-5]}" for e in entries
                              if e.name.endswith(".json") and e.is_file())
        except OSError:
            return []

    def tables(self, name: str, *tables: str) -> dict[str, list[dict[str, Any]]]:
        """Several tables of one file from a single read (a large file is parsed once)."""
        data = _read_document(self.path(name), copy=False) or {}  # each row copied here
        out = {}
        for table in tables:
            rows = data.get(table, {})
            out[table] = [dict(rows[key]) for key in sorted(rows, key=int)]
        return out
