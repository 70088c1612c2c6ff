"""The robustness view: each scenario is checked against the real tally of a committee that
actually counts that way (another method in its rules, or one reviewer's scores gone)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review_tui.engine.decisions.frozen_rules import amend_rules
from review_tui.engine.decisions.robustness import TrackRobustness, award, robustness
from review_tui.engine.decisions.tally import tally
from review_tui.engine.scoring.scores import ScoreSheet, reopen_sheet
from review_tui.engine.workspace import Workspace
from review_tui.i18n import Messages
from review_tui.present import robustness_lines
from tests.credentials import sign_in_roles


@pytest.fixture(scope="module")
def spread_demo(tmp_path_factory) -> Workspace:
    """The demo sealed and scored with reviewers disagreeing by up to a quarter."""
    from review_tui.demo import build_demo
    from review_tui.engine.sealing.seal import seal
    from tests.engine.seal_fixtures import PASSPHRASE, fixed_codes, score_everything

    root = tmp_path_factory.mktemp("robust") / "ws"
    build_demo(root, year=2026)
    workspace = sign_in_roles(Workspace(root))
    with pytest.MonkeyPatch.context() as patch:  # which entry gets which scores: every run
        fixed_codes(patch, 2026)
        seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace, spread=25)
    return workspace


@pytest.fixture(scope="module")
def reports(spread_demo) -> dict[str, TrackRobustness]:
    return {r.track: r for r in robustness(spread_demo)}


def _copy(workspace: Workspace, folder: Path) -> Workspace:
    return sign_in_roles(Workspace(shutil.copytree(workspace.root, folder / "ws")))


def _outcomes(workspace: Workspace, track: str) -> dict[str, tuple[str, str | None]]:
    """Each entry's award (or tied place, or none) as the real tally gives it."""
    return {r.code: award((str(r.status), r.tier))
            for r in tally(workspace, record=False).rows(track)}


def _expected(base: dict[str, tuple[str, str | None]], report: TrackRobustness,
              kind: str, name: str) -> dict[str, tuple[str, str | None]]:
    scenario = next(s for s in report.scenarios if (s.kind, s.name) == (kind, name))
    assert all(base[c.code] == award(c.before) != award(c.after) for c in scenario.changes)
    return dict(base, **{c.code: award(c.after) for c in scenario.changes})


def test_the_demo_has_fragile_decisions_to_discuss(reports):
    assert all(r.fragile for r in reports.values())  # a quarter's spread moves some
    for report in reports.values():
        names = [(s.kind, s.name) for s in report.scenarios]
        assert names == [("method", m) for m in ("trimmed_mean", "zscore", "rank_sum")] + [
            ("without", r) for r in ("J01", "J02", "J03", "J04", "J05")]


@pytest.mark.parametrize("method", ["zscore", "rank_sum", "trimmed_mean"])
def test_another_method_gives_what_the_tally_gives_under_that_method(spread_demo, reports,
                                                                     tmp_path, method):
    copy = _copy(spread_demo, tmp_path)
    settings = copy.config_path
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        'method = "mean"', f'method = "{method}"'), encoding="utf-8")
    amend_rules(copy, "what if")
    copy = Workspace(copy.root)
    for track, report in reports.items():
        base = _outcomes(spread_demo, track)
        assert _outcomes(copy, track) == _expected(base, report, "method", method)


@pytest.mark.parametrize("reviewer", ["J02", "J05"])
def test_a_reviewer_left_out_gives_what_the_tally_gives_without_their_scores(
        spread_demo, reports, tmp_path, reviewer):
    copy = _copy(spread_demo, tmp_path)
    reopen_sheet(copy, reviewer, "what if")
    sheet = ScoreSheet(copy, reviewer)
    for item in sheet.queue:
        for criterion in sheet.criteria_of(item.code):
            sheet.clear(item.code, criterion.id)
    for track, report in reports.items():
        base = _outcomes(spread_demo, track)
        assert _outcomes(copy, track) == _expected(base, report, "without", reviewer)


def test_the_view_names_each_fragile_entry_and_the_entries_with_fewer_reviewers(
        spread_demo, reports):
    report = reports["reading"]
    lines = robustness_lines(Messages("zh-TW"), report, spread_demo.config)
    assert lines[0] == "溝通服務專書閱讀心得報告（計分：平均）穩健性"
    for code in report.fragile:
        assert any(line.startswith(f"  {code}　") for line in lines)
    stable = len(report.ranked) - len(report.fragile)
    assert lines[-2] == f"  其餘 {stable} 件在各種算法下結果相同。"
    assert report.fewer_reviewers and all(n < report.most_reviewers
                                          for n in report.fewer_reviewers.values())
    assert lines[-1].startswith(f"  因迴避而評審較少（其他作品 {report.most_reviewers} 位）：")
    english = robustness_lines(Messages("en"), report, spread_demo.config)
    assert english[0] == "Book-reading report (counted by mean): robustness"


def test_the_shortcut_for_reviewers_far_from_the_cut_off_changes_no_answer(spread_demo,
                                                                            reports):
    full = {r.track: r for r in robustness(spread_demo, shortcut=False)}
    assert {t: r.scenarios for t, r in full.items()} == {
        t: r.scenarios for t, r in reports.items()}
