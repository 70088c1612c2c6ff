"""Import a manifest of submissions into the workspace, idempotently, losing nothing.

Each row becomes an entry record (rejected entries stay on record with their reasons). The
natural key is (track, agency, title): importing the same manifest again changes nothing,
and an entry whose content changed is reported and kept as it was unless ``replace``.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from review_tui.engine.config import Committee
from review_tui.engine.intake.manifest import Table, TableRow, read_manifest
from review_tui.engine.intake.read_files import FileJob, FileReader, Limits, ReadFile
from review_tui.engine.intake.roster import Roster
from review_tui.engine.intake.rules import Evaluation, evaluate
from review_tui.engine.intake.typed_values import (
    canonical_staff_type,
    normalise,
    parse_bool,
    parse_date,
    split_list,
)
from review_tui.engine.model import ENTRIES_STORE, Author, Entry, Problem, Progress
from review_tui.engine.pipeline import require_intake_open
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

STORE = ENTRIES_STORE
REQUIRED_FIELDS = ("track", "agency", "title", "file", "authors")
PARALLEL_LISTS = ("job_titles", "grades", "staff_types")
PHOTO_SEPARATORS = re.compile(r"[、;；,，\n]")
MAX_PHOTOS_READ = 10  # photos read per row: any track's most (config max_photos ≤ 10)
# Fields whose change makes a re-imported row "changed" (ids, paths and facts derive from them).
COMPARED_FIELDS = ("track_raw", "agency", "title", "authors", "book", "service_category",
                   "consent_share", "factual", "will_present", "received", "content_hash",
                   "problems", "photos")



@dataclass
class ImportReport:
    """What an import did; ids are internal entry ids (E00001 …)."""

    manifest: str
    encoding: str
    rows: int
    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    duplicates: int = 0
    blank: int = 0


def natural_key(track: str, agency: str, title: str) -> str:
    return hashlib.sha256(canonical([normalise(track), normalise(agency),
                                     normalise(title)])).hexdigest()[:32]


def stored_path(workspace: Workspace, path: Path) -> str:
    """How a manifest's location is stored: relative to the workspace when inside it (so a
    workspace moved to another folder or USB stick still finds its own files), else absolute."""
    absolute, root = Path(path).resolve(), workspace.root.resolve()
    return str(absolute.relative_to(root)) if root in absolute.parents else str(absolute)


def manifest_location(workspace: Workspace, stored: str) -> Path:
    """The manifest file a stored location names (see :func:`stored_path`)."""
    path = Path(stored)
    return path if path.is_absolute() else workspace.root / path


def load_entries(workspace: Workspace) -> list[Entry]:
    return workspace.store.table_rows(STORE)  # type: ignore[return-value]


def load_imports(workspace: Workspace) -> list[dict[str, Any]]:
    return workspace.store.table_rows(STORE, "imports")


@bulk_step
def intake_tables(workspace: Workspace) -> dict[str, list[dict[str, Any]]]:
    """The intake store's entries, imports and seal record, read at once (at 20,000
    entries each read of the store is a quarter of a second)."""
    return workspace.store.tables(STORE, "_default", "imports", "seal")


def check(workspace: Workspace, entries: list[Entry] | None = None,
          imports: list[dict[str, Any]] | None = None) -> Evaluation:
    """Judge every stored entry against the current configuration and roster.

    Pass ``entries`` and ``imports`` when the caller has already loaded them: at 20,000
    entries each read of the intake store is a quarter of a second.
    """
    if entries is None or imports is None:
        tables = workspace.store.tables(STORE, "_default", "imports")
        if entries is None:
            entries = cast(list[Entry], tables["_default"])
        imports = tables["imports"] if imports is None else imports
    return evaluate(workspace.config, entries, imports, Roster.load(workspace))


@bulk_step
@transaction("import")
def import_manifest(workspace: Workspace, manifest_path: Path, *, replace: bool = False,
                    progress: Progress | None = None) -> ImportReport:
    """Import a manifest; see the module docstring for what is kept and what is reported.

    One step (:mod:`..storage.journal`): two imports at once run one after the other, so they never
    hand out the same id, and a killed import leaves no trace.
    """
    committee = workspace.config
    require_intake_open(workspace)
    table = read_manifest(Path(manifest_path))
    roster = Roster.load(workspace)
    reader = _RowReader(committee, roster, table, stored_path(workspace, table.path))
    planned = [str(row.values.get("file") or "") for row in table.rows]
    with FileReader(workspace.root, workspace.submissions_dir, table.path.parent,
                    Limits(committee.max_file_bytes, committee.max_unpacked_bytes),
                    [name for name in planned if name.strip()]) as files:
        files.remove_packs_on_rollback()
        drafts = []
        for row in table.rows:  # the files are read meanwhile, batch by batch
            entry, job = reader.entry(row)
            drafts.append((row, entry, job))
            if job is not None:
                files.add(job)
        jobs = sum(job is not None for _, _, job in drafts)
        read, packs = files.results(
            (lambda done: progress("import", done, jobs)) if progress else None)
    results = iter(read)
    for _, entry, job in drafts:
        if job is not None:
            _take_file(entry, next(results))
    report = ImportReport(table.path.name, table.encoding, len(table.rows),
                          blank=len(table.blank_rows))
    manifest_hash = sha256_hex(table.data)
    with workspace.store.write(STORE) as db:
        existing = {e["key"]: e for e in db.rows("_default")}
        next_seq = max((e["seq"] for e in existing.values()), default=0) + 1
        manifest_findings = _table_findings(table)
        first_row: dict[str, int] = {}
        to_write: list[Entry] = []
        for row, entry, _ in drafts:
            key = entry["key"]
            if key in first_row:
                report.duplicates += 1
                manifest_findings.append({"rule": "manifest.duplicate_row", "row": row.number,
                                          "params": {"first_row": first_row[key]}})
                continue
            first_row[key] = row.number
            old = existing.get(key)
            if old is None:
                entry["seq"], entry["id"] = next_seq, f"E{next_seq:05d}"
                next_seq += 1
                report.added.append(entry["id"])
                to_write.append(entry)
            elif _comparable(cast(Entry, old)) == _comparable(entry):
                report.unchanged.append(old["id"])
            elif replace:
                entry["seq"], entry["id"] = old["seq"], old["id"]
                report.replaced.append(old["id"])
                to_write.append(entry)
            else:
                report.changed.append(old["id"])
                manifest_findings.append({"rule": "import.changed", "row": row.number,
                                          "params": {"stored": old["id"]}})
        record = {"path": stored_path(workspace, table.path), "name": table.path.name,
                  "sha256": manifest_hash, "encoding": table.encoding, "rows": report.rows,
                  "findings": manifest_findings}
        previous = next((r for r in db.rows("imports") if r["path"] == record["path"]), None)
        _remove_unused_packs(packs, to_write)  # before the store: never a pack it names
        if not to_write and previous == record:
            return report  # the same manifest again: nothing to change, nothing to log
        db.upsert_many("_default", [dict(entry) for entry in to_write], key="id")
        db.upsert("imports", record, key="path")
    # No file name: a manifest's name often names its agency, and the log outlives the seal.
    workspace.audit.append("import", {
        "sha256": manifest_hash, "rows": report.rows,
        "added": len(report.added), "replaced": report.replaced, "changed": report.changed,
        "unchanged": len(report.unchanged), "duplicates": report.duplicates,
        "result_sha256": sha256_hex(canonical(to_write)),
    })
    return report


def _table_findings(table: Table) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [{"rule": "manifest.unknown_column", "row": 1,
                                    "params": {"column": c}} for c in table.unknown_columns]
    found += [{"rule": "manifest.blank_row", "row": n, "params": {}} for n in table.blank_rows]
    return found


def _comparable(entry: Entry) -> list[Any]:
    return [entry.get(k, [] if k == "photos" else None) for k in COMPARED_FIELDS]


class _RowReader:
    """Turns one manifest's rows into entry records, reading each row's file."""

    def __init__(self, committee: Committee, roster: Roster, table: Table,
                 manifest_location: str) -> None:
        self.committee, self.roster, self.table = committee, roster, table
        self.manifest_location = manifest_location
        self.track_names: dict[str, str] = {}  # any name or alias → track id; first wins
        for track in committee.tracks:
            for name in (track.id, track.name, *track.aliases):
                self.track_names.setdefault(normalise(name).lower(), track.id)

    def entry(self, row: TableRow) -> tuple[Entry, FileJob | None]:
        """The entry record of ``row`` (problems so far) and the reading of its file, if any."""
        values = row.values
        problems: list[Problem] = []

        def text(column: str) -> str:
            value = values.get(column, "")
            return value.strip() if isinstance(value, str) else str(value)

        for column in REQUIRED_FIELDS:
            if not text(column):
                problems.append({"rule": "field.missing", "params": {"column": column}})
        track_raw = text("track")
        track = self.track_names.get(normalise(track_raw).lower())
        if track_raw and track is None:
            problems.append({"rule": "track.unknown", "params": {"value": track_raw}})
        authors = _authors(values, problems)
        entry: Entry = {
            "key": natural_key(track_raw, text("agency"), text("title")),
            "manifest": self.table.path.name,
            "manifest_path": self.manifest_location,
            "row": row.number,
            "track": track,
            "track_raw": track_raw,
            "agency": text("agency"),
            "title": text("title"),
            "authors": authors,
            "book": text("book"),
            "service_category": text("service_category"),
            "source_file": text("file"),
            "stored_file": None,
            "text_file": None,
            "content_hash": None,
            "facts": {},
        }
        for column in ("consent_share", "factual", "will_present"):
            try:
                value = parse_bool(values.get(column, ""))
                entry[column] = value  # type: ignore[literal-required]
            except ValueError:
                entry[column] = None  # type: ignore[literal-required]
                problems.append({"rule": "field.invalid",
                                 "params": {"column": column, "value": text(column)}})
        try:
            received = parse_date(values.get("received", ""))
            entry["received"] = received.isoformat() if received else None
        except ValueError:
            entry["received"] = None
            problems.append({"rule": "field.invalid",
                             "params": {"column": "received", "value": text("received")}})
        photos = [name.strip() for name in PHOTO_SEPARATORS.split(text("photos"))
                  if name.strip()]  # not split at ／ or /: a file name may hold a folder
        entry["photos"] = []
        entry["photos_listed"] = len(photos)
        job = None
        if text("file"):
            job = FileJob(text("file"), authors,
                          self.roster.lineage(text("agency")) if text("agency") else [],
                          tuple(photos[:MAX_PHOTOS_READ]))
        entry["problems"] = problems
        return entry, job


def _authors(values: dict[str, Any], problems: list[Problem]) -> list[Author]:
    names = split_list(str(values.get("authors", "")))
    lists = {column: split_list(str(values.get(column, ""))) for column in
             (*PARALLEL_LISTS, "phones")}
    for column in (*PARALLEL_LISTS, "phones"):
        given = lists[column]
        if given and len(given) != len(names):
            problems.append({"rule": "authors.lists_mismatch",
                             "params": {"column": column, "count": len(given),
                                        "authors": len(names)}})
        elif not given and column == "staff_types" and names:
            problems.append({"rule": "field.missing", "params": {"column": column}})
        elif not given and column != "phones" and names:
            problems.append({"rule": "field.incomplete", "params": {"column": column}})

    def item(column: str, index: int) -> str:
        given = lists[column]
        return given[index] if len(given) == len(names) else ""

    return [{
        "name": name,
        "job_title": item("job_titles", i),
        "grade": item("grades", i),
        "staff_type": canonical_staff_type(item("staff_types", i)),
        "staff_type_raw": item("staff_types", i),
        "phone": item("phones", i),
    } for i, name in enumerate(names)]


def _take_file(entry: Entry, read: ReadFile | Problem) -> None:
    """Put what reading the entry's file found into the entry (see :mod:`.read_files`)."""
    if not isinstance(read, ReadFile):
        entry["problems"].append(read)
        return
    entry["content_hash"], entry["facts"] = read.content_hash, read.facts
    entry["stored_file"] = entry["text_file"] = read.pack
    entry["stored_suffix"] = read.suffix
    entry["stored_at"], entry["text_at"] = read.stored_at, read.text_at
    entry["photos"] = list(read.photos)
    entry["problems"] += list(read.photo_problems)


