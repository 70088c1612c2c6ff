"""The meeting's papers: the sign-in sheet (簽到表) before it, the minutes (會議紀錄) after.

Both are .docx in the committee's look (its base template), in Traditional Chinese, with
ODF and PDF copies where LibreOffice is installed. The minutes hold the date and place, the
roll and the quorum, every matter of the agenda with its decision and the meeting's note,
the robustness of the decisions, the commit's hash (or 草案 before it) and a line for each
member present to sign. They are blind (codes and reviewer ids), like the meeting.

Each paper is one step: written in a scratch folder, converted, and moved in at the commit
with an audit record of its hash, replacing an earlier paper of the same name (the minutes
are drawn again as the meeting goes on).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from review_tui.engine.config import Committee
from review_tui.engine.errors import ReviewError
from review_tui.engine.model import Progress
from review_tui.engine.storage.journal import current_step, transaction
from review_tui.engine.workspace import Workspace
from review_tui.i18n import Messages

LANG = "zh-TW"  # papers filed with a Taiwanese agency are in Traditional Chinese
MINUTES = "會議紀錄"
SIGN_IN = "簽到表"


@dataclass
class PaperReport:
    """What a paper step wrote: the .docx and its copies, and why there are no copies."""

    files: list[Path] = field(default_factory=list)
    converter: str | None = None  # "missing" or "failed" when there is no ODF/PDF
    font_substitute: str | None = None
    sha256: str = ""


def meeting_day(text: str | None) -> date | None:
    """The meeting's day as typed (2026-07-15); None when not given (today)."""
    try:
        return date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        raise ReviewError("meeting.bad_date", value=text) from None


def _paper(workspace: Workspace, title: str, place: str, day: date, draft: bool) -> Any:
    from review_tui.engine.exports.data import template_folder
    from review_tui.engine.exports.documents import DRAFT, programme_head
    from review_tui.engine.exports.docx_writer import add_title, mark_draft, stamp_properties
    from review_tui.engine.exports.roc import roc_date
    from review_tui.engine.exports.templating import base_document

    document = base_document(template_folder(workspace))
    if draft:
        mark_draft(document.sections[-1], DRAFT)
    stamp_properties(document, title, day.isoformat())
    add_title(document, programme_head(workspace.config), 16)
    add_title(document, title, 16)
    document.add_paragraph(f"時間：{roc_date(day)}")
    document.add_paragraph(f"地點：{place or '＿' * 12}")
    return document


def _table(document: Any, rows: Iterable[list[str]], header: list[str],
           weights: list[float]) -> None:
    from review_tui.engine.exports.docx_tables import add_table

    add_table(document, header, list(rows), weights)


@transaction("meeting.sign_in")
def write_sign_in(workspace: Workspace, out: Path, *, place: str = "",
                  day: date | None = None, convert: bool = True,
                  progress: Progress | None = None) -> PaperReport:
    """The sign-in sheet: every member with a cell to sign, before the meeting."""
    from review_tui.engine.intake.roster import load_reviewers

    t = Messages(LANG)
    day = day or date.today()
    members = load_reviewers(workspace)
    if not members:
        raise ReviewError("seal.no_reviewers")
    document = _paper(workspace, f"評審委員會會議{SIGN_IN}", place, day, draft=False)
    _table(document, ([m["id"], m["name"], m["agency"],
                               t("meeting.external" if m["external"] else "meeting.internal"),
                               "\n\n\n"] for m in members),
                   ["代號", "姓名", "服務機關", "類別", "簽名"], [1.4, 2.2, 4.6, 1.6, 4.0])
    return _finish(workspace, document, out, SIGN_IN, "meeting.sign_in", convert, progress,
                   {"members": len(members)})


@transaction("meeting.minutes")
def write_minutes(workspace: Workspace, out: Path, *, place: str = "",
                  day: date | None = None, convert: bool = True,
                  progress: Progress | None = None) -> PaperReport:
    """The minutes as the meeting stands: draft until the commit, then with its hash."""
    from review_tui.engine.decisions.commit import frozen_decisions
    from review_tui.engine.decisions.robustness import robustness
    from review_tui.engine.decisions.tally import tally
    from review_tui.engine.meeting.agenda import agenda
    from review_tui.engine.meeting.attendance import quorum
    from review_tui.engine.pipeline import completed_steps

    t = Messages(LANG)
    committee = workspace.config
    day = day or date.today()
    committed = "committed" in completed_steps(workspace)
    result = tally(workspace, record=False)
    roll = quorum(workspace)
    matters = agenda(workspace, result)
    reports = robustness(workspace)
    document = _paper(workspace, f"評審委員會{MINUTES}", place, day, draft=not committed)
    document.add_paragraph("主席：" + "＿" * 8 + "　　紀錄：" + "＿" * 8)
    _roll(document, t, roll)
    _matters(document, t, matters, committee)
    _robustness(document, t, reports, committee)
    details: dict[str, Any] = {"matters": len(matters),
                               "open": sum(1 for m in matters if m.open)}
    if committed:
        frozen = frozen_decisions(workspace)
        record = next((r for r in workspace.audit.records()
                       if r.get("seq") == frozen["audit_seq"]), {})
        _commit(document, frozen["sha256"], record.get("details", {}))
        details["decisions_sha256"] = frozen["sha256"]
    else:
        _heading(document, "伍、定案")
        document.add_paragraph("尚未定案，本紀錄為草案。")
    _signatures(document, roll)
    return _finish(workspace, document, out, MINUTES, "meeting.minutes", convert, progress,
                   details)


