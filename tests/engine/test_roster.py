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


def test_external_members_and_conflicts_are_read(workspace, intake):
    import_reviewers(workspace, write_csv(intake / "r.csv", ["代號", "姓名", "服務機關", "外聘",
                                                             "利益迴避"], [
        ["J01", "陳雅琪", "國立中山大學", "是", "王小明、高雄市政府社會局"],
        ["J02", "林志明", "高雄市政府人事處", "否", ""], ["J03", "黃淑芬", "", "", ""]]))
    rows = {r["id"]: r for r in load_reviewers(workspace)}
    assert [rows[i]["external"] for i in ("J01", "J02", "J03")] == [True, False, False]
    assert rows["J01"]["conflicts_with"] == ["王小明", "高雄市政府社會局"]
    assert rows["J02"]["conflicts_with"] == []


def test_a_list_without_the_new_columns_reads_as_internal_without_conflicts(workspace, intake):
    import_reviewers(workspace, write_csv(intake / "r.csv", ["id", "name"], [["J01", "甲"]]))
    assert load_reviewers(workspace) == [{"id": "J01", "name": "甲", "agency": "",
                                          "external": False, "conflicts_with": []}]


def test_an_unreadable_external_cell_is_refused_naming_the_row(workspace, intake):
    import_reviewers(workspace, write_csv(intake / "ok.csv", ["id", "name"], [["J09", "原"]]))
    with pytest.raises(ReviewError) as error:
        import_reviewers(workspace, write_csv(intake / "r.csv", ["id", "name", "外聘"], [
            ["J01", "甲", "是"], ["J02", "乙", "也許"]]))
    assert error.value.key == "reviewers.bad_external"
    assert error.value.params["row"] == 3 and error.value.params["value"] == "也許"
    assert [r["id"] for r in load_reviewers(workspace)] == ["J09"]
