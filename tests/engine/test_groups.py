"""Awards by group (組別): a grouped track tallied against a hand-worked example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_tui.engine.config import ConfigError, parse_config, parse_toml, template_text
from review_tui.engine.decisions.tally import tally
from review_tui.engine.intake.imports import check
from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.workspace import Workspace, init_workspace
from tests.builders import HEADER_ZH, body_text, case_row, row, write_csv, write_manifest
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, attend_all

GROUPED = '''max_photos = 3
group_by = "agency_group"

[[tracks.groups]]
name = "第一組"
quota = 2

[[tracks.groups]]
name = "第二組"
min_score = 80
'''
AGENCIES = [["甲局", "", "第一組"], ["甲局所屬中心", "甲局", ""], ["乙局", "", "第一組"],
            ["丙區公所", "", "第二組"], ["丁區公所", "", "第二組"], ["戊局", "", ""]]
# title → (agency, insight of 75, structure of 25): every reviewer gives the same marks
CASES = {"甲一": ("甲局", 68, 22), "甲二": ("甲局所屬中心", 64, 21),
         "乙一": ("乙局", 60, 20), "乙二": ("乙局", 45, 15),
         "丙一": ("丙區公所", 66, 22), "丙二": ("丙區公所", 59, 20),
         "丁一": ("丁區公所", 71, 24), "丁二": ("丁區公所", 56, 19)}


def grouped_committee(root: Path, intake: Path, *, extra_rows: list[list[str]] = (),
                      photos: dict[str, str] | None = None, margin: str = "1.0"
                      ) -> Workspace:
    """The committee of :data:`CASES` in two groups, imported; ``photos``: a title's 相片
    cell (files the caller puts in ``intake``)."""
    workspace = sign_in_roles(init_workspace(root, "coach", year=2026))
    text = workspace.config_path.read_text(encoding="utf-8")
    text = text.replace("min_external = 2", "min_external = 1").replace(
        "max_photos = 3\n", GROUPED, 1).replace("cutoff_margin = 1.0",
                                                f"cutoff_margin = {margin}")
    workspace.config_path.write_text(text, encoding="utf-8")
    workspace = Workspace(workspace.root)
    write_csv(intake / "agencies.csv", ["機關名稱", "上級機關", "組別"], AGENCIES)
    write_csv(intake / "reviewers.csv", ["代號", "姓名", "服務機關", "外聘"],
              [["J01", "林教授", "", "是"], ["J02", "黃教授", "", "是"],
               ["J03", "吳教授", "", "否"]])
    from review_tui.engine.intake.roster import import_agencies, import_reviewers

    import_agencies(workspace, intake / "agencies.csv")
    import_reviewers(workspace, intake / "reviewers.csv")
    (intake / "case.txt").write_text("\n".join(["案例", *body_text(600)]), encoding="utf-8")
    rows = [[*case_row(agency=agency, title=title, file="case.txt", authors=f"{title}作者",
                       will_present="是" if title.endswith("一") else "否"),
             (photos or {}).get(title, "")] for title, (agency, _, _) in CASES.items()]
    write_manifest(intake / "manifest.csv",
                   rows + [[*r, ""] if len(r) == len(HEADER_ZH) else r for r in extra_rows],
                   header=[*HEADER_ZH, "相片"])
    from review_tui.engine.intake.imports import import_manifest

    import_manifest(workspace, intake / "manifest.csv")
    return workspace


def score_by_title(workspace: Workspace) -> None:
    titles = {e["code"]: e["title"] for e in load_sealed_entries(workspace)}
    for reviewer, codes in deal(workspace, seed=3).queues.items():
        sheet = ScoreSheet(workspace, reviewer)
        for code in codes:
            _, insight, structure = CASES[titles[code]]
            sheet.save(code, "insight", str(insight))
            sheet.save(code, "structure", str(structure))
        sheet.submit()
    attend_all(workspace)


@pytest.fixture
def grouped(tmp_path: Path) -> Workspace:
    workspace = grouped_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    score_by_title(workspace)
    return workspace


def test_each_group_is_ranked_and_awarded_on_its_own(grouped):
    """Worked by hand. 第一組 (quota 2, minimum 70): 甲一 90, 甲二 85, 乙一 80, 乙二 60 →
    甲一 and 甲二 win (甲二's own unit rolls up to 甲局, whose cap of 2 it fills), 乙一 is
    out on the quota, 乙二 under the minimum. 第二組 (quota 12, minimum 80): 丁一 95,
    丙一 88 win; 丙二 79 and 丁二 75 are under its own minimum. Ranks start at 1 in each."""
    result = tally(grouped, record=False)
    titles = {e["code"]: e["title"] for e in load_sealed_entries(grouped)}
    got = [(r.group, r.rank, titles[r.code], r.score, str(r.status))
           for r in result.rows("case")]
    assert got == [
        ("第一組", 1, "甲一", "90.00", "winner"), ("第一組", 2, "甲二", "85.00", "winner"),
        ("第一組", 3, "乙一", "80.00", "not_selected"),
        ("第一組", 4, "乙二", "60.00", "below_minimum"),
        ("第二組", 1, "丁一", "95.00", "winner"), ("第二組", 2, "丙一", "88.00", "winner"),
        ("第二組", 3, "丙二", "79.00", "below_minimum"),
        ("第二組", 4, "丁二", "75.00", "below_minimum")]
    assert result.row("case", next(c for c, t in titles.items() if t == "乙一")
                      ).reason_params == {"quota": 2}
    assert all("group" in row for row in result.document["tracks"]["case"])
    assert not result.problems


def test_the_group_is_in_the_clear_and_its_agencies_are_not(grouped):
    sealed = load_sealed_entries(grouped)
    assert {e["group"] for e in sealed} == {"第一組", "第二組"}
    store = (grouped.root / "entries.json").read_text(encoding="utf-8")
    assert "甲局" not in store and "丙區公所" not in store


def test_an_agency_without_a_group_is_refused_at_intake(tmp_path):
    extra = [case_row(agency="戊局", title="戊一", file="case.txt", authors="戊作者"),
             case_row(agency="戊局", title="戊二", file="case.txt", authors="戊二作者"),
             row(agency="戊局", title="心得", file="case.txt", authors="戊三作者")]
    workspace = grouped_committee(tmp_path / "ws", tmp_path / "intake", extra_rows=extra)
    evaluation = check(workspace)
    no_group = [f for f in evaluation.findings if f.rule == "agency.no_group"]
    assert [(f.severity, f.params["agency"]) for f in no_group] == [("reject", "戊局")] * 2
    # the reading track is not grouped: its entry from the same agency has no such finding
    assert len({f.entry_id for f in no_group}) == 2


def test_group_rules_are_checked_and_default_to_the_track():
    text = template_text("coach", year=2026).replace("max_photos = 3\n", GROUPED, 1)
    case = parse_config(parse_toml(text, Path("c.toml"))).track("case")
    assert case.group_rules("第一組").quota == 2
    assert case.group_rules("第一組").min_score == 70
    assert case.group_rules("第二組").min_score == 80
    assert case.group_rules("其他").quota == case.quota
    assert case.group_order(["第三組", "第二組"]) == ["第一組", "第二組", "第三組"]
    for bad, key in (('group_by = "agency"', "group_by"),
                     ("quota = 2\nlimit = 1", "groups[0].limit")):
        broken = text.replace('group_by = "agency_group"', bad) if "group_by" in bad \
            else text.replace("quota = 2\n", bad + "\n", 1)
        with pytest.raises(ConfigError) as caught:
            parse_config(parse_toml(broken, Path("c.toml")))
        assert key in caught.value.params["key"]


def test_the_cli_lists_each_group_under_its_track(grouped):
    from tests.cli.test_cli import cli

    code, out, _ = cli("tally", "--workspace", grouped.root, "--lang", "zh-TW")
    assert code == 0
    lines = out.splitlines()
    first, second = lines.index("  組別：第一組"), lines.index("  組別：第二組")
    assert first < second and lines[first + 1].split()[0] == "1"
    assert lines[second + 1].split()[0] == "1"  # ranks start again in each group
    code, out, _ = cli("tally", "--workspace", grouped.root, "--json")
    assert {row["group"] for row in json.loads(out)["tracks"]["case"]} == {"第一組", "第二組"}


def test_the_cut_off_and_the_robustness_are_each_groups_own(tmp_path):
    """With a margin of 6 points: in 第一組 the last winner 甲二 (85) and the first left
    out 乙一 (80) are 5 apart, both on the agenda; 第二組's cut-off (88 against 79) is not
    near. One cut-off for the whole track would have put 乙一 against 丙一 (88): off."""
    from review_tui.engine.decisions.robustness import robustness
    from review_tui.engine.meeting.agenda import agenda

    workspace = grouped_committee(tmp_path / "ws", tmp_path / "intake", margin="6")
    seal(workspace, passphrase=PASSPHRASE)
    score_by_title(workspace)
    titles = {e["code"]: e["title"] for e in load_sealed_entries(workspace)}
    near = sorted(titles[m.codes[0]] for m in agenda(workspace) if m.kind == "cutoff")
    assert near == ["乙一", "甲二"]
    case = next(r for r in robustness(workspace) if r.track == "case")
    assert case.scenarios and not case.fragile  # every scenario keeps each group's awards


def test_after_the_seal_a_groups_quota_may_be_amended_but_not_the_grouping(grouped):
    from review_tui.engine.decisions.frozen_rules import amend_rules
    from review_tui.engine.errors import ReviewError

    settings = grouped.config_path
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace('group_by = "agency_group"\n', "", 1)
                        .replace("[[tracks.groups]]", "# [[tracks.groups]]")
                        .replace('name = "第一組"\nquota = 2', "# 第一組")
                        .replace('name = "第二組"\nmin_score = 80', "# 第二組"),
                        encoding="utf-8")
    with pytest.raises(ReviewError) as refused:
        amend_rules(grouped, "one list for the whole track")
    assert refused.value.key == "config.amend_group_by"
    settings.write_text(text.replace("quota = 2\n", "quota = 3\n", 1), encoding="utf-8")
    amend_rules(grouped, "the meeting gives group 1 a third place")
    again = Workspace(grouped.root)
    statuses = [str(r.status) for r in tally(again, record=False).rows("case")
                if r.group == "第一組"]
    assert statuses == ["winner", "winner", "winner", "below_minimum"]  # 乙一 is in now
