"""The typed records at the engine's edge read every document the tally writes, and write it
back unchanged: the committed JSON and what the faces read are the same facts."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from review_tui.engine.decisions.ranking import LadderInputs, group_key, rank_entries
from review_tui.engine.decisions.records import (
    DecisionRow,
    Discrepancy,
    DiscrepancyOpen,
    Outcome,
    ScoreInvalid,
    SheetUnsubmitted,
    Status,
    TiePending,
    problem_from_json,
    problem_to_json,
    read_ties,
    share_ties,
    ties_json,
)
from review_tui.engine.decisions.tally import TallyResult, resolve_discrepancy, tally
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.seal import seal
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    scored_committee,
    tie_reading_entries,
)
from tests.engine.test_ranking_properties import committees, decide
from tests.engine.test_tally import lower


def round_trips(document: dict) -> None:
    for track, rows in document["tracks"].items():
        table = document.get("ties", {}).get(track, {})
        ties = read_ties(table)
        records = [DecisionRow.from_json(row, ties) for row in rows]
        assert [record.to_json() for record in records] == rows
        assert ties_json(records) == table
        for record in records:
            assert DecisionRow.from_json(record.to_json(), ties) == record
            if record.tie is not None:  # every member reads the one record
                assert record.tie is ties[record.tie.id]


def tracks_of(track_id: str, rows: list[dict]) -> dict:
    """A one-track document as the tally writes it (each tie stored once)."""
    return {"tracks": {track_id: rows}, "ties": {track_id: share_ties(rows)}}


def legacy(document: dict) -> dict:
    """``document`` as decisions were frozen before the ties table: each member's row
    holding its group's record."""
    return {"tracks": {track: [dict(row, tie=document["ties"][track][row["tie"]])
                               if row["tie"] else row for row in rows]
                       for track, rows in document["tracks"].items()}}


@settings(max_examples=60, deadline=None)
@given(committees(), st.booleans())
def test_every_ranked_and_selected_row_round_trips(committee, drawn):
    track, items, facts = committee
    if drawn:
        ranked, decisions = decide(track, items, facts)
    else:
        from review_tui.engine.decisions.awards import select

        ranked = rank_entries(track, items, LadderInputs())
        decisions = select(track, ranked, facts, set())[0]
    rows = [dict(d.as_dict(), mean=None, spread="", reviews=[],
                 discrepancy={"flagged": False, "outcome": None}) for d in decisions]
    round_trips(tracks_of(track.id, rows))


def test_a_chair_order_round_trips():
    from review_tui.engine.decisions.awards import select
    from tests.engine.test_ranking import entry, track

    items = [entry("A", (30, 30, 20)), entry("B", (30, 30, 20))]
    reading = track(tie_ladder=("criteria", "chair"))
    ranked = rank_entries(reading, items, LadderInputs({group_key(["A", "B"]): ["B", "A"]}))
    decisions = select(reading, ranked, {i.code: {"agency": "A", "authors": ["P"]}
                                         for i in items}, set())[0]
    rows = [dict(d.as_dict(), mean=None, spread="", reviews=[],
                 discrepancy={"flagged": False, "outcome": None}) for d in decisions]
    record = DecisionRow.from_json(rows[0]).tie
    assert record is not None and record == DecisionRow.from_json(rows[1]).tie
    assert record.steps[-1].rung == "chair" and record.steps[-1].decided
    document = tracks_of("reading", rows)
    assert [row["tie"] for row in rows] == ["T1", "T1"]
    assert list(document["ties"]["reading"]) == ["T1"]
    round_trips(document)


def test_a_real_tally_with_every_matter_round_trips(tmp_path):
    workspace = scored_committee(tmp_path)
    firsts = {ScoreSheet(workspace, r).queue[0].code: r
              for r in sorted(load_deal(workspace).queues, reverse=True)}
    (dropped, first), (rescored, second) = list(firsts.items())[:2]
    lower(workspace, first, 25)
    lower(workspace, second, 25)
    resolve_discrepancy(workspace, dropped, "drop", reviewer=first, note="outlier")
    resolve_discrepancy(workspace, rescored, "rescore", reviewer=second)
    result = tally(workspace, record=False)
    round_trips(result.document)
    row = next(r for t in result.document["tracks"] for r in result.rows(t)
               if r.code == dropped)
    assert row.discrepancy.outcome is not None
    assert row.discrepancy.outcome.action == Outcome.DROP and not row.discrepancy.waiting
    assert [r.counted for r in row.reviews if r.reviewer == first] == [False]
    kinds = {type(p) for p in result.problems}
    assert {DiscrepancyOpen, SheetUnsubmitted} <= kinds
    for problem in result.problems:
        assert problem_from_json(problem_to_json(problem)) == problem


def test_a_pending_tie_is_a_typed_problem(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    from review_tui.engine.workspace import Workspace

    result = tally(Workspace(workspace.root), record=False)
    [pending] = [p for p in result.problems if isinstance(p, TiePending)]
    assert set(pending.codes) == set(reading) and pending.track == "reading"
    assert problem_to_json(pending)["codes"] == list(pending.codes)
    rows = result.rows("reading")
    assert {r.status for r in rows} <= set(Status)
    assert sum(r.status == Status.TIE_PENDING for r in rows) == len(reading)
    round_trips(result.document)


def test_problems_keep_their_json_shape():
    assert problem_to_json(ScoreInvalid("J01", "R-1", "insight", "55", 40)) == {
        "problem": "score_invalid", "reviewer": "J01", "code": "R-1",
        "criterion": "insight", "value": "55", "points": 40}
    assert Discrepancy.from_json(None) == Discrepancy(False)


def test_decisions_frozen_before_the_ties_table_read_the_same(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    tie_reading_entries(workspace, quota=1)
    result = tally(workspace, record=False)
    assert result.document["ties"]["reading"]  # the tie is stored once, in the table
    old = TallyResult(legacy(result.document))
    for track in result.document["tracks"]:
        assert old.rows(track) == result.rows(track)
        assert [r.to_json() for r in old.rows(track)] == old.document["tracks"][track]
    assert old.tied_groups("reading") == result.tied_groups("reading")
