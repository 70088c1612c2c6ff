"""The .docx documents, each a pure function ``(data, path) -> path``.

All use the programme's page (A4, margins 2.54/3.17 cm, 標楷體 with ``w:eastAsia`` set,
page number centred in the footer); titles are centred, tables bordered with the header
repeated on every page. Core properties carry the commit date, not "now", so the same data
gives the same documents.
"""

from __future__ import annotations

import functools
import io
import json
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm

from review_tui.engine.config import Committee, Track
from review_tui.engine.decisions.records import TieRecord
from review_tui.engine.decisions.wording import criterion_names, tie_text
from review_tui.engine.exports.csv_json import answer
from review_tui.engine.exports.data import ExportData, ExportEntry
from review_tui.engine.exports.docx_tables import (
    save,
    set_column_widths,
    text_width_cm,
)
from review_tui.engine.exports.docx_writer import (
    add_bookmark,
    add_contents_line,
    mark_draft,
    stamp_properties,
    update_fields_on_open,
)
from review_tui.engine.exports.docx_writer import add_title as add_heading
from review_tui.engine.exports.roc import roc_date, roc_month, roc_year
from review_tui.engine.exports.table_template import Section, fill_table_document, row_writers
from review_tui.engine.exports.templating import (
    CompiledTemplate,
    append_body,
    base_document,
    fill,
    open_template,
    template_path,
)
from review_tui.engine.intake.wording import finding_text
from review_tui.engine.scoring.scores import score_total
from review_tui.i18n import translate

LANG = "zh-TW"  # documents filed with a Taiwanese agency are in Traditional Chinese


def _t(key: str, /, **params: Any) -> str:
    return translate(key, LANG, **params)


DRAFT = "草案（未定案）"


def programme_head(committee: Committee) -> str:
    """「高雄市政府 115年度 溝通服務COACH旗艦專案」 from ``[documents]``; without it (a
    committee made before the setting), the year and the committee's name."""
    settings = committee.documents
    year = f"{roc_year(committee.year)}年度"
    if settings.programme:
        return " ".join(p for p in (settings.organiser, year, settings.programme) if p)
    return f"{year} {committee.name}"


def document_head(data: ExportData) -> str:
    """「高雄市政府 115年度 溝通服務COACH旗艦專案 評審結果」 (without ``[documents]``, the
    year and the committee's name)."""
    head = programme_head(data.committee)
    return f"{head} 評審結果" if data.committee.documents.programme else head


def _head(data: ExportData, title: str, *, decision: bool = True) -> dict[str, str]:
    """A document's head as its template's fields: 機關計畫, 文件名稱, 暫定說明 (sheets
    still out), 日期, and 決議 (the frozen decisions' hash; 草案 before the commit), left
    empty where ``decision`` is False."""
    sealed = f"決議雜湊（SHA-256）：{data.decisions_sha256}" if data.decisions_sha256 else DRAFT
    return {"機關計畫": document_head(data), "文件名稱": title,
            "暫定說明": (_t("tally.provisional", count=data.unsubmitted)
                     if data.unsubmitted else ""),
            "日期": roc_date(data.stamp) if data.stamp else "",
            "決議": sealed if decision else ""}


def _templated(data: ExportData, template: str, title: str, values: dict[str, str],
               sections: list[Section], path: Path, *, drop: tuple[str, ...] = ()) -> Path:
    """A tabular document from its template, filled (:func:`_filled`) and saved."""
    document = _filled(data, template, title, values, sections, drop=drop)
    stamp_properties(document, title, data.stamp)
    return _save(document, path)


def _filled(data: ExportData, template: str, title: str, values: dict[str, str],
            sections: list[Section], *, drop: tuple[str, ...] = (),
            decision: bool = True) -> Any:
    """Template ``template`` (``templates/…``, or the committee's own) with its head,
    ``values`` and ``sections`` filled in, every page marked 草案 before the commit."""
    document = fill_table_document(template, data.templates,
                                   {**_head(data, title, decision=decision), **values},
                                   sections, drop=drop)
    if not data.committed:
        mark_draft(document.sections[-1], DRAFT)
    return document


