"""Comments: per criterion as well as per entry, and required under the committee's
``comment_below`` before a sheet is submitted."""

from __future__ import annotations

import shutil

import docx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import run_export
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.workspace import Workspace
from tests.credentials import sign_in_roles
from tests.engine.test_recusal import three_each  # noqa: F401 - the demo, dealt three each


@pytest.fixture
def sheet(three_each, tmp_path) -> ScoreSheet:  # noqa: F811
    workspace = sign_in_roles(Workspace(shutil.copytree(three_each, tmp_path / "ws")))
    sheet = ScoreSheet(workspace, "J01")
    for item in sheet.queue:
        for criterion in sheet.criteria_of(item.code):
            sheet.save(item.code, criterion.id, str(criterion.points * 8 // 10))
    return sheet


def _low(sheet: ScoreSheet) -> str:
    """The first entry scored down to a total of 50."""
    code = sheet.queue[0].code
    for criterion in sheet.criteria_of(code):
        sheet.save(code, criterion.id, str(criterion.points // 2))
    return code


def test_a_low_total_needs_a_comment_before_the_sheet_goes_in(sheet):
    assert sheet.comment_below == 60 and sheet.uncommented() == []
    code = _low(sheet)
    assert sheet.needs_comment(code) and sheet.uncommented() == [code]
    for allow in (False, True):  # never waived, not even for an incomplete sheet
        with pytest.raises(ReviewError) as error:
            sheet.submit(allow_incomplete=allow)
        assert error.value.key == "score.comment_required"
        assert error.value.params == {"count": 1, "codes": code, "below": 60}
    assert sheet.status() == "draft"
    sheet.save_comment(code, "立意佳，但論述與書旨關聯薄弱。")
    assert not sheet.needs_comment(code)
    sheet.submit()
    assert sheet.status() == "submitted"


def test_a_criterion_comment_counts_and_can_be_removed(sheet):
    code = _low(sheet)
    criterion = sheet.criteria_of(code)[1]
    sheet.save_criterion_comment(code, criterion.id, "未能扣合書中旨意。")
    assert sheet.scores()[code]["criterion_comments"] == {criterion.id: "未能扣合書中旨意。"}
    assert not sheet.needs_comment(code)
    sheet.save_criterion_comment(code, criterion.id, "  ")
    assert sheet.scores()[code]["criterion_comments"] == {} and sheet.needs_comment(code)
    with pytest.raises(ReviewError) as error:
        sheet.save_criterion_comment(code, "no-such", "x")
    assert error.value.key == "score.unknown_criterion"


def test_the_score_sheet_document_prints_each_criterions_comment(sheet, tmp_path):
    code = _low(sheet)
    criterion = sheet.criteria_of(code)[0]
    sheet.save_comment(code, "整體尚可。")
    sheet.save_criterion_comment(code, criterion.id, "創見不足。")
    report = run_export(sheet.workspace, tmp_path / "out", convert=False)
    path = next(p for p in report.files if p.name.startswith("評分表") and "J01" in p.name)
    cells = [cell.text for table in docx.Document(str(path)).tables
             for row in table.rows for cell in row.cells]
    assert f"整體尚可。\n{criterion.name}：創見不足。" in cells


_REVIEW = st.fixed_dictionaries({"scores": st.dictionaries(
    st.sampled_from(["insight", "structure", "expression", "relevance", "other"]),
    st.sampled_from(["0", "5", "12.5", "20", "30"]), max_size=5)}, optional={
    "comment": st.sampled_from(["", "佳"]),
    "criterion_comments": st.dictionaries(st.just("insight"), st.sampled_from(["", "弱"])),
    "recused": st.just({"reason": "同單位"})})


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # only read here
@given(data=st.data())
def test_the_one_pass_over_a_queue_agrees_with_each_entrys_own_tests(sheet, data):
    """``open_items`` (the submit's one pass) gives what ``is_complete`` and
    ``needs_comment`` give entry by entry, whatever the sheet holds."""
    codes = [item.code for item in sheet.queue]
    scores = {code: {"code": code, **data.draw(_REVIEW)}
              for code in data.draw(st.lists(st.sampled_from(codes), unique=True))}
    assert sheet.open_items(scores) == (
        [c for c in codes if not sheet.is_complete(c, scores)],
        [c for c in codes if sheet.needs_comment(c, scores)])
