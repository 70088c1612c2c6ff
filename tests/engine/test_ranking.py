"""Ranking and selection, hand-worked: every method, every rung, every status."""

from __future__ import annotations

import dataclasses
import hashlib
import tomllib
from fractions import Fraction

import pytest

from review_tui.engine.config import Tier, parse_config, template_text
from review_tui.engine.decisions.awards import select
from review_tui.engine.decisions.ranking import (
    LadderInputs,
    Scored,
    group_key,
    lottery_order,
    rank_entries,
    reviewer_ranks,
)
from review_tui.engine.decisions.records import problem_to_json

COACH = parse_config(tomllib.loads(template_text("coach", year=2026)))
READING = COACH.track("reading")  # insight 40, interpretation 35, structure 25
CASE = COACH.track("case")


def entry(code: str, *sheets: tuple[int, int, int]) -> Scored:
    """An entry scored by reviewers J1, J2 … with (insight, interpretation, structure)."""
    criteria = {f"J{i}": {"insight": 10 * a, "interpretation": 10 * b, "structure": 10 * c}
                for i, (a, b, c) in enumerate(sheets, 1)}
    totals = {r: sum(v.values()) for r, v in criteria.items()}
    return Scored(code, totals, criteria, dict(totals))


def track(**changes):
    return dataclasses.replace(READING, **changes)


SEEDED = LadderInputs()


def ranks(t, entries, inputs=SEEDED):
    return [(r.code, r.rank, r.shown) for r in rank_entries(t, entries, inputs)]


def test_mean_is_exact_and_shown_to_two_decimals():
    items = [entry("A", (30, 30, 20), (30, 30, 25), (30, 31, 25)),  # 80, 85, 86
             entry("B", (35, 30, 20), (35, 30, 20))]                  # 85, 85
    assert ranks(track(), items) == [("B", 1, "85.00"), ("A", 2, "83.67")]


def test_trimmed_mean_drops_highest_and_lowest_from_five():
    # A: 100, 100, 90, 90, 40 → mean 84, trimmed 93.33; B: 88 from everyone.
    items = [entry("A", (40, 35, 25), (40, 35, 25), (35, 30, 25), (35, 30, 25), (10, 10, 20)),
             entry("B", *[(38, 30, 20)] * 5)]
    assert ranks(track(), items) == [("B", 1, "88.00"), ("A", 2, "84.00")]
    assert ranks(track(method="trimmed_mean"), items) == [("A", 1, "93.33"), ("B", 2, "88.00")]
    four = [entry("C", (40, 35, 25), (10, 10, 20), (30, 30, 20), (30, 30, 20))]
    assert ranks(track(method="trimmed_mean"), four) == [("C", 1, "75.00")]  # < 5: plain mean


def test_rank_sum_shares_average_ranks_and_lowest_sum_wins():
    items = [entry("A", (40, 30, 20), (30, 30, 20)),   # J1 90 (1st), J2 80 (2nd-3rd shared)
             entry("B", (30, 30, 20), (40, 30, 20)),   # J1 80 (2nd), J2 90 (1st)
             entry("C", (20, 30, 20), (30, 30, 20))]   # J1 70 (3rd), J2 80 (shared)
    assert reviewer_ranks(items)["J2"] == {"B": 1, "A": Fraction(5, 2), "C": Fraction(5, 2)}
    result = ranks(track(method="rank_sum"), items)
    assert result[0] == ("B", 1, "3.00") and result[1] == ("A", 2, "3.50")
    assert result[2] == ("C", 3, "5.50")


def scored_by(code: str, sheets: dict[str, tuple[int, int, int]]) -> Scored:
    criteria = {r: {"insight": 10 * a, "interpretation": 10 * b, "structure": 10 * c}
                for r, (a, b, c) in sheets.items()}
    totals = {r: sum(v.values()) for r, v in criteria.items()}
    return Scored(code, totals, criteria, dict(totals))


