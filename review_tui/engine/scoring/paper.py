"""Paper score sheets: the blank template, and the import of typed-in sheets.

Sheet columns (SPEC §6): ``reviewer,code,<criterion ids…>,comment``; a ``title`` column and
unknown columns are ignored; criterion columns may also be headed by the criterion's name
(啟示與創見). A file is imported all or nothing: every bad row is reported with its line
number and nothing is written unless every row is sound. A reviewer's sheet that scores
every dealt entry counts as submitted (the paper original was signed); a partial one stays
a draft. Importing the same sheet again changes nothing; a sheet that would change a
submitted score is refused until the chair reopens it, and one that would change or clear a
draft's stored score or comment (a reviewer's in-app work) is refused, listing each value,
unless ``replace`` is asked for — then each replaced value is kept in the audit log.
"""

from __future__ import annotations

import csv
import functools
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_tui.engine.config import Committee, Track
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.manifest import header_lookup, read_table
from review_tui.engine.safe_text import spreadsheet_cell
from review_tui.engine.scoring.scores import SUBMITTED, ScoreSheet, parse_score, store_name
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

BASE_COLUMNS = {
    "reviewer": ("reviewer", "評審委員", "委員", "委員代號", "代號"),
    "code": ("code", "作品編號", "編號", "代碼"),
    "title": ("title", "作品題目", "題目"),
    "comment": ("comment", "評語", "意見", "備註"),
}


class ScoreImportError(ReviewError):
    """A sheet refused as a whole; ``problems`` lists (line, message key, params)."""

    def __init__(self, path: Path, problems: list[tuple[int, str, dict[str, Any]]]) -> None:
        super().__init__("scores.import_refused", path=str(path), count=len(problems))
        self.problems = problems


@dataclass
class PaperReport:
    """Per reviewer: how many entries were written and whether the sheet is now submitted."""

    written: dict[str, int] = field(default_factory=dict)
    submitted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    replaced: list[dict[str, str]] = field(default_factory=list)  # reviewer, code, field …


def criterion_columns(committee: Committee) -> list[str]:
    """Every criterion id, track by track, without repeats (the sheet's score columns)."""
    return list(_sheet_headers(committee.tracks)[1])


def template_csv(workspace: Workspace, reviewer: str) -> str:
    """The blank sheet for ``reviewer``, in their dealt order (UTF-8 with BOM for Excel)."""
    sheet = ScoreSheet(workspace, reviewer)
    columns = criterion_columns(workspace.config)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["reviewer", "code", "title", *columns, "comment"])
    for item in sheet.queue:
        own = {c.id for c in sheet.criteria[item.track]}
        writer.writerow([reviewer, item.code, spreadsheet_cell(item.title),
                         *["" if c in own else "-" for c in columns], ""])
    return "\ufeff" + out.getvalue()


@dataclass(frozen=True)
class SheetRow:
    """One scored entry as a sheet gives it; ``line`` is where to point a person to."""

    line: int
    reviewer: str
    code: str
    values: dict[str, str]  # criterion id → the text typed
    comment: str


@transaction("scores.import_paper")
def import_paper_sheet(workspace: Workspace, path: Path, *,
                       replace: bool = False) -> PaperReport:
    """Import a typed-in sheet (.csv or .xlsx); see the module docstring. A sheet whose
    stored scores or comments it would change is refused, listing each, unless
    ``replace``: then every replaced value goes into the audit log."""
    lookup, columns = _sheet_headers(workspace.config.tracks)
    table = read_table(Path(path), lookup, ("reviewer", "code"))
    rows = []
    for row in table.rows:
        values = {k: str(v) for k, v in row.values.items()}  # cells come trimmed
        rows.append(SheetRow(row.number, values.get("reviewer", ""),
                             values.get("code", "").upper(),
                             {c: values.get(c, "") for c in columns}, values.get("comment", "")))
    return apply_rows(workspace, Path(path), rows, submit=None, replace=replace)


@functools.lru_cache(maxsize=4)  # once per committee, not once per sheet of a folder
def _sheet_headers(tracks: tuple[Track, ...]) -> tuple[dict[str, str], tuple[str, ...]]:
    """What a sheet's headers may say (each column's names) and its criterion columns
    (shared between calls: read, never changed)."""
    aliases = dict(BASE_COLUMNS)
    columns: list[str] = []
    for track in tracks:
        for c in track.criteria:
            aliases[c.id] = (c.id, c.name, c.name_en)
            if c.id not in columns:
                columns.append(c.id)
    return header_lookup(aliases), tuple(columns)


