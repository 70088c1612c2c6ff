"""How robust each decision is (SPEC §12): would it change under another way of counting?

Before commit the meeting sees, per track, which entries' outcomes (status and tier) would
change if the track were tallied by each other method (mean, trimmed mean, z-score, rank
sum), and if any one reviewer's scores were left out, with the chair's decisions so far
(dropped scores, meeting orders, draws) kept. An entry that changes under one of these is
fragile, and is better discussed before it is frozen. Entries scored by fewer reviewers
than others of their track (because of conflicts or recusals) are named too. Blind: codes
and reviewer ids.

A scenario's ties are not broken by lottery: a tied group the chair has not decided shows
as ``tie_pending``, which counts as a change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any

from review_tui.engine.config import TALLY_METHODS, Track
from review_tui.engine.decisions.awards import select
from review_tui.engine.decisions.ranking import LadderInputs, Scored, rank_entries
from review_tui.engine.decisions.tally import ChairInputs, gather, score_track
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.recusal import recusals
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.workspace import Workspace

Outcome = tuple[str, str | None]  # (status, tier)


@dataclass(frozen=True)
class Change:
    code: str
    before: Outcome
    after: Outcome


@dataclass(frozen=True)
class Scenario:
    """One other way of counting: ``kind`` is ``method`` (``name`` a tally method) or
    ``without`` (``name`` the reviewer left out)."""

    kind: str
    name: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class TrackRobustness:
    track: str
    method: str
    scenarios: tuple[Scenario, ...]
    ranked: tuple[str, ...] = ()  # the track's codes in rank order, as tallied
    fewer_reviewers: dict[str, int] = field(default_factory=dict)  # code → reviewers dealt
    most_reviewers: int = 0

    @property
    def fragile(self) -> dict[str, list[Scenario]]:
        """Code → the scenarios that change its outcome; codes in rank order."""
        found: dict[str, list[Scenario]] = {}
        for scenario in self.scenarios:
            for change in scenario.changes:
                found.setdefault(change.code, []).append(scenario)
        return {code: found[code] for code in self.ranked if code in found}

    def changes_of(self, code: str) -> list[tuple[Outcome, Outcome, list[Scenario]]]:
        """``(before, after, scenarios)`` for each outcome ``code`` would change to."""
        out: dict[tuple[Outcome, Outcome], list[Scenario]] = {}
        for scenario in self.scenarios:
            for change in scenario.changes:
                if change.code == code:
                    out.setdefault((change.before, change.after), []).append(scenario)
        return [(before, after, found) for (before, after), found in out.items()]

    def as_json(self) -> dict[str, Any]:
        return {"track": self.track, "method": self.method,
                "scenarios": [{"kind": s.kind, "name": s.name, "changes": [
                    {"code": c.code, "before": {"status": c.before[0], "tier": c.before[1]},
                     "after": {"status": c.after[0], "tier": c.after[1]}}
                    for c in s.changes]} for s in self.scenarios],
                "fragile": {code: [f"{s.kind}:{s.name}" for s in found]
                            for code, found in self.fragile.items()},
                "fewer_reviewers": self.fewer_reviewers, "most_reviewers": self.most_reviewers}


@bulk_step
def robustness(workspace: Workspace) -> list[TrackRobustness]:
    """Each track's outcomes under every other method and without each reviewer."""
    committee = workspace.config
    facts, _ = gather(workspace)
    chair = ChairInputs.load(workspace)
    dealt = Counter(code for codes in load_deal(workspace).queues.values() for code in codes)
    dealt.subtract(r.code for r in recusals(workspace))  # withdrawn reviewers do not count
    out = []
    for track in committee.tracks:
        codes = sorted(c for c, f in facts.items() if f["track"] == track.id)
        scored, _ = score_track(track, codes, facts, chair.outcomes,
                                committee.discrepancy_threshold, [])
        inputs = chair.ladder(track.id)

        def outcomes(rules: Track, entries: list[Scored],
                     inputs: LadderInputs = inputs) -> dict[str, Outcome]:
            decisions, _ = select(rules, rank_entries(rules, entries, inputs), facts,
                                  chair.no_award)
            return {d.code: (str(d.status), d.tier) for d in decisions}

        base = outcomes(track, scored)
        scenarios = [Scenario("method", method, _changes(
                         base, outcomes(replace(track, method=method), scored)))
                     for method in TALLY_METHODS if method != track.method]
        for reviewer in sorted({r for entry in scored for r in entry.totals}):
            scenarios.append(Scenario("without", reviewer, _changes(
                base, outcomes(track, [_without(entry, reviewer) for entry in scored]))))
        most = max((dealt[c] for c in codes), default=0)
        out.append(TrackRobustness(track.id, track.method, tuple(scenarios), tuple(base),
                                   {c: dealt[c] for c in codes if dealt[c] < most}, most))
    return out


def _without(entry: Scored, reviewer: str) -> Scored:
    if reviewer not in entry.totals:
        return entry
    return Scored(entry.code, {r: t for r, t in entry.totals.items() if r != reviewer},
                  {r: c for r, c in entry.criteria.items() if r != reviewer},
                  {r: t for r, t in entry.all_totals.items() if r != reviewer})


def _changes(base: dict[str, Outcome], other: dict[str, Outcome]) -> tuple[Change, ...]:
    return tuple(Change(code, base[code], other[code]) for code in base
                 if other.get(code) != base[code])
