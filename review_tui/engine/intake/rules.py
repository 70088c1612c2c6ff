"""Every intake rule of the programme, judged from stored facts against the configuration.

Import records facts (character count, fonts, parsed fields …); :func:`evaluate` turns them
into findings each time, so editing committee.toml (a book, a limit, a severity) takes
effect at the next ``check`` without re-importing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from review_tui.engine.config import Committee, Track
from review_tui.engine.intake.roster import Roster
from review_tui.engine.intake.rule_ids import RULES
from review_tui.engine.intake.typed_values import normalise, strip_book_title
from review_tui.engine.model import ACCEPTED, REJECT, REJECTED, Entry, Finding

CONSENT_RULES = {"consent_share": "consent.share", "factual": "consent.factual"}
FORMAT_SHARE = 0.95  # share of characters/paragraphs that must follow a format rule
MARGIN_TOLERANCE_CM = 0.1
PAPER_CM = {"A4": (21.0, 29.7), "Letter": (21.59, 27.94)}


@dataclass(frozen=True)
class Evaluation:
    """All findings, and each entry's status and top-level agency."""

    findings: list[Finding]
    status: dict[str, str]
    top_agency: dict[str, str]

    def for_entry(self, entry_id: str) -> list[Finding]:
        return [f for f in self.findings if f.entry_id == entry_id]


class _Collector:
    def __init__(self, committee: Committee) -> None:
        self.severity = {**RULES, **committee.severity}
        self.findings: list[Finding] = []

    def add(self, rule: str, entry: Entry | None = None, *, manifest: str | None = None,
            row: int | None = None, **params: Any) -> None:
        severity = self.severity[rule]
        if severity == "off":
            return
        if entry is not None:
            manifest, row = entry.get("manifest"), entry.get("row")
        self.findings.append(Finding(rule, severity, params,
                                     entry.get("id") if entry else None, manifest, row))


def evaluate(committee: Committee, entries: list[Entry], imports: Iterable[dict[str, Any]],
             roster: Roster) -> Evaluation:
    """Judge every entry and manifest against the programme's rules."""
    out = _Collector(committee)
    for record in imports:
        for problem in record.get("findings", []):
            out.add(problem["rule"], manifest=record.get("name"), row=problem.get("row"),
                    **problem.get("params", {}))
    for entry in entries:
        _entry_rules(committee, entry, roster, out)
    rejected = {f.entry_id for f in out.findings if f.severity == REJECT and f.entry_id}
    top = {e["id"]: roster.top_level(e["agency"]) for e in entries}
    _agency_counts(committee, entries, top, rejected, out)
    rejected = {f.entry_id for f in out.findings if f.severity == REJECT and f.entry_id}
    status = {e["id"]: REJECTED if e["id"] in rejected else ACCEPTED for e in entries}
    out.findings.sort(key=lambda f: (f.manifest or "", f.row or 0, f.rule))
    return Evaluation(out.findings, status, top)


def _entry_rules(committee: Committee, entry: Entry, roster: Roster, out: _Collector) -> None:
    for problem in entry.get("problems", []):
        out.add(problem["rule"], entry, **problem["params"])
    if roster.imported and entry.get("agency") and not roster.knows(entry["agency"]):
        out.add("agency.not_in_roster", entry, agency=entry["agency"])
    _deadline(committee.deadline, entry, out)
    track = next((t for t in committee.tracks if t.id == entry.get("track")), None)
    if track is None:
        return
    _track_rules(committee, track, entry, out)
    listed = entry.get("photos_listed", 0)
    if listed and not track.max_photos:
        out.add("photo.not_taken", entry, count=listed)
    elif listed > track.max_photos:
        out.add("photo.too_many", entry, count=listed, max=track.max_photos)
    if track.group_by and entry.get("agency") and not roster.group_of(entry["agency"]):
        out.add("agency.no_group", entry, agency=roster.top_level(entry["agency"]))
    facts = entry.get("facts", {})
    if "format" in facts:
        _format_rules(committee, facts["format"], entry, out)
    if facts.get("cjk_ratio", 1.0) < 0.5:
        out.add("format.language", entry, share=round(facts["cjk_ratio"] * 100))
    identity = facts.get("identity", {})
    for rule in ("name_in_text", "job_title_in_text", "agency_in_text"):
        if identity.get(rule):
            out.add(f"identity.{rule}", entry, count=identity[rule])
    if identity.get("metadata"):
        out.add("identity.metadata", entry, fields=", ".join(identity["metadata"]))


def _deadline(deadline: date, entry: Entry, out: _Collector) -> None:
    received = entry.get("received")
    if received is None:
        if not any(p["rule"] == "field.invalid" and p["params"].get("column") == "received"
                   for p in entry.get("problems", [])):
            out.add("deadline.no_date", entry)
    elif date.fromisoformat(received) > deadline:
        out.add("deadline.late", entry, received=received, deadline=deadline.isoformat())


