"""Tally the committee: gather the sheets, apply the chair's decisions, rank and select.

Runs blind on the store (codes, pseudonyms, scores); the vault is never needed. The chair's
inputs live in ``tally.json``: discrepancy outcomes (keep, drop one reviewer, re-score, no
award), meeting orders for ties, and the lottery seeds (drawn once per track when a tie first
reaches the lottery, then shown and kept). After commit the frozen document is returned
unchanged.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .audit import canonical, sha256_hex
from .awards import select
from .bulk import bulk_step
from .commit import frozen_decisions
from .config import Track
from .deal import load_deal
from .errors import ReviewError
from .pipeline import completed_steps, mark_step
from .ranking import (
    LadderInputs,
    LotteryNeeded,
    Scored,
    group_key,
    rank_entries,
    tenths,
    to_decimal,
)
from .scores import SUBMITTED, reopen_sheet, store_name
from .seal import load_sealed_entries
from .workspace import Workspace

STORE = "tally"
OUTCOMES = ("keep", "drop", "rescore", "no_award")


@dataclass
class TallyResult:
    """The decisions document (``{"tracks": …}``) and what still blocks a commit."""

    document: dict[str, Any]
    problems: list[dict[str, Any]] = field(default_factory=list)
    frozen: bool = False

    @property
    def sha256(self) -> str:
        return sha256_hex(canonical(self.document))

    def waiting(self, kind: str) -> list[tuple[str, str]]:
        """``(track, code)`` of each entry whose matter of ``kind`` waits for the chair, in
        ranking order: ``"discrepancy"`` (flagged and not settled) or ``"tie"`` (a lottery
        not drawn yet, shown as shared in a preview, or an order the chair has to record;
        one entry per tied group)."""
        groups: dict[tuple[str, str], tuple[str, ...]] = {}  # (track, code) → its matter
        for problem in self.problems:
            if kind == "discrepancy" and problem["problem"] == "discrepancy":
                groups[problem["track"], problem["code"]] = (problem["code"],)
            elif kind == "tie" and problem["problem"] == "tie_undecided":
                groups.update({(problem["track"], code): tuple(problem["codes"])
                               for code in problem["codes"]})
        found, seen = [], set()
        for track, rows in self.document["tracks"].items():
            for row in rows:
                steps = (row.get("tie") or {}).get("steps", [])
                if kind == "tie" and steps and steps[-1].get("undrawn"):
                    groups[track, row["code"]] = tuple(steps[-1]["group"])
                matter = groups.get((track, row["code"]))
                if matter is not None and (track, matter) not in seen:
                    seen.add((track, matter))
                    found.append((track, row["code"]))
        return found


def _rows(workspace: Workspace, table: str) -> list[dict[str, Any]]:
    return workspace.store.table_rows(STORE, table)


def gather(workspace: Workspace) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    """Code → blind facts and complete reviews; and the sheets not yet submitted."""
    committee = workspace.config
    criteria = {t.id: [c.id for c in t.criteria] for t in committee.tracks}
    facts = {e["code"]: {"track": e["track"], "agency": e.get("agency", ""),
                         "authors": e.get("authors", []), "reviews": {}}
             for e in load_sealed_entries(workspace)}
    unsubmitted = []
    for reviewer, codes in sorted(load_deal(workspace).queues.items()):
        dealt = set(codes)
        name = store_name(reviewer)
        sheet = workspace.store.table_rows(name, "sheet")
        if not sheet or sheet[0]["status"] != SUBMITTED:
            unsubmitted.append({"problem": "sheet_unsubmitted", "reviewer": reviewer})
        for row in workspace.store.table_rows(name):
            code = row["code"]
            if code not in dealt or code not in facts:
                continue
            given = row.get("scores", {})
            wanted = criteria[facts[code]["track"]]
            if all(c in given for c in wanted):
                facts[code]["reviews"][reviewer] = {c: tenths(given[c]) for c in wanted}
    return facts, unsubmitted


@bulk_step
def tally(workspace: Workspace, *, record: bool = True) -> TallyResult:
    """The decisions as they stand (or as frozen, after commit)."""
    if "committed" in completed_steps(workspace):
        return TallyResult(frozen_decisions(workspace)["document"], frozen=True)
    committee = workspace.config
    facts, problems = gather(workspace)
    outcomes = {r["code"]: r for r in _rows(workspace, "discrepancies")}
    orders = {(r["track"], r["group"]): r["order"] for r in _rows(workspace, "orders")}
    seeds = {r["track"]: r["seed"] for r in _rows(workspace, "lottery")}
    tracks: dict[str, list[dict[str, Any]]] = {}
    for track in committee.tracks:
        codes = sorted(c for c, f in facts.items() if f["track"] == track.id)
        scored, flags = _scored(track, codes, facts, outcomes,
                                committee.discrepancy_threshold, problems)
        chair_orders = {g: o for (t, g), o in orders.items() if t == track.id}
        try:
            ranked = rank_entries(track, scored, LadderInputs(chair_orders, seeds.get(track.id)))
        except LotteryNeeded:
            if record:
                seeds[track.id] = _draw_lottery(workspace, track)
                ranked = rank_entries(track, scored, LadderInputs(chair_orders,
                                                                  seeds[track.id]))
            else:  # a preview draws nothing: a tie waiting for its lottery shows as shared
                preview = dataclasses.replace(track, tie_ladder=tuple(
                    "shared" if r == "lottery" else r for r in track.tie_ladder))
                ranked = rank_entries(preview, scored, LadderInputs(chair_orders))
                _mark_undrawn(ranked, track)
        problems += _undecided_ties(track, ranked)
        no_award = {c for c, o in outcomes.items() if o["action"] == "no_award"}
        decisions, blocking = select(track, ranked, facts, no_award)
        problems += blocking
        tracks[track.id] = [dict(d.as_dict(), **flags[d.code]) for d in decisions]
    result = TallyResult({"tracks": tracks}, problems)
    if record:
        _record(workspace, result)
    return result


def _scored(track: Track, codes: list[str], facts: dict[str, dict[str, Any]],
            outcomes: dict[str, dict[str, Any]], threshold: int,
            problems: list[dict[str, Any]]) -> tuple[list[Scored], dict[str, dict[str, Any]]]:
    """Scores after dropped reviewers, and each entry's review and discrepancy details."""
    scored, flags = [], {}
    for code in codes:
        reviews = facts[code]["reviews"]
        totals = {r: sum(c.values()) for r, c in reviews.items()}
        spread = max(totals.values()) - min(totals.values()) if totals else 0
        outcome = outcomes.get(code)
        flagged = len(totals) > 1 and spread >= threshold * 10
        dropped = outcome["reviewer"] if outcome and outcome["action"] == "drop" else None
        counted = {r: t for r, t in totals.items() if r != dropped}
        if flagged and (outcome is None or outcome["action"] == "rescore"):
            problems.append({"problem": "discrepancy", "track": track.id, "code": code,
                             "spread": _points(spread, "0.01"),
                             "rescoring": bool(outcome)})
        scored.append(Scored(code, counted, {r: reviews[r] for r in counted}, totals))
        flags[code] = {
            "mean": str(to_decimal(Fraction(sum(counted.values()), 10 * len(counted))))
            if counted else None,
            "spread": _points(spread, "0.01"),
            "reviews": [{"reviewer": r, "total": _points(t),
                         "criteria": {c: _points(v) for c, v in reviews[r].items()},
                         "counted": r != dropped} for r, t in sorted(totals.items())],
            "discrepancy": {"flagged": flagged,
                            "outcome": ({k: outcome[k] for k in ("action", "reviewer", "note")}
                                        if outcome and flagged else None)},
        }
    return scored, flags


