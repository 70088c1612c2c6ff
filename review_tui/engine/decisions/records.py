"""The decisions as faces and exports read them: frozen, typed records.

The tally's document stays JSON-shaped (it is hashed, committed and exported as it is); this
module is the one place that turns it into records and back. ``X.from_json(X.to_json())``
is the identity, and ``to_json(from_json(d)) == d`` for every document the tally writes
(``tests/engine/test_records.py`` checks both on real tallies).

A tied group's record is stored once per track, in the document's ``"ties"`` table under an
id (``"T1"``, ``"T2"`` … in ranking order), and each member's row names it (``"tie": "T1"``).
Documents frozen before that (each member's row holding a copy of the record) are read as
they are and hash as they were stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

JSON = dict[str, Any]


class Status(StrEnum):
    """Where an entry ends (SPEC §9); ``TIE_PENDING`` until the chair settles its tie."""

    WINNER = "winner"
    CAPPED = "capped"
    BELOW_MINIMUM = "below_minimum"
    NOT_SELECTED = "not_selected"
    TIE_PENDING = "tie_pending"


class Outcome(StrEnum):
    """How the chair settles a discrepancy (評分差異過大), in the order the app offers them."""

    KEEP = "keep"  # every score stands
    DROP = "drop"  # one reviewer's score is left out
    RESCORE = "rescore"  # one reviewer scores it again (their sheet is reopened)
    NO_AWARD = "no_award"  # the entry gets no award


class Rung(StrEnum):
    """A rung of the tie ladder. The first three compare; the last decides (or waits)."""

    CRITERIA = "criteria"
    FIRST_PLACES = "first_places"
    STDEV = "stdev"
    LOTTERY = "lottery"
    CHAIR = "chair"
    SHARED = "shared"


@dataclass(frozen=True, slots=True)
class TieStep:
    """One rung as a tied group met it: the values compared, or (on the last rung) whether
    it is decided, for which ``group``, by which ``seed`` (a draw) and in which ``order``."""

    rung: Rung
    values: Mapping[str, Any] | None = None  # code → the value(s) compared
    criteria: tuple[str, ...] | None = None  # the criteria rung: heaviest first
    group: tuple[str, ...] = ()
    decided: bool | None = None  # None on a comparing rung
    seed: int | None = None
    order: tuple[str, ...] | None = None

    @property
    def is_final(self) -> bool:
        """The ladder's last rung (lottery, chair or shared), decided or waiting."""
        return self.decided is not None

    @classmethod
    def from_json(cls, data: JSON) -> TieStep:
        return cls(Rung(data["rung"]), data.get("values"),
                   _tuple(data.get("criteria")), tuple(data.get("group", ())),
                   data.get("decided"), data.get("seed"), _tuple(data.get("order")))

    def to_json(self) -> JSON:
        out: JSON = {"rung": str(self.rung)}
        if self.criteria is not None:
            out["criteria"] = list(self.criteria)
        if self.values is not None:
            out["values"] = dict(self.values)
        if self.decided is not None:
            out["decided"] = self.decided
            out["group"] = list(self.group)
        if self.seed is not None:
            out["seed"] = self.seed
        if self.order is not None:
            out["order"] = list(self.order)
        return out


@dataclass(frozen=True, slots=True)
class TieRecord:
    """A group that tied on score: each rung it went through and the order it ended in
    (blocks of codes; a block of more than one still shares its rank). ``id`` is its key in
    the document's ties table ("" in a document frozen before there was one)."""

    group: tuple[str, ...]
    steps: tuple[TieStep, ...]
    order: tuple[tuple[str, ...], ...]
    resolved: bool
    id: str = field(default="", compare=False)

    @property
    def key(self) -> str:
        """The group's id; for a record read from decisions frozen before the ties table
        (one copy per member), one made from its first code, the same for every copy."""
        return self.id or f"T-{self.group[0]}"

    def final_step(self, code: str) -> TieStep | None:
        """The last rung reached by the sub-group holding ``code``; None when an earlier
        rung broke its tie."""
        return next((s for s in self.steps if s.is_final and code in s.group), None)

    @classmethod
    def from_json(cls, data: JSON, id: str = "") -> TieRecord:
        return cls(tuple(data["group"]), tuple(TieStep.from_json(s) for s in data["steps"]),
                   tuple(tuple(block) for block in data["order"]), data["resolved"], id)

    def to_json(self) -> JSON:
        return {"group": list(self.group), "steps": [s.to_json() for s in self.steps],
                "order": [list(block) for block in self.order], "resolved": self.resolved}


