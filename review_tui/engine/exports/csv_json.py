"""The .csv and .json exports (UTF-8 with BOM for the CSVs, so Excel opens them right).

A CSV is for a person with a spreadsheet: headers and values are words in its language
(zh-TW unless ``export --lang en``): 入選, not ``winner``; 是/否, not ``True``; a tie as the
rungs that broke it. ``decisions.json`` is for programs and keeps the codes (SPEC §10)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from review_tui.engine.decisions.records import Status, TieRecord, ties_json
from review_tui.engine.decisions.wording import criterion_names, tie_text
from review_tui.engine.exports.data import ExportData, ExportEntry
from review_tui.engine.safe_text import spreadsheet_cell
from review_tui.i18n import translate

LANG = "zh-TW"


def _write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    # A title like "=HYPERLINK(…)" must reach the office as text, not as a formula.
    writer.writerows(["" if v is None else spreadsheet_cell(v) for v in row] for row in rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\ufeff" + buffer.getvalue()).encode("utf-8"))
    return path


def _words(lang: str) -> Callable[..., str]:
    return lambda key, /, **params: translate(key, lang, **params)


def _header(t: Callable[..., str], *names: str) -> list[str]:
    return [t(f"csv.{name}") for name in names]


def _yes_no(t: Callable[..., str], value: bool) -> str:
    return t("csv.yes") if value else t("csv.no")


def award_list_csv(data: ExportData, track_id: str, path: Path, lang: str = LANG) -> Path:
    """入選名單 as a table: a grouped track adds 組別 (名次 is within it), a track whose
    manifest asks it adds 願意發表."""
    t = _words(lang)
    track = data.committee.track(track_id)
    grouped = bool(track.group_by)
    presenting = data.asks_presenting(track_id)
    rows = []
    for entry in data.winners(track_id):
        d = entry.decision
        rows.append([*([entry.group] if grouped else []), d.rank, entry.code, entry.title,
                     entry.agency, "、".join(w["name"] for w in entry.commended),
                     "、".join(entry.co_authors), d.score, d.tier, d.award,
                     tie_text(t, d.tie, criterion_names(entry.track, lang)).replace("\n", "；")
                     if d.tie else "",
                     *([answer(t, entry.will_present)] if presenting else [])])
    return _write_csv(path, _header(t, *(["group"] if grouped else []), "rank", "code",
                                    "title", "agency", "commended", "co_authors", "score",
                                    "tier", "award", "tie",
                                    *(["will_present"] if presenting else [])), rows)


def answer(t: Callable[..., str], value: bool | None) -> str:
    """是／否, or empty when the manifest left the question blank."""
    return "" if value is None else _yes_no(t, value)


def presenters_csv(data: ExportData, path: Path, lang: str = LANG) -> Path:
    """發表名單 for the organiser: the winning cases whose writers will present them, with
    the agency and the writers' telephone numbers."""
    t = _words(lang)
    rows = []
    for entry in data.presenting():
        rows.append([entry.track.name if lang == "zh-TW" else entry.track.name_en,
                     entry.group or "", entry.code, entry.title, entry.service_category,
                     entry.top_agency or "", entry.agency or "", "、".join(entry.writers),
                     "、".join(entry.contacts)])
    return _write_csv(path, _header(t, "track", "group", "code", "title", "category",
                                    "recommending", "unit", "writers", "phones"), rows)


