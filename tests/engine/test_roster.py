"""Agency roster and reviewers: parents roll up, bad rosters are refused whole."""

from __future__ import annotations

import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.roster import (
    Roster,
    import_agencies,
    import_reviewers,
    load_reviewers,
)
from tests.builders import write_csv


def test_parents_roll_up_to_the_top_level(workspace, intake):
    import_agencies(workspace, write_csv(intake / "a.csv", ["name", "parent", "group"], [
        ["高雄市政府社會局", "", "一級機關"], ["長青中心", "高雄市政府社會局", "所屬機關"],
        ["長青中心分站", "長青中心", "所屬機關"]]))
    roster = Roster.load(workspace)
    assert roster.top_level("長青中心分站") == "高雄市政府社會局"
    assert roster.top_level("不在名冊") == "不在名冊"
    assert roster.knows("高雄市政府社會局") and not roster.knows("台北")


@pytest.mark.parametrize("rows, key", [
    ([["甲", "乙", ""], ["乙", "甲", ""]], "roster.cycle"),
    ([["甲", "丙", ""]], "roster.unknown_parent"),
    ([["甲", "", ""], ["甲", "", ""]], "roster.duplicate"),
    ([["甲", "", ""], ["", "甲", "x"]], "roster.missing_name"),
])
def test_bad_rosters_are_refused_and_change_nothing(workspace, intake, rows, key):
    import_agencies(workspace, write_csv(intake / "ok.csv", ["機關名稱"], [["原有機關"]]))
    with pytest.raises(ReviewError) as error:
        import_agencies(workspace, write_csv(intake / "a.csv", ["機關名稱", "上級機關", "組別"],
                                             rows))
    assert error.value.key == key
    assert Roster.load(workspace).knows("原有機關")


def test_reviewers_with_chinese_headers(workspace, intake):
    import_reviewers(workspace, write_csv(intake / "r.csv", ["代號", "姓名", "服務機關"], [
        ["J01", "陳雅琪", "國立中山大學"], ["J02", "林志明", ""]]))
    assert [r["id"] for r in load_reviewers(workspace)] == ["J01", "J02"]
    with pytest.raises(ReviewError) as error:
        import_reviewers(workspace, write_csv(intake / "r2.csv", ["id", "name"], [
            ["J01", "甲"], ["J01", "乙"]]))
    assert error.value.key == "reviewers.duplicate"
