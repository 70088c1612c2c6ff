"""Tally in the workspace: discrepancies, the chair's decisions, lottery, commit guards."""

from __future__ import annotations

import json

import pytest

from review_tui.engine.commit import commit
from review_tui.engine.deal import load_deal
from review_tui.engine.errors import ReviewError
from review_tui.engine.scores import ScoreSheet, reopen_sheet
from review_tui.engine.seal import seal
from review_tui.engine.tally import record_tie_order, resolve_discrepancy, tally
from review_tui.engine.workspace import Workspace
from tests.cli.test_cli import cli
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    score_everything,
    tie_reading_entries,
)


@pytest.fixture
def scored(tmp_path) -> Workspace:
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace)
    return workspace


def lower(workspace: Workspace, reviewer: str, points_off: int) -> str:
    """Reopen a sheet and cut its first entry's heaviest criterion; returns the code."""
    reopen_sheet(workspace, reviewer, "test")
    sheet = ScoreSheet(workspace, reviewer)
    code = sheet.queue[0].code
    criterion = sheet.criteria_of(code)[0]
    value = int(sheet.scores()[code]["scores"][criterion.id])
    sheet.save(code, criterion.id, str(max(0, value - points_off)))
    sheet.submit()
    return code


def row_of(result, code):
    return next(r for rows in result.document["tracks"].values() for r in rows
                if r["code"] == code)


def test_tally_json_has_the_public_shape(scored):
    code, out, _ = cli("tally", "--json", "--workspace", scored.root)
    data = json.loads(out)
    assert code == 0 and set(data["tracks"]) == {"reading", "case"}
    for rows in data["tracks"].values():
        for row in rows:
            assert {"code", "rank", "score", "status", "reason", "tie"} <= set(row)
            assert row["status"] in {"winner", "capped", "below_minimum", "not_selected"}
            assert len(row["score"].split(".")[1]) == 2 and row["reason"]
    assert data["problems"] == []


def test_a_discrepancy_blocks_commit_until_the_chair_handles_it(scored):
    code = lower(scored, "J01", 25)
    result = tally(scored)
    assert [p["problem"] for p in result.problems] == ["discrepancy"]
    assert row_of(result, code)["discrepancy"] == {"flagged": True, "outcome": None}
    with pytest.raises(ReviewError) as blocked:
        commit(scored)
    assert blocked.value.key == "commit.blocked"
    with pytest.raises(ReviewError) as needs_reviewer:
        resolve_discrepancy(scored, code, "drop")
    assert needs_reviewer.value.key == "tally.drop_needs_reviewer"
    resolve_discrepancy(scored, code, "drop", reviewer="J01", note="委員自承誤評")
    row = row_of(tally(scored), code)
    assert row["discrepancy"]["outcome"] == {"action": "drop", "reviewer": "J01",
                                             "note": "委員自承誤評"}
    assert [r["counted"] for r in row["reviews"] if r["reviewer"] == "J01"] == [False]
    assert row["mean"] == max(r["total"] for r in row["reviews"]) + "0"  # J03's alone
    commit(scored)
    details = scored.audit.records()[-1]["details"]
    assert details["overridden"] == [] and details["override_reason"] is None


def test_rescore_reopens_and_keeps_the_flag_until_decided(scored):
    code = lower(scored, "J01", 25)
    resolve_discrepancy(scored, code, "rescore", reviewer="J01")
    assert ScoreSheet(scored, "J01").status() == "draft"
    problems = tally(scored).problems
    assert {p["problem"] for p in problems} == {"discrepancy", "sheet_unsubmitted"}
    assert next(p for p in problems if p["problem"] == "discrepancy")["rescoring"] is True
    resolve_discrepancy(scored, code, "no_award")
    ScoreSheet(scored, "J01").submit()
    assert row_of(tally(scored), code)["reason"] == "reason.no_award"


def test_an_unsubmitted_sheet_blocks_unless_the_chair_overrides(scored):
    reopen_sheet(scored, "J02", "late")
    with pytest.raises(ReviewError):
        commit(scored)
    commit(scored, override_reason="J02 left the meeting; scores as they stand")
    details = scored.audit.records()[-1]["details"]
    assert details["overridden"] == [{"problem": "sheet_unsubmitted", "reviewer": "J02"}]
    assert details["override_reason"].startswith("J02 left")


