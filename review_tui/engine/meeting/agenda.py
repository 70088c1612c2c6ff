"""The meeting's agenda: every open matter, in the order the meeting takes them (SPEC §12).

Discrepancies first, then ties that decide an award, entries near a track's cut-off,
recusals (自行迴避), and sheets not yet submitted (with scores outside the rubric among
them). Each is decided with the engine's own actions (``resolve``, ``order``, ``draw``,
``reopen``, ``deal --fill``); an entry near the cut-off and a recusal are decided by the
meeting's note on them (:func:`note_matter`). A decided matter
stays on the agenda, ticked, with what was decided, so the minutes can list them all.

Blind: codes, pseudonyms and reviewer ids only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from review_tui.engine.decisions.ranking import group_key
from review_tui.engine.decisions.records import (
    DecisionRow,
    DiscrepancyOpen,
    Problem,
    Rung,
    ScoreInvalid,
    SheetChanged,
    SheetUnsubmitted,
    Status,
    TiePending,
    problem_to_json,
)
from review_tui.engine.decisions.tally import ChairInputs, TallyResult, tally
from review_tui.engine.errors import ReviewError
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

STORE = "meeting"
NOTED = ("cutoff", "recusal")  # decided by the meeting's note on them


@dataclass(frozen=True)
class Matter:
    """One matter on the agenda. ``id`` is stable (``discrepancy:R-7K3M``,
    ``tie:reading:R-A2B3,R-C4D5``, ``cutoff:R-7K3M``, ``recusal:J02:R-7K3M``,
    ``sheet:J03``, ``sheet:J03:changed``); ``open`` until the
    meeting decides it; ``decision`` says how (an outcome, an order, a draw's seed); the
    ``problem`` behind an open matter is kept for its words."""

    id: str
    kind: str
    open: bool
    track: str | None = None
    codes: tuple[str, ...] = ()
    reviewer: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    decision: dict[str, Any] | None = None
    note: str = ""
    problem: Problem | None = None

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "open": self.open, "track": self.track,
                "codes": list(self.codes), "reviewer": self.reviewer, "params": self.params,
                "decision": self.decision, "note": self.note,
                "problem": problem_to_json(self.problem) if self.problem else None}


def agenda(workspace: Workspace, result: TallyResult | None = None) -> list[Matter]:
    """The agenda as the store stands (the tally is run blind, without logging it)."""
    result = result or tally(workspace, record=False)
    chair = ChairInputs.load(workspace)
    notes = {r["matter"]: r["note"] for r in workspace.store.table_rows(STORE, "notes")}
    first = _discrepancies(result, chair) + _ties(result, chair)
    on_agenda = {code for matter in first for code in matter.codes}
    matters = (first + _near_cutoff(workspace, result, on_agenda)
               + _recusals(workspace, result) + _sheets(result))
    return [_with_note(m, notes.get(m.id)) for m in matters]


def _with_note(matter: Matter, note: str | None) -> Matter:
    if note is None:
        return matter
    done = matter.open and matter.kind in NOTED  # discussed: the note decides it
    return replace(matter, open=matter.open and not done, note=note or matter.note,
                   decision=matter.decision or ({"action": "discussed"} if done else None))


def _discrepancies(result: TallyResult, chair: ChairInputs) -> list[Matter]:
    waiting = {p.code: p for p in result.problems if isinstance(p, DiscrepancyOpen)}
    out = []
    for track in result.document["tracks"]:
        for row in result.rows(track):
            if not row.discrepancy.flagged:
                continue
            problem = waiting.get(row.code)
            outcome = chair.outcomes.get(row.code)
            decision = ({"action": outcome["action"], "reviewer": outcome.get("reviewer")}
                        if outcome else None)
            out.append(Matter(f"discrepancy:{row.code}", "discrepancy", problem is not None,
                              track, (row.code,), params={"spread": row.spread},
                              decision=decision, note=(outcome or {}).get("note") or "",
                              problem=problem))
    return out


def _ties(result: TallyResult, chair: ChairInputs) -> list[Matter]:
    pending = {(p.track, tuple(sorted(p.codes))): p for p in result.problems
               if isinstance(p, TiePending)}
    out = []
    for track in result.document["tracks"]:
        for step in result.tied_groups(track):
            key = (track, tuple(sorted(step.group)))
            problem = pending.get(key)
            by_chair = step.decided and step.rung in (Rung.CHAIR, Rung.LOTTERY)
            if problem is None and not by_chair:
                continue  # the ladder decided it, or it decides nothing
            group = group_key(list(step.group))
            decision, note = None, ""
            if by_chair:
                decision = {"action": str(step.rung), "order": list(step.order or ()),
                            "seed": step.seed}
                note = chair.order_notes.get((track, group), "")
            out.append(Matter(f"tie:{track}:{group}", "tie", problem is not None, track,
                              tuple(step.group), decision=decision, note=note,
                              params={"cause": problem.cause} if problem else {},
                              problem=problem))
    return out


def _near_cutoff(workspace: Workspace, result: TallyResult,
                 on_agenda: set[str]) -> list[Matter]:
    """Where a track has a cut-off (a winner above an entry the quota or the minimum left
    out): the winners within the margin above the best entry left out, and the entries
    left out within the margin below the last winner; not those ``on_agenda`` already
    (a discrepancy, a tie for the meeting)."""
    margin = workspace.config.meeting.cutoff_margin
    out = []
    for track, rows in _cutoff_lists(result):
        winners = [r for r in rows if r.status == Status.WINNER]
        out_by_score = [r for r in rows
                        if r.status in (Status.NOT_SELECTED, Status.BELOW_MINIMUM)]
        if not winners or not out_by_score:
            continue
        last_in = Decimal(str(winners[-1].mean))
        first_out = max(Decimal(str(r.mean)) for r in out_by_score)
        left_out = {r.code for r in out_by_score}  # a set: rows compared by code, not whole
        for row in rows:
            if row.code in on_agenda:
                continue
            mean = Decimal(str(row.mean))
            won = row.status == Status.WINNER
            if not won and row.code not in left_out:
                continue
            other = first_out if won else last_in
            gap = mean - other if won else other - mean
            if gap <= margin:
                out.append(Matter(f"cutoff:{row.code}", "cutoff", True, track, (row.code,),
                                  params={"mean": str(row.mean), "winner": won,
                                          "other": str(other), "gap": str(gap),
                                          "status": str(row.status)}))
    return out


def _cutoff_lists(result: TallyResult) -> Iterator[tuple[str, list[DecisionRow]]]:
    """Each list with a cut-off of its own, its scored rows: a track, or each group of a
    grouped track."""
    for track in result.document["tracks"]:
        lists: dict[str | None, list[DecisionRow]] = {}
        for row in result.rows(track):
            if row.mean is not None:
                lists.setdefault(row.group, []).append(row)
        for rows in lists.values():
            yield track, rows


def _recusals(workspace: Workspace, result: TallyResult) -> list[Matter]:
    """Each reviewer's withdrawal from an entry, with the replacement dealt for it."""
    from review_tui.engine.scoring.recusal import recusals, replacements

    withdrawn = recusals(workspace)
    if not withdrawn:
        return []
    replaced_by = replacements(workspace)
    track_of = {row["code"]: track for track, rows in result.document["tracks"].items()
                for row in rows}
    return [Matter(f"recusal:{r.reviewer}:{r.code}", "recusal", True, track_of.get(r.code),
                   (r.code,), r.reviewer,
                   params={"reason": r.reason, "by": r.by,
                           "replaced_by": replaced_by.get((r.reviewer, r.code))})
            for r in withdrawn]


def _sheets(result: TallyResult) -> list[Matter]:
    out = []
    for problem in result.problems:
        if isinstance(problem, SheetUnsubmitted):
            out.append(Matter(f"sheet:{problem.reviewer}", "sheet", True,
                              reviewer=problem.reviewer, problem=problem))
        elif isinstance(problem, SheetChanged):
            out.append(Matter(f"sheet:{problem.reviewer}:changed", "sheet", True,
                              reviewer=problem.reviewer, problem=problem))
        elif isinstance(problem, ScoreInvalid):
            out.append(Matter(f"sheet:{problem.reviewer}:{problem.code}", "sheet", True,
                              reviewer=problem.reviewer, codes=(problem.code,),
                              problem=problem))
    return out


@transaction("meeting.note")
def note_matter(workspace: Workspace, matter_id: str, note: str) -> Matter:
    """Record the meeting's note on a matter of the agenda (for an entry near the cut-off,
    this decides it: it was discussed). Refused after commit, for a matter not on the
    agenda, and for an empty note."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    note = note.strip()
    if not note:
        raise ReviewError("meeting.note_empty")
    found = next((m for m in agenda(workspace) if m.id == matter_id), None)
    if found is None:
        raise ReviewError("meeting.unknown_matter", matter=matter_id)
    with workspace.store.write(STORE) as db:
        db.upsert_many("notes", [{"matter": matter_id, "note": note,
                                  "at": datetime.now(UTC).isoformat(timespec="seconds")}],
                       key="matter")
    workspace.audit.append("meeting.note", {"matter": matter_id, "note": note})
    return _with_note(found, note)
