"""Words for engine results, shared by the CLI and the terminal app (no Textual here)."""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .engine.config import Criterion
from .engine.decisions.wording import (
    RowWords,
    criterion_names,
    problem_text,
    tie_path,
    tie_text,
    track_name,
)
from .engine.meeting.wording import (
    agenda_lines,
    matter_text,
    outcome_text,
    quorum_lines,
    quorum_summary,
    robustness_lines,
)

if TYPE_CHECKING:  # types only: the faces import this module at start-up
    from .engine.decisions.records import DrawCheck
    from .engine.exports import ExportReport
    from .engine.meeting.papers import PaperReport
    from .engine.scoring.deal import Deal
    from .engine.scoring.packets import LaptopStatus
    from .engine.scoring.scores import SheetProgress
    from .engine.scoring.sheet_files import SheetOutcome
    from .engine.sealing.seal import SealReport

from .engine.intake.wording import finding_text
from .engine.model import Entry, Finding
from .engine.workspace import Workspace
from .i18n import Messages

# words shared with the exports and the minutes (kept in the engine)
__all__ = ["RowWords", "agenda_lines", "criterion_names", "matter_text", "outcome_text",
           "problem_text", "quorum_lines", "quorum_summary", "robustness_lines", "tie_path",
           "tie_text", "track_name"]


def finding_message(t: Messages, finding: Finding) -> str:
    """What the rule found, with column names in the reader's language."""
    return finding_text(t, finding.rule, finding.params)


def finding_where(t: Messages, finding: Finding, entry: Entry | None) -> str:
    """Which manifest row (and, for an entry, its title and agency) a finding is about."""
    if entry:
        return t("cli.check.where_entry", manifest=finding.manifest, row=finding.row,
                 title=entry.get("title", ""), agency=entry.get("agency", ""))
    return t("cli.check.where_row", manifest=finding.manifest, row=finding.row)


def criterion_named(t: Messages, params: dict[str, Any],
                    criteria: Iterable[Criterion]) -> dict[str, Any]:
    """``params`` with a criterion id (``insight``) given as its name in the reader's
    language (啟示與創見, Insight …), as every face shows a criterion; so is the ``field``
    a sheet would replace (a criterion id, or ``comment``: 評語), and its value when
    blank."""
    names = {c.id: c.name if t.lang == "zh-TW" else c.name_en or c.name for c in criteria}
    named = dict(params)
    if "criterion" in params:
        named["criterion"] = names.get(params["criterion"], params["criterion"])
    if "field" in params:
        named["field"] = (t("scores.field_comment") if params["field"] == "comment"
                          else names.get(params["field"], params["field"]))
        for value in ("before", "after"):  # a cleared comment is said, not left a gap
            if named.get(value) == "":
                named[value] = t("scores.blank")
    return named


def deal_text(t: Messages, result: Deal) -> str:
    """What a deal did: entries, reviewers, each one's load (one number when all are equal),
    the seed and the result's hash."""
    loads = list(result.loads.values())
    low, high = min(loads), max(loads)
    entries = {code for queue in result.queues.values() for code in queue}
    return t("deal.done", entries=len(entries), reviewers=len(result.queues),
             each=f"{low}" if low == high else f"{low}–{high}", seed=result.seed,
             sha256=result.sha256[:16])


# --- the secretariat's intake table ---------------------------------------------------------

SEVERITY_ORDER = {"reject": 0, "warn": 1, "info": 2}