def apply_rows(workspace: Workspace, path: Path, rows: list[SheetRow], *,
               submit: bool | None, replace: bool | None = None) -> PaperReport:
    """Validate every row, then write all or nothing.

    ``submit``: None submits a reviewer's sheet when it is complete (paper); True or False
    follows what a signed laptop sheet says. ``replace``: False refuses rows that would
    change a stored draft's scores or comment, True allows and logs them, None (a signed
    laptop sheet, newer by its counter) neither checks nor logs.
    """
    problems: list[tuple[int, str, dict[str, Any]]] = []
    sheets: dict[str, ScoreSheet] = {}
    planned: dict[str, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        try:
            sheet = sheets.get(row.reviewer) or sheets.setdefault(
                row.reviewer, ScoreSheet(workspace, row.reviewer))
            own = {c.id: c for c in sheet.criteria_of(row.code)}
        except ReviewError as error:
            problems.append((row.line, error.key, error.params))
            continue
        if row.code in planned[row.reviewer]:
            problems.append((row.line, "scores.duplicate_row", {"code": row.code}))
            continue
        scores: dict[str, str] = {}
        for column, text in row.values.items():
            if text in ("", "-", "—"):
                continue
            if column not in own:
                problems.append((row.line, "score.unknown_criterion",
                                 {"criterion": column, "code": row.code}))
                continue
            try:
                scores[column] = str(parse_score(text, own[column]))
            except ReviewError as error:
                problems.append((row.line, error.key, error.params))
        planned[row.reviewer][row.code] = {"scores": scores, "comment": row.comment,
                                           "line": row.line}
    stored = {reviewer: sheets[reviewer].stored() for reviewer in planned}
    locked, replaced = _stored_conflicts(stored, planned)
    problems += locked
    if replace is None:  # a signed laptop sheet: newer by its counter, not checked
        replaced = []
    elif replaced and not replace:
        problems += [(line, "scores.would_replace", dict(change))
                     for line, change in replaced]
    if problems:
        raise ScoreImportError(path, sorted(problems, key=lambda p: p[0]))
    return _write(workspace, sheets, stored, planned, submit,
                  [change for _, change in replaced])


_Stored = dict[str, tuple[str, dict[str, dict[str, Any]]]]  # reviewer → (status, scores)


def _stored_conflicts(stored_sheets: _Stored, planned: dict[str, dict[str, dict[str, Any]]],
                      ) -> tuple[list[tuple[int, str, dict[str, Any]]],
                                 list[tuple[int, dict[str, str]]]]:
    """What the planned rows would change of what is stored: rows that would change a
    submitted sheet (refused as locked), and each stored value of a draft they would
    change or clear (``(line, {reviewer, code, field, before, after})``).
    """
    locked, replaced = [], []
    for reviewer, rows in sorted(planned.items()):
        status, stored = stored_sheets[reviewer]
        submitted = status == SUBMITTED
        for code, row in rows.items():
            before = stored.get(code, {"scores": {}, "comment": ""})
            if submitted:
                if (before["scores"] != row["scores"]
                        or before.get("comment", "") != row["comment"]):
                    locked.append((row["line"], "score.locked", {"reviewer": reviewer}))
                continue
            fields = [(c, v, row["scores"].get(c, "")) for c, v in before["scores"].items()]
            fields.append(("comment", before.get("comment", ""), row["comment"]))
            replaced += [(row["line"], {"reviewer": reviewer, "code": code, "field": name,
                                        "before": str(old), "after": str(new)})
                         for name, old, new in fields if old not in ("", None) and old != new]
    return locked, replaced


def _write(workspace: Workspace, sheets: dict[str, ScoreSheet], stored_sheets: _Stored,
           planned: dict[str, dict[str, dict[str, Any]]], submit: bool | None,
           replaced: list[dict[str, str]]) -> PaperReport:
    report = PaperReport(replaced=replaced)
    to_submit = []
    for reviewer, rows in sorted(planned.items()):
        sheet = sheets[reviewer]
        status, stored = stored_sheets[reviewer]
        changed = {code: row for code, row in rows.items()
                   if stored.get(code, {}).get("scores") != row["scores"]
                   or stored.get(code, {}).get("comment", "") != row["comment"]}
        if changed:
            with workspace.store.write(store_name(reviewer)) as db:
                db.upsert_many("_default", [
                    {"code": code, "scores": row["scores"], "comment": row["comment"],
                     "updated": "paper"} for code, row in changed.items()], key="code")
            report.written[reviewer] = len(changed)
        else:
            report.unchanged.append(reviewer)
        wanted = not sheet.unscored() if submit is None else submit
        if wanted and status != SUBMITTED:
            to_submit.append(sheet)
            report.submitted.append(reviewer)
    if report.written:  # logged before the submissions it causes, as it happened
        workspace.audit.append("scores.import_paper", {
            "reviewers": sorted(report.written), "entries": sum(report.written.values()),
            "submitted": report.submitted, "replaced": replaced})
    for sheet in to_submit:
        sheet.submit(allow_incomplete=True)
    return report
