"""Export the award documents: ``run_export(workspace, out)``.

Before unseal only the blinded documents (score summary and score sheets, by code) are
written; after unseal all of them. Nothing is overwritten silently: a folder that already
holds files gets a new timestamped sub-folder, unless ``force``. Where LibreOffice is on the
machine, every .docx is also converted to .odt and .pdf (the seeds ask for ODF/PDF); where it
is not, the report says so and the export still succeeds.
"""

from __future__ import annotations

import contextlib
import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import csv_json, documents, letters
from review_tui.engine.exports.conversion import Offices, convert_documents, start_offices
from review_tui.engine.exports.data import ExportData, gather
from review_tui.engine.model import Progress
from review_tui.engine.pipeline import completed_steps, mark_step
from review_tui.engine.storage import side_process
from review_tui.engine.storage.journal import current_step, transaction
from review_tui.engine.workspace import Workspace

DEFAULT_EXPORTS = Path("exports")
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
             *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 80


@dataclass
class ExportReport:
    folder: Path
    files: list[Path] = field(default_factory=list)
    converted: list[Path] = field(default_factory=list)
    blind_only: bool = False
    converter: str | None = None  # why no ODF/PDF, when there is none
    no_scores: bool = False  # no score yet: the score summary is not written
    font_substitute: str | None = None  # the font the PDFs show where the format's is missing


def safe_name(text: str) -> str:
    """A file name from a title or agency: no path parts, no characters Windows refuses."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name).strip().strip(".")
    name = re.sub(r"\s+", " ", name)[:MAX_NAME].rstrip(" .")
    if not name or name.split(".")[0].upper() in _RESERVED:
        name = f"_{name}"
    return name


def output_folder(out: Path) -> Path:
    """``out``, made if missing; refused, named, when it is a file or cannot be made."""
    if out.exists() and not out.is_dir():
        raise ReviewError("export.out_not_folder", path=str(out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReviewError("export.out_unwritable", path=str(out),
                          reason=exc.strerror or str(exc)) from exc
    return out


def target_folder(out: Path, force: bool) -> Path:
    """``out`` if empty (or ``force``); else a new timestamped folder inside it."""
    output_folder(out)
    if force or not any(out.iterdir()):
        return out
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate, n = out / f"export-{stamp}", 1
    while candidate.exists():
        n += 1
        candidate = out / f"export-{stamp}-{n}"
    return candidate


@transaction("export")
def run_export(workspace: Workspace, out: Path = DEFAULT_EXPORTS, *, force: bool = False,
               convert: bool = True, csv_lang: str = "zh-TW",
               progress: Progress | None = None) -> ExportReport:
    """Write every document the committee's stage allows; see the module docstring."""
    _ = workspace.config
    done = completed_steps(workspace)
    if "dealt" not in done:
        raise ReviewError("pipeline.needs", step="export", needed="deal")
    offices = start_offices() if convert else None  # starting while the files are written
    try:
        return _export(workspace, Path(out), force, convert, csv_lang, progress, offices)
    finally:
        if offices is not None:
            offices.close()


def _export(workspace: Workspace, out: Path, force: bool, convert: bool, csv_lang: str,
            progress: Progress | None, offices: Offices | None) -> ExportReport:
    data = gather(workspace)
    folder = target_folder(out, force)
    report = ExportReport(folder, blind_only=not data.unsealed)
    # Written in a scratch folder and moved in when the step commits: a failure or a kill
    # half-way leaves no half export behind (see :mod:`..storage.journal`).
    active = current_step(workspace.root)
    assert active is not None
    scratch = active.scratch_folder(folder)
    report.no_scores = not any(row.get("scores") for sheet in data.sheets.values()
                               for row in sheet.values())
    agencies = letters.agency_results(data) if data.unsealed else []
    # The many small files (a sheet per reviewer, a letter per agency) are written by a
    # second process while this one writes the rest, where the machine allows it.
    sheets, letters_to_agencies = _sheets(data, scratch), _letters(data, agencies, scratch)
    with side_process.beside([job for _, job in sheets + letters_to_agencies]):
        summary = _summary(data, scratch, csv_lang) if not report.no_scores else []
        named = (_named_documents(workspace, data, agencies, scratch, csv_lang)
                 if data.unsealed else [])
    written = [*summary, *(path for path, _ in sheets), *named,
               *(path for path, _ in letters_to_agencies)]
    if convert:
        written += convert_documents(report, written, data.committee.format,
                                     progress or (lambda phase, done, total: None), scratch,
                                     offices)
    for path in written:
        final = folder / path.relative_to(scratch)
        active.will_rename(path, final)
        (report.converted if path.suffix in (".odt", ".pdf") else report.files).append(final)
    record = workspace.audit.append("export", {
        "folder": folder.name, "files": sorted(p.name for p in report.files),
        "blind_only": report.blind_only})
    if data.unsealed:
        mark_step(workspace, "exported", record)
    return report


def _mark(data: ExportData) -> str:
    """Provisional (sheets still out): said in the file names too."""
    return "（暫定）" if data.unsubmitted else ""


