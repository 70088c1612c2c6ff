"""The papers an office sends with the results, each filled from an editable template
(:mod:`.templating`): the 簽 to the head of the organising body, a 函稿 to each recommending
top-level agency, and a 獎狀 for each commended writer.

Every value comes from the committee's settings (``[documents]``) and its decisions; none
of the wording is here but the lines whose shape depends on the results.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.engine.decisions.records import Status
from review_tui.engine.exports.data import ExportData, ExportEntry
from review_tui.engine.exports.docx_tables import save
from review_tui.engine.exports.docx_writer import stamp_properties
from review_tui.engine.exports.roc import roc_date, roc_year
from review_tui.engine.exports.templating import (
    CompiledTemplate,
    fill,
    fill_pages,
    open_template,
    template_path,
)

DRAFT = "草案（未定案）"
MEMO, LETTER, CERTIFICATE = "memo.docx", "letter.docx", "certificate.docx"


@dataclass(frozen=True)
class AgencyResults:
    """What one recommending top-level agency is told: its entries and what became of
    them, and how many of its staff are commended."""

    agency: str
    entries: list[ExportEntry]
    rejected: list[dict[str, Any]]

    @property
    def winners(self) -> list[ExportEntry]:
        return [e for e in self.entries if e.decision.status == Status.WINNER]

    @property
    def commended(self) -> int:
        return sum(len(e.commended) for e in self.winners)


def agency_results(data: ExportData) -> list[AgencyResults]:
    """Every recommending top-level agency with an entry (accepted or not), sorted."""
    entries: dict[str, list[ExportEntry]] = {}
    for entry in data.entries:
        entries.setdefault(entry.top_agency or entry.agency or "", []).append(entry)
    rejected = data.rejected_by_agency()
    return [AgencyResults(agency, entries.get(agency, []), rejected.get(agency, []))
            for agency in sorted(set(entries) | set(rejected))]


def _common(data: ExportData) -> dict[str, str]:
    """The values every template may use."""
    settings = data.committee.documents
    return {
        "主辦機關": settings.organiser or data.committee.name,
        "主辦單位": settings.unit,
        "計畫": settings.programme or data.committee.name,
        "年度": f"{roc_year(data.committee.year)}年度",
        "日期": roc_date(data.stamp) if data.stamp else "中華民國　　年　　月　　日",
        "決議日期": roc_date(data.stamp) if data.stamp else "",
        "決議雜湊": data.decisions_sha256 or DRAFT,
        "首長職稱": settings.head_title,
        "首長姓名": settings.head_name,
        "發文字號": f"{settings.reference}　　　　　　號" if settings.reference else "",
        "地址": settings.address,
        "承辦人": settings.contact,
        "電話": settings.phone,
        "草案": "" if data.committed else DRAFT,
    }


def _save(document: Any, path: Path, data: ExportData, title: str) -> Path:
    stamp_properties(document, title, data.stamp)
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(document, path)


def memo(data: ExportData, results: list[AgencyResults], path: Path) -> Path:
    """簽: the review summed up for the head of the organising body (主旨／說明／擬辦);
    ``results`` are :func:`agency_results`."""
    tracks = []
    for number, track in enumerate(data.committee.tracks):
        accepted = data.by_track(track.id)
        winners = data.winners(track.id)
        groups = data.by_group(track, winners)
        quota = sum(track.group_rules(g).quota for g, _ in groups)
        empty = quota - len(winners)
        by_group = "；".join(f"{g or '未分組'}名額 {track.group_rules(g).quota} 件、入選 "
                            f"{len(members)} 件" for g, members in groups if g is not None)
        tracks.append({"結果": f"（{_numeral(number + 1)}）{track.name}：受理 {len(accepted)} 件，"
                       f"名額 {quota} 件，入選 {len(winners)} 件"
                       + (f"（{empty} 件從缺）" if empty > 0 else "")
                       + (f"（分組評比：{by_group}）" if by_group else "")
                       + f"，敘獎 {sum(len(e.commended) for e in winners)} 人。"})
    values = {**_common(data),
              "收件數": str(len(data.entries) + len(data.rejected)),
              "受理數": str(len(data.entries)),
              "不予受理數": str(len(data.rejected)),
              "委員數": str(len(data.reviewer_codes)),
              "機關數": str(len(results)),
              "敘獎人數": str(sum(r.commended for r in results))}
    document = fill(open_template(template_path(MEMO, data.templates)), values, {"類別": tracks},
                    name=MEMO)
    return _save(document, path, data, "簽")


def letter(data: ExportData, results: AgencyResults, template: CompiledTemplate,
           path: Path) -> Path:
    """函稿 to one recommending top-level agency: its results, row by row, and what it is to
    do (commend its staff by the enclosed 敘獎名冊; the refused entries' reasons enclosed).
    ``path``'s folder is made by the caller, once for every letter."""
    winners, refused = results.winners, results.rejected
    enclosures = ["評審結果入選名單"] + (["敘獎名冊"] if winners else []) + (
        ["不予受理名單"] if refused else [])
    rows = [{"類別": e.track.name, "作品題目": e.title, "作者": "、".join(e.writers),
             "結果": _result(e)} for e in results.entries]
    rows += [{"類別": next((t.name for t in data.committee.tracks if t.id == r["track"]),
                          r["track_raw"]),
              "作品題目": r["title"], "作者": "、".join(r["authors"]), "結果": "不予受理"}
             for r in refused]
    values = {**_common(data),
              "受文者": results.agency,
              "附件": "、".join(enclosures),
              "推薦數": str(len(results.entries) + len(refused)),
              "入選數": str(len(winners)),
              "未入選數": str(len(results.entries) - len(winners)),
              "不予受理數": str(len(refused)),
              "敘獎說明": (f"貴機關入選作品之撰寫人員計 {results.commended} 人，請依附件敘獎名冊"
                        "本於權責辦理敘獎。" if winners
                        else "貴機關本次無入選作品，無須辦理敘獎。"),
              "不予受理說明": (f"貴機關推薦作品不予受理 {len(refused)} 件，理由詳附件不予受理名單。"
                          if refused else "貴機關推薦作品均經受理。")}
    return template.write(values, {"明細": rows}, path, title=f"{results.agency} 函稿",
                          stamp=data.stamp)


def letter_template(data: ExportData) -> CompiledTemplate:
    """The 函稿 template, made ready once for every agency's letter."""
    return CompiledTemplate(template_path(LETTER, data.templates), LETTER, _common(data))


def _result(entry: ExportEntry) -> str:
    decision = entry.decision
    if decision.status != Status.WINNER:
        return "未入選"
    return "入選" + "".join(f"（{part}）" for part in (entry.group, decision.tier) if part)


def certificates(data: ExportData, path: Path) -> Path:
    """獎狀: a page for each commended writer, by agency, in rank order within it."""
    pages = []
    winners = sorted(data.winners(), key=lambda e: (e.top_agency or e.agency or ""))
    seen: Counter[str] = Counter()
    for entry in winners:
        for writer in entry.commended:
            seen["all"] += 1
            pages.append({
                "字號": f"{roc_year(data.committee.year)}年度第 {seen['all']:03d} 號",
                "服務單位": writer.get("unit") or entry.agency or "",
                "職稱": writer.get("job_title", ""),
                "姓名": writer.get("name", ""),
                "類別": entry.track.name,
                "作品題目": entry.title,
                "獎次": f"（{entry.decision.tier}）" if entry.decision.tier else ""})
    document = fill_pages(open_template(template_path(CERTIFICATE, data.templates)), pages,
                          _common(data), name=CERTIFICATE)
    return _save(document, path, data, "獎狀")


def _numeral(number: int) -> str:
    """一, 二 … 十九: the numbering of a 公文's points."""
    digits = "一二三四五六七八九"
    if number < 10:
        return digits[number - 1]
    return "十" + (digits[number - 11] if number > 10 else "")
