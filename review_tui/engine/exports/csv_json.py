"""The .csv and .json exports (UTF-8 with BOM for the CSVs, so Excel opens them right)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from review_tui.engine.exports.data import ExportData
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


def award_list_csv(data: ExportData, track_id: str, path: Path) -> Path:
    rows = []
    for entry in data.winners(track_id):
        d = entry.decision
        rows.append([d.rank, entry.code, entry.title, entry.agency,
                     "、".join(w["name"] for w in entry.commended), "、".join(entry.co_authors),
                     d.score, d.tier, d.award,
                     json.dumps(d.tie.to_json(), ensure_ascii=False) if d.tie else ""])
    return _write_csv(path, ["rank", "code", "title", "agency", "commended", "co_authors",
                             "score", "tier", "award", "tie"], rows)


def score_summary_csv(data: ExportData, path: Path) -> Path:
    """One row per entry and reviewer, with every criterion score."""
    criteria = []
    for track in data.committee.tracks:
        criteria += [c.id for c in track.criteria if c.id not in criteria]
    rows = []
    for entry in data.entries:
        d = entry.decision
        outcome = d.discrepancy.outcome
        common = [entry.track.id, d.rank, entry.code, entry.title, d.mean, d.score,
                  d.spread, d.discrepancy.flagged, outcome.action if outcome else None,
                  d.status, translate(d.reason, LANG, **d.reason_params)]
        if not d.reviews:
            rows.append([*common, "", *["" for _ in criteria], None, None])
        for review in d.reviews:
            rows.append([*common, data.reviewer_codes.get(review.reviewer, ""),
                         *[review.criteria.get(c, "") for c in criteria], review.total,
                         review.counted])
    return _write_csv(path, ["track", "rank", "code", "title", "mean", "score", "spread",
                             "discrepancy", "handled", "status", "reason", "reviewer",
                             *criteria, "total", "counted"], rows)


def decisions_json(data: ExportData, path: Path, lang: str = LANG) -> Path:
    """``decisions.json``: the tally's shape (SPEC §10) plus title, agency, commended and
    co-authors by name."""
    tracks: dict[str, list[dict[str, Any]]] = {}
    ties: dict[int, dict[str, Any]] = {}  # a tied group's record, written out once
    for entry in data.entries:
        d = entry.decision
        if d.tie is not None and id(d.tie) not in ties:
            ties[id(d.tie)] = d.tie.to_json()
        tracks.setdefault(entry.track.id, []).append({
            "code": entry.code, "rank": d.rank, "score": d.score, "status": d.status,
            "reason": translate(d.reason, lang, **d.reason_params),
            "reason_code": d.reason, "tie": ties[id(d.tie)] if d.tie else None,
            "title": entry.title, "agency": entry.agency,
            "commended": [w["name"] for w in entry.commended],
            "co_authors": entry.co_authors, "tier": d.tier, "award": d.award,
            "mean": d.mean, "discrepancy": d.discrepancy.to_json()})
    text = json.dumps({"committee": data.committee.id, "committed": data.stamp,
                       "tracks": tracks, "rules_amendments": data.amendments},
                      ensure_ascii=False, indent=2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path