def _remove_unused_packs(packs: list[Path], written: list[Entry]) -> None:
    """Packs of rows that were not written (unchanged, duplicated) hold nothing needed."""
    used = {Path(str(entry["stored_file"])).name for entry in written if entry.get("stored_file")}
    for pack in packs:
        if pack.name not in used:
            pack.unlink(missing_ok=True)


class EntryFiles:
    """Reads entries' submitted files and texts back from the import packs, keeping each
    pack open while in use (a seal reads 40,000 slices; opening a file for each was a
    second and a half at 20,000 entries). Entries imported before packs name whole files.
    """

    def __init__(self, workspace: Workspace) -> None:
        self.root = workspace.root
        self._handles: dict[str, Any] = {}

    def __enter__(self) -> EntryFiles:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()

    def read(self, entry: Entry, which: str) -> bytes | None:
        """The entry's submitted file (``which="original"``) or its text (``"text"``)."""
        name = entry.get("stored_file" if which == "original" else "text_file")
        if not name:
            return None
        place = entry.get("stored_at") if which == "original" else entry.get("text_at")
        if place is None:
            return (self.root / str(name)).read_bytes()
        return self._slice(str(name), place)

    def photos(self, entry: Entry) -> list[tuple[dict[str, Any], bytes]]:
        """The entry's checked photos, each with its record, in the manifest's order."""
        name = entry.get("stored_file")
        if not name:
            return []
        return [(photo, self._slice(str(name), photo["at"])) for photo in entry.get("photos", [])]

    def _slice(self, name: str, place: list[int]) -> bytes:
        handle = self._handles.get(name)
        if handle is None:
            path = os.path.join(self.root, name)
            handle = self._handles[name] = open(path, "rb")  # noqa: SIM115 - see __exit__
        handle.seek(place[0])
        data: bytes = handle.read(place[1])
        if len(data) != place[1]:
            raise OSError(f"{name} is cut short")
        return data


def read_entry_file(workspace: Workspace, entry: Entry, which: str) -> bytes | None:
    """One entry's submitted file or text (see :class:`EntryFiles`); None when it has none."""
    with EntryFiles(workspace) as files:
        return files.read(entry, which)