@dataclass(slots=True)  # not frozen: a tally reads 60,000 of them, and a frozen class's
class Review:            # constructor costs 3.5 times a plain one's; nothing changes one
    """One reviewer's sheet for an entry, in points as shown ("85.5")."""

    reviewer: str
    total: str
    criteria: Mapping[str, str]
    counted: bool  # False when the chair dropped this reviewer's score
    first_round: Mapping[str, Any] | None = None  # {"total", "criteria"} before a re-score

    @classmethod
    def from_json(cls, data: JSON) -> Review:
        return cls(data["reviewer"], data["total"], data["criteria"], data["counted"],
                   data.get("first_round"))

    def to_json(self) -> JSON:
        out = {"reviewer": self.reviewer, "total": self.total,
               "criteria": dict(self.criteria), "counted": self.counted}
        if self.first_round is not None:  # only a re-scored review has one
            out["first_round"] = {"total": self.first_round["total"],
                                  "criteria": dict(self.first_round["criteria"])}
        return out


@dataclass(frozen=True, slots=True)
class DiscrepancyOutcome:
    action: Outcome
    reviewer: str | None
    note: str

    @property
    def settles(self) -> bool:
        """A re-score waits for the new sheet; every other outcome settles the flag."""
        return self.action != Outcome.RESCORE


@dataclass(frozen=True, slots=True)
class Discrepancy:
    flagged: bool  # the reviewers' totals spread by the threshold or more
    outcome: DiscrepancyOutcome | None = None

    @property
    def waiting(self) -> bool:
        """Flagged and not settled by the chair."""
        return self.flagged and (self.outcome is None or not self.outcome.settles)

    @classmethod
    def from_json(cls, data: JSON | None) -> Discrepancy:
        if not data or (not data["flagged"] and not data.get("outcome")):
            return NOT_FLAGGED  # nearly every entry: one shared record
        outcome = data.get("outcome")
        return cls(data["flagged"], DiscrepancyOutcome(
            Outcome(outcome["action"]), outcome.get("reviewer"), outcome.get("note", ""))
            if outcome else None)

    def to_json(self) -> JSON:
        outcome = self.outcome
        return {"flagged": self.flagged, "outcome": None if outcome is None else {
            "action": str(outcome.action), "reviewer": outcome.reviewer, "note": outcome.note}}


NOT_FLAGGED = Discrepancy(False)
_STATUSES = {status.value: status for status in Status}


@dataclass(slots=True)  # not frozen, like Review: 20,000 of them at every tally
class DecisionRow:
    """One entry's place in its track: rank, score and the decision with its reason (a
    catalogue key and parameters), with the reviews and any tie or discrepancy behind it.
    Writers appear as pseudonyms (``commended``, ``co_authors``) until the unseal."""

    code: str
    rank: int | None
    score: str  # as shown, two decimals; "" when unscored
    status: Status
    reason: str
    reason_params: Mapping[str, Any] = field(default_factory=dict)
    tie: TieRecord | None = None
    agency: str = ""
    commended: tuple[str, ...] = ()
    co_authors: tuple[str, ...] = ()
    tier: str | None = None
    award: str | None = None
    mean: str | None = None
    spread: str = ""
    reviews: tuple[Review, ...] = ()
    discrepancy: Discrepancy = NOT_FLAGGED
    group: str | None = None  # the group (組別) it is ranked in, in a grouped track

    @property
    def ranked(self) -> bool:
        return self.rank is not None

    @classmethod
    def from_json(cls, data: JSON, ties: Mapping[str, TieRecord] | None = None) -> DecisionRow:
        """``ties``: the track's tie records by id (:func:`read_ties`), which a row's
        ``"tie"`` names; a row frozen before the table holds its record itself."""
        tie = data.get("tie")
        record = None
        if isinstance(tie, str):
            if ties is None or tie not in ties:
                raise KeyError(f"tie {tie!r} of {data['code']} is not in the ties table")
            record = ties[tie]
        elif tie:
            record = TieRecord.from_json(tie)
        get = data.get
        return cls(data["code"], data["rank"], data["score"], _STATUSES[data["status"]],
                   data["reason"], get("reason_params") or {}, record, get("agency", ""),
                   tuple(get("commended", ())), tuple(get("co_authors", ())),
                   get("tier"), get("award"), get("mean"), get("spread") or "",
                   tuple([Review(r["reviewer"], r["total"], r["criteria"], r["counted"],
                                 r.get("first_round")) for r in get("reviews", ())]),
                   Discrepancy.from_json(get("discrepancy")), get("group"))

    def to_json(self) -> JSON:
        return {"code": self.code, "rank": self.rank, "score": self.score,
                "status": str(self.status), "reason": self.reason,
                "reason_params": dict(self.reason_params),
                "tie": _tie_json(self.tie), "agency": self.agency,
                "commended": list(self.commended), "co_authors": list(self.co_authors),
                "tier": self.tier, "award": self.award, "mean": self.mean,
                "spread": self.spread, "reviews": [r.to_json() for r in self.reviews],
                "discrepancy": self.discrepancy.to_json(),
                **({} if self.group is None else {"group": self.group})}


def _tie_json(tie: TieRecord | None) -> str | JSON | None:
    """A row's ``"tie"``: the id naming its record in the ties table (the record itself
    for a row read from a document frozen before the table)."""
    if tie is None:
        return None
    return tie.id or tie.to_json()