def test_zscore_does_not_punish_the_entries_of_a_harsh_reviewer():
    # Harsh J1 read A (70) and B (60); lenient J2 read C (90) and D (80).
    items = [scored_by("A", {"J1": (30, 25, 15)}), scored_by("B", {"J1": (25, 20, 15)}),
             scored_by("C", {"J2": (38, 32, 20)}), scored_by("D", {"J2": (35, 25, 20)})]
    assert [c for c, *_ in ranks(track(), items)] == ["C", "D", "A", "B"]
    normalised = ranks(track(method="zscore"), items)
    assert {c for c, *_ in normalised[:2]} == {"A", "C"}
    assert normalised[0][2] == normalised[1][2] == "60.00"  # z = +1 on a 50 ± 10 scale


def test_criteria_rung_compares_the_heaviest_criterion_first():
    items = [entry("A", (30, 35, 20)), entry("B", (35, 30, 20))]  # both 85
    result = rank_entries(track(), items, LadderInputs())
    assert [r.code for r in result] == ["B", "A"] and [r.rank for r in result] == [1, 2]
    step = result[0].tie["steps"][0]
    assert step == {"rung": "criteria", "criteria": ["insight", "interpretation", "structure"],
                    "values": {"A": ["30.000", "35.000", "20.000"],
                               "B": ["35.000", "30.000", "20.000"]}}


def test_first_places_decide_when_criteria_are_equal():
    # A and B: same totals and criterion means; A is J1's and J2's first, B only J3's.
    items = [entry("A", (30, 30, 20), (30, 30, 20), (20, 30, 20)),
             entry("B", (20, 30, 20), (20, 30, 20), (40, 30, 20)),
             entry("C", (25, 30, 20), (25, 30, 20), (35, 30, 20))]
    result = rank_entries(track(), items, SEEDED)
    a, b = (next(r for r in result if r.code == c) for c in "AB")
    assert a.rank < b.rank
    rungs = [s["rung"] for s in a.tie["steps"]]
    assert rungs[-1] == "first_places"


def test_lower_spread_when_configured():
    items = [entry("A", (30, 30, 20), (30, 30, 20)), entry("B", (35, 30, 20), (25, 30, 20))]
    t = track(tie_ladder=("stdev", "lottery"))
    assert [c for c, *_ in ranks(t, items)] == ["A", "B"]


def test_an_undrawn_lottery_leaves_the_group_tied_and_a_recorded_draw_orders_it():
    items = [entry("A", (30, 30, 20)), entry("B", (30, 30, 20)), entry("C", (30, 30, 20))]
    undrawn = rank_entries(track(), items, LadderInputs())
    assert [r.rank for r in undrawn] == [1, 1, 1] and all(r.unresolved_tie for r in undrawn)
    assert undrawn[0].tie["steps"][-1] == {"rung": "lottery", "decided": False,
                                           "group": ["A", "B", "C"]}
    order = lottery_order(42, "reading", ["A", "B", "C"])
    draws = {group_key(["A", "B", "C"]): {"seed": 42, "order": order}}
    drawn = rank_entries(track(), list(reversed(items)), LadderInputs(draws=draws))
    assert [(r.code, r.rank) for r in drawn] == [(c, i) for i, c in enumerate(order, 1)]
    assert drawn[0].tie["steps"][-1] == {"rung": "lottery", "decided": True,
                                         "group": ["A", "B", "C"], "seed": 42, "order": order}


def test_the_lottery_order_is_the_documented_hash_order():
    codes = ["R-AAAA", "R-BBBB", "R-CCCC", "R-DDDD"]
    tickets = {c: hashlib.sha256(f"7:reading:{c}".encode()).hexdigest() for c in codes}
    assert lottery_order(7, "reading", codes) == sorted(codes, key=tickets.__getitem__)
    assert lottery_order(7, "reading", list(reversed(codes))) == lottery_order(7, "reading",
                                                                               codes)
    assert len({tuple(lottery_order(s, "reading", codes)) for s in range(40)}) > 5