def _track_rules(committee: Committee, track: Track, entry: Entry, out: _Collector) -> None:
    if track.books:
        book = strip_book_title(entry.get("book", ""))
        if not book:
            out.add("book.missing", entry)
        elif book not in {strip_book_title(b.title) for b in track.books}:
            out.add("book.not_designated", entry, book=entry["book"],
                    books="、".join(b.title for b in track.books))
    count = entry.get("facts", {}).get("char_count")
    if count is not None and not track.min_chars <= count <= track.max_chars:
        out.add("length.out_of_range", entry, count=count, min=track.min_chars,
                max=track.max_chars)
    authors = entry.get("authors", [])
    if authors and not track.min_authors <= len(authors) <= track.max_authors:
        allowed = (str(track.min_authors) if track.min_authors == track.max_authors
                   else f"{track.min_authors}–{track.max_authors}")
        out.add("authors.count", entry, count=len(authors), allowed=allowed)
    for position, author in enumerate(authors, start=1):
        if author["staff_type"] is None:
            if author["staff_type_raw"]:
                out.add("staff_type.unknown", entry, position=position,
                        value=author["staff_type_raw"])
        elif author["staff_type"] not in committee.eligible_staff_types:
            out.add("staff_type.ineligible", entry, position=position,
                    value=author["staff_type"])
    for consent in track.required_consents:
        if entry.get(consent) is not True:
            out.add(CONSENT_RULES[consent], entry)
    if track.service_categories:
        category = normalise(entry.get("service_category", ""))
        if category not in {normalise(c) for c in track.service_categories}:
            out.add("category.invalid", entry, value=entry.get("service_category", ""),
                    allowed="、".join(track.service_categories))


def _share(counts: dict[str, int], good: Iterable[str]) -> float:
    total = sum(counts.values())
    wanted = set(good)
    return sum(n for k, n in counts.items() if k in wanted) / total if total else 1.0


def _most_common(counts: dict[str, int], skip: Iterable[str] = ()) -> str:
    skipped = set(skip)
    ranked = sorted(((n, k) for k, n in counts.items() if k not in skipped), reverse=True)
    return "、".join(k for _, k in ranked[:3])


def _format_rules(committee: Committee, facts: dict[str, Any], entry: Entry,
                  out: _Collector) -> None:
    rules = committee.format
    fonts = {normalise(f).lower() for f in (rules.font, *rules.font_aliases)}
    font_counts = {normalise(k).lower(): n for k, n in facts.get("font_chars", {}).items()}
    share = _share(font_counts, fonts)
    if share < FORMAT_SHARE:
        out.add("format.font", entry, share=round(share * 100), font=rules.font,
                seen=_most_common(facts["font_chars"], (*rules.font_aliases, rules.font)))
    size_key = f"{rules.size_pt:g}"
    share = _share(facts.get("size_chars", {}), [size_key])
    if share < FORMAT_SHARE:
        out.add("format.size", entry, share=round(share * 100), size=size_key,
                seen=_most_common(facts["size_chars"], [size_key]))
    spacing_key = f"auto:{round(240 * rules.line_spacing)}"
    if _share(facts.get("line_spacing", {}), [spacing_key]) < FORMAT_SHARE:
        out.add("format.line_spacing", entry, spacing=rules.line_spacing)
    if _share(facts.get("alignment", {}), ["both", "distribute"]) < FORMAT_SHARE:
        out.add("format.alignment", entry)
    wanted = (rules.margin_top_cm, rules.margin_bottom_cm, rules.margin_left_cm,
              rules.margin_right_cm)
    margins = facts.get("margins_cm", wanted)
    if any(abs(a - b) > MARGIN_TOLERANCE_CM for a, b in zip(margins, wanted, strict=True)):
        out.add("format.margins", entry, actual=" / ".join(f"{m:.2f}" for m in margins),
                wanted=" / ".join(f"{m:.2f}" for m in wanted))
    width, height = sorted(facts.get("page_cm", PAPER_CM[rules.paper]))
    paper_w, paper_h = PAPER_CM[rules.paper]
    if abs(width - paper_w) > 0.2 or abs(height - paper_h) > 0.2:
        out.add("format.paper", entry, paper=rules.paper, actual=f"{width:.1f}×{height:.1f}")
    if facts.get("landscape") or facts.get("vertical_text"):
        out.add("format.orientation", entry)
    if facts.get("page_number", "centre") != "centre":
        out.add("format.page_number", entry)


def _agency_counts(committee: Committee, entries: list[Entry], top: dict[str, str],
                   rejected: set[str], out: _Collector) -> None:
    """Per-agency submission range, counted at the top level, in manifest order."""
    groups: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for entry in sorted(entries, key=lambda e: e["seq"]):
        if entry.get("track") and entry["id"] not in rejected:
            groups[(str(entry["track"]), normalise(top[entry["id"]]))].append(entry)
    for (track_id, _), group in groups.items():
        track = committee.track(track_id)
        top_name = top[group[0]["id"]]
        if len(group) > track.max_per_agency:
            for entry in group[track.max_per_agency:]:
                out.add("agency.over_max", entry, agency=top_name, count=len(group),
                        max=track.max_per_agency)
        elif len(group) < track.min_per_agency:
            for entry in group:
                out.add("agency.under_min", entry, agency=top_name, count=len(group),
                        min=track.min_per_agency)