@dataclass
class IntakeRow:
    """One entry of the intake table, with its findings (already in words)."""

    key: str  # entry id before seal, code after
    track: str
    agency: str  # the agency before seal; its pseudonym after
    title: str
    status: str  # accepted | rejected | skipped (a manifest row that is no entry)
    findings: list[tuple[str, str, str]] = field(default_factory=list)  # (severity, rule, text)
    details: list[str] = field(default_factory=list)  # where it came from, length …

    @property
    def code(self) -> str:
        """The entry's id as the table shows it; a skipped row has none (its title says
        which manifest row it is, so its key does not widen the code column)."""
        return "—" if self.status == "skipped" else self.key

    @property
    def heading(self) -> str:
        """The detail pane's first line: the id and title, or which manifest row it is."""
        return self.title if self.status == "skipped" else f"{self.code}　{self.title}"

    @property
    def worst(self) -> str:
        severities = [f[0] for f in self.findings]
        return min(severities, key=SEVERITY_ORDER.__getitem__) if severities else ""


def intake_rows(t: Messages, workspace: Workspace) -> tuple[list[IntakeRow], int]:
    """The intake table — every entry with its findings; after seal, the blinded entries —
    and how many entries were rejected. Reads the intake store once (at 20,000 entries each
    read is a quarter of a second)."""
    from .engine.intake.imports import check, intake_tables

    intake = intake_tables(workspace)
    if intake["seal"]:
        # A message with a count is worded once per count: 20,000 lengths hold a few hundred.
        counted = functools.cache(lambda key, count: t(key, count=count))
        return [IntakeRow(e["code"], e["track"], e["agency"], e["title"], "accepted",
                          [("info", "seal.redacted", counted("seal.redacted", e["redactions"]))]
                          if e["redactions"] else [],
                          [counted("tui.detail.length", e["char_count"])])
                for e in intake["_default"]], sum(intake["seal"][0]["rejected"].values())
    entries: list[Entry] = intake["_default"]  # type: ignore[assignment]
    evaluation = check(workspace, entries, intake["imports"])
    rows = {e["id"]: IntakeRow(e["id"], e.get("track") or "?", e.get("agency", ""),
                               e.get("title", ""), evaluation.status.get(e["id"], "rejected"),
                               details=_entry_details(t, e))
            for e in entries}
    for finding in evaluation.findings:
        row = rows.get(finding.entry_id or "")
        if row is None:  # a manifest row that never became an entry (blank, duplicate …)
            key, where = f"{finding.manifest}:{finding.row}", finding_where(t, finding, None)
            row = rows.setdefault(key, IntakeRow(key, "", "", where, "skipped"))
        row.findings.append((finding.severity, finding.rule, finding_message(t, finding)))
    return list(rows.values()), sum(r.status == "rejected" for r in rows.values())


def _entry_details(t: Messages, entry: Entry) -> list[str]:
    facts = entry.get("facts") or {}
    authors = "、".join(a.get("name", "") for a in entry.get("authors", []))
    return [t("tui.detail.source", manifest=entry.get("manifest", ""), row=entry.get("row", ""),
              file=entry.get("source_file", "")),
            t("tui.detail.authors", authors=authors or "-"),
            t("tui.detail.length", count=facts.get("char_count", "-")),
            *([t("tui.detail.photos", count=len(entry["photos"]),
                 files="、".join(p["file"] for p in entry["photos"]))]
              if entry.get("photos") else [])]


def filter_rows(rows: list[IntakeRow], *, severity: str | None = None,
                agency: str | None = None, rule: str = "") -> list[IntakeRow]:
    """Rows of ``agency`` with a finding of ``severity`` that ``rule`` names: the start of its
    rule id (``format``) or words of its message in the reader's language (格式)."""
    rule = rule.strip().lower()
    by_finding = bool(severity or rule)
    out = []
    for row in rows:
        if agency and row.agency != agency:
            continue
        if by_finding and (not row.findings or not any(  # most rows have none to match
                (not severity or s == severity)
                and (r.lower().startswith(rule) or rule in text.lower())
                for s, r, text in row.findings)):
            continue
        out.append(row)
    return out