def _points(value: int, places: str = "0.1") -> str:
    """Tenths of a point as a person reads them ("85.5")."""
    return str(to_decimal(Fraction(value, 10), places))


def _mark_undrawn(ranked: list[Any], track: Track) -> None:
    """In a preview, say which shared places stand for a lottery not drawn yet."""
    if "shared" in track.tie_ladder:  # the ladder's own rung: shared places are decided
        return
    for item in ranked:
        for step in (item.tie or {}).get("steps", []):
            if step["rung"] == "shared":
                step["undrawn"] = True


def _undecided_ties(track: Track, ranked: list[Any]) -> list[dict[str, Any]]:
    """Tied groups that reached the chair's rung without a recorded order (once each)."""
    seen, out = set(), []
    for item in ranked:
        for step in (item.tie or {}).get("steps", []):
            key = tuple(step.get("group", ()))
            if step["rung"] == "chair" and not step["decided"] and key not in seen:
                seen.add(key)
                out.append({"problem": "tie_undecided", "track": track.id, "codes": list(key)})
    return out


def _draw_lottery(workspace: Workspace, track: Track) -> int:
    """Draw a track's lottery seed once, keep it and log it (抽籤)."""
    seed = secrets.randbelow(10**6)
    with workspace.store.write(STORE) as db:
        db.upsert("lottery", {"track": track.id, "seed": seed}, key="track")
    workspace.audit.append("tally.lottery", {"track": track.id, "seed": seed})
    return seed


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


def resolve_discrepancy(workspace: Workspace, code: str, action: str, *,
                        reviewer: str | None = None, note: str = "") -> None:
    """Record the chair's handling of a flagged entry; ``rescore`` reopens the sheets."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    if action not in OUTCOMES:
        raise ReviewError("tally.bad_outcome", action=action)
    facts, _ = gather(workspace)
    if code not in facts:
        raise ReviewError("tally.unknown_code", code=code)
    reviewers = sorted(facts[code]["reviews"])
    if action == "drop" and reviewer not in reviewers:
        raise ReviewError("tally.drop_needs_reviewer", code=code, reviewers=", ".join(reviewers))
    if action == "rescore":
        for name in ([reviewer] if reviewer else reviewers):
            sheet = workspace.store.table_rows(store_name(name), "sheet")
            if sheet and sheet[0]["status"] == SUBMITTED:
                reopen_sheet(workspace, name, note or f"re-score {code}")
    with workspace.store.write(STORE) as db:
        db.upsert("discrepancies", {"code": code, "action": action, "reviewer": reviewer,
                                    "note": note}, key="code")
    workspace.audit.append("tally.discrepancy", {"code": code, "action": action,
                                                 "reviewer": reviewer, "note": note})


def record_tie_order(workspace: Workspace, track_id: str, order: list[str],
                     note: str = "") -> None:
    """Record the meeting's order for a tied group (instead of the lottery)."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    if track_id not in {t.id for t in workspace.config.tracks}:
        raise ReviewError("tally.unknown_track", track=track_id)
    if len(set(order)) != len(order) or len(order) < 2:
        raise ReviewError("tally.bad_order")
    with workspace.store.write(STORE) as db:
        db.upsert("orders", {"track": track_id, "group": group_key(order), "order": order,
                             "note": note}, key="group")
    workspace.audit.append("tally.tie_order", {"track": track_id, "order": order,
                                               "note": note})