def test_after_commit_the_tally_is_frozen_and_sheets_stay_shut(scored):
    commit(scored)
    frozen = tally(scored)
    assert frozen.frozen
    with pytest.raises(ReviewError):
        reopen_sheet(scored, "J01", "too late")
    with pytest.raises(ReviewError):
        resolve_discrepancy(scored, frozen.document["tracks"]["reading"][0]["code"], "keep")
    assert tally(scored).document == frozen.document


def test_the_lottery_seed_is_drawn_once_and_logged(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace)  # the same score on every criterion
    first = tally(workspace)
    tie = row_of(first, reading[0])["tie"]
    assert tie and tie["steps"][-1]["rung"] == "lottery"
    draws = [r for r in workspace.audit.records() if r["action"] == "tally.lottery"]
    assert len(draws) == 1 and draws[0]["details"]["seed"] == tie["steps"][-1]["seed"]
    assert tally(workspace).document == first.document
    assert len([r for r in workspace.audit.records() if r["action"] == "tally.lottery"]) == 1
    record_tie_order(workspace, "reading", list(reversed(tie["steps"][-1]["order"])))
    assert tally(workspace).document == first.document  # the ladder here ends in the lottery


def test_chair_inputs_are_checked(scored):
    with pytest.raises(ReviewError) as bad:
        resolve_discrepancy(scored, "R-NONE", "keep")
    assert bad.value.key == "tally.unknown_code"
    with pytest.raises(ReviewError):
        resolve_discrepancy(scored, "R-NONE", "shrug")
    with pytest.raises(ReviewError) as order:
        record_tie_order(scored, "reading", ["R-AAAA"])
    assert order.value.key == "tally.bad_order"
    with pytest.raises(ReviewError):
        record_tie_order(scored, "poetry", ["R-AAAA", "R-BBBB"])


def test_the_chair_is_led_to_discrepancies_in_ranking_order_until_handled(scored):
    assert tally(scored, record=False).waiting("discrepancy") == []
    reviewers = sorted(load_deal(scored).queues, reverse=True)
    firsts = {ScoreSheet(scored, r).queue[0].code: r for r in reviewers}
    assert len(firsts) >= 2
    codes = {lower(scored, reviewer, 25) for reviewer in list(firsts.values())[:2]}
    preview = tally(scored, record=False)
    waiting = preview.waiting("discrepancy")
    assert {code for _, code in waiting} == codes
    shown = [(track, row["code"]) for track, rows in preview.document["tracks"].items()
             for row in rows]
    assert waiting == [key for key in shown if key in waiting]  # in the order shown
    handled = waiting[0][1]
    resolve_discrepancy(scored, handled, "keep", note="agreed")
    assert [code for _, code in tally(scored, record=False).waiting("discrepancy")] == [
        code for _, code in waiting[1:]]
    assert preview.waiting("tie") == []


def test_an_undrawn_lottery_waits_once_per_tied_group_and_no_longer_once_drawn(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace)
    preview = tally(workspace, record=False)
    assert preview.waiting("tie") == [("reading", preview.document["tracks"]["reading"][0]
                                       ["code"])]
    assert set(row_of(preview, reading[0])["tie"]["steps"][-1]["group"]) == set(reading)
    assert tally(workspace).waiting("tie") == []  # the tally drew it
    assert tally(workspace, record=False).waiting("tie") == []


def test_a_tie_for_the_meeting_waits_until_its_order_is_recorded(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "chair"])
    workspace = Workspace(workspace.root)
    waiting = tally(workspace, record=False).waiting("tie")
    assert len(waiting) == 1 and waiting[0][1] in reading
    record_tie_order(workspace, "reading", reading)
    assert tally(workspace, record=False).waiting("tie") == []


def test_shared_places_on_a_ladder_that_ends_in_sharing_wait_for_nobody(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "shared"])
    result = tally(Workspace(workspace.root), record=False)
    assert row_of(result, reading[0])["tie"]["steps"][-1]["rung"] == "shared"
    assert result.waiting("tie") == []
