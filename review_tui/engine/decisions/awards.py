"""Selection per track, in rank order: minimum score, agency caps, quota, commendations.

Pure function of the ranking and the blind facts sealing kept (agency pseudonym, writer
pseudonyms in manifest order). Every entry ends with a status and a reason (a catalogue
key with parameters, rendered in the reader's language by the faces).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from review_tui.engine.config import Track
from review_tui.engine.decisions.ranking import Ranked, to_decimal
from review_tui.engine.decisions.records import Problem, Status, TiePending
from review_tui.engine.storage.gc_pause import bulk_step

WINNER = Status.WINNER
CAPPED = Status.CAPPED
BELOW_MINIMUM = Status.BELOW_MINIMUM
NOT_SELECTED = Status.NOT_SELECTED
TIE_PENDING = Status.TIE_PENDING


@dataclass(slots=True)
class Decision:
    code: str
    rank: int | None
    score: str
    status: Status
    reason: str
    reason_params: dict[str, Any] = field(default_factory=dict)
    tie: dict[str, Any] | None = None
    agency: str = ""
    commended: list[str] = field(default_factory=list)
    co_authors: list[str] = field(default_factory=list)
    tier: str | None = None
    award: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "rank": self.rank, "score": self.score,
                "status": str(self.status), "reason": self.reason,
                "reason_params": self.reason_params, "tie": self.tie, "agency": self.agency,
                "commended": self.commended, "co_authors": self.co_authors,
                "tier": self.tier, "award": self.award}


@dataclass
class _Standing:
    """What the decisions so far have taken: places, each agency's awards, the people
    commended, and each tier's count."""

    winners: int = 0
    by_agency: dict[str, list[str]] = field(default_factory=dict)
    people: set[str] = field(default_factory=set)
    tiers_used: dict[str, int] = field(default_factory=dict)

    def take(self, decision: Decision) -> tuple[str, list[str], str | None]:
        """A winner takes a place and its tier; returns what to give back to undo it (a
        trial of a tied group costs only the group, not a copy of every agency's
        awards)."""
        self.winners += 1
        self.by_agency.setdefault(decision.agency, []).append(decision.code)
        added = [p for p in decision.commended if p not in self.people]
        self.people.update(added)
        if decision.tier is not None:
            self.tiers_used[decision.tier] = self.tiers_used.get(decision.tier, 0) + 1
        return decision.agency, added, decision.tier

    def give_back(self, taken: tuple[str, list[str], str | None]) -> None:
        agency, added, tier = taken
        self.winners -= 1
        self.by_agency[agency].pop()
        if not self.by_agency[agency]:
            del self.by_agency[agency]
        self.people.difference_update(added)
        if tier is not None:
            self.tiers_used[tier] -= 1


@bulk_step
def select(track: Track, ranked: list[Ranked], facts: dict[str, dict[str, Any]],
           no_award: set[str]) -> tuple[list[Decision], list[Problem]]:
    """Decide every entry; also returns the ties that block commit.

    A group still tied after the ladder (sharing a rank) decides an award when some order
    of it would change an entry's status or tier (the quota, an agency's cap, a person
    commended once, a tier's count). Such a tie holds its places: each entry that could win
    is ``tie_pending``, and the entries below are decided as if every one of them had won,
    so no lower entry takes a contested place. A tie that decides nothing keeps its
    statuses.
    """
    decisions: list[Decision] = []
    problems: list[Problem] = []
    standing = _Standing()
    blocks: list[list[Ranked]] = []
    for item in ranked:
        if blocks and item.rank is not None and blocks[-1][0].rank == item.rank:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    for block in blocks:
        if len(block) == 1:
            decision = _verdict(track, block[0], facts[block[0].code], no_award, standing)
            if decision.status == WINNER:
                standing.take(decision)
            decisions.append(decision)
            continue
        alone = [_verdict(track, item, facts[item.code], no_award, standing) for item in block]
        taken, in_order = [], []
        for item in block:  # the group in code order, as a trial
            decision = _verdict(track, item, facts[item.code], no_award, standing)
            if decision.status == WINNER:
                taken.append(standing.take(decision))
            in_order.append(decision)
        differs = [(a, b) for a, b in zip(alone, in_order, strict=True)
                   if (a.status, a.reason, a.tier) != (b.status, b.reason, b.tier)]
        if not differs:  # every order gives the same: the tie decides nothing
            decisions += in_order
            continue
        for undo in reversed(taken):
            standing.give_back(undo)
        cause = _cause(*differs[0])
        contenders = [d.code for d in alone if d.status == WINNER]
        for decision in alone:
            if decision.status == WINNER:
                standing.take(decision)  # as if it won: the place stays open
                decision.status, decision.reason = TIE_PENDING, "reason.tie_pending"
                decision.reason_params = {
                    "codes": ", ".join(c for c in contenders if c != decision.code),
                    "cause": cause}
                decision.co_authors = decision.commended + decision.co_authors
                decision.commended, decision.tier, decision.award = [], None, None
            decisions.append(decision)
        problems.append(TiePending(track.id, tuple(item.code for item in block), cause))
    return decisions, problems