def seal_summary(t: Messages, report: SealReport, shares: tuple[int, int] | None) -> list[str]:
    """What a seal did, line by line: counts, key methods, share files, folders to clean."""
    methods = [t("seal.method.passphrase") if m == "passphrase" else
               t("seal.method.shares", threshold=shares[1] if shares else "?",
                 count=shares[0] if shares else "?")
               for m in report.methods]
    lines = [t("seal.done", sealed=report.sealed, rejected=report.rejected,
               redactions=report.redactions,
               methods=("、" if t.lang == "zh-TW" else ", ").join(methods),
               originals=t(f"seal.originals.{report.originals}"))]
    lines += [t("seal.share_written", path=path) for path in report.share_files]
    lines += [t("seal.outside", path=folder) for folder in report.outside]
    return lines


def export_summary(t: Messages, report: ExportReport) -> list[str]:
    """Where an export went: the folder, each file in it and each folder of files in it
    (a 函稿 per agency, a 評分表 per reviewer: a count, not a thousand lines), and what
    happened to the ODF/PDF copies."""
    lines = [t("export.done", count=len(report.files), folder=str(report.folder))]
    if report.blind_only:
        lines.append(t("export.blind_only"))
    lines += [f"  {line}" for line in file_lines(t, report.folder, report.files)]
    if report.no_scores:
        lines.append(t("export.no_scores"))
    if report.converted:
        lines.append(t("export.converted", count=len(report.converted)))
        if report.font_substitute:
            lines.append(t("export.font_substitute", font=report.font_substitute))
    elif report.converter:
        lines.append(t(f"export.converter_{report.converter}"))
    return lines


def file_lines(t: Messages, folder: Path, files: list[Path]) -> list[str]:
    """Each file in ``folder`` by its path, in the order written; where several are in a
    folder of their own (one per agency, one per reviewer), that folder once, with how
    many, where its first file came."""
    inner: dict[Path, list[Path]] = {}
    for path in files:
        try:
            parts = path.relative_to(folder).parts
        except ValueError:
            parts = (path.name,)
        inner.setdefault(folder / parts[0] if len(parts) > 1 else path, []).append(path)
    return [str(paths[0]) if len(paths) == 1
            else t("export.folder", path=f"{place}{os.sep}", count=len(paths))
            for place, paths in inner.items()]


def paper_summary(t: Messages, report: PaperReport) -> list[str]:
    """Where a meeting paper went: each file, and what happened to the ODF/PDF copies."""
    lines = [t("meeting.paper_written", sha256=report.sha256[:16])]
    lines += [f"  {path}" for path in report.files]
    if report.converter:
        lines.append(t(f"export.converter_{report.converter}"))
    elif report.font_substitute:
        lines.append(t("export.font_substitute", font=report.font_substitute))
    return lines


def laptop_text(t: Messages, laptop: LaptopStatus) -> str:
    """A reviewer's packet as its status says it: committee (in the reader's language),
    reviewer, progress and returns."""
    name = laptop.committee if t.lang == "zh-TW" else laptop.committee_en
    return t("packet.status", **dict(laptop.to_json(), committee=name,
                                     state=sheet_state(t, laptop)))


def sheet_state(t: Messages, sheet: SheetProgress | LaptopStatus) -> str:
    """A sheet's state as the progress tables show it: untouched, draft, submitted, or
    changed since it was submitted."""
    if getattr(sheet, "changed", False):
        return t("status.sheet.changed")
    if sheet.status != "submitted" and not sheet.done:
        return t("tui.state.untouched")
    return t(f"status.sheet.{sheet.status}")


