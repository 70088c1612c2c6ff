"""Tally the committee: gather the sheets, apply the chair's decisions, rank and select.

Runs blind on the store (codes, pseudonyms, scores); the vault is never needed. The chair's
inputs live in ``tally.json``: discrepancy outcomes (keep, drop one reviewer, re-score, no
award), meeting orders for tied groups, and lottery draws — each drawn only by the chair's
explicit action on one tied group (:func:`draw_tie`), its seed kept and re-derivable
(:func:`verify_draws`). A tally never draws. Every chair input is checked against what is
open (an order names exactly one tied group; a discrepancy outcome needs a flagged entry).
After commit the frozen document is returned unchanged.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

from review_tui.engine.config import Track
from review_tui.engine.decisions.awards import select
from review_tui.engine.decisions.commit import frozen_decisions
from review_tui.engine.decisions.groups import track_groups
from review_tui.engine.decisions.logged_inputs import changed_input, read_sealed_entries
from review_tui.engine.decisions.ranking import (
    LadderInputs,
    Scored,
    fixed,
    group_key,
    lottery_order,
    rank_entries,
    tenths,
)
from review_tui.engine.decisions.records import (
    DecisionRow,
    DiscrepancyOpen,
    Draw,
    DrawCheck,
    InputChanged,
    Outcome,
    Problem,
    Rung,
    ScoreInvalid,
    SheetChanged,
    SheetUnsubmitted,
    TiePending,
    TieStep,
    read_ties,
    share_ties,
)
from review_tui.engine.errors import ReviewError
from review_tui.engine.pipeline import completed_steps, mark_step
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.scores import (
    SUBMITTED,
    is_scored,
    logged_sheet_hashes,
    reopen_sheet,
    sheet_matches,
    store_name,
)
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

STORE = "tally"


OUTCOMES = tuple(Outcome)


@dataclass
class TallyResult:
    """The decisions document (``{"tracks": …, "ties": …}``, JSON as committed: each
    track's rows in rank order, and its tied groups' records by the id their members' rows
    name) and what still blocks a commit; :meth:`rows` reads a track's decisions as
    :class:`.DecisionRow` records."""

    document: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    frozen: bool = False
    _rows: dict[str, tuple[DecisionRow, ...]] = field(default_factory=dict, repr=False)

    def rows(self, track_id: str) -> tuple[DecisionRow, ...]:
        """A track's decisions in rank order, typed (read from the document once)."""
        if track_id not in self._rows:
            self._rows[track_id] = _read_rows(
                self.document["tracks"].get(track_id, []),
                self.document.get("ties", {}).get(track_id))
        return self._rows[track_id]

    def row(self, track_id: str, code: str) -> DecisionRow:
        return next(r for r in self.rows(track_id) if r.code == code)

    @property
    def entries(self) -> int:
        return sum(len(rows) for rows in self.document["tracks"].values())

    @cached_property  # the document is not changed once made; hashing it costs 0.5 s at 20,000
    def sha256(self) -> str:
        return sha256_hex(canonical(self.document))

    @property
    def unsubmitted(self) -> int:
        """Dealt sheets not submitted yet."""
        return sum(1 for p in self.problems if isinstance(p, SheetUnsubmitted))

    @property
    def provisional(self) -> bool:
        """A ranking with sheets still out may change: shown and exported as 暫定."""
        return not self.frozen and self.unsubmitted > 0

    def waiting(self, kind: str) -> list[tuple[str, str]]:
        """``(track, code)`` of each entry whose matter of ``kind`` waits for the chair, in
        ranking order: ``"discrepancy"`` (flagged and not settled) or ``"tie"`` (a tied
        group that decides an award, one entry per group)."""
        groups: dict[tuple[str, str], tuple[str, ...]] = {}  # (track, code) → its matter
        for problem in self.problems:
            if kind == "discrepancy" and isinstance(problem, DiscrepancyOpen):
                groups[problem.track, problem.code] = (problem.code,)
            elif kind == "tie" and isinstance(problem, TiePending):
                groups.update({(problem.track, code): problem.codes for code in problem.codes})
        found, seen = [], set()
        for track in self.document["tracks"]:
            for row in self.rows(track):
                matter = groups.get((track, row.code))
                if matter is not None and (track, matter) not in seen:
                    seen.add((track, matter))
                    found.append((track, row.code))
        return found

    def tied_groups(self, track_id: str) -> list[TieStep]:
        """The last rung of every tied group of a track, once each (decided or waiting)."""
        out, seen = [], set()
        for row in self.rows(track_id):
            for step in row.tie.steps if row.tie else ():
                if step.is_final and step.group not in seen:
                    seen.add(step.group)
                    out.append(step)
        return out