def share_ties(rows: list[JSON]) -> dict[str, JSON]:
    """Give each tied group's record, shared by its members' rows, an id (``T1`` … in
    ranking order), put the id in each member's row, and return the track's ties table:
    a group is stored once, not once per member (a group of 290 entries wrote 290
    copies of a record that itself lists 290 entries)."""
    table: dict[str, JSON] = {}
    ids: dict[int, str] = {}
    for row in rows:
        tie = row.get("tie")
        if isinstance(tie, dict):
            key = ids.get(id(tie))
            if key is None:
                key = ids[id(tie)] = f"T{len(table) + 1}"
                table[key] = tie
            row["tie"] = key
    return table


def read_ties(table: Mapping[str, JSON] | None) -> dict[str, TieRecord]:
    """A track's ties table as records, each read once."""
    return {key: TieRecord.from_json(record, key) for key, record in (table or {}).items()}


def ties_json(rows: Iterable[DecisionRow]) -> dict[str, JSON]:
    """The ties table that ``rows`` name (what :func:`share_ties` made), in row order, by
    :attr:`TieRecord.key` (a group frozen before the table: once, by its first code)."""
    table: dict[str, JSON] = {}
    for row in rows:
        if row.tie is not None and row.tie.key not in table:
            table[row.tie.key] = row.tie.to_json()
    return table


@dataclass(frozen=True, slots=True)
class Draw:
    """A lottery the chair drew for one tied group: the number drawn and the order it gave."""

    seed: int
    order: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DrawCheck:
    """A recorded draw re-derived from its seed: ``ok`` when the kept order, the seed's
    order and the audit log's record all agree."""

    track: str
    group: tuple[str, ...]
    seed: int
    order: tuple[str, ...]
    derived: tuple[str, ...]
    logged: bool
    ok: bool


def named_reason_params(decision: DecisionRow, names: dict[str, str]) -> dict[str, Any]:
    """``decision``'s reason parameters with an agency pseudonym given its name (``names``
    from :func:`review_tui.engine.sealing.unseal.agency_names`; empty before the unseal,
    when nothing changes)."""
    params = dict(decision.reason_params)
    agency = params.get("agency")
    if isinstance(agency, str) and agency in names:
        params["agency"] = names[agency]
    return params


# --- what blocks a commit: a tagged union, tagged by ``kind`` ("problem" in JSON) -----------


@dataclass(frozen=True, slots=True)
class SheetUnsubmitted:
    kind: ClassVar[str] = "sheet_unsubmitted"
    reviewer: str


@dataclass(frozen=True, slots=True)
class SheetChanged:
    """A submitted sheet whose scores are not those its submission logged (changed by
    hand since): none of them is counted."""

    kind: ClassVar[str] = "sheet_changed"
    reviewer: str


@dataclass(frozen=True, slots=True)
class ScoreInvalid:
    """A stored score outside the frozen rubric (not counted)."""

    kind: ClassVar[str] = "score_invalid"
    reviewer: str
    code: str
    criterion: str
    value: str
    points: int


@dataclass(frozen=True, slots=True)
class DiscrepancyOpen:
    kind: ClassVar[str] = "discrepancy"
    track: str
    code: str
    spread: str
    rescoring: bool


@dataclass(frozen=True, slots=True)
class TiePending:
    """A tied group whose order decides an award."""

    kind: ClassVar[str] = "tie_pending"
    track: str
    codes: tuple[str, ...]
    cause: str  # quota | cap | person | tier


@dataclass(frozen=True, slots=True)
class InputChanged:
    """A file the tally reads (the rules, the sealed entries, the deal, the chair's or the
    meeting's inputs) that is not what the step that wrote it logged (changed by hand
    since, :mod:`.logged_inputs`): the ranking shown is read from it as it is, and
    nothing is frozen from it."""

    kind: ClassVar[str] = "input_changed"
    path: str


Problem = (SheetUnsubmitted | SheetChanged | ScoreInvalid | DiscrepancyOpen | TiePending
           | InputChanged)
_PROBLEMS: dict[str, type[Problem]] = {
    p.kind: p for p in (SheetUnsubmitted, SheetChanged, ScoreInvalid, DiscrepancyOpen,
                        TiePending, InputChanged)}


def problem_params(problem: Problem) -> JSON:
    """A problem's fields by name (what its catalogue message is filled with)."""
    return {name: getattr(problem, name) for name in problem.__slots__}


def problem_to_json(problem: Problem) -> JSON:
    return {"problem": problem.kind, **{k: list(v) if isinstance(v, tuple) else v
                                        for k, v in problem_params(problem).items()}}


def problem_from_json(data: JSON) -> Problem:
    kind = _PROBLEMS[data["problem"]]
    params: JSON = {k: tuple(v) if isinstance(v, list) else v
                    for k, v in data.items() if k != "problem"}
    return kind(**params)


def _tuple(value: list[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)
