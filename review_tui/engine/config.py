"""Committee configuration: tracks, rubric, limits and rule severities, read from committee.toml.

Every number of the programme is configuration. :func:`load_config` refuses a file with an
unknown key, a wrong type or an inconsistent value, naming the key (e.g.
``tracks[reading].criteria``) so the secretariat can fix it.
"""

from __future__ import annotations

import math
import re
import tomllib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from importlib import resources
from pathlib import Path
from typing import Any

from review_tui.engine.errors import ConfigError
from review_tui.engine.intake.rule_ids import RULES

CONFIG_FILE = "committee.toml"
SEVERITIES = ("reject", "warn", "off")
CONSENT_FIELDS = ("consent_share", "factual")
STAFF_TYPES = ("編制內", "約聘", "約僱", "教師", "職工", "臨時")
TEMPLATES = ("coach",)
RUBRIC_POINTS = 100  # a rubric's criteria add up to this (the total a reviewer gives)


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str
    name_en: str
    points: int


@dataclass(frozen=True)
class Book:
    title: str
    publisher: str = ""


@dataclass(frozen=True)
class Track:
    id: str
    code_prefix: str
    name: str
    name_en: str
    aliases: tuple[str, ...]
    min_chars: int
    max_chars: int
    min_per_agency: int
    max_per_agency: int
    min_authors: int
    max_authors: int
    required_consents: tuple[str, ...]
    books: tuple[Book, ...]
    service_categories: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    quota: int
    min_score: int
    agency_award_cap: int
    commended_authors_cap: int
    award: str
    method: str = "mean"
    tie_ladder: tuple[str, ...] = ("criteria", "first_places", "lottery")
    once_per_person: bool = False
    tiers: tuple[Tier, ...] = ()
    group_by: str = ""  # "agency_group": ranked and awarded per group (組別) of agencies
    groups: tuple[GroupRules, ...] = ()  # per-group quota, minimum and tiers
    max_photos: int = 0  # photos (相片) an entry may carry: kept, not scored

    def group_rules(self, group: str | None) -> Track:
        """The track's rules for one of its groups: the group's own quota, minimum and
        tiers where ``[[tracks.groups]]`` gives them, the track's otherwise (and for
        ``None``, an ungrouped track's one list)."""
        rules = next((g for g in self.groups if g.name == group), None)
        if rules is None:
            return self
        return replace(self, quota=self.quota if rules.quota is None else rules.quota,
                       min_score=self.min_score if rules.min_score is None
                       else rules.min_score,
                       tiers=self.tiers if rules.tiers is None else rules.tiers)

    def group_order(self, names: Iterable[str]) -> list[str]:
        """Groups in the order the settings list them, then any other in name order."""
        listed = [g.name for g in self.groups]
        return listed + sorted(set(names) - set(listed))


@dataclass(frozen=True)
class GroupRules:
    """One group of a grouped track (``[[tracks.groups]]``): what differs from the track."""

    name: str
    quota: int | None = None
    min_score: int | None = None
    tiers: tuple[Tier, ...] | None = None


@dataclass(frozen=True)
class Tier:
    """An award tier (特優, 優等, 佳作 …): at most ``count`` winners scoring ≥ ``min_score``."""

    name: str
    award: str
    count: int | None = None
    min_score: int | None = None


TALLY_METHODS = ("mean", "trimmed_mean", "zscore", "rank_sum")
GROUP_BY = ("agency_group",)  # the roster's 組別 of the recommending top-level agency
TIE_RUNGS = ("criteria", "first_places", "stdev", "lottery", "chair", "shared")


@dataclass(frozen=True)
class FormatRules:
    font: str
    font_aliases: tuple[str, ...]
    size_pt: float
    line_spacing: float
    margin_top_cm: float
    margin_bottom_cm: float
    margin_left_cm: float
    margin_right_cm: float
    paper: str


