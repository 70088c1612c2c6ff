"""How robust each decision is (SPEC §12): would it change under another way of counting?

Before commit the meeting sees, per track, which entries' awards (an award and its tier,
or a place still tied) would change if the track were tallied by each other method (mean,
trimmed mean, z-score, rank sum), and if any one reviewer's scores were left out, with the
chair's decisions so far (dropped scores, meeting orders, draws) kept. An entry whose award
changes under one of these is fragile, and is better discussed before it is frozen (a
change between not selected, under the minimum and capped awards nothing either way, so
it is not one). Entries scored by fewer reviewers than others of their track (because of
conflicts or recusals) are named too. Blind: codes and reviewer ids.

A scenario's ties are not broken by lottery: a tied group the chair has not decided shows
as ``tie_pending``, which counts as a change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from review_tui.engine.config import TALLY_METHODS, Track
from review_tui.engine.decisions.awards import select
from review_tui.engine.decisions.groups import TrackGroup, track_groups
from review_tui.engine.decisions.ranking import LadderInputs, Scored, rank_entries
from review_tui.engine.decisions.records import Status
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
def robustness(workspace: Workspace, *, shortcut: bool = True) -> list[TrackRobustness]:
    """Each track's awards under every other method and without each reviewer.

    Leaving a reviewer out moves only the entries they scored. Under the mean, when none
    of those has an award (or a tied place) and each stays below the last winner, no
    award can change, and the track is not ranked again for that reviewer (``shortcut``):
    at 20,000 entries and 2,000 reviewers a ranking costs half a second, and most
    reviewers scored no entry near the cut-off."""
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
        groups = track_groups(track, codes, facts)

        def outcomes(rules: Track, entries: list[Scored], inputs: LadderInputs = inputs,
                     groups: list[TrackGroup] = groups) -> dict[str, Outcome]:
            found = {}
            for group in groups:  # each group of a grouped track on its own
                own = rules.group_rules(group.name)
                decisions, _ = select(own, rank_entries(own, entries, inputs, group.within),
                                      facts, chair.no_award)
                found.update({d.code: (str(d.status), d.tier) for d in decisions})
            return found

        base = outcomes(track, scored)
        scenarios = [Scenario("method", method, _changes(
                         base, outcomes(replace(track, method=method), scored)))
                     for method in TALLY_METHODS if method != track.method]
        settled = _Settled(track, scored, base) if shortcut else None
        for reviewer in sorted({r for entry in scored for r in entry.totals}):
            if settled is not None and settled.unchanged_without(reviewer):
                scenarios.append(Scenario("without", reviewer, ()))
                continue
            scenarios.append(Scenario("without", reviewer, _changes(
                base, outcomes(track, [_without(entry, reviewer) for entry in scored]))))
        most = max((dealt[c] for c in codes), default=0)
        out.append(TrackRobustness(track.id, track.method, tuple(scenarios), tuple(base),
                                   {c: dealt[c] for c in codes if dealt[c] < most}, most))
    return out


class _Settled:
    """Which reviewers' absence cannot change a track ranked by the mean (see
    :func:`robustness`)."""

    def __init__(self, track: Track, scored: list[Scored], base: dict[str, Outcome]) -> None:
        self.usable = track.method == "mean"
        self.base = base
        self.entries_of: dict[str, list[Scored]] = {}
        for entry in scored:
            for reviewer in entry.totals:
                self.entries_of.setdefault(reviewer, []).append(entry)
        winners = [_mean(e.totals) for e in scored
                   if base[e.code][0] == str(Status.WINNER) and e.totals]
        self.last_winner = min(winners) if winners else None

    def unchanged_without(self, reviewer: str) -> bool:
        if not self.usable or self.last_winner is None:
            return False
        for entry in self.entries_of.get(reviewer, ()):
            if award(self.base[entry.code])[0] != "none" or len(entry.totals) < 2:
                return False
            if _mean({r: t for r, t in entry.totals.items() if r != reviewer}) >= \
                    self.last_winner:
                return False
        return True


def _mean(totals: dict[str, int]) -> Fraction:
    """The mean of totals in tenths, in points, exactly."""
    return Fraction(sum(totals.values()), 10 * len(totals))


def _without(entry: Scored, reviewer: str) -> Scored:
    if reviewer not in entry.totals:
        return entry
    return Scored(entry.code, {r: t for r, t in entry.totals.items() if r != reviewer},
                  {r: c for r, c in entry.criteria.items() if r != reviewer},
                  {r: t for r, t in entry.all_totals.items() if r != reviewer})


def award(outcome: Outcome) -> Outcome:
    """What an outcome decides: an award (with its tier), a place still tied, or none (not
    selected, under the minimum, capped: the same for the writer and the meeting)."""
    status, tier = outcome
    if status == str(Status.WINNER):
        return status, tier
    return (status, None) if status == str(Status.TIE_PENDING) else ("none", None)


def _changes(base: dict[str, Outcome], other: dict[str, Outcome]) -> tuple[Change, ...]:
    """The entries whose award (not merely the reason for none) would be different."""
    return tuple(Change(code, base[code], other[code]) for code in base
                 if award(other[code]) != award(base[code]))
