"""Crash-safe file writes: temp file in the same folder, fsync, rename, fsync the folder.

A reader (or a process that starts after a crash) sees either the old file or the new one,
never a torn one.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from review_tui.engine.storage import json_codec

TEMP_MARK = ".tmp-"


def temp_name(path: Path) -> Path:
    """Return a fresh temp path beside ``path`` that :func:`clean_temp_files` recognises."""
    return path.with_name(f".{path.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")


def fsync_dir(folder: Path) -> None:
    """Make a rename inside ``folder`` durable (a no-op where the OS cannot open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_bytes_atomic(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically; with ``durable`` also survive a power cut."""
    with open_atomic(path, durable=durable) as handle:
        handle.write(data)


@contextlib.contextmanager
def written_temp(temp: Path, target: Path, *, durable: bool = True) -> Iterator[IO[bytes]]:
    """Write ``target``'s new content to ``temp`` (fsynced with ``durable``); on any error
    ``temp`` is removed, and a write refused by the system (full disk, no such folder,
    read only …) becomes one message naming ``target``."""
    from review_tui.engine.storage.journal import disk_error

    refuse_folder(target)
    try:
        with open(temp, "wb") as handle:
            yield handle
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
    except BaseException as exc:
        with contextlib.suppress(OSError):
            temp.unlink()
        if isinstance(exc, OSError):
            raise disk_error(target, exc) from exc
        raise


def refuse_folder(target: Path) -> None:
    """A target that is a folder is refused before anything is written: the rename that
    would put the file there fails, and inside a step it would fail after the commit."""
    from review_tui.engine.storage.journal import disk_error

    if Path(target).is_dir():
        raise disk_error(target, IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR)))


@contextlib.contextmanager
def open_atomic(path: Path, *, durable: bool = True,
                staged: bool = True) -> Iterator[IO[bytes]]:
    """Write a file in pieces; it appears at ``path`` only if the block ends without an
    error (otherwise the temp file is removed and ``path`` is unchanged).

    Inside a step (:mod:`.journal`) the file appears only when the step commits, unless
    ``staged`` is False (a file the step reads back before it ends, removed on rollback by
    the step's own bookkeeping).
    """
    from review_tui.engine.storage.journal import (
        DISK_ERRORS,
        current_step,
        disk_error,
        staged_write,
    )

    if staged and current_step() is not None:
        with staged_write(path, durable=durable) as handle:
            yield handle
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise disk_error(path, exc) from exc
    tmp = temp_name(path)
    with written_temp(tmp, path, durable=durable) as handle:
        yield handle
    try:
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if exc.errno in DISK_ERRORS:
            raise disk_error(path, exc) from exc
        raise
    if durable:
        fsync_dir(path.parent)


def write_json_atomic(path: Path, data: Any, *, durable: bool = True) -> None:
    """``data`` as compact JSON (:func:`.json_codec.compact`), written with
    :func:`write_bytes_atomic`."""
    write_bytes_atomic(path, json_codec.compact(data), durable=durable)