def sheet_import_lines(t: Messages, workspace: Workspace, outcomes: Iterable[SheetOutcome],
                       *, replace_hint: str = "scores.replace_hint",
                       ) -> tuple[list[str], list[str]]:
    """What importing score sheets did, in the reader's words: the lines of each sheet
    imported, and of each refused (its reason and every bad line, as the CLI says them).
    ``replace_hint`` says how to let a sheet overwrite stored work (the CLI's
    ``--replace``, the app's box to tick)."""
    from .engine.scoring.paper import ScoreImportError

    done: list[str] = []
    refused: list[str] = []
    criteria = [c for track in workspace.config.tracks for c in track.criteria]
    for outcome in outcomes:
        error, report = outcome.error, outcome.report
        if error is not None:
            refused.append(t(error.key, **error.params))
            if isinstance(error, ScoreImportError):
                refused += [t("scores.import_line", line=line,
                              message=t(key, **criterion_named(t, params, criteria)))
                            for line, key, params in error.problems]
                if any(key == "scores.would_replace" for _, key, _ in error.problems):
                    refused.append(t(replace_hint))
        elif report is not None:
            done += [t("scores.imported", reviewer=r, count=n)
                     for r, n in sorted(report.written.items())]
            done += [t("scores.replaced", **criterion_named(t, change, criteria))
                     for change in report.replaced]
            done += [t("scores.unchanged", reviewer=r) for r in report.unchanged]
            done += [t("scores.submitted", reviewer=r) for r in report.submitted]
    return done, refused


def integrity_lines(t: Messages, workspace: Workspace) -> tuple[bool, list[str]]:
    """Whether the record holds, and what was checked, as ``audit verify`` and ``tally
    draw --verify`` say it: the audit log's chain and signatures, no step's record cut
    away, the rules, entries and deal the tally reads, the frozen decisions and the
    unsealed identities as their steps recorded them, and every lottery draw re-derived
    from its seed."""
    from .engine.decisions.commit import frozen_decisions
    from .engine.decisions.logged_inputs import changed_input
    from .engine.decisions.tally import verify_draws
    from .engine.errors import ReviewError
    from .engine.pipeline import check_anchors, completed_steps
    from .engine.sealing.unseal import load_unsealed

    result, records = workspace.audit.verified_records()
    if not result.ok:
        return False, [t("audit.bad", line=result.bad_line,
                         problem=t(f"audit.problem.{result.problem}"))]
    cut_after = check_anchors(workspace, records)
    if cut_after is not None:
        return False, [t("audit.truncated", step=cut_after)]
    lines = [t("audit.ok", lines=result.lines, head=result.head[:16])]
    done = completed_steps(workspace)
    try:
        changed = changed_input(workspace, records)
        if changed is not None:
            return False, [t("input.changed", path=str(changed))]
        if "sealed" in done:
            lines.append(t("audit.inputs_ok"))
        if "committed" in done:
            lines.append(t("audit.decisions_ok",
                           sha256=str(frozen_decisions(workspace)["sha256"])[:16]))
        if "unsealed" in done:
            load_unsealed(workspace)
            lines.append(t("audit.identities_ok"))
    except ReviewError as error:
        return False, [t(error.key, **error.params)]
    draws = verify_draws(workspace)
    return all(d.ok for d in draws), [*lines, *draw_check_lines(t, draws)]


def draw_check_lines(t: Messages, draws: list[DrawCheck]) -> list[str]:
    """Each recorded draw re-derived from its seed, said as matching or not (or that
    there is none)."""
    return [t("tally.draw_verified" if d.ok else "tally.draw_mismatch", track=d.track,
              codes=" ".join(d.group), seed=d.seed, order=" > ".join(d.order),
              derived=" > ".join(d.derived)) for d in draws] or [t("tally.no_draws")]


def progress_text(t: Messages, phase: str, done: int, total: int) -> str | None:
    """How far a long step's phase is (「轉成 ODT／PDF：3／8」); None for a phase without
    words of its own."""
    key = f"progress.{phase}"
    return t(key, done=done, total=total) if t.has(key) else None


def rule_change_lines(t: Messages, changes: Iterable[tuple[str, Any, Any]]) -> list[str]:
    """Each changed key of the rules, before and after (``config diff`` / ``amend``)."""
    import json

    def shown(value: Any) -> str:
        return "—" if value is None else json.dumps(value, ensure_ascii=False)

    return [t("config.change", key=key, before=shown(before), after=shown(after))
            for key, before, after in changes]
