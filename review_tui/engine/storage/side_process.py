"""Many independent files written by a second process beside the step's own work.

An export at conference scale writes thousands of files that need nothing from each other
(a 函稿 to each of 10,000 agencies, a 評分表 to each of 2,000 reviewers) and is otherwise one
processor's work. :func:`beside` forks a child that writes those, from the first, while the
step goes on with the rest; where the block ends the step writes them too, from the last,
until the two meet, and waits for the child; the child's failure is raised there as it was
raised in the child (a full disk is the same message). The two claim jobs through a shared
page without a lock, so the job where they meet may be done by both: a job must write the
same bytes each time it runs (an export's files do; the second write leaves the same whole
file). The child writes only into folders the step made, inside the step's scratch folder,
so the journal keeps the step all or nothing: if the step is killed, the child stops before
its next file (its parent has gone) and the next command removes the scratch folder as
before.

:func:`computed_beside` forks in the same way for one answer computed beside the step (the
audit log's check, beside a commit's tally or an unseal's key derivation), sent back
pickled.

It forks only where that is safe and worth it: a system with ``fork`` and two processors,
no other thread running in this process (a thread holding a lock when it forks would leave
the child stuck: the app's workers run steps in threads, so the app writes in one
process), at most :data:`MAX_HELD_MB` held in this process (the two would hold nearly
twice that), and at least :data:`MIN_JOBS` files. Else the files are written here, first.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import pickle
import signal
import struct
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from review_tui.engine.errors import ReviewError

MIN_JOBS = 200
# A child copies the pages it touches of what its parent holds (reference counts are
# written), and builds its own documents: an export at 20,000 entries held 260 MB when it
# forked, and the two processes then held 490 MB (690 MB at 29,000) against 311 MB in
# one process, for a fifth of its time. Above this a step works in one process.
MAX_HELD_MB = 200
T = TypeVar("T")


def can_fork(jobs: int) -> bool:
    """Whether :func:`beside` would give ``jobs`` files to a second process."""
    return jobs >= MIN_JOBS and _fork_is_safe()


def _fork_is_safe() -> bool:
    """A system with ``fork`` and two processors, no other thread in this process, and
    little held in it (:data:`MAX_HELD_MB`)."""
    return (hasattr(os, "fork") and (os.cpu_count() or 1) > 1
            and threading.active_count() == 1 and _resident_mb() <= MAX_HELD_MB)


def _resident_mb() -> float:
    """What this process holds in memory now, in MB (its peak where that cannot be read)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextlib.contextmanager
def beside(jobs: Sequence[Callable[[], Any]]) -> Iterator[None]:
    """Run ``jobs`` in a child process while the block runs, and wait for it at the
    block's end (or run them here, before the block, where :func:`can_fork` says no)."""
    if not can_fork(len(jobs)):
        for job in jobs:
            job()
        yield
        return
    reader, writer = os.pipe()
    parent = os.getpid()
    claims = _Claims(len(jobs))
    child = os.fork()
    if child == 0:  # pragma: no cover - the child ends in os._exit, coverage never sees it
        os.close(reader)
        _run_child(jobs, claims, writer, parent)
    os.close(writer)
    try:
        yield
        while (number := claims.last()) is not None:  # the step helps, from the end
            jobs[number]()
    except BaseException:
        with contextlib.suppress(ProcessLookupError):
            os.kill(child, signal.SIGKILL)
        _collect(reader, child)
        raise
    failure = _collect(reader, child)
    if failure is not None:
        raise failure


class _Claims:
    """The next job from the front (the child's) and the first one taken from the back
    (the step's), in a page both processes share after the fork."""

    def __init__(self, count: int) -> None:
        self._page = mmap.mmap(-1, 16)
        self._page[:16] = struct.pack("<qq", 0, count)

    def first(self) -> int | None:
        """The child's next job, or None once it meets the step's."""
        front, back = struct.unpack("<qq", self._page[:16])
        if front >= back:
            return None
        self._page[:8] = struct.pack("<q", front + 1)
        return int(front)

    def last(self) -> int | None:
        """The step's next job from the back, or None once it meets the child's."""
        front, back = struct.unpack("<qq", self._page[:16])
        if back - 1 < front:
            return None
        self._page[8:16] = struct.pack("<q", back - 1)
        return int(back - 1)


