"""Properties of ranking and selection over random committees (hypothesis)."""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from review_tui.engine.decisions.awards import WINNER, select
from review_tui.engine.decisions.ranking import (
    LadderInputs,
    Scored,
    _LadderContext,
    group_key,
    lottery_order,
    rank_entries,
    reviewer_ranks,
)
from tests.engine.test_ranking import READING

CRITERIA = [(c.id, c.points) for c in READING.criteria]


@st.composite
def committees(draw):
    rng = random.Random(draw(st.integers(0, 10**6)))
    entries = draw(st.integers(2, 25))
    reviewers = draw(st.integers(1, 4))
    coarse = draw(st.booleans())  # few distinct values: many ties
    items, facts = [], {}
    for i in range(entries):
        code = f"R-{i:03d}"
        criteria = {}
        for r in range(reviewers):
            criteria[f"J{r}"] = {cid: (rng.choice([points * 5, points * 10]) if coarse
                                       else rng.randint(0, points * 10))
                                 for cid, points in CRITERIA}
        totals = {r: sum(v.values()) for r, v in criteria.items()}
        items.append(Scored(code, totals, criteria, dict(totals)))
        facts[code] = {"agency": f"A{rng.randint(1, 4)}",
                       "authors": [f"P{rng.randint(1, 8)}"]}
    track = dataclasses.replace(
        READING, quota=draw(st.integers(1, 6)), agency_award_cap=draw(st.integers(0, 3)),
        min_score=draw(st.sampled_from([0, 40, 60, 80])),
        once_per_person=draw(st.booleans()),
        method=draw(st.sampled_from(["mean", "trimmed_mean", "rank_sum", "zscore"])),
        tie_ladder=draw(st.sampled_from([("criteria", "first_places", "lottery"),
                                         ("stdev", "lottery"), ("lottery",)])))
    return track, items, facts


def decide(track, items, facts):
    """Rank, then draw every group still tied (seed 7) as the chair would, and rank again."""
    undrawn = rank_entries(track, items, LadderInputs())
    groups = {tuple(step["group"]) for r in undrawn for step in (r.tie or {}).get("steps", [])
              if step.get("decided") is False}
    draws = {group_key(list(g)): {"seed": 7, "order": lottery_order(7, track.id, list(g))}
             for g in groups}
    ranked = rank_entries(track, items, LadderInputs(draws=draws))
    return ranked, select(track, ranked, facts, set())[0]


@settings(max_examples=150, deadline=None)
@given(committees(), st.randoms())
def test_ranking_is_a_strict_order_and_ignores_input_order(committee, shuffler):
    track, items, facts = committee
    ranked, decisions = decide(track, items, facts)
    assert sorted(r.rank for r in ranked) == list(range(1, len(items) + 1))
    shuffled = list(items)
    shuffler.shuffle(shuffled)
    _, again = decide(track, shuffled, facts)
    assert [d.as_dict() for d in again] == [d.as_dict() for d in decisions]


@settings(max_examples=150, deadline=None)
@given(committees())
def test_caps_and_quotas_hold_and_winners_outrank_the_quota_cut(committee):
    track, items, facts = committee
    _, decisions = decide(track, items, facts)
    winners = [d for d in decisions if d.status == WINNER]
    assert len(winners) <= track.quota
    if track.agency_award_cap:
        for agency in {d.agency for d in winners}:
            assert sum(d.agency == agency for d in winners) <= track.agency_award_cap
    if track.once_per_person:
        people = [p for d in winners for p in d.commended]
        assert len(people) == len(set(people))
    last_winner = max((d.rank for d in winners), default=0)
    for decision in decisions:
        if decision.reason == "reason.quota":
            assert decision.rank > last_winner
        if decision.status == WINNER:
            assert decision.commended and decision.award


def outcomes(decisions):
    """Who is awarded what, and who is commended. A non-winner counts only as not awarded:
    when several bars hold at once (places filled, its agency's cap, a writer commended
    already), which is named first can follow the order a moot tie was drawn in, and each
    named bar is true."""
    return {d.code: (d.status if d.status == WINNER else "not awarded", d.tier,
                     tuple(d.commended)) for d in decisions}


@settings(max_examples=150, deadline=None)
@given(committees(), st.integers(0, 10**6))
def test_a_tie_said_to_decide_nothing_gives_the_same_awards_whatever_the_draw(committee, seed):
    track, items, facts = committee
    undrawn = rank_entries(track, items, LadderInputs())
    decisions, problems = select(track, undrawn, facts, set())
    pending = {c for p in problems for c in p.codes}
    groups = {tuple(step["group"]) for r in undrawn for step in (r.tie or {}).get("steps", [])
              if step.get("decided") is False}
    draws = {group_key(list(g)): {"seed": seed, "order": lottery_order(seed, track.id,
                                                                      list(g))}
             for g in groups if not pending & set(g)}
    drawn = rank_entries(track, items, LadderInputs(draws=draws))
    after, still = select(track, drawn, facts, set())
    assert still == problems  # drawing ties that decide nothing leaves the open ones open
    if not problems:  # nothing pending: every draw of the moot ties gives the same awards
        assert outcomes(after) == outcomes(decisions)
    for decision in decisions:  # a pending entry is never also counted a winner
        if decision.code in pending:
            assert decision.status != WINNER


@settings(max_examples=150, deadline=None)
@given(committees())
def test_first_places_are_the_reviewers_ranks_of_one_or_one_and_a_half(committee):
    """The first-places rung counts, per entry, the reviewers who rank it 1 or 1.5 (序位:
    two sharing first place); checked against every reviewer's full ranking."""
    track, items, _ = committee
    ranks = reviewer_ranks(items)
    context = _LadderContext(track, {e.code: e for e in items}, items, LadderInputs(), 1)
    for entry in items:
        assert context._value("first_places", entry.code) == sum(
            1 for reviewer in entry.totals if ranks[reviewer][entry.code] <= Fraction(3, 2))
