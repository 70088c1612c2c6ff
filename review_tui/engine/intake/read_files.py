"""Read the files a manifest names, on every core, straight into the workspace's packs.

Reading is the heavy part of an import: a .docx is unzipped and parsed, every text is
counted and searched for the writers' names. The rows are cut into batches; each batch is
read by one worker process (or in this process when the import is small) and its files and
texts are written to a pack of its own (``submissions/import-<token>-<batch>.pack``), so
only the facts travel back, not the bytes. A pack is written durably before the store
that refers to it; a pack nothing refers to (a crash, a re-import of unchanged rows) is
removed by the import or, at the latest, with the rest of the plaintext at seal.

Workers are started with ``spawn`` (a fork of a process with threads, such as the terminal
app, can deadlock), which imports the main module again: a script that imports manifests
must keep its work under ``if __name__ == "__main__":``, as multiprocessing asks.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import secrets
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.entry_file import Submission, read_submission
from review_tui.engine.intake.paths import FileProblem, ManifestFolder, read_limited
from review_tui.engine.intake.photos import Photo, clean_photo
from review_tui.engine.model import Author, Problem
from review_tui.engine.storage.atomic import open_atomic
from review_tui.engine.storage.gc_pause import collector_paused

# Rough cost of reading one file, to decide whether worker processes pay for their start-up
# (~0.2 s each): a .docx is unzipped and parsed, a .txt only decoded.
SECONDS_PER_DOCX = 0.008
SECONDS_PER_OTHER = 0.00015
WORKERS_PAY_FROM_SECONDS = 1.0
MAX_WORKERS = 8
BATCHES_PER_WORKER = 4
READERS_VARIABLE = "REVIEW_TUI_READERS"


@dataclass(frozen=True)
class FileJob:
    """One row's file: as typed in the manifest, and the identities its text must not show."""

    relative: str
    authors: list[Author]
    agencies: list[str]
    photos: tuple[str, ...] = ()  # photo files, as typed in the manifest


@dataclass(frozen=True)
class ReadFile:
    """A file read and packed: where its bytes and text lie, and what the rules judge."""

    pack: str  # relative to the workspace
    suffix: str
    stored_at: list[int]
    text_at: list[int]
    content_hash: str
    facts: dict[str, Any]
    photos: tuple[dict[str, Any], ...] = ()  # each: file, suffix, at, sha256, width, height
    photo_problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked: int


Batch = tuple[Path, Path, Path, list[FileJob], Limits]  # root, pack, manifest folder, jobs
BatchResult = tuple[list[ReadFile | Problem], Path | None]  # and the pack, if one was needed


class FileReader:
    """Reads files as their rows are parsed: in batches, in worker processes when it pays.

    Use as a context manager; :meth:`add` each job, then :meth:`results`. Leaving the block
    on an error stops the workers and removes every pack this reader wrote.
    """

    def __init__(self, workspace_root: Path, pack_folder: Path, manifest_folder: Path,
                 limits: Limits, planned: list[str]) -> None:
        """``planned`` names every file the manifest lists (to choose how many workers)."""
        self._root, self._folder, self._limits = workspace_root, manifest_folder, limits
        self._pack_folder, self._token = pack_folder, secrets.token_hex(6)
        workers = worker_count(planned)
        self.batch_size = max(1, -(-len(planned) // (workers * BATCHES_PER_WORKER))
                              if workers else len(planned))
        self._pool = (ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(
            "spawn")) if workers else None)  # never fork a process with threads
        self._pending: list[FileJob] = []
        self._batches: list[Future[BatchResult] | Batch] = []
        self._packs: list[Path] = []

    def __enter__(self) -> FileReader:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=kind is not None)
        if kind is not None:
            for pack in self._packs:
                pack.unlink(missing_ok=True)

    def remove_packs_on_rollback(self) -> None:
        """Tell the running step that this reader's packs are its own (see
        :mod:`..storage.journal`)."""
        from review_tui.engine.storage.journal import current_step

        active = current_step()
        if active is not None:
            active.remove_on_rollback(self._pack_folder, f"import-{self._token}-*.pack")

    def add(self, job: FileJob) -> None:
        self._pending.append(job)
        if len(self._pending) >= self.batch_size:
            self._submit()

    def _submit(self) -> None:
        pack = self._pack_folder / f"import-{self._token}-{len(self._batches):03d}.pack"
        self._packs.append(pack)
        batch: Batch = (self._root, pack, self._folder, self._pending, self._limits)
        self._pending = []
        self._batches.append(self._pool.submit(_read_batch, *batch) if self._pool else batch)

    def results(self, progress: Callable[[int], None] | None = None,
                ) -> tuple[list[ReadFile | Problem], list[Path]]:
        """One result per job, in the order added, and the packs written.

        ``progress`` is told how many jobs are done after each batch.
        """
        if self._pending:
            self._submit()
        results: list[ReadFile | Problem] = []
        packs: list[Path] = []
        for batch in self._batches:
            try:
                done, pack = batch.result() if isinstance(batch, Future) else _read_batch(*batch)
            except BrokenProcessPool as exc:
                raise ReviewError("import.workers_failed", reason=str(exc)) from exc
            results += done
            packs += [pack] if pack else []
            if progress:
                progress(len(results))
        return results, packs


