"""自行迴避: a reviewer withdraws from an entry; the score is not counted, the meeting sees it,
and a replacement can be dealt (seeded, recorded)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review_tui.engine.decisions.commit import commit
from review_tui.engine.decisions.tally import gather
from review_tui.engine.errors import ReviewError
from review_tui.engine.meeting.agenda import agenda
from review_tui.engine.scoring.deal import deal, load_deal
from review_tui.engine.scoring.recusal import (
    declare_recusal,
    fill_recusals,
    record_recusal,
    recusals,
)
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.workspace import Workspace
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, attend_all, score_everything


@pytest.fixture(scope="module")
def three_each(tmp_path_factory) -> Path:
    """The demo sealed and dealt three reviewers an entry (two of five left for a fill)."""
    from review_tui.demo import build_demo
    from review_tui.engine.sealing.seal import seal

    root = tmp_path_factory.mktemp("recuse") / "ws"
    build_demo(root, year=2026)
    workspace = sign_in_roles(Workspace(root))
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=11, per_entry=3)
    return root


@pytest.fixture
def ws(three_each, tmp_path) -> Workspace:
    return sign_in_roles(Workspace(shutil.copytree(three_each, tmp_path / "ws")))


def _first(workspace: Workspace, reviewer: str) -> str:
    return ScoreSheet(workspace, reviewer).queue[0].code


def test_a_recused_score_is_not_counted_and_the_sheet_needs_nothing_more(ws):
    score_everything(ws)
    code = _first(ws, "J02")
    assert "J02" in gather(ws)[0][code]["reviews"]
    from review_tui.engine.scoring.scores import reopen_sheet

    reopen_sheet(ws, "J02", "a writer is known to J02")
    sheet = ScoreSheet(ws, "J02")
    sheet.clear(code, sheet.criteria_of(code)[0].id)
    assert code in sheet.unscored()
    declare_recusal(ws, "J02", code, "與作者為同一單位同事")
    assert sheet.unscored() == [] and sheet.is_complete(code)
    sheet.submit()
    assert "J02" not in gather(ws)[0][code]["reviews"]
    logged = [r for r in ws.audit.records() if r["action"] == "sheet.recuse"][-1]
    assert logged["role"] == "reviewer:J02"
    assert logged["details"] == {"reviewer": "J02", "code": code, "reason": "與作者為同一單位同事"}
    matter = next(m for m in agenda(ws) if m.kind == "recusal")
    assert (matter.id, matter.open, matter.reviewer) == (f"recusal:J02:{code}", True, "J02")


def test_recusals_are_checked(ws):
    code = _first(ws, "J01")
    other = next(c for c in load_deal(ws).reviewers_of() if "J01" not in
                 load_deal(ws).reviewers_of()[c])
    for reviewer, entry, reason, key in (("J01", code, "  ", "recusal.reason"),
                                         ("J01", other, "認識作者", "score.not_dealt")):
        with pytest.raises(ReviewError) as error:
            declare_recusal(ws, reviewer, entry, reason)
        assert error.value.key == key
    declare_recusal(ws, "J01", code, "認識作者")
    with pytest.raises(ReviewError) as error:
        record_recusal(ws, "J01", code, "again")
    assert error.value.key == "recusal.already"
    score_everything(ws)  # every sheet submitted
    late = _first(ws, "J03")
    with pytest.raises(ReviewError) as error:
        declare_recusal(ws, "J03", late, "認識作者")
    assert error.value.key == "score.locked"
    found = record_recusal(ws, "J03", late, "委員會後告知秘書處")  # the secretariat may
    assert found.by == "secretariat" and ws.audit.records()[-1]["role"] == "secretariat"
    assert {(r.reviewer, r.code) for r in recusals(ws)} == {("J01", code), ("J03", late)}


def test_a_fill_deals_a_replacement_reproducibly_and_reopens_their_sheet(ws, tmp_path):
    score_everything(ws)
    code = _first(ws, "J04")
    record_recusal(ws, "J04", code, "親屬關係")
    twin = sign_in_roles(Workspace(shutil.copytree(ws.root, tmp_path / "twin")))
    before = load_deal(ws).reviewers_of()[code]
    filled = fill_recusals(ws, seed=5)
    assert len(filled.added) == 1 and filled.unfilled == ()
    chosen, filled_code, replaced = filled.added[0]
    assert (filled_code, replaced) == (code, "J04") and chosen not in before
    entry = next(e for e in load_sealed_entries(ws) if e["code"] == code)
    assert chosen not in entry["excluded_reviewers"]
    sheet = ScoreSheet(Workspace(ws.root), chosen)
    assert sheet.queue[-1].code == code  # at the end: their queue keeps its order
    assert filled.reopened == (chosen,) and sheet.status() == "draft"
    assert fill_recusals(twin, seed=5).added == filled.added  # the seed deals the same
    assert fill_recusals(ws, seed=6).added == ()  # replaced once
    logged = [r for r in ws.audit.records() if r["action"] == "deal.fill"]
    assert len(logged) == 1 and logged[0]["role"] == "secretariat"
    logged = logged[0]
    assert logged["details"]["added"] == [[chosen, code, "J04"]]
    matter = next(m for m in agenda(ws) if m.kind == "recusal")
    assert matter.params["replaced_by"] == chosen
    # The replacement scores it; the recusal on J04's submitted sheet, and the refilled
    # deal, are as their records logged them: nothing the commit checks is refused.
    other = next(r for r in before if r != "J04")
    given = ScoreSheet(ws, other).scores()[code]["scores"]
    for criterion, value in given.items():
        sheet.save(code, criterion, value)
    sheet.submit()
    from review_tui.engine.decisions.logged_inputs import changed_input
    from review_tui.engine.decisions.tally import tally

    assert not [p for p in tally(ws, record=False).problems
                if p.kind in ("sheet_changed", "sheet_unsubmitted")]
    assert changed_input(ws, ws.audit.records()) is None


def test_a_fill_with_nobody_left_says_so_and_none_after_commit(tmp_path):
    """The small committee deals each entry to every reviewer without a conflict: a recusal
    leaves nobody to take it."""
    from review_tui.engine.sealing.seal import seal
    from tests.engine.seal_fixtures import build_committee

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace)
    code = _first(workspace, "J01")
    record_recusal(workspace, "J01", code, "認識作者")
    filled = fill_recusals(workspace, seed=1)
    assert filled.added == () and filled.unfilled == (code,)
    assert not [r for r in workspace.audit.records() if r["action"] == "deal.fill"]
    attend_all(workspace)
    commit(workspace)
    with pytest.raises(ReviewError) as error:
        fill_recusals(workspace, seed=2)
    assert error.value.key == "deal.after_commit"
    with pytest.raises(ReviewError) as error:
        record_recusal(workspace, "J03", _first(workspace, "J03"), "too late")
    assert error.value.key == "commit.already"