def _heading(document: Any, text: str) -> None:
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.space_before = Pt(12)
    run = paragraph.add_run(text)
    run.bold = True


def _roll(document: Any, t: Messages, roll: Any) -> None:
    from review_tui.engine.meeting.wording import quorum_summary

    def names(members: list[Any]) -> str:
        return "、".join(f"{m.name}（{m.id}，{'外聘' if m.external else '機關內'}）"
                        for m in members) or "無"

    _heading(document, "壹、出席委員")
    document.add_paragraph("出席：" + names([m for m in roll.members if m.present]))
    document.add_paragraph("缺席：" + names([m for m in roll.members if m.present is False]))
    unrecorded = [m for m in roll.members if m.present is None]
    if unrecorded:
        document.add_paragraph("未登記：" + names(unrecorded))
    _heading(document, "貳、法定人數")
    document.add_paragraph(quorum_summary(t, roll))


def _matters(document: Any, t: Messages, matters: list[Any], committee: Committee) -> None:
    from review_tui.engine.meeting.wording import matter_decision, matter_subject

    _heading(document, "參、討論事項及決定")
    if not matters:
        document.add_paragraph(t("agenda.empty"))
        return
    _table(document, ([str(number), matter_subject(t, m, committee),
                               matter_decision(t, m), m.note]
                              for number, m in enumerate(matters, start=1)),
                   ["序號", "事項", "決定", "說明"], [1.5, 7.0, 4.2, 3.3])


def _robustness(document: Any, t: Messages, reports: list[Any],
                committee: Committee) -> None:
    from docx.shared import Pt

    from review_tui.engine.decisions.wording import track_name
    from review_tui.engine.meeting.wording import outcome_text, scenario_words

    _heading(document, "肆、決定的穩健性")
    document.add_paragraph("依其他計分方式、或少算任一位委員的評分重新計算，結果會改變的作品，"
                           "供定案前討論：")
    for report in reports:
        name = track_name(t, committee.track(report.track))
        _heading(document, t("robustness.header", track=name,
                             method=t(f"method.{report.method}")))
        rows = [[code, outcome_text(t, before), outcome_text(t, after),
                 scenario_words(t, scenarios)]
                for code in report.fragile
                for before, after, scenarios in report.changes_of(code)]
        if rows:
            _table(document, rows, ["作品", "現在", "改變為", "在何種算法下"],
                           [2.4, 2.6, 2.6, 8.4])
        stable = len(report.ranked) - len(report.fragile)
        lines = [t("robustness.stable_entries", count=stable) if rows
                 else t("robustness.none")]
        if report.fewer_reviewers:
            lines.append(t("robustness.fewer", most=report.most_reviewers, codes=t(
                "sep.list").join(t("robustness.fewer_one", code=c, count=n)
                                 for c, n in report.fewer_reviewers.items())))
        for line in lines:
            paragraph = document.add_paragraph(line.strip())
            paragraph.paragraph_format.space_before = Pt(6)


def _commit(document: Any, sha256: str, details: dict[str, Any]) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    _heading(document, "伍、定案")
    document.add_paragraph("決議雜湊（SHA-256）：")
    digest = document.add_paragraph()  # one unbroken word: on one line, not spread over it
    digest.alignment = WD_ALIGN_PARAGRAPH.LEFT
    digest.add_run(sha256).font.size = Pt(10)
    overridden = details.get("override_reason")
    if overridden:
        document.add_paragraph(f"主席就未決事項定案的理由：{overridden}")


def _signatures(document: Any, roll: Any) -> None:
    _heading(document, "陸、出席委員簽名")
    present = [m for m in roll.members if m.present]
    _table(document, ([m.id, m.name, "\n\n"] for m in present),
                   ["代號", "姓名", "簽名"], [1.6, 3.0, 6.0])


def _finish(workspace: Workspace, document: Any, out: Path, name: str, action: str,
            convert: bool, progress: Progress | None,
            details: dict[str, Any]) -> PaperReport:
    """Save in the step's scratch folder, convert, move in at the commit, and log it."""
    from review_tui.engine.exports import ExportReport, output_folder
    from review_tui.engine.exports.conversion import convert_documents
    from review_tui.engine.exports.docx_tables import save

    active = current_step(workspace.root)
    assert active is not None
    folder = output_folder(Path(out))
    scratch = active.scratch_folder(folder)
    written = [save(document, scratch / f"{name}.docx")]
    report = PaperReport(sha256=hashlib.sha256(written[0].read_bytes()).hexdigest())
    if convert:
        converted = ExportReport(folder, blind_only=True)
        written += convert_documents(converted, written, workspace.config.format,
                                     progress or (lambda phase, done, total: None), scratch)
        report.converter, report.font_substitute = (converted.converter,
                                                    converted.font_substitute)
    for path in written:
        final = folder / path.name
        active.will_rename(path, final)
        report.files.append(final)
    workspace.audit.append(action, dict(details, file=f"{name}.docx", sha256=report.sha256))
    return report