def test_the_chairs_recorded_order_or_an_undecided_shared_rank():
    items = [entry("A", (30, 30, 20)), entry("B", (30, 30, 20))]
    t = track(tie_ladder=("criteria", "chair"))
    undecided = rank_entries(t, items, LadderInputs())
    assert [r.rank for r in undecided] == [1, 1] and all(r.unresolved_tie for r in undecided)
    decided = rank_entries(t, items, LadderInputs({group_key(["A", "B"]): ["B", "A"]}))
    assert [(r.code, r.rank) for r in decided] == [("B", 1), ("A", 2)]


def test_a_tie_at_the_quota_holds_its_places_until_decided():
    items = [entry("A", (35, 30, 20)), entry("B", (30, 30, 20)), entry("C", (30, 30, 20)),
             entry("D", (29, 30, 20))]
    t = track(tie_ladder=("shared",), quota=2)
    ranked = rank_entries(t, items, LadderInputs())
    assert [r.rank for r in ranked] == [1, 2, 2, 4]
    facts = {c: {"agency": f"A0{i}", "authors": [f"P00{i}"]} for i, c in enumerate("ABCD")}
    decisions, problems = select(t, ranked, facts, set())
    assert [d.status for d in decisions] == ["winner", "tie_pending", "tie_pending",
                                             "not_selected"]
    assert decisions[1].reason == "reason.tie_pending"
    assert decisions[1].reason_params == {"codes": "C", "cause": "quota"}
    assert decisions[3].reason == "reason.quota"  # D does not take the contested place
    assert [problem_to_json(p) for p in problems] == [
        {"problem": "tie_pending", "track": "reading", "codes": ["B", "C"], "cause": "quota"}]
    ordered = rank_entries(t, items, LadderInputs({group_key(["B", "C"]): ["C", "B"]}))
    decided, problems = select(t, ordered, facts, set())
    assert [(d.code, d.status) for d in decided] == [
        ("A", "winner"), ("C", "winner"), ("B", "not_selected"), ("D", "not_selected")]
    assert problems == []


def test_a_tie_that_decides_nothing_keeps_its_statuses():
    items = [entry("A", (30, 30, 20)), entry("B", (30, 30, 20)), entry("C", (10, 10, 10))]
    t = track(quota=5)
    decisions, problems = select(t, rank_entries(t, items, LadderInputs()),
                                 {c: {"agency": c, "authors": [c]} for c in "ABC"}, set())
    assert [(d.code, d.rank, d.status) for d in decisions] == [
        ("A", 1, "winner"), ("B", 1, "winner"), ("C", 3, "below_minimum")]
    assert problems == []


def test_a_tie_inside_an_agency_cap_is_pending_and_others_keep_their_places():
    # A and B tie, same agency X with a cap of 1: whichever wins, the other is capped; C
    # (agency Y) below them still wins its own place.
    items = [entry("A", (30, 30, 20)), entry("B", (30, 30, 20)), entry("C", (29, 30, 20))]
    t = track(quota=5, agency_award_cap=1)
    decisions, problems = select(t, rank_entries(t, items, LadderInputs()),
                                 _facts("XXY"), set())
    assert [(d.code, d.status) for d in decisions] == [
        ("A", "tie_pending"), ("B", "tie_pending"), ("C", "winner")]
    assert problems[0].cause == "cap"


def _facts(agencies: str, authors: dict[str, list[str]] | None = None):
    return {c: {"agency": a, "authors": (authors or {}).get(c, [f"P-{c}"])}
            for c, a in zip("ABCDEFG", agencies, strict=False)}


def test_every_status_and_its_reason():
    items = [entry(c, (s, 30, 20)) for c, s in zip("ABCDEF", (40, 38, 36, 34, 32, 10),
                                                   strict=True)]
    items.append(Scored("G", {}, {}, {}))
    t = track(quota=3, agency_award_cap=1, min_score=61)
    ranked = rank_entries(t, items, LadderInputs())
    facts = _facts("XXYZWV") | {"G": {"agency": "U", "authors": ["P-G"]}}
    decisions, _ = select(t, ranked, facts, no_award={"C"})
    by = {d.code: d for d in decisions}
    assert (by["A"].status, by["A"].reason) == ("winner", "reason.winner")
    assert (by["B"].status, by["B"].reason) == ("capped", "reason.capped")
    assert by["B"].reason_params == {"agency": "X", "cap": 1, "filled_by": "A"}
    assert (by["C"].status, by["C"].reason) == ("not_selected", "reason.no_award")
    assert by["D"].status == by["E"].status == "winner"
    assert (by["F"].status, by["F"].reason) == ("below_minimum", "reason.below_minimum")
    assert (by["G"].status, by["G"].reason, by["G"].rank) == ("not_selected",
                                                              "reason.no_scores", None)
    assert by["E"].award == "嘉獎1次"


