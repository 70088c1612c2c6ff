"""Many score sheets in one command: a folder or several files, each sheet all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.storage.journal import step
from review_tui.engine.workspace import Workspace
from tests.cli.test_cli import cli
from tests.cli.test_decision_integrity import sheet_csv
from tests.engine.seal_fixtures import PASSPHRASE, build_committee, tree_digest


@pytest.fixture()
def dealt(tmp_path: Path) -> Workspace:
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=3)
    return Workspace(workspace.root)


def audit_actions(workspace: Workspace) -> list[dict]:
    return [json.loads(line) for line in
            (workspace.root / "audit.jsonl").read_text(encoding="utf-8").splitlines()]


def test_a_folder_of_sheets_is_imported_and_a_refused_one_changes_nothing(dealt, tmp_path):
    folder = tmp_path / "sheets"
    folder.mkdir()
    for reviewer in ("J01", "J02"):
        sheet_csv(folder / f"{reviewer}.csv", dealt, reviewer, "15", "紙本")
    bad = sheet_csv(folder / "J03.csv", dealt, "J03", "15", "紙本")
    bad.write_text(bad.read_text(encoding="utf-8").replace(",15,", ",150,", 1),
                   encoding="utf-8")  # one score over its criterion's points
    (folder / "notes.txt").write_text("not a sheet", encoding="utf-8")
    (folder / "~$J01.csv").write_text("Excel's lock file", encoding="utf-8")
    code, out, err = cli("scores", "import", folder, "--workspace", dealt.root, "--lang", "en")
    assert code == 1  # one sheet refused
    assert "Score sheet" in err and "J03.csv" in err and "line 2" in err
    assert "3 score sheets: 2 imported, 1 refused" in out
    for reviewer in ("J01", "J02"):
        scores = ScoreSheet(dealt, reviewer).scores()
        assert scores and {row["comment"] for row in scores.values()} == {"紙本"}
    assert ScoreSheet(dealt, "J03").scores() == {}  # nothing of the refused sheet
    imported = [r for r in audit_actions(dealt) if r["action"] == "scores.import_paper"]
    assert [r["details"]["reviewers"] for r in imported] == [["J01"], ["J02"]]
    sheet_csv(folder / "J03.csv", dealt, "J03", "15", "紙本")  # fixed, and the folder again
    code, out, _ = cli("scores", "import", folder, "--workspace", dealt.root, "--lang", "en")
    assert code == 0 and "3 score sheets: 3 imported, 0 refused" in out
    assert out.count("as stored; nothing changed") == 2  # the two already in: no-ops
    assert ScoreSheet(dealt, "J03").scores()


def test_several_files_are_named_one_by_one(dealt, tmp_path):
    # Totals under 60: each needs its comment (the committee's comment_below).
    first = sheet_csv(tmp_path / "a.csv", dealt, "J01", "12", "低分：論述不足")
    second = sheet_csv(tmp_path / "b.csv", dealt, "J02", "13", "低分：結構鬆散")
    code, out, _ = cli("scores", "import", first, second, "--workspace", dealt.root,
                       "--lang", "zh-TW")
    assert code == 0 and "評分表 2 份：匯入 2 份，退回 0 份" in out
    assert ScoreSheet(dealt, "J01").scores() and ScoreSheet(dealt, "J02").scores()


@pytest.mark.parametrize("make", ["missing", "empty folder"])
def test_a_missing_file_or_an_empty_folder_is_refused_before_anything(dealt, tmp_path, make):
    good = sheet_csv(tmp_path / "a.csv", dealt, "J01", "12", "")
    other = tmp_path / "nothing-here"
    if make == "empty folder":
        other.mkdir()
    before = tree_digest(dealt.root)
    code, _, err = cli("scores", "import", good, other, "--workspace", dealt.root,
                         "--lang", "en")
    assert code == 1 and len(err.strip().splitlines()) == 1 and str(other) in err
    assert ("not found" if make == "missing" else "holds no score sheet") in err
    assert tree_digest(dealt.root) == before  # not even the good one: the command is refused


def test_a_savepoint_undoes_its_own_part_of_a_step_only(dealt):
    with step(dealt.root, "test") as active:
        ScoreSheet(dealt, "J01").save(ScoreSheet(dealt, "J01").queue[0].code, "insight", "10")
        with pytest.raises(ReviewError), active.savepoint():
            sheet = ScoreSheet(dealt, "J02")
            sheet.save(sheet.queue[0].code, "insight", "11")
            dealt.audit.append("test.part", {})
            raise ReviewError("score.locked", reviewer="J02")
        dealt.audit.append("test.after", {})
    assert ScoreSheet(dealt, "J01").scores() and ScoreSheet(dealt, "J02").scores() == {}
    actions = [r["action"] for r in audit_actions(dealt)]
    assert "test.part" not in actions and actions[-1] == "test.after"
    assert dealt.audit.verify().ok  # the chain runs on from before the part


def test_a_paper_sheet_under_the_comment_threshold_needs_its_comment(dealt, tmp_path):
    path = sheet_csv(tmp_path / "a.csv", dealt, "J01", "12", "")
    code, _, err = cli("scores", "import", path, "--workspace", dealt.root, "--lang", "en")
    assert code == 1 and "need a comment before the sheet is submitted" in err
    assert ScoreSheet(dealt, "J01").scores() == {}  # all or nothing
