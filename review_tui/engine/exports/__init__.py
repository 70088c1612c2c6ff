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
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from review_tui.engine.config import FormatRules
from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import csv_json, documents, letters
from review_tui.engine.exports.data import ExportData, gather
from review_tui.engine.model import Progress
from review_tui.engine.pipeline import completed_steps, mark_step
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
    data = gather(workspace)
    folder = target_folder(Path(out), force)
    report = ExportReport(folder, blind_only=not data.unsealed)
    # Written in a scratch folder and moved in when the step commits: a failure or a kill
    # half-way leaves no half export behind (see :mod:`..storage.journal`).
    active = current_step(workspace.root)
    assert active is not None
    scratch = active.scratch_folder(folder)
    report.no_scores = not any(row.get("scores") for sheet in data.sheets.values()
                               for row in sheet.values())
    written = _blind_documents(data, scratch, csv_lang, summary=not report.no_scores)
    if data.unsealed:
        written += _named_documents(workspace, data, scratch, csv_lang)
    if convert:
        written += convert_documents(report, written, data.committee.format,
                            progress or (lambda phase, done, total: None), scratch)
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


def _blind_documents(data: ExportData, folder: Path, csv_lang: str, *,
                     summary: bool) -> list[Path]:
    """The score sheets, and the score summary once any score exists (before, it would list
    every entry as 未入選 for want of scores)."""
    mark = "（暫定）" if data.unsubmitted else ""  # provisional: said in the file names too
    files = [documents.score_summary(data, folder / f"成績總表{mark}.docx"),
             csv_json.score_summary_csv(data, folder / f"成績總表{mark}.csv", csv_lang)
             ] if summary else []
    sheets = documents.ScoreSheets(data)
    if data.queues:  # its folder made once, not per sheet
        (folder / "評分表").mkdir(parents=True, exist_ok=True)
    for reviewer in sorted(data.queues):
        name = safe_name(f"評分表_{reviewer}_{data.reviewer_names.get(reviewer, '')}{mark}")
        files.append(sheets.write(reviewer, folder / "評分表" / f"{name}.docx"))
    return files


def _named_documents(workspace: Workspace, data: ExportData, folder: Path,
                     csv_lang: str) -> list[Path]:
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
    agencies = letters.agency_results(data)
    files.append(letters.memo(data, agencies, folder / "簽.docx"))
    letter = letters.letter_template(data)
    if agencies:  # its folder made once, not per letter
        (folder / "函稿").mkdir(parents=True, exist_ok=True)
    for results in agencies:  # a letter to each recommending agency
        name = safe_name(f"函稿_{results.agency}")
        files.append(letters.letter(data, results, letter, folder / "函稿" / f"{name}.docx"))
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
    from review_tui.engine.sealing.seal import load_sealed_entries
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


def font_substitute(font: str, aliases: tuple[str, ...] = ()) -> str | None:
    """The family fontconfig gives LibreOffice for ``font`` when ``font`` (or an alias) is
    not installed; None when it is, or when fontconfig cannot say."""
    matcher = shutil.which("fc-match")
    if matcher is None:
        return None
    try:
        found = subprocess.run([matcher, "-f", "%{family}", f"{font}:lang=zh-tw"],
                               capture_output=True,
                               text=True, timeout=20, check=False).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return None
    families = [f.strip() for f in found.split(",") if f.strip()]
    if not families or any(name in families for name in (font, *aliases)):
        return None
    return families[0]