def test_quota_stops_selection():
    items = [entry(c, (40 - i, 30, 20)) for i, c in enumerate("ABCD")]
    t = track(quota=2, agency_award_cap=0)
    decisions, _ = select(t, rank_entries(t, items, LadderInputs()), _facts("WXYZ"), set())
    assert [d.status for d in decisions] == ["winner", "winner", "not_selected",
                                             "not_selected"]
    assert decisions[2].reason == "reason.quota"


def test_case_commends_the_first_two_writers_and_once_per_person():
    t = dataclasses.replace(CASE, quota=5, agency_award_cap=0, once_per_person=True)
    items = [Scored(c, {"J1": 900 - 10 * i}, {"J1": {"insight": 700 - 10 * i, "structure": 200}},
                    {"J1": 900 - 10 * i}) for i, c in enumerate("ABC")]
    facts = {"A": {"agency": "X", "authors": ["P1", "P2", "P3"]},
             "B": {"agency": "Y", "authors": ["P2", "P4"]},
             "C": {"agency": "Z", "authors": ["P1"]}}
    decisions, _ = select(t, rank_entries(t, items, LadderInputs()), facts, set())
    a, b, c = decisions
    assert a.commended == ["P1", "P2"] and a.co_authors == ["P3"]
    assert b.status == "winner" and b.commended == ["P4"] and b.co_authors == ["P2"]
    assert (c.status, c.reason) == ("not_selected", "reason.person_once")


def test_tiers_fill_in_order_and_may_stay_empty():
    tiers = (Tier("特優", "嘉獎2次", count=1, min_score=95), Tier("優等", "嘉獎1次", count=2),
             Tier("佳作", "獎狀"))
    t = track(quota=4, agency_award_cap=0, tiers=tiers)
    items = [entry(c, (s, 30, 20)) for c, s in zip("ABCD", (40, 38, 36, 34), strict=True)]
    decisions, _ = select(t, rank_entries(t, items, LadderInputs()), _facts("WXYZ"), set())
    # A scores 90 < 95: 特優 stays empty (從缺); A and B are 優等, C and D 佳作.
    assert [(d.tier, d.award) for d in decisions] == [
        ("優等", "嘉獎1次"), ("優等", "嘉獎1次"), ("佳作", "獎狀"), ("佳作", "獎狀")]


TIERS = (Tier("優等", "嘉獎2次", min_score=85), Tier("佳作", "嘉獎1次"))


@pytest.mark.parametrize("method", ["mean", "trimmed_mean", "zscore", "rank_sum"])
def test_minimum_and_tier_thresholds_are_points_of_the_plain_mean_under_every_method(method):
    # Plain means: A 90, B 84 (trimmed: 93.33), C 80, D 60 (below the minimum of 70).
    items = [entry("A", *[(38, 32, 20)] * 5),
             entry("B", (40, 35, 25), (40, 35, 25), (35, 30, 25), (35, 30, 25), (10, 10, 20)),
             entry("C", *[(32, 30, 18)] * 5),
             entry("D", *[(24, 21, 15)] * 5)]
    t = track(method=method, tiers=TIERS, quota=4, agency_award_cap=0, min_score=70)
    decisions, _ = select(t, rank_entries(t, items, LadderInputs()), _facts("WXYZ"), set())
    by = {d.code: d for d in decisions}
    assert [(by[c].status, by[c].tier) for c in "ABCD"] == [
        ("winner", "優等"), ("winner", "佳作"), ("winner", "佳作"), ("below_minimum", None)]
    assert by["D"].reason_params == {"mean": "60.00", "minimum": 70}