def score_summary_csv(data: ExportData, path: Path, lang: str = LANG) -> Path:
    """One row per entry and reviewer, with every criterion score (columns named by the
    criteria's names in ``lang``)."""
    t = _words(lang)
    criteria: dict[str, str] = {}
    for track in data.committee.tracks:
        for c in track.criteria:
            criteria.setdefault(c.id, c.name if lang == "zh-TW" else c.name_en or c.name)
    grouped = any(track.group_by for track in data.committee.tracks)
    rows = []
    for entry in data.entries:
        d = entry.decision
        outcome = d.discrepancy.outcome
        flagged = d.discrepancy.flagged
        handled = t(f"outcome.{outcome.action if outcome else 'open'}") if flagged else ""
        shown_track = (entry.track.name if lang == "zh-TW"
                       else entry.track.name_en or entry.track.name)
        common = [shown_track, *([entry.group or ""] if grouped else []), d.rank,
                  entry.code, entry.title, d.mean, d.score, d.spread,
                  _yes_no(t, flagged), handled, t(f"status.{d.status}"),
                  t(d.reason, **data.reason_params(d))]
        if not d.reviews:
            rows.append([*common, "", *["" for _ in criteria], None, None])
        for review in d.reviews:
            rows.append([*common, data.reviewer_codes.get(review.reviewer, ""),
                         *[review.criteria.get(c, "") for c in criteria], review.total,
                         _yes_no(t, review.counted)])
    return _write_csv(path, [*_header(t, "track", *(["group"] if grouped else []), "rank",
                                      "code", "title", "mean", "score",
                                      "spread", "discrepancy", "handled", "status", "reason",
                                      "reviewer"),
                             *criteria.values(), *_header(t, "total", "counted")], rows)


def roster_csv(rows: list[list[str]], path: Path, lang: str = LANG) -> Path:
    """One agency's 敘獎名冊 for the personnel system: unit, 職稱, name, 獎度, 事由."""
    t = _words(lang)
    return _write_csv(path, _header(t, "unit", "job_title", "name", "award_degree", "cause"),
                      [list(row) for row in rows])


def decisions_json(data: ExportData, path: Path, lang: str = LANG) -> Path:
    """``decisions.json``: the tally's shape (SPEC §10) plus title, agency, every writer,
    the commended and the co-authors (a selected entry's writers not commended; none for an
    entry not selected) by name, and the frozen decisions' hash. An entry's ``tie`` names
    its group's record in ``ties`` (per track, as the frozen decisions store it): a
    group's record is written once, not once per member.

    Written as it is encoded, an entry to a line."""
    def entry_json(entry: ExportEntry) -> str:
        d = entry.decision
        return _compact({
            "code": entry.code, "rank": d.rank, "score": d.score, "status": d.status,
            "reason": translate(d.reason, lang, **data.reason_params(d)),
            "reason_code": d.reason, "tie": _tie_ref(d.tie),
            "title": entry.title, "agency": entry.agency,
            "writers": entry.writers, "commended": [w["name"] for w in entry.commended],
            "co_authors": entry.co_authors if d.status == Status.WINNER else [],
            "tier": d.tier, "award": d.award,
            "mean": d.mean, "discrepancy": d.discrepancy.to_json(),
            **({} if d.group is None else {"group": d.group}),
            **({} if entry.will_present is None else {"will_present": entry.will_present})})

    head = {"committee": data.committee.id, "committed": data.stamp,
            "decisions_sha256": data.decisions_sha256}
    tail = {"rules_amendments": data.amendments,
            "rejected": [{k: r[k] for k in ("track", "title", "agency", "authors",
                                            "manifest", "row", "reasons")}
                         for r in data.rejected]}
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write("{\n" + "".join(f"  {_compact(k)}: {_compact(v)},\n" for k, v in head.items())
                  + '  "tracks": {')
        for number, track in enumerate(data.committee.tracks):
            out.write(("," if number else "") + f"\n    {_compact(track.id)}: [")
            for index, entry in enumerate(data.by_track(track.id)):
                out.write(("," if index else "") + "\n      " + entry_json(entry))
            out.write("\n    ]")
        out.write('\n  },\n  "ties": {')
        for number, track in enumerate(data.committee.tracks):
            table = ties_json(entry.decision for entry in data.by_track(track.id))
            out.write(("," if number else "") + f"\n    {_compact(track.id)}: {{")
            out.write(",".join(f"\n      {_compact(key)}: {_compact(record)}"
                               for key, record in table.items()))
            out.write("\n    }" if table else "}")
        out.write("\n  },\n" + ",\n".join(f"  {_compact(k)}: {_compact(v)}"
                                            for k, v in tail.items()) + "\n}\n")
    return path


def _tie_ref(tie: TieRecord | None) -> str | None:
    """An entry's ``tie`` in decisions.json: the id of its group's record."""
    return None if tie is None else tie.key


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