@dataclass(frozen=True)
class DocumentSettings:
    """What the award documents print (``[documents]``): the organising body and the
    programme at their head (高雄市政府 / 溝通服務COACH旗艦專案), and what the 簽, the 函稿 and
    the 獎狀 need: the organising unit, the head who signs, the letter's reference, address
    and contact, and a folder of the committee's own templates. Presentation, not rules: it
    may change after the seal without an amendment."""

    organiser: str = ""
    programme: str = ""
    unit: str = ""  # 主辦單位, e.g. 人事處
    head_title: str = ""  # who signs the 獎狀 and is addressed by the 簽, e.g. 市長
    head_name: str = ""
    reference: str = ""  # 發文字號 before its number, e.g. 高市府人考字第
    address: str = ""
    contact: str = ""  # 承辦人
    phone: str = ""
    templates: str = ""  # a folder (relative to the workspace) of the committee's templates


DOCUMENT_KEYS = tuple(DocumentSettings.__dataclass_fields__)


@dataclass(frozen=True)
class MeetingRules:
    """The meeting's rules (``[meeting]``, frozen at seal like every rule).

    A commit needs a quorum (``quorum``): at least ``present_share`` of the members present,
    at least ``min_external`` external members among them, making up at least
    ``external_share`` of those present (採購評選委員會審議規則 §9). A committee whose
    settings have no ``[meeting]`` table (made before it existed) needs none. Entries
    within ``cutoff_margin`` points of a track's cut-off are put on the agenda. Each reviewer
    confirms the ``declaration`` (利益迴避及保密) before their sheet opens, when there is one;
    a review whose total is under ``comment_below`` needs a comment before the sheet is
    submitted."""

    quorum: bool = False
    present_share: Fraction = Fraction(1, 2)
    min_external: int = 2
    external_share: Fraction = Fraction(1, 3)
    cutoff_margin: Decimal = Decimal("1")
    declaration: str = ""  # 利益迴避及保密聲明 each reviewer confirms before scoring
    comment_below: int = 0  # a total under this needs a comment (0: none needed)


@dataclass(frozen=True)
class Committee:
    id: str
    name: str
    name_en: str
    year: int
    deadline: date
    eligible_staff_types: tuple[str, ...]
    discrepancy_threshold: int
    max_file_bytes: int
    max_unpacked_bytes: int
    format: FormatRules
    severity: dict[str, str] = field(default_factory=dict)
    tracks: tuple[Track, ...] = ()
    documents: DocumentSettings = DocumentSettings()
    meeting: MeetingRules = MeetingRules()

    def track(self, track_id: str) -> Track:
        for track in self.tracks:
            if track.id == track_id:
                return track
        raise KeyError(track_id)


# --- reading and validation -------------------------------------------------------------

Check = Callable[[Any], bool]


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _nonneg_int(v: Any) -> bool:
    return _is_int(v) and 0 <= v <= 1_000_000


def _positive_number(v: Any) -> bool:
    return (isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            and 0 < v < 1e6)


def _text(v: Any) -> bool:
    return isinstance(v, str) and bool(v.strip())


def _text_list(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(x, str) for x in v)