def _criterion_columns(track: Track) -> list[dict[str, str]]:
    """A track's criteria as its repeated column's items (名稱, 配分)."""
    return [{"名稱": c.name, "配分": str(c.points)} for c in track.criteria]


def _save(document: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return save(document, path)


def _writers(entry: ExportEntry) -> str:
    return "、".join(w["name"] for w in entry.commended)


def award_list(data: ExportData, track_id: str, path: Path) -> Path:
    """入選名單 (template ``award_list.docx``): the winners of one track, in rank order:
    序號, 名次 within the track (a shared rank said as such), the recommending top-level
    agency and the writer's own unit, the commended with their 職稱, the tie in words, and
    for a case whether its writers will present it (願意發表, a column only when the
    manifest asked); then the rules applied and what stays empty (從缺). A grouped track
    has one section per group (組別), 名次 and rules within it."""
    track = data.committee.track(track_id)
    presenting = data.asks_presenting(track_id)
    names = criterion_names(track, LANG)
    sections, number = [], 0
    for group, winners in data.by_group(track, data.winners(track_id)):
        ranks = Counter(e.decision.rank for e in winners)
        rows = []
        for e in winners:
            number += 1
            rows.append({
                "序號": str(number), "名次": _rank(e.decision.rank, ranks), "編號": e.code,
                "作品題目": e.title, "推薦機關": e.top_agency or "", "服務單位": e.agency or "",
                "敘獎人員": _writers_with_titles(e), "共同作者": "、".join(e.co_authors),
                "平均分數": str(e.decision.score or ""),
                "獎勵": " ".join(x for x in (e.decision.tier, e.decision.award) if x),
                "同分比序": (tie_text(_t, e.decision.tie, names).replace("\n", "；")
                         if e.decision.tie else ""),
                "願意發表": answer(_t, e.will_present) if presenting else ""})
        heading = "" if group is None else f"組別：{group or '（未分組）'}"
        note = _rules_note(track.group_rules(group), len(winners),
                           "本組" if group is not None else "本類")
        sections.append(Section({"標題": heading, "附註": note}, rows))
    return _templated(data, "award_list.docx", f"{track.name} 入選名單", {}, sections, path,
                      drop=() if presenting else ("願意發表",))


def presenters(data: ExportData, path: Path) -> Path:
    """發表名單 (template ``presenters.docx``): the winning cases whose writers agreed to
    present them at the 成果發表會, with the recommending agency and the writers'
    telephone numbers, for the organiser."""
    rows = [{"序號": str(number), "類別": entry.track.name, "組別": entry.group or "",
             "編號": entry.code, "作品題目": entry.title, "服務類別": entry.service_category,
             "推薦機關": entry.top_agency or "", "服務單位": entry.agency or "",
             "撰寫人": "、".join(entry.writers), "聯絡電話": "\n".join(entry.contacts)}
            for number, entry in enumerate(data.presenting(), start=1)]
    return _templated(data, "presenters.docx", "成果發表會 發表名單",
                      {"合計": str(len(rows))}, [Section(rows=rows)], path)



def _rank(rank: int | None, ranks: Counter[int | None]) -> str:
    """名次 as a reader takes it: "3", or "3（並列）" when another winner shares it."""
    return f"{rank}（並列）" if ranks[rank] > 1 else str(rank or "")


def _writers_with_titles(entry: ExportEntry) -> str:
    return "、".join(f"{w['name']}（{w['job_title']}）" if w.get("job_title") else w["name"]
                    for w in entry.commended)


def _rules_note(track: Track, winners: int, scope: str = "本類") -> str:
    """附註: the rules this list (a track, or one group: ``scope``) was decided by, and
    every place left empty (從缺)."""
    parts = [f"{scope}入選名額 {track.quota} 件", f"平均分數須達 {track.min_score} 分"]
    if track.agency_award_cap:
        parts.append(f"同一推薦機關（含所屬機關）至多入選 {track.agency_award_cap} 件")
    parts.append(f"每件至多敘獎 {track.commended_authors_cap} 人，其餘列為共同作者")
    if track.once_per_person:
        parts.append("同一人於本類至多敘獎一次")
    if winners < track.quota:
        parts.append(f"本次入選 {winners} 件，其餘 {track.quota - winners} 件從缺")
    return "附註：" + "；".join(parts) + "。"


def roster_rows(data: ExportData) -> dict[str, list[list[str]]]:
    """敘獎名冊 rows per recommending top-level agency (its order as the roster's names
    sort): unit, 職稱, name, 獎度, 事由 — one row per commended writer."""
    by_agency: dict[str, list[list[str]]] = {}
    for entry in data.winners():
        reason = f"撰寫{entry.track.name}經評選入選績優作品（{entry.code}〈{entry.title}〉）"
        award = entry.decision.award or entry.track.award
        for writer in entry.commended:
            by_agency.setdefault(entry.top_agency or entry.agency or "", []).append([
                writer.get("unit") or entry.agency or "", writer.get("job_title", ""),
                writer.get("name", ""), award, reason])
    return dict(sorted(by_agency.items()))


def commendation_roster(data: ExportData, agency: str, rows: list[list[str]],
                        path: Path) -> Path:
    """敘獎名冊 (template ``roster.docx``) of one recommending top-level agency, for its
    personnel office: its commended staff, the total, and the 承辦人／單位主管 signature
    block."""
    keys = ("機關單位", "職稱", "姓名", "獎度", "事由")
    return _templated(data, "roster.docx", f"{agency} 敘獎名冊", {"合計": str(len(rows))},
                      [Section(rows=[dict(zip(keys, row, strict=True)) for row in rows])],
                      path)


def _rejected_rows(data: ExportData, rows: list[dict[str, Any]]) -> list[dict[str, str]]:
    """不予受理 rows as a person reads them, by their templates' fields: 類別, 作品題目,
    作者, 服務單位, 名冊列 (where in which manifest) and 理由 (every rule that refused it)."""
    names = {t.id: t.name for t in data.committee.tracks}
    return [{"類別": names.get(r["track"] or "", r["track_raw"]), "作品題目": r["title"],
             "作者": "、".join(r["authors"]), "服務單位": r["agency"],
             "名冊列": f"{r['manifest']} 第 {r['row']} 列",
             "理由": "；".join(finding_text(_t, f["rule"], f["params"]) for f in r["reasons"])}
            for r in rows]


def rejected_list(data: ExportData, agency: str, rows: list[dict[str, Any]],
                  path: Path) -> Path:
    """不予受理名單 (template ``rejected.docx``) of one recommending top-level agency, with
    the reasons, to notify it."""
    return _templated(data, "rejected.docx", f"{agency} 不予受理名單",
                      {"合計": str(len(rows))}, [Section(rows=_rejected_rows(data, rows))],
                      path)


def score_summary(data: ExportData, path: Path) -> Path:
    """成績總表 (template ``score_summary.docx``): per track (and group) every entry with
    each reviewer's criterion scores (reviewers as R1 …; a re-scored one with its first
    round beside it), total, mean, spread, the discrepancy and how the chair handled it
    (with the note), status and reason; each tie in words; the entries not accepted with
    their reasons; the amendments; signature lines for every reviewer and the chair."""
    sections = []
    for track in data.committee.tracks:
        groups = data.by_group(track, data.by_track(track.id))
        rejected = [r for r in data.rejected if r["track"] == track.id]
        for number, (group, entries) in enumerate(groups, start=1):
            last = number == len(groups)
            sections.append(_summary_section(
                data, track, track.name if group is None else f"{track.name}　組別：{group}",
                entries, rejected if last else []))
    revisions = [f"{a['at'][:10]}　理由：{a['reason']}。修訂內容："
                 + "；".join(f"{c['key']}：{_value(c['before'])} → {_value(c['after'])}"
                            for c in a["changes"]) + "。" for a in data.amendments]
    codes = [f"{code}：＿＿＿＿＿＿＿＿" for code in data.reviewer_codes.values()]
    lines = "\n\n".join("　　".join(codes[i:i + 3]) for i in range(0, len(codes), 3))
    return _templated(data, "score_summary.docx", "成績總表", {
        "修訂標題": "附註：彌封後修訂之評審規則" if revisions else "",
        "修訂": "\n".join(revisions),
        "簽名": f"\n評審委員簽名：\n\n{lines}\n\n召集人簽名：＿＿＿＿＿＿＿＿"}, sections, path)


def _summary_section(data: ExportData, track: Track, heading: str,
                     entries: list[ExportEntry], rejected: list[dict[str, Any]]) -> Section:
    """One track's (or one group's) part of the 成績總表: a row per review, the group's
    ties in words, and (in a track's last part) its entries not accepted."""
    rows: list[dict[str, str | list[str]]] = []
    ties: dict[str, TieRecord] = {}  # each group once
    for entry in entries:
        d = entry.decision
        if d.tie is not None:
            ties.setdefault(d.tie.key, d.tie)
        outcome = d.discrepancy.outcome
        handled = ""
        if d.discrepancy.flagged:
            handled = _t(f"outcome.{outcome.action if outcome else 'open'}")
            if outcome and outcome.note:
                handled += f"（{outcome.note}）"
        first = {"名次": str(d.rank or ""), "編號": entry.code, "作品題目": entry.title}
        last = {"平均": str(d.mean or ""), "差距": str(d.spread), "評分差異處理": handled,
                "結果": _t(f"status.{d.status}"),
                "理由": _t(d.reason, **data.reason_params(d))}
        blank_first, blank_last = dict.fromkeys(first, ""), dict.fromkeys(last, "")
        for number, review in enumerate(d.reviews or [None]):
            earlier = (review.first_round or {}) if review else {}
            scores = ([_rescored(review.criteria.get(c.id),
                                 earlier.get("criteria", {}).get(c.id))
                       for c in track.criteria]
                      if review else ["" for _ in track.criteria])
            who = (data.reviewer_codes.get(review.reviewer, review.reviewer)
                   + ("" if review.counted else "（不計）")) if review else ""
            rows.append({**(first if number == 0 else blank_first), "委員": who,
                         "項目": scores,
                         "總分": _rescored(review.total, earlier.get("total")) if review
                         else "",
                         **(last if number == 0 else blank_last)})
    names = criterion_names(track, LANG)
    refused = _rejected_rows(data, rejected)  # its track is the section's: no 類別 column
    return Section(
        values={"標題": heading,
                "同分比序標題": f"{heading} 同分比序" if ties else "",
                "同分比序": "\n".join("、".join(tie.group) + "："
                                   + tie_text(_t, tie, names).replace("\n", "；")
                                   for tie in ties.values()),
                "不予受理標題": f"{track.name} 不予受理" if refused else ""},
        rows=rows, lists={"不予受理": refused}, columns=_criterion_columns(track))


@functools.lru_cache(maxsize=4096)  # a few hundred distinct scores in 240,000 cells
def _rescored(now: str | None, first: str | None) -> str:
    """A score as it stands, with the first round's beside it when a re-score changed it:
    「30（首輪 22）」."""
    if now is None:
        return ""
    shown = _points(Decimal(str(now)))
    if first is None or Decimal(str(first)) == Decimal(str(now)):
        return shown
    return f"{shown}\n（首輪 {_points(Decimal(str(first)))}）"


def _value(value: Any) -> str:
    return "（無）" if value is None else json.dumps(value, ensure_ascii=False)


def _points(total: Decimal) -> str:
    """A total as its scores are written: "74", "74.5" (not "74.0" beside "28")."""
    return f"{total:.1f}" if total != total.to_integral_value() else str(int(total))


class ScoreSheets:
    """評分表 (template ``score_sheet.docx``): one reviewer's scores, criteria with
    points, comments (the entry's and each criterion's; a recusal and its reason), a
    signature line. Filled once per set of tracks a sheet holds and written out as text
    (:class:`.templating.CompiledTemplate`): each reviewer's sheet is its name and rows
    joined in (2,000 sheets: a python-docx document each cost ~6 ms)."""

    FIELDS = ("評審委員", "委員代號", "總表代號")

    def __init__(self, data: ExportData) -> None:
        self.data = data
        self._built: dict[tuple[str, ...], tuple[CompiledTemplate, list[Any]]] = {}

    def write(self, reviewer: str, path: Path) -> Path:
        """``reviewer``'s sheet at ``path`` (its folder made by the caller, once)."""
        data = self.data
        rows_by_track: dict[str, list[dict[str, Any]]] = {
            t.id: [] for t in data.committee.tracks}
        for entry_code in data.queues.get(reviewer, []):
            entry = data.by_code.get(entry_code)
            if entry is None:
                continue
            row = data.sheets.get(reviewer, {}).get(entry_code, {})
            scores = row.get("scores", {})
            marks = [scores.get(c.id, "") for c in entry.track.criteria]
            # The title as the reviewer scored it (redacted), even after the unseal.
            rows_by_track[entry.track.id].append({
                "編號": entry_code, "作品題目": entry.blind_title, "項目": marks,
                "總分": _points(score_total(marks)) if scores else "",
                "評語": _comments(entry.track, row)})
        tracks = tuple(t for t, rows in rows_by_track.items() if rows)
        compiled, writers = self._built.get(tracks) or self._build(tracks)
        values = {"評審委員": data.reviewer_names.get(reviewer, reviewer), "委員代號": reviewer,
                  "總表代號": data.reviewer_codes[reviewer]}
        return compiled.write(values, {}, path, title="評分表", stamp=data.stamp, tables=[
            writer(rows_by_track[track]) for track, writer in zip(tracks, writers,
                                                                   strict=True)])

    def _build(self, tracks: tuple[str, ...]) -> tuple[CompiledTemplate, list[Any]]:
        data = self.data
        sample = {"編號": "", "作品題目": "", "總分": "", "評語": ""}
        sections = [Section({"標題": track.name},
                            [{**sample, "項目": ["" for _ in track.criteria]}],
                            columns=_criterion_columns(track))
                    for track in (data.committee.track(t) for t in tracks)]
        fields = {name: "{{" + name + "}}" for name in self.FIELDS}  # filled per sheet
        document = _filled(data, "score_sheet.docx", "評分表", fields, sections,
                           decision=False)
        built = (CompiledTemplate(None, "評分表", {}, document=document, fields=self.FIELDS),
                 row_writers(document))
        self._built[tracks] = built
        return built


def _comments(track: Track, row: dict[str, Any]) -> str:
    """A review's comments as the sheet prints them: the entry's, then each criterion's
    (「旨意詮釋：…」), and a recusal in place of scores."""
    if row.get("recused"):
        return f"自行迴避：{row['recused'].get('reason', '')}"
    remarks = row.get("criterion_comments", {})
    lines = [row.get("comment", "")] + [f"{c.name}：{remarks[c.id]}" for c in track.criteria
                                        if remarks.get(c.id)]
    return "\n".join(line for line in lines if line)


def compilation(data: ExportData, texts: dict[str, list[str]], path: Path,
                photos: dict[str, list[tuple[str, bytes]]] | None = None) -> Path:
    """優良作品集: cover, contents with page numbers, then each selected work in the seed's
    format, a case in the seed's case layout (題目, 服務類別, 機關／撰寫人, 實例說明, and
    its photos, 實例照片, when it has any)."""
    photos = photos or {}
    document = base_document(data.templates)
    stamp_properties(document, "優良作品集", data.stamp)
    _cover(data, document)
    contents = add_heading(document, "目　錄", 16)
    contents.paragraph_format.page_break_before = True
    winners = data.winners()
    pages = _estimated_pages(winners, texts, first=3, photos=photos)
    for number, entry in enumerate(winners):
        if number == 0 or entry.track.id != winners[number - 1].track.id:
            add_heading(document, entry.track.name, 14).alignment = WD_ALIGN_PARAGRAPH.LEFT
        add_contents_line(document, f"{entry.title}　{_writers(entry)}", f"_Work{number}",
                          str(pages[number]))
    for number, entry in enumerate(winners):
        heading = document.add_heading("", level=1)
        heading.paragraph_format.page_break_before = True  # no blank page after a full one
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_bookmark(heading, f"_Work{number}", entry.title, number)
        writers = "、".join([w["name"] for w in entry.commended] + entry.co_authors)
        body = texts.get(entry.code, [])
        paragraphs = [p.strip() for p in (body[1:] if body and body[0].strip()
                                          == entry.title.strip() else body) if p.strip()]
        if entry.service_category:
            _case_layout(document, entry, writers, paragraphs, photos.get(entry.code, []))
            continue
        byline = document.add_paragraph(f"{entry.agency or ''}　{writers}")  # co-authors too
        byline.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
    update_fields_on_open(document)
    return _save(document, path)


COVER = "compilation.docx"


def _cover(data: ExportData, document: Any) -> None:
    """The cover from template ``compilation.docx`` (fields 主辦機關, 年度, 計畫名稱, 書名
    and 日期; the committee's own copy if it has one), onto the base the works are set on."""
    settings = data.committee.documents
    cover = fill(open_template(template_path(COVER, data.templates)), {
        "主辦機關": settings.organiser or data.committee.name,
        "書名": " ".join(p for p in (f"{roc_year(data.committee.year)}年度",
                                   settings.programme, "優良作品集") if p),
        "年度": f"{roc_year(data.committee.year)}年度",
        "計畫名稱": settings.programme or data.committee.name,
        "日期": roc_month(data.stamp) if data.stamp else ""}, name=COVER)
    append_body(document, cover)


CASE_LABELS = ("溝通服務案例題目", "溝通服務類別", "機關／撰寫人", "溝通服務個案實例說明")
PHOTO_LABEL = "溝通服務個案實例照片"
PHOTO_MAX_CM = (12.0, 8.0)  # width, height: two photos to a page with their label


def _case_layout(document: Any, entry: ExportEntry, writers: str,
                 paragraphs: list[str], photos: list[tuple[str, bytes]]) -> None:
    """A case as the seed's form lays it out: a bordered table of 題目, 服務類別 and
    機關／撰寫人, then 實例說明 across the page with the account below it (a row that may
    run across pages), then 實例照片 with each photo, centred, in its own unsplit row."""
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    widths = [Cm(5.0), Cm(text_width_cm(document) - 5.0)]  # 溝通服務個案實例說明 on one line
    set_column_widths(table, [width.twips for width in widths])
    values = [entry.title, entry.service_category, f"{entry.agency or ''}　{writers}"]
    for label, value in zip(CASE_LABELS, values, strict=False):
        row = table.add_row()
        row.cells[0].text, row.cells[1].text = label, value
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
    heading = table.add_row()
    merged = heading.cells[0].merge(heading.cells[1])
    merged.text = CASE_LABELS[-1]
    account = table.add_row()
    cell = account.cells[0].merge(account.cells[1])
    cell.paragraphs[0].text = paragraphs[0] if paragraphs else ""
    for paragraph in paragraphs[1:]:
        cell.add_paragraph(paragraph)
    for row in table.rows[:-1]:  # the form's head stays whole and with the account
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for paragraph in (p for c in row.cells for p in c.paragraphs):
            paragraph.paragraph_format.keep_with_next = True
    if photos:
        label = table.add_row()
        label.cells[0].merge(label.cells[1]).text = PHOTO_LABEL
        label._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        label.cells[0].paragraphs[0].paragraph_format.keep_with_next = True
    for _, picture in photos:
        row = table.add_row()
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        cell = row.cells[0].merge(row.cells[1])
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        width, height = _photo_size(picture)
        paragraph.add_run().add_picture(io.BytesIO(picture), width=width, height=height)


def _photo_size(picture: bytes) -> tuple[Any, Any]:
    """A photo's printed size: as large as :data:`PHOTO_MAX_CM` allows, its shape kept."""
    from docx.image.image import Image

    image = Image.from_blob(picture)
    scale = min(PHOTO_MAX_CM[0] / image.px_width, PHOTO_MAX_CM[1] / image.px_height)
    return Cm(image.px_width * scale), Cm(image.px_height * scale)


def _estimated_pages(winners: list[ExportEntry], texts: dict[str, list[str]], *,
                     first: int, photos: dict[str, list[tuple[str, bytes]]] | None = None,
                     ) -> list[int]:
    """Where each work starts, as a reader without a layout engine shows the contents
    (Word and LibreOffice recompute the fields; the PDF has the laid-out numbers):
    about 28 characters a line and 22 lines a page at 14 pt, 1.5 lines, A4."""
    starts, page = [], first + max(0, (len(winners) + 4) // 22)
    for entry in winners:
        starts.append(page)
        lines = 3 + sum(-(-len(p.strip()) // 28) for p in texts.get(entry.code, []) if p.strip())
        lines += 10 * len((photos or {}).get(entry.code, []))  # a photo: 8 cm, ten lines
        page += max(1, -(-lines // 22))
    return starts