def _run_office(office: str, profile: str, kind: str, batch: list[Path], out: Path,
                progress: Callable[[int], None]) -> int | None:
    """Convert ``batch`` to ``kind`` in ``out`` with one LibreOffice run, saying how many
    are done as they appear; None when LibreOffice could not run or ran out of time."""
    try:
        process = subprocess.Popen(
            [office, f"-env:UserInstallation=file://{profile}", "--headless",
             "--convert-to", kind, "--outdir", str(out), *map(str, batch)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        return None
    deadline = time.monotonic() + 600
    names = {f"{p.stem}.{kind}" for p in batch}
    while process.poll() is None:
        if time.monotonic() > deadline:
            process.kill()
            process.wait()
            return None
        progress(sum(1 for n in names if (out / n).exists()))
        time.sleep(0.2)
    done = sum(1 for n in names if (out / n).exists())
    progress(done)
    return done


def convert_documents(report: ExportReport, files: list[Path], rules: FormatRules,
             progress: Progress, scratch: Path) -> list[Path]:
    """ODF and PDF copies of every .docx, where LibreOffice is installed: through the UNO
    bridge where a Python has it (each file loaded once, two offices side by side), else
    with ``soffice --convert-to`` (one run per format)."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        report.converter = "missing"
        return []
    sources = [p for p in files if p.suffix == ".docx"]
    report.font_substitute = font_substitute(rules.font, rules.font_aliases)
    total = 2 * len(sources)

    def results() -> list[Path]:
        return [p.with_suffix(f".{kind}") for p in sources for kind in ("odt", "pdf")
                if p.with_suffix(f".{kind}").exists()]

    python = uno_python(office)
    if python is not None:
        _convert_through_uno(python, office, sources,
                             lambda done: progress("convert", done, total))
    missing = [p for p in sources if not (p.with_suffix(".odt").exists()
                                          and p.with_suffix(".pdf").exists())]
    if missing:  # no bridge, or it failed on some: the command line converts the rest
        for path in missing:
            for kind in ("odt", "pdf"):
                path.with_suffix(f".{kind}").unlink(missing_ok=True)
        already = len(results())
        _convert_on_command_line(office, missing, scratch,
                                 lambda done: progress("convert", already + done, total))
    converted = results()
    if len(converted) < total:
        report.converter = "failed"
    return converted


def _offset(progress: Callable[[int], None], before: int, done: int) -> None:
    progress(before + done)


CONVERT_SECONDS = 600
_SCRIPT = Path(__file__).with_name("office_convert.py")


@functools.cache
def uno_python(office: str) -> str | None:
    """A Python that can ``import uno`` (LibreOffice's own, or the system's with
    python3-uno); None when there is none."""
    program = Path(office).resolve().parent
    candidates = [program / "python", program / "python.exe", Path("/usr/bin/python3"),
                  *(Path(p) for p in (shutil.which("python3"),) if p)]
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            probe = subprocess.run([str(candidate), "-c", "import uno"], capture_output=True,
                                   timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return str(candidate)
    return None


def _lanes(sources: list[Path], count: int) -> list[list[Path]]:
    """``sources`` shared between ``count`` offices, largest files first to the lightest."""
    lanes: list[list[Path]] = [[] for _ in range(count)]
    loads = [0] * count
    sizes = {path: path.stat().st_size for path in sources}
    for path in sorted(sources, key=sizes.__getitem__, reverse=True):
        lightest = loads.index(min(loads))
        lanes[lightest].append(path)
        loads[lightest] += sizes[path]
    return [lane for lane in lanes if lane]


def _convert_through_uno(python: str, office: str, sources: list[Path],
                         progress: Callable[[int], None]) -> None:
    """Each file loaded once and stored as .odt and .pdf beside it, by one office per
    processor (at most two); the results are checked by the caller."""
    count = max(1, min(2, os.cpu_count() or 1, len(sources)))
    done = [0]

    def follow(process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for _ in process.stdout:
            done[0] += 1

    with tempfile.TemporaryDirectory() as profiles:
        processes = []
        for number, lane in enumerate(_lanes(sources, count)):
            try:
                process = subprocess.Popen(
                    [python, str(_SCRIPT), office, str(Path(profiles) / str(number)),
                     *map(str, lane)], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    text=True)
            except OSError:
                continue
            processes.append(process)
            threading.Thread(target=follow, args=(process,), daemon=True).start()
        deadline = time.monotonic() + CONVERT_SECONDS
        while any(p.poll() is None for p in processes):
            if time.monotonic() > deadline:
                for process in processes:
                    process.kill()
                break
            progress(done[0])
            time.sleep(0.1)
        for process in processes:
            process.wait()
        progress(done[0])


def _convert_on_command_line(office: str, sources: list[Path], scratch: Path,
                             progress: Callable[[int], None]) -> None:
    """``soffice --convert-to``, one run per format for every file (each start costs a
    second), written to a folder of its own and moved beside its source; files sharing a
    name (in different folders) go in one run per folder instead. Stops when LibreOffice
    cannot run or runs out of time; the caller counts what was made."""
    batches = ([sources] if len({p.stem for p in sources}) == len(sources)
               else [[p for p in sources if p.parent == f] for f in sorted({p.parent
                                                                           for p in sources})])
    moved = 0
    out = scratch / ".converted"  # in the step's scratch folder: gone with it, even if killed
    out.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        for kind in ("odt", "pdf"):
            for batch in batches:
                made = _run_office(office, profile, kind, batch, out,
                                   functools.partial(_offset, progress, moved))
                if made is None:
                    return
                for source in batch:
                    result = out / f"{source.stem}.{kind}"
                    if result.exists():
                        shutil.move(str(result), source.with_suffix(f".{kind}"))
                        moved += 1
