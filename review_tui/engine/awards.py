"""Selection per track, in rank order: minimum score, agency caps, quota, commendations.

Pure function of the ranking and the blind facts sealing kept (agency pseudonym, writer
pseudonyms in manifest order). Every entry ends with a status and a reason (a catalogue
key with parameters, rendered in the reader's language by the faces).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from .bulk import bulk_step
from .config import Track
from .ranking import Ranked, to_decimal

WINNER = "winner"
CAPPED = "capped"
BELOW_MINIMUM = "below_minimum"
NOT_SELECTED = "not_selected"


@dataclass(slots=True)
class Decision:
    code: str
    rank: int | None
    score: str
    status: str
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
                "status": self.status, "reason": self.reason,
                "reason_params": self.reason_params, "tie": self.tie, "agency": self.agency,
                "commended": self.commended, "co_authors": self.co_authors,
                "tier": self.tier, "award": self.award}


@bulk_step
def select(track: Track, ranked: list[Ranked], facts: dict[str, dict[str, Any]],
           no_award: set[str]) -> tuple[list[Decision], list[dict[str, Any]]]:
    """Decide every entry; also returns problems that block commit (a tie at the quota)."""
    decisions: list[Decision] = []
    problems: list[dict[str, Any]] = []
    awarded_by_agency: dict[str, list[str]] = {}
    awarded_people: set[str] = set()
    winners = 0
    tiers_used: dict[str, int] = {}
    blocks: list[list[Ranked]] = []
    for item in ranked:
        if blocks and item.rank is not None and blocks[-1][0].rank == item.rank:
            blocks[-1].append(item)
        else:
            blocks.append([item])
    for block in blocks:
        verdicts = [_verdict(track, item, facts[item.code], no_award, awarded_by_agency,
                             awarded_people, winners) for item in block]
        eligible = [v for v in verdicts if v.status == WINNER]
        if len(block) > 1 and eligible and winners + len(eligible) > track.quota:
            for verdict in eligible:
                verdict.status, verdict.reason = NOT_SELECTED, "reason.tie_at_quota"
                verdict.reason_params = {"quota": track.quota}
            problems.append({"problem": "tie_at_quota", "track": track.id,
                             "codes": [v.code for v in eligible]})
        for verdict in verdicts:
            if verdict.status == WINNER:
                winners += 1
                awarded_by_agency.setdefault(verdict.agency, []).append(verdict.code)
                awarded_people.update(verdict.commended)
                _assign_tier(track, verdict, tiers_used)
            decisions.append(verdict)
    return decisions, problems


def _verdict(track: Track, item: Ranked, fact: dict[str, Any], no_award: set[str],
             awarded_by_agency: dict[str, list[str]], awarded_people: set[str],
             winners: int) -> Decision:
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
    elif winners >= track.quota:  # selection stops at the quota
        decision.reason, decision.reason_params = "reason.quota", {"quota": track.quota}
    elif track.agency_award_cap and len(awarded_by_agency.get(agency, [])) \
            >= track.agency_award_cap:
        decision.status, decision.reason = CAPPED, "reason.capped"
        decision.reason_params = {"agency": agency, "cap": track.agency_award_cap,
                                  "filled_by": ", ".join(awarded_by_agency[agency])}
    else:
        first = authors[:track.commended_authors_cap]
        commended = [p for p in first if not (track.once_per_person and p in awarded_people)]
        if not commended:
            decision.reason = "reason.person_once"
            decision.reason_params = {"persons": ", ".join(first)}
        else:
            decision.status, decision.reason = WINNER, "reason.winner"
            decision.commended = commended
            decision.co_authors = [p for p in authors if p not in commended]
            decision.reason_params = {"rank": item.rank}
            return decision
    decision.co_authors = authors
    return decision


def _assign_tier(track: Track, decision: Decision, used: dict[str, int]) -> None:
    """A winner takes the first tier with room whose band it reaches; a tier may stay empty
    (從缺). Without tiers, the track's award."""
    decision.award = track.award
    for tier in track.tiers:
        room = tier.count is None or used.get(tier.name, 0) < tier.count
        if room and (tier.min_score is None or Fraction(decision.score) >= tier.min_score):
            used[tier.name] = used.get(tier.name, 0) + 1
            decision.tier, decision.award = tier.name, tier.award
            return