@contextlib.contextmanager
def computed_beside(function: Callable[[], T]) -> Iterator[Callable[[], T]]:
    """Compute ``function()`` in a child process while the block runs. The block gets a
    callable that returns the result, waiting for the child, or raises what the child
    raised (after the block too; a block that fails stops the child). Where a fork is
    not safe (see the module), it is computed here when first asked for. The result
    comes back pickled: for a small answer (the audit log's check), not for data.

    A commit checks 4,000 signatures beside its tally this way. Ed25519 lets go of the
    interpreter, yet on a thread beside the tally's Python the two took turns for it and
    both slowed (the tally's reading doubled)."""
    if not _fork_is_safe():
        kept: list[T] = []

        def here() -> T:
            if not kept:
                kept.append(function())
            return kept[0]

        yield here
        return
    reader, writer = os.pipe()
    parent = os.getpid()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child ends in os._exit, coverage never sees it
        os.close(reader)
        _compute_in_child(function, writer, parent)
    os.close(writer)
    outcome: list[tuple[Any, BaseException | None]] = []  # (answer, or what was raised)

    def receive() -> None:
        if not outcome:
            try:
                outcome.append((_received(reader, child), None))
            except BaseException as error:  # kept, to be raised whenever it is asked for
                outcome.append((None, error))

    def result() -> T:
        receive()
        value, error = outcome[0]
        if error is not None:
            raise error
        return value  # type: ignore[no-any-return]

    try:
        yield result
    except BaseException:
        if not outcome:  # the block failed first: the child's answer is not wanted
            with contextlib.suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
            _collect(reader, child)
        raise
    receive()  # the child is waited for here, asked or not


def _compute_in_child(function: Callable[[], Any], writer: int, parent: int) -> None:
    """Send ``function()`` pickled and exit 0, or send what it raised and exit 1."""
    try:
        payload, code = pickle.dumps(function()), 0
    except BaseException as error:  # every failure goes to the parent, to be raised there
        payload, code = _pickled_failure(error), 1
    if os.getppid() == parent:
        with contextlib.suppress(OSError):
            view = memoryview(payload)
            while view:
                view = view[os.write(writer, view):]
    os._exit(code)


def _received(reader: int, child: int) -> Any:
    """What the child computed; what it raised is raised here."""
    payload, code = _ended(reader, child)
    if code == 0 and payload:
        return pickle.loads(payload)
    raise _failure(payload, code)


def _run_child(jobs: Sequence[Callable[[], Any]], claims: _Claims, writer: int,
               parent: int) -> None:
    """Write the files; exit 0, or send what was raised and exit 1. Never returns."""
    code = 0
    try:
        while (number := claims.first()) is not None:
            if os.getppid() != parent:  # the step was killed: write nothing more
                os._exit(1)
            jobs[number]()
    except BaseException as error:  # every failure goes to the parent, to be raised there
        code = 1
        with contextlib.suppress(OSError):
            os.write(writer, _pickled_failure(error))
    os._exit(code)


def _pickled_failure(error: BaseException) -> bytes:
    """What a child raised, for its parent to raise (a failed worker, when it cannot be
    pickled)."""
    try:
        return pickle.dumps(error)
    except Exception:
        return pickle.dumps(ReviewError("export.worker_failed", reason=repr(error)))


def _collect(reader: int, child: int) -> BaseException | None:
    """Read what the child sent until it ended, and wait for it: what it raised, or a
    failure when it was killed; None when it wrote every file."""
    payload, code = _ended(reader, child)
    return None if code == 0 else _failure(payload, code)


def _ended(reader: int, child: int) -> tuple[bytes, int]:
    """Everything the child sent, read until it ended, and its exit status."""
    chunks = []
    with os.fdopen(reader, "rb") as pipe:
        while chunk := pipe.read(65536):
            chunks.append(chunk)
    _, status = os.waitpid(child, 0)
    return b"".join(chunks), os.waitstatus_to_exitcode(status)


def _failure(payload: bytes, code: int) -> BaseException:
    """What the child raised (sent pickled), or a failure naming its exit status."""
    if payload:
        with contextlib.suppress(Exception):
            sent = pickle.loads(payload)
            if isinstance(sent, BaseException):
                return sent
    return ReviewError("export.worker_failed", reason=f"exit status {code}")