@bulk_step  # tens of thousands of records, all kept: the collector would walk them for nothing
def _read_rows(rows: list[dict[str, Any]],
               ties: dict[str, Any] | None) -> tuple[DecisionRow, ...]:
    records = read_ties(ties)  # a tied group's members share one record
    return tuple([DecisionRow.from_json(row, records) for row in rows])


def _rows(workspace: Workspace, table: str) -> list[dict[str, Any]]:
    return workspace.store.table_rows(STORE, table)


def gather(workspace: Workspace, *, check_inputs: bool = False, hash_entries: bool = False
           ) -> tuple[dict[str, dict[str, Any]], list[Problem]]:
    """Code → blind facts and complete reviews; and what blocks a commit: with
    ``check_inputs``, a file the tally reads that is not what its step logged
    (:mod:`.logged_inputs`), and among the sheets those not submitted, those changed since
    they were submitted (not counted), and stored scores outside the frozen rubric (not
    counted). With ``hash_entries`` (or ``check_inputs``) the entries read are hashed for
    that check, the commit's included."""
    committee = workspace.config
    rubrics = {t.id: _Rubric(t) for t in committee.tracks}
    read = read_sealed_entries if check_inputs or hash_entries else load_sealed_entries
    facts = {e["code"]: {"track": e["track"], "agency": e.get("agency", ""),
                         "authors": e.get("authors", []), "group": e.get("group"),
                         "reviews": {}}
             for e in read(workspace)}
    problems: list[Problem] = []
    records = workspace.audit.records()
    changed = changed_input(workspace, records) if check_inputs else None
    if changed is not None:  # said wherever the ranking is shown, not only at the commit
        problems.append(InputChanged(str(changed)))
    logged = logged_sheet_hashes(workspace, records)
    for reviewer, codes in sorted(load_deal(workspace).queues.items()):
        dealt = set(codes)
        stored = workspace.store.tables(store_name(reviewer), "sheet", "_default")  # one read
        sheet = stored["sheet"]
        if not sheet or sheet[0]["status"] != SUBMITTED:
            problems.append(SheetUnsubmitted(reviewer))
        elif not sheet_matches(stored["_default"], logged.get(reviewer)):
            problems.append(SheetChanged(reviewer))  # changed by hand since: not counted
            continue
        for row in stored["_default"]:
            code = row["code"]
            entry = facts.get(code)
            if entry is None or code not in dealt or row.get("recused"):
                continue  # a recused reviewer's score on the entry is withdrawn
            rubric = rubrics[entry["track"]]
            given = row.get("scores", {})
            if not is_scored(given, rubric.ids):
                continue
            review, bad = rubric.read(given)
            if bad is not None:
                criterion, value, most = bad
                problems.append(ScoreInvalid(reviewer, code, criterion, str(value), most))
                continue
            entry["reviews"][reviewer] = review
    return facts, problems


