"""Dealing: conflict-free, K per entry, balanced, reproducible, refusals and re-deals."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.deal import deal, load_deal, plan_deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import load_sealed_entries
from tests.engine.seal_fixtures import PASSPHRASE, build_committee


def synthetic(entries: int, reviewers: int, conflict_rate: float, seed: int = 1):
    rng = random.Random(seed)
    ids = [f"J{i:04d}" for i in range(reviewers)]
    items = [{"code": f"R-{i:05d}", "track": "reading" if i % 3 else "case",
              "excluded_reviewers": [r for r in ids if rng.random() < conflict_rate]}
             for i in range(entries)]
    return items, ids


@settings(max_examples=60, deadline=None)
@given(entries=st.integers(1, 60), reviewers=st.integers(3, 12), k=st.integers(1, 3),
       seed=st.integers(0, 10**6))
def test_every_entry_gets_k_distinct_unconflicted_reviewers_and_loads_stay_level(
        entries, reviewers, k, seed):
    items, ids = synthetic(entries, reviewers, 0.05, seed)
    eligible = {e["code"]: set(ids) - set(e["excluded_reviewers"]) for e in items}
    if any(len(v) < k for v in eligible.values()):
        with pytest.raises(ReviewError):
            plan_deal(items, ids, seed=seed, per_entry=k)
        return
    result = plan_deal(items, ids, seed=seed, per_entry=k)
    by_entry = result.reviewers_of()
    for item in items:
        dealt = by_entry[item["code"]]
        assert len(dealt) == len(set(dealt)) == k
        assert set(dealt) <= eligible[item["code"]]
    loads = result.loads
    assert sum(loads.values()) == k * entries
    # Level, but for a reviewer whose conflicts leave fewer entries than the level (found
    # by Hypothesis: 3 entries, 4 reviewers, K=3, one reviewer barred from two): such a
    # reviewer holds every entry they may take.
    top = max(loads.values())
    for reviewer, load in loads.items():
        may_take = sum(reviewer in allowed for allowed in eligible.values())
        assert load >= top - 1 or load == may_take, (reviewer, load, may_take)


def test_loads_level_even_when_conflicts_block_every_direct_move():
    """Found by Hypothesis: the repair had to hand an entry along a chain of reviewers."""
    items, ids = synthetic(7, 7, 0.05, 189030)
    assert set(plan_deal(items, ids, seed=189030, per_entry=1).loads.values()) == {1}
    chain = [{"code": "R-1", "track": "reading", "excluded_reviewers": ["B", "C"]},
             {"code": "R-2", "track": "reading", "excluded_reviewers": ["C"]},
             {"code": "R-3", "track": "reading", "excluded_reviewers": ["A"]}]
    for seed in range(30):  # if A holds, only B→C then A→B levels the loads
        loads = plan_deal(chain, ["A", "B", "C"], seed=seed, per_entry=1).loads
        assert sorted(loads.values()) == [1, 1, 1], (seed, loads)


def test_the_same_seed_deals_the_same_and_another_seed_differently():
    items, ids = synthetic(200, 7, 0.01)
    first = plan_deal(items, ids, seed=42, per_entry=3)
    assert plan_deal(list(reversed(items)), list(reversed(ids)), seed=42, per_entry=3) == first
    assert plan_deal(items, ids, seed=43, per_entry=3).queues != first.queues


def test_each_queue_has_its_own_random_order():
    items, ids = synthetic(300, 5, 0.0)
    result = plan_deal(items, ids, seed=3, per_entry=5)
    orders = list(result.queues.values())
    assert all(sorted(q) == sorted(orders[0]) for q in orders)  # everyone reads everything
    assert len({tuple(q) for q in orders}) == 5 and all(q != sorted(q) for q in orders)


def test_co_reviewers_vary():
    items, ids = synthetic(70, 7, 0.0)
    result = plan_deal(items, ids, seed=5, per_entry=3)
    triples = {tuple(sorted(r)) for r in result.reviewers_of().values()}
    assert len(triples) > 15


def test_default_is_every_reviewer_without_a_conflict():
    items, ids = synthetic(40, 6, 0.2)
    result = plan_deal(items, ids, seed=1)
    for item in items:
        assert set(result.reviewers_of().get(item["code"], [])) == \
            set(ids) - set(item["excluded_reviewers"])


def test_conflicts_that_make_k_impossible_name_the_entry():
    items, ids = synthetic(10, 4, 0.0)
    items[6]["excluded_reviewers"] = ids[:3]
    with pytest.raises(ReviewError) as error:
        plan_deal(items, ids, seed=1, per_entry=2)
    assert error.value.key == "deal.impossible" and error.value.params["entry"] == "R-00006"
    with pytest.raises(ReviewError) as too_many:
        plan_deal(items, ids, seed=1, per_entry=5)
    assert too_many.value.key == "deal.bad_per_entry"


def test_pinned_pairs_are_kept():
    items, ids = synthetic(30, 6, 0.0)
    pinned = [("J0000", "R-00001"), ("J0000", "R-00002"), ("J0005", "R-00001")]
    result = plan_deal(items, ids, seed=9, per_entry=2, pinned=pinned)
    for reviewer, code in pinned:
        assert code in result.queues[reviewer]
    assert sorted(result.reviewers_of()["R-00001"]) == ["J0000", "J0005"]


def test_twenty_thousand_by_three_over_two_thousand_balances():
    items, ids = synthetic(20_000, 2_000, 0.01)
    result = plan_deal(items, ids, seed=11, per_entry=3)
    loads = result.loads.values()
    assert max(loads) - min(loads) <= 1 and sum(loads) == 60_000


@pytest.fixture
def sealed(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    return workspace


def test_deal_in_the_workspace_respects_conflicts_and_is_audited(sealed):
    result = deal(sealed, seed=17)
    assert load_deal(sealed) == result
    by_title = {e["title"]: e for e in load_sealed_entries(sealed)}
    reviewers_of = result.reviewers_of()
    assert "J02" not in reviewers_of[by_title["戶政所的一天"]["code"]]
    assert "J03" not in reviewers_of[by_title["衛生所紀事"]["code"]]
    record = sealed.audit.records()[-1]
    assert record["action"] == "deal" and record["details"]["seed"] == 17
    assert record["details"]["result_sha256"] == result.sha256


def test_redeal_after_scoring_needs_force_and_keeps_scores(sealed):
    first = deal(sealed, seed=1)
    sheet = ScoreSheet(sealed, "J01")
    code = sheet.queue[0].code
    sheet.save(code, sheet.criteria_of(code)[0].id, "10")
    with pytest.raises(ReviewError) as refused:
        deal(sealed, seed=2)
    assert refused.value.key == "deal.scoring_started"
    assert load_deal(sealed) == first
    again = deal(sealed, seed=2, per_entry=1, force=True)
    assert code in again.queues["J01"]
    assert ScoreSheet(sealed, "J01").scores()[code]["scores"]


def test_deal_before_seal_is_refused(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    with pytest.raises(ReviewError) as error:
        deal(workspace)
    assert error.value.key == "pipeline.needs"