class _Section:
    """Read one TOML table, remembering its dotted name for messages."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError("config.not_a_table", key=where)
        self.data = data
        self.where = where
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def get(self, name: str, check: Check, problem: str, default: Any = ...) -> Any:
        self.seen.add(name)
        if name not in self.data:
            if default is ...:
                raise ConfigError("config.missing_key", key=self.key(name))
            return default
        value = self.data[name]
        if not check(value):
            raise ConfigError("config.bad_value", key=self.key(name), expected=problem,
                              value=repr(value))
        return value

    def done(self) -> None:
        for name in self.data:
            if name not in self.seen:
                raise ConfigError("config.unknown_key", key=self.key(name))


def _criteria(items: Any, where: str) -> tuple[Criterion, ...]:
    if not isinstance(items, list) or not items:
        raise ConfigError("config.bad_value", key=where, expected="[[criteria]]", value="[]")
    out = []
    for i, item in enumerate(items):
        sec = _Section(item, f"{where}[{i}]")
        crit = Criterion(
            id=sec.get("id", _text, "text"),
            name=sec.get("name", _text, "text"),
            name_en=sec.get("name_en", _text, "text"),
            points=sec.get("points", lambda v: _is_int(v) and v > 0, "whole number > 0"),
        )
        sec.done()
        out.append(crit)
    ids = [c.id for c in out]
    if len(set(ids)) != len(ids):
        raise ConfigError("config.duplicate_id", key=where, value=", ".join(ids))
    total = sum(c.points for c in out)
    if total != RUBRIC_POINTS:
        raise ConfigError("config.points_total", key=where, total=total, expected=RUBRIC_POINTS)
    return tuple(out)


def _books(items: Any, where: str) -> tuple[Book, ...]:
    if not isinstance(items, list):
        raise ConfigError("config.bad_value", key=where, expected="[[books]]", value=repr(items))
    out = []
    for i, item in enumerate(items):
        sec = _Section(item, f"{where}[{i}]")
        out.append(Book(sec.get("title", _text, "text"),
                        sec.get("publisher", lambda v: isinstance(v, str), "text", "")))
        sec.done()
    return tuple(out)


def _track(data: Any, index: int) -> Track:
    label = data.get("id", index) if isinstance(data, dict) else index
    sec = _Section(data, f"tracks[{label}]")
    count = (_nonneg_int, "whole number 0–1000000")
    positive = (lambda v: _nonneg_int(v) and v >= 1, "whole number 1–1000000")
    track = Track(
        id=sec.get("id", _text, "text"),
        code_prefix=sec.get("code_prefix", lambda v: _text(v) and v.isalnum() and len(v) <= 3,
                            "1–3 letters or digits"),
        name=sec.get("name", _text, "text"),
        name_en=sec.get("name_en", _text, "text"),
        aliases=tuple(sec.get("aliases", _text_list, "list of text", [])),
        min_chars=sec.get("min_chars", *count),
        max_chars=sec.get("max_chars", *count),
        min_per_agency=sec.get("min_per_agency", *count),
        max_per_agency=sec.get("max_per_agency", *count),
        min_authors=sec.get("min_authors", *positive),
        max_authors=sec.get("max_authors", *positive),
        required_consents=tuple(sec.get(
            "required_consents", lambda v: _text_list(v) and set(v) <= set(CONSENT_FIELDS),
            " or ".join(CONSENT_FIELDS), [])),
        books=_books(sec.get("books", lambda v: True, "", []), sec.key("books")),
        service_categories=tuple(sec.get("service_categories", _text_list, "list of text", [])),
        criteria=_criteria(sec.get("criteria", lambda v: True, ""), sec.key("criteria")),
        quota=sec.get("quota", *count),
        min_score=sec.get("min_score", lambda v: _is_int(v) and 0 <= v <= 100, "0–100"),
        agency_award_cap=sec.get("agency_award_cap", *count),
        commended_authors_cap=sec.get("commended_authors_cap",
                                      *positive),
        award=sec.get("award", _text, "text"),
        method=sec.get("method", lambda v: v in TALLY_METHODS, " or ".join(TALLY_METHODS),
                       "mean"),
        tie_ladder=tuple(sec.get("tie_ladder", _tie_ladder, "rungs from "
                                 + ", ".join(TIE_RUNGS) + " ending in lottery, chair or shared",
                                 ["criteria", "first_places", "lottery"])),
        once_per_person=sec.get("once_per_person", lambda v: isinstance(v, bool),
                                "true or false", False),
        tiers=_tiers(sec.get("tiers", lambda v: isinstance(v, list), "[[tiers]]", []),
                     sec.key("tiers")),
        group_by=sec.get("group_by", lambda v: v in GROUP_BY, " or ".join(GROUP_BY), ""),
        groups=_groups(sec.get("groups", lambda v: isinstance(v, list), "[[groups]]", []),
                       sec.key("groups")),
        max_photos=sec.get("max_photos", lambda v: _is_int(v) and 0 <= v <= 10, "0–10", 0),
    )
    sec.done()
    if track.groups and not track.group_by:
        raise ConfigError("config.missing_key", key=sec.key("group_by"))
    for low, high in (("min_chars", "max_chars"), ("min_per_agency", "max_per_agency"),
                      ("min_authors", "max_authors")):
        if getattr(track, low) > getattr(track, high):
            raise ConfigError("config.min_above_max", key=sec.key(low), other=high)
    return track


def _tie_ladder(value: Any) -> bool:
    """Known rungs, each once, ending with one that always decides (or shares the rank)."""
    return (_text_list(value) and bool(value) and set(value) <= set(TIE_RUNGS)
            and len(set(value)) == len(value) and value[-1] in ("lottery", "chair", "shared"))


def _tiers(items: list[Any], where: str) -> tuple[Tier, ...]:
    out = []
    for i, item in enumerate(items):
        sec = _Section(item, f"{where}[{i}]")
        tier = Tier(
            name=sec.get("name", _text, "text"),
            award=sec.get("award", _text, "text"),
            count=sec.get("count", lambda v: _nonneg_int(v) and v >= 1,
                          "whole number 1–1000000", None),
            min_score=sec.get("min_score", lambda v: _is_int(v) and 0 <= v <= 100, "0–100",
                              None),
        )
        sec.done()
        out.append(tier)
    return tuple(out)


def _groups(items: list[Any], where: str) -> tuple[GroupRules, ...]:
    out = []
    for i, item in enumerate(items):
        sec = _Section(item, f"{where}[{i}]")
        tiers = sec.get("tiers", lambda v: isinstance(v, list), "[[tiers]]", None)
        group = GroupRules(
            name=sec.get("name", _text, "text"),
            quota=sec.get("quota", _nonneg_int, "whole number 0–1000000", None),
            min_score=sec.get("min_score", lambda v: _is_int(v) and 0 <= v <= 100, "0–100",
                              None),
            tiers=None if tiers is None else _tiers(tiers, sec.key("tiers")),
        )
        sec.done()
        out.append(group)
    names = [g.name for g in out]
    if len(set(names)) != len(names):
        raise ConfigError("config.duplicate_id", key=where, value=", ".join(names))
    return tuple(out)


def _format(data: Any) -> FormatRules:
    sec = _Section(data, "format")
    num = (_positive_number, "number > 0")
    rules = FormatRules(
        font=sec.get("font", _text, "text"),
        font_aliases=tuple(sec.get("font_aliases", _text_list, "list of text", [])),
        size_pt=float(sec.get("size_pt", *num)),
        line_spacing=float(sec.get("line_spacing", *num)),
        margin_top_cm=float(sec.get("margin_top_cm", *num)),
        margin_bottom_cm=float(sec.get("margin_bottom_cm", *num)),
        margin_left_cm=float(sec.get("margin_left_cm", *num)),
        margin_right_cm=float(sec.get("margin_right_cm", *num)),
        paper=sec.get("paper", lambda v: v in ("A4", "Letter"), "A4 or Letter"),
    )
    sec.done()
    return rules


def _share(value: Any) -> bool:
    """A share of people: ``"1/2"``, ``"1/3"`` or a number from 0 to 1."""
    try:
        share = Fraction(value) if isinstance(value, str | int) and not isinstance(
            value, bool) else None
    except (ValueError, ZeroDivisionError):
        return False
    return share is not None and 0 <= share <= 1


def _margin(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return False
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    return number.is_finite() and 0 <= number <= 100


def _meeting(data: Any) -> MeetingRules:
    if data is None:
        return MeetingRules()
    sec = _Section(data, "meeting")
    share = (_share, 'a share such as "1/2" or "1/3"')
    rules = MeetingRules(
        quorum=sec.get("quorum", lambda v: isinstance(v, bool), "true or false", True),
        present_share=Fraction(sec.get("present_share", *share, "1/2")),
        min_external=sec.get("min_external", _nonneg_int, "whole number 0–1000000", 2),
        external_share=Fraction(sec.get("external_share", *share, "1/3")),
        cutoff_margin=Decimal(str(sec.get("cutoff_margin", _margin, "points 0–100", 1))),
        declaration=sec.get("declaration", lambda v: isinstance(v, str), "text", ""),
        comment_below=sec.get("comment_below", lambda v: _is_int(v) and 0 <= v <= 100,
                              "0–100", 0),
    )
    sec.done()
    return rules


def parse_config(data: dict[str, Any]) -> Committee:
    """Validate a parsed committee.toml and build the :class:`Committee`."""
    top = _Section(data, "")
    com = _Section(top.get("committee", lambda v: True, ""), "committee")
    elig = _Section(top.get("eligibility", lambda v: True, "", {}), "eligibility")
    tal = _Section(top.get("tally", lambda v: True, "", {}), "tally")
    lim = _Section(top.get("limits", lambda v: True, "", {}), "limits")
    sev = _Section(top.get("severity", lambda v: True, "", {}), "severity")
    docs = _Section(top.get("documents", lambda v: True, "", {}), "documents")
    meeting_raw = top.get("meeting", lambda v: True, "", None)
    tracks_raw = top.get("tracks", lambda v: isinstance(v, list) and bool(v), "[[tracks]]")
    format_raw = top.get("format", lambda v: True, "")
    top.done()

    severity: dict[str, str] = {}
    for rule_id in list(sev.data):
        if rule_id not in RULES:
            raise ConfigError("config.unknown_key", key=sev.key(rule_id))
        severity[rule_id] = sev.get(rule_id, lambda v: v in SEVERITIES, "/".join(SEVERITIES))
    sev.done()

    committee = Committee(
        id=com.get("id", _text, "text"),
        name=com.get("name", _text, "text"),
        name_en=com.get("name_en", _text, "text", ""),
        year=com.get("year", lambda v: _is_int(v) and 1900 < v < 3000, "a year"),
        deadline=com.get("deadline", lambda v: isinstance(v, date), "a date (2026-06-30)"),
        eligible_staff_types=tuple(elig.get(
            "eligible_staff_types", lambda v: _text_list(v) and set(v) <= set(STAFF_TYPES),
            " / ".join(STAFF_TYPES), ["編制內", "約聘", "約僱"])),
        discrepancy_threshold=tal.get("discrepancy_threshold",
                                      lambda v: _is_int(v) and 0 < v <= 100, "1–100", 20),
        max_file_bytes=int(lim.get("max_file_mb", _positive_number, "number > 0", 20)
                           * 1024 * 1024),
        max_unpacked_bytes=int(lim.get("max_unpacked_mb", _positive_number, "number > 0", 100)
                               * 1024 * 1024),
        format=_format(format_raw),
        severity=severity,
        tracks=tuple(_track(t, i) for i, t in enumerate(tracks_raw)),
        documents=DocumentSettings(**{key: docs.get(key, lambda v: isinstance(v, str), "text",
                                                        "")
                                      for key in DOCUMENT_KEYS}),
        meeting=_meeting(meeting_raw),
    )
    for sec in (com, elig, tal, lim, docs):
        sec.done()
    ids = [t.id for t in committee.tracks]
    prefixes = [t.code_prefix for t in committee.tracks]
    if len(set(ids)) != len(ids) or len(set(prefixes)) != len(prefixes):
        raise ConfigError("config.duplicate_id", key="tracks", value=", ".join(ids))
    return committee


_TOML_LOCATION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """TOML text as data; a syntax error names the file, line and column."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_LOCATION.search(str(exc))
        line, column = (found.group(1), found.group(2)) if found else ("?", "?")
        reason = _TOML_LOCATION.sub("", str(exc)).strip()
        raise ConfigError("config.syntax", path=str(path), line=line, column=column,
                          reason=reason) from exc


def read_settings(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a committee.toml and its data (ConfigError when missing or unreadable)."""
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError("config.no_committee", path=str(Path(path).parent)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("config.not_utf8", path=str(path)) from exc
    except OSError as exc:
        raise ConfigError("store.unreadable", path=str(path),
                          reason=exc.strerror or str(exc)) from exc
    return text, parse_toml(text, Path(path))


def load_config(workspace: Path) -> Committee:
    """Read and validate ``committee.toml`` of a workspace (as the file stands; a sealed
    committee is read through :func:`.frozen_rules.frozen_committee`)."""
    return parse_config(read_settings(Path(workspace) / CONFIG_FILE)[1])


def template_text(template: str, *, year: int, committee_id: str | None = None) -> str:
    """The committee.toml text of a built-in template, with a fresh committee id."""
    if template not in TEMPLATES:
        raise ConfigError("config.unknown_template", template=template,
                          known=", ".join(TEMPLATES))
    text = resources.files("review_tui.engine").joinpath(f"templates/{template}.toml")
    return (text.read_text(encoding="utf-8")
            .replace("{committee_id}", committee_id or uuid.uuid4().hex[:12])
            .replace("{year}", str(year)))