def _cause(alone: Decision, in_order: Decision) -> str:
    """What a tie decides, by what kept an entry from its own result: the quota, an
    agency's cap, a person commended once, or a tier."""
    return {"reason.quota": "quota", "reason.capped": "cap",
            "reason.person_once": "person"}.get(in_order.reason, "tier")


def _verdict(track: Track, item: Ranked, fact: dict[str, Any], no_award: set[str],
             standing: _Standing) -> Decision:
    agency = fact["agency"]
    decision = Decision(item.code, item.rank, item.shown, NOT_SELECTED, "", tie=item.tie,
                        agency=agency)
    authors = list(fact["authors"])
    if item.mean is None:
        decision.reason = "reason.no_scores"
    elif item.code in no_award:
        decision.reason = "reason.no_award"
    elif item.mean.numerator < track.min_score * item.mean.denominator:
        decision.status, decision.reason = BELOW_MINIMUM, "reason.below_minimum"
        decision.reason_params = {"mean": str(to_decimal(item.mean)), "minimum": track.min_score}
    elif standing.winners >= track.quota:  # selection stops at the quota
        decision.reason, decision.reason_params = "reason.quota", {"quota": track.quota}
    elif track.agency_award_cap and len(standing.by_agency.get(agency, [])) \
            >= track.agency_award_cap:
        decision.status, decision.reason = CAPPED, "reason.capped"
        decision.reason_params = {"agency": agency, "cap": track.agency_award_cap,
                                  "filled_by": ", ".join(standing.by_agency[agency])}
    else:
        first = authors[:track.commended_authors_cap]
        commended = [p for p in first if not (track.once_per_person and p in standing.people)]
        if not commended:
            decision.reason = "reason.person_once"
            decision.reason_params = {"persons": ", ".join(first)}
        else:
            decision.status, decision.reason = WINNER, "reason.winner"
            _assign_tier(track, decision, item.mean, standing.tiers_used)
            decision.commended = commended
            decision.co_authors = [p for p in authors if p not in commended]
            decision.reason_params = {"rank": item.rank}
            return decision
    decision.co_authors = authors
    return decision


def _assign_tier(track: Track, decision: Decision, mean: Fraction | None,
                 used: dict[str, int]) -> None:
    """A winner's tier: the first with room (``used`` counts the tiers taken so far) whose
    minimum its plain mean reaches (in points, whatever the ranking method); a tier may
    stay empty (從缺). Without tiers, the track's award. Counted when the place is taken."""
    decision.award = track.award
    for tier in track.tiers:
        room = tier.count is None or used.get(tier.name, 0) < tier.count
        if room and (tier.min_score is None
                     or (mean is not None and mean >= tier.min_score)):
            decision.tier, decision.award = tier.name, tier.award
            return