def _summary(data: ExportData, folder: Path, csv_lang: str) -> list[Path]:
    """The score summary, written once any score exists (before, it would list every entry
    as 未入選 for want of scores)."""
    mark = _mark(data)
    return [documents.score_summary(data, folder / f"成績總表{mark}.docx"),
            csv_json.score_summary_csv(data, folder / f"成績總表{mark}.csv", csv_lang)]


Job = tuple[Path, Callable[[], Path]]  # a file and what writes it


def _sheets(data: ExportData, folder: Path) -> list[Job]:
    """A score sheet for each reviewer (blind: written before the unseal too)."""
    sheets, mark = documents.ScoreSheets(data), _mark(data)
    if data.queues:  # its folder made once, not per sheet
        (folder / "評分表").mkdir(parents=True, exist_ok=True)
    jobs: list[Job] = []
    for reviewer in sorted(data.queues):
        name = safe_name(f"評分表_{reviewer}_{data.reviewer_names.get(reviewer, '')}{mark}")
        path = folder / "評分表" / f"{name}.docx"
        jobs.append((path, functools.partial(sheets.write, reviewer, path)))
    return jobs


def _letters(data: ExportData, agencies: list[letters.AgencyResults], folder: Path
             ) -> list[Job]:
    """A letter (函稿) to each recommending agency."""
    if not agencies:
        return []
    template = letters.letter_template(data)
    (folder / "函稿").mkdir(parents=True, exist_ok=True)  # made once, not per letter
    jobs: list[Job] = []
    for results in agencies:
        path = folder / "函稿" / f"{safe_name(f'函稿_{results.agency}')}.docx"
        jobs.append((path, functools.partial(letters.letter, data, results, template, path)))
    return jobs


def _named_documents(workspace: Workspace, data: ExportData,
                     agencies: list[letters.AgencyResults], folder: Path,
                     csv_lang: str) -> list[Path]:
    """Every document that names the writers, but the letters."""
    files = []
    for track in data.committee.tracks:
        base = safe_name(f"入選名單_{track.name}")
        files.append(documents.award_list(data, track.id, folder / f"{base}.docx"))
        files.append(csv_json.award_list_csv(data, track.id, folder / f"{base}.csv", csv_lang))
    for agency, rows in documents.roster_rows(data).items():  # one per top-level agency
        roster = folder / "敘獎名冊" / safe_name(f"敘獎名冊_{agency}")
        files.append(documents.commendation_roster(data, agency, rows,
                                                   roster.with_suffix(".docx")))
        files.append(csv_json.roster_csv(rows, roster.with_suffix(".csv"), csv_lang))
    for agency, refused in data.rejected_by_agency().items():  # to notify each agency
        name = safe_name(f"不予受理名單_{agency}")
        files.append(documents.rejected_list(data, agency, refused,
                                             folder / "不予受理名單" / f"{name}.docx"))
    texts, photos = _winner_works(workspace, data)
    files.append(documents.compilation(data, texts, folder / "優良作品集.docx", photos))
    if data.asks_presenting():  # a programme that asks
        files.append(documents.presenters(data, folder / "發表名單.docx"))
        files.append(csv_json.presenters_csv(data, folder / "發表名單.csv", csv_lang))
    files.append(letters.memo(data, agencies, folder / "簽.docx"))
    if data.winners():
        files.append(letters.certificates(data, folder / "獎狀.docx"))
    files.append(csv_json.decisions_json(data, folder / "decisions.json"))
    return files


def _winner_works(workspace: Workspace, data: ExportData,
                  ) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, bytes]]]]:
    """The selected works' text — the original if archived (names back), else the redacted
    — and their photos, as many as their track takes (none when not archived); the
    archive is read once for all of them."""
    from review_tui.engine.intake.docx_reader import read_docx
    from review_tui.engine.intake.paths import FileProblem, decode_text
    from review_tui.engine.sealing.sealed import load_sealed_entries
    from review_tui.engine.sealing.unseal import read_archived
    from review_tui.engine.storage.textpack import entry_text

    winners = data.winners()
    try:
        archived = read_archived(workspace, {entry.code for entry in winners})
    except ReviewError as error:
        if error.key != "unseal.no_originals":  # a damaged archive is refused, not hidden
            raise
        archived = {}
    sealed = {e["code"]: e for e in load_sealed_entries(workspace)}
    texts, photos = {}, {}
    for entry in winners:
        found = archived.get(entry.code)
        original = None
        if found is not None:
            with contextlib.suppress(UnicodeError, FileProblem):  # one it cannot parse
                original = (
                    read_docx(found.data, workspace.config.max_unpacked_bytes).paragraphs
                    if found.suffix == ".docx" else decode_text(found.data)[0].splitlines())
            if found.photos and entry.track.max_photos:
                photos[entry.code] = list(found.photos[:entry.track.max_photos])
        texts[entry.code] = (original if original is not None  # else the redacted text
                             else entry_text(workspace.root, sealed[entry.code]).split("\n"))
    return texts, photos