class _Rubric:
    """A track's criteria as a stored review is read against them: each score in whole
    tenths, within the criterion's points."""

    def __init__(self, track: Track) -> None:
        self.most = [(c.id, c.points * 10) for c in track.criteria]
        self.ids = frozenset(c.id for c in track.criteria)

    def read(self, given: dict[str, Any]) -> tuple[dict[str, int], tuple[str, Any, int] | None]:
        """Criterion → tenths of a point, and the first score that is not a number of
        tenths within its criterion's points (criterion, value as stored, points), if any."""
        review: dict[str, int] = {}
        bad = None
        for criterion, most in self.most:
            try:
                value = tenths(given[criterion])
            except (ValueError, ArithmeticError, TypeError):
                value = -1
            if bad is None and not 0 <= value <= most:
                bad = (criterion, given[criterion], most // 10)
            review[criterion] = value
        return review, bad


@bulk_step
def tally(workspace: Workspace, *, record: bool = True,
          check_inputs: bool = True) -> TallyResult:
    """The decisions as they stand (or as frozen, after commit). Never draws a lottery.
    A file it reads that is not what its step logged is a problem (``input_changed``),
    unless ``check_inputs`` is off (the commit checks them against the verified log)."""
    if "committed" in completed_steps(workspace):
        return TallyResult(frozen_decisions(workspace)["document"], frozen=True)
    committee = workspace.config
    facts, problems = gather(workspace, check_inputs=check_inputs, hash_entries=True)
    chair = ChairInputs.load(workspace)
    tracks: dict[str, list[dict[str, Any]]] = {}
    ties: dict[str, dict[str, Any]] = {}
    for track in committee.tracks:
        codes = sorted(c for c, f in facts.items() if f["track"] == track.id)
        scored, flags = score_track(track, codes, facts, chair.outcomes,
                                    committee.discrepancy_threshold, problems,
                                    chair.first_rounds)
        tracks[track.id] = []
        for group in track_groups(track, codes, facts):
            ranked = rank_entries(group.rules, scored, chair.ladder(track.id), group.within)
            decisions, blocking = select(group.rules, ranked, facts, chair.no_award)
            problems += blocking
            named = {} if group.name is None else {"group": group.name}
            tracks[track.id] += [dict(d.as_dict(), **flags[d.code], **named)
                                 for d in decisions]
        ties[track.id] = share_ties(tracks[track.id])
    result = TallyResult({"tracks": tracks, "ties": ties}, problems)
    if record:
        _record(workspace, result)
    return result


@dataclass(frozen=True)
class ChairInputs:
    """What the chair has decided so far: discrepancy outcomes by code, meeting orders
    and lottery draws by (track, group)."""

    outcomes: dict[str, dict[str, Any]]
    orders: dict[tuple[str, str], list[str]]
    draws: dict[tuple[str, str], dict[str, Any]]
    order_notes: dict[tuple[str, str], str] = field(default_factory=dict)
    # code → reviewer → criterion → tenths: the scores a re-score replaced (the first round)
    first_rounds: dict[str, dict[str, dict[str, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls, workspace: Workspace) -> ChairInputs:
        orders = _rows(workspace, "orders")
        return cls({r["code"]: r for r in _rows(workspace, "discrepancies")},
                   {(r["track"], r["group"]): r["order"] for r in orders},
                   {(r["track"], r["group"]): r for r in _rows(workspace, "draws")},
                   {(r["track"], r["group"]): r.get("note", "") for r in orders},
                   {r["code"]: r["reviews"] for r in _rows(workspace, "first_rounds")})

    def ladder(self, track_id: str) -> LadderInputs:
        """The orders and draws a track's tie ladder uses."""
        return LadderInputs({g: o for (t, g), o in self.orders.items() if t == track_id},
                            {g: d for (t, g), d in self.draws.items() if t == track_id})

    @cached_property
    def no_award(self) -> set[str]:
        return {c for c, o in self.outcomes.items() if o["action"] == Outcome.NO_AWARD}


def score_track(track: Track, codes: list[str], facts: dict[str, dict[str, Any]],
                outcomes: dict[str, dict[str, Any]], threshold: int,
                problems: list[Problem],
                first_rounds: dict[str, dict[str, dict[str, int]]] | None = None,
                ) -> tuple[list[Scored], dict[str, dict[str, Any]]]:
    """Scores after dropped reviewers, and each entry's review and discrepancy details
    (a re-scored review with its first round beside it); appends the open discrepancies
    to ``problems``."""
    first_rounds = first_rounds or {}
    scored, flags = [], {}
    for code in codes:
        reviews = facts[code]["reviews"]
        totals = {r: sum(c.values()) for r, c in reviews.items()}
        spread = _spread(totals)
        outcome = outcomes.get(code)
        flagged = _flagged(totals, threshold)
        dropped = outcome["reviewer"] if outcome and outcome["action"] == Outcome.DROP else None
        if dropped is None:  # nearly always: nothing to copy
            counted, kept = totals, reviews
        else:
            counted = {r: t for r, t in totals.items() if r != dropped}
            kept = {r: reviews[r] for r in counted}
        if flagged and (outcome is None or outcome["action"] == Outcome.RESCORE):
            problems.append(DiscrepancyOpen(track.id, code, _points(spread, "0.01"),
                                            bool(outcome)))
        scored.append(Scored(code, counted, kept, totals))
        firsts = first_rounds.get(code, {})
        flags[code] = {
            "mean": fixed(sum(counted.values()), 10 * len(counted), 2)
            if counted else None,
            "spread": _points(spread, "0.01"),
            "reviews": [_review_json(r, t, reviews[r], r != dropped, firsts.get(r))
                        for r, t in sorted(totals.items())],
            "discrepancy": {"flagged": flagged,
                            "outcome": ({k: outcome[k] for k in ("action", "reviewer", "note")}
                                        if outcome and flagged else None)},
        }
    return scored, flags


def _review_json(reviewer: str, total: int, criteria: dict[str, int], counted: bool,
                 first: dict[str, int] | None) -> dict[str, Any]:
    out = {"reviewer": reviewer, "total": _points(total),
           "criteria": {c: _points(v) for c, v in criteria.items()}, "counted": counted}
    if first is not None:  # kept only for a re-scored review: documents without one unchanged
        out["first_round"] = {"total": _points(sum(first.values())),
                              "criteria": {c: _points(v) for c, v in first.items()}}
    return out


def _spread(totals: dict[str, int]) -> int:
    return max(totals.values()) - min(totals.values()) if totals else 0


def _flagged(totals: dict[str, int], threshold: int) -> bool:
    """Reviewers' totals (tenths) spread by at least ``threshold`` points (評分差異過大)."""
    return len(totals) > 1 and _spread(totals) >= threshold * 10


@lru_cache(maxsize=1 << 14)  # a tally words 260,000 values, most of them the same few
def _points(value: int, places: str = "0.1") -> str:
    """Tenths of a point as a person reads them ("85.5"), rounded half up to ``places``
    (integers only: a tally formats a quarter of a million of them)."""
    return fixed(value, 10, len(places) - 2)


@transaction("tally")
def _record(workspace: Workspace, result: TallyResult) -> None:
    """Log a tally whose result differs from the last one logged; mark the step."""
    last = _rows(workspace, "last")
    if last and last[0]["sha256"] == result.sha256:
        return
    with workspace.store.write(STORE) as db:
        db.replace_all("last", [{"sha256": result.sha256}])
    record = workspace.audit.append("tally", {"result_sha256": result.sha256,
                                              "problems": len(result.problems)})
    mark_step(workspace, "tallied", record)


@transaction("tally.discrepancy")
def resolve_discrepancy(workspace: Workspace, code: str, action: str, *,
                        reviewer: str | None = None, note: str = "") -> None:
    """Record the chair's handling of a flagged entry; ``rescore`` reopens the sheets.
    Refused for an entry that is not flagged (its spread is below the threshold)."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    if action not in OUTCOMES:
        raise ReviewError("tally.bad_outcome", action=action)
    facts, _ = gather(workspace)
    if code not in facts:
        raise ReviewError("tally.unknown_code", code=code)
    totals = {r: sum(c.values()) for r, c in facts[code]["reviews"].items()}
    threshold = workspace.config.discrepancy_threshold
    if not _flagged(totals, threshold):
        raise ReviewError("tally.not_flagged", code=code, spread=_points(_spread(totals)),
                          threshold=threshold)
    reviewers = sorted(facts[code]["reviews"])
    if action == Outcome.DROP and reviewer not in reviewers:
        raise ReviewError("tally.drop_needs_reviewer", code=code, reviewers=", ".join(reviewers))
    kept: dict[str, dict[str, int]] = {}
    if action == Outcome.RESCORE:
        kept = _keep_first_round(workspace, code, {
            name: facts[code]["reviews"][name]
            for name in ([reviewer] if reviewer else reviewers)})
        for name in ([reviewer] if reviewer else reviewers):
            sheet = workspace.store.table_rows(store_name(name), "sheet")
            if sheet and sheet[0]["status"] == SUBMITTED:
                reopen_sheet(workspace, name, note or f"re-score {code}")
    with workspace.store.write(STORE) as db:
        db.upsert("discrepancies", {"code": code, "action": action, "reviewer": reviewer,
                                    "note": note}, key="code")
    workspace.audit.append("tally.discrepancy", {
        "code": code, "action": action, "reviewer": reviewer, "note": note,
        # the scores a re-score keeps as the first round, so the kept table is checked
        # against its records like the outcomes are (:mod:`.logged_inputs`)
        **({"first_round": kept} if action == Outcome.RESCORE else {})})


def _keep_first_round(workspace: Workspace, code: str,
                      reviews: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    """Before a re-score, keep each reopened reviewer's scores on the entry as its first
    round (a later re-score keeps the first one, not the second); the scores newly kept."""
    kept = next((r for r in _rows(workspace, "first_rounds") if r["code"] == code), None)
    first = dict(kept["reviews"]) if kept else {}
    added = {name: scores for name, scores in reviews.items() if name not in first}
    if added:
        with workspace.store.write(STORE) as db:
            db.upsert_many("first_rounds", [{"code": code, "reviews": {**first, **added}}],
                           key="code")
    return added


def _open_group(workspace: Workspace, track_id: str, codes: list[str], *,
                for_draw: bool) -> TieStep:
    """The tied group of ``track_id`` that ``codes`` names exactly, still open to the
    chair: undecided, or (for a meeting order) decided by an earlier order. Anything
    else is refused, naming the groups that are open."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    if track_id not in {t.id for t in workspace.config.tracks}:
        raise ReviewError("tally.unknown_track", track=track_id,
                          known=", ".join(t.id for t in workspace.config.tracks))
    groups = tally(workspace, record=False).tied_groups(track_id)
    open_groups = [g for g in groups
                   if not g.decided or (not for_draw and g.rung == Rung.CHAIR)]
    expected = "; ".join(" ".join(g.group) for g in open_groups) or "-"
    if len(set(codes)) != len(codes):
        raise ReviewError("tally.bad_order", codes=" ".join(codes), expected=expected)
    found = next((g for g in groups if sorted(g.group) == sorted(codes)), None)
    if found is not None and found.decided and found.rung == Rung.LOTTERY:
        raise ReviewError("tally.already_drawn", codes=" ".join(found.group),
                          seed=found.seed, order=" > ".join(found.order or ()))
    if found is None or found not in open_groups:
        raise ReviewError("tally.not_a_tie", track=track_id, codes=" ".join(codes),
                          expected=expected)
    return found


@transaction("tally.tie_order")
def record_tie_order(workspace: Workspace, track_id: str, order: list[str],
                     note: str = "") -> None:
    """Record the meeting's order for one tied group; ``order`` names exactly its codes."""
    _open_group(workspace, track_id, order, for_draw=False)
    with workspace.store.write(STORE) as db:
        db.upsert("orders", {"track": track_id, "group": group_key(order), "order": order,
                             "note": note}, key="group")
    workspace.audit.append("tally.tie_order", {"track": track_id, "order": order,
                                               "note": note})


@transaction("tally.draw")
def draw_tie(workspace: Workspace, track_id: str, codes: list[str], *,
             seed: int | None = None) -> Draw:
    """Draw the lottery for one undecided tied group (抽籤), by the chair's explicit act.

    ``seed`` is the number drawn in the room, or a fresh random one; the order follows
    from it (:func:`.ranking.lottery_order`), is kept and logged, and touches only this
    group.
    """
    group = _open_group(workspace, track_id, codes, for_draw=True)
    if seed is None:
        seed = secrets.randbelow(10**6)
    if seed < 0:
        raise ReviewError("tally.bad_seed", seed=seed)
    order = lottery_order(seed, track_id, list(group.group))
    key = group_key(list(group.group))
    with workspace.store.write(STORE) as db:
        db.upsert("draws", {"track": track_id, "group": key, "seed": seed, "order": order},
                  key="group")
    workspace.audit.append("tally.draw", {"track": track_id, "group": list(group.group),
                                          "seed": seed, "order": order})
    return Draw(seed, tuple(order))


def verify_draws(workspace: Workspace) -> list[DrawCheck]:
    """Re-derive every recorded draw from its seed (see :class:`.DrawCheck`)."""
    logged = {(r["details"]["track"], group_key(r["details"]["group"])): r["details"]
              for r in workspace.audit.records() if r.get("action") == "tally.draw"}
    out = []
    for draw in _rows(workspace, "draws"):
        codes = draw["group"].split(",")
        derived = lottery_order(draw["seed"], draw["track"], codes)
        record = logged.get((draw["track"], draw["group"]))
        ok = (derived == draw["order"] and record is not None
              and record["seed"] == draw["seed"] and record["order"] == derived)
        out.append(DrawCheck(draw["track"], tuple(codes), draw["seed"], tuple(draw["order"]),
                             tuple(derived), record is not None, ok))
    return out