def worker_count(files: list[str]) -> int:
    """How many worker processes to read ``files`` with; 0 reads them in this process.

    ``REVIEW_TUI_READERS`` overrides the choice (0: never start workers).
    """
    chosen = os.environ.get(READERS_VARIABLE, "").strip()
    if chosen.isdigit():
        return min(int(chosen), MAX_WORKERS, len(files))
    cores = os.cpu_count() or 1
    seconds = sum(SECONDS_PER_DOCX if name.strip().lower().endswith(".docx")
                  else SECONDS_PER_OTHER for name in files)
    if cores < 2 or seconds < WORKERS_PAY_FROM_SECONDS:
        return 0
    return min(cores, MAX_WORKERS, max(1, int(seconds / WORKERS_PAY_FROM_SECONDS)) + 1)


def _read_batch(workspace_root: Path, pack: Path, manifest_folder: Path, jobs: list[FileJob],
                limits: Limits) -> BatchResult:
    """Read one batch into one pack (written durably); no pack when no file could be read."""
    with collector_paused():
        folder = ManifestFolder(manifest_folder)
        read: list[Submission | Problem] = [
            read_submission(folder, job.relative, max_bytes=limits.max_bytes,
                            max_unpacked=limits.max_unpacked, authors=job.authors,
                            agencies=job.agencies) for job in jobs]
        if not any(isinstance(item, Submission) for item in read):
            return [item for item in read if not isinstance(item, Submission)], None
        relative = pack.relative_to(workspace_root).as_posix()
        results: list[ReadFile | Problem] = []
        offset = 0
        with open_atomic(pack, staged=False) as handle:  # read back before the step ends
            for job, item in zip(jobs, read, strict=True):
                if not isinstance(item, Submission):
                    results.append(item)
                    continue
                text = "\n".join(item.paragraphs).encode("utf-8")
                handle.write(item.data)
                handle.write(text)
                start = offset
                offset += len(item.data) + len(text)
                photos, problems = [], []
                for name, photo in read_photos(folder, job.photos, limits.max_bytes):
                    if isinstance(photo, Photo):
                        handle.write(photo.data)
                        photos.append({"file": name, "suffix": photo.suffix,
                                       "at": [offset, len(photo.data)],
                                       "sha256": hashlib.sha256(photo.data).hexdigest(),
                                       "width": photo.width, "height": photo.height})
                        offset += len(photo.data)
                    else:
                        problems.append(photo)
                results.append(ReadFile(relative, item.suffix, [start, len(item.data)],
                                        [start + len(item.data), len(text)],
                                        item.content_hash, item.facts, tuple(photos),
                                        tuple(problems)))
        return results, pack


def read_photos(folder: ManifestFolder, names: tuple[str, ...], max_bytes: int,
                ) -> list[tuple[str, Photo | Problem]]:
    """Each photo a row names, checked and cleaned (:func:`.photos.clean_photo`), or the
    problem that keeps it out."""
    out: list[tuple[str, Photo | Problem]] = []
    for name in names:
        try:
            path, size = folder.locate(name)
            out.append((name, clean_photo(read_limited(path, max_bytes, size), path.suffix)))
        except FileProblem as problem:
            reason = problem.params.get("reason") or problem.rule.split(".")[-1]
            out.append((name, {"rule": "photo.invalid",
                               "params": {"file": name, "reason": str(reason)}}))
    return out
