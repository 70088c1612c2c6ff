"""``review-tui meeting attend`` and the quorum ``commit`` needs, as the chair runs them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from tests.cli.test_cli import cli
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, score_everything


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("meeting") / "ws"
    assert cli("demo", "--workspace", root)[0] == 0
    workspace = sign_in_roles(Workspace(root))
    seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace, attend=False)  # the meeting has not met yet
    return root


@pytest.fixture
def ws(scored, tmp_path) -> Path:
    return Path(shutil.copytree(scored, tmp_path / "ws"))


def test_the_roll_then_a_refused_commit_then_a_quorum(ws):
    code, out, _ = cli("meeting", "attend", "--workspace", ws, "--lang", "zh-TW")
    assert code == 0
    assert out.splitlines()[0] == ("出席 0／5 位（需 3 位），其中外聘 0 位（需 2 位）："
                                   "未達法定人數。")
    assert "J01　陳雅琪　外聘　未登記" in out and "J03　黃淑芬　機關內　未登記" in out
    code, _, err = cli("commit", "--workspace", ws, "--lang", "zh-TW")
    assert code == 1 and "尚未登記出席委員" in err and "meeting attend" in err
    code, out, _ = cli("meeting", "attend", "J01", "J03", "J04", "--absent", "J05",
                       "--workspace", ws, "--lang", "en")
    assert code == 0
    assert out.splitlines()[0] == ("3 of 5 members present (at least 3 needed), 1 of them "
                                   "external (at least 2 needed): no quorum.")
    assert "J05  張美玲  external  absent" in out
    code, _, err = cli("commit", "--workspace", ws, "--lang", "zh-TW")
    assert code == 1
    assert err.strip() == ("未達法定人數，不能定案：出席 3 位（全體 5 位，需 3 位以上），"
                           "其中外聘 1 位（需 2 位以上）。")
    code, out, _ = cli("meeting", "attend", "J02", "--workspace", ws, "--lang", "zh-TW")
    assert out.splitlines()[0] == "出席 4／5 位，其中外聘 2 位：已達法定人數。"
    code, out, err = cli("commit", "--workspace", ws)
    assert code == 0, err


def test_a_member_not_on_the_list_is_refused_naming_the_members(ws):
    code, _, err = cli("meeting", "attend", "J01", "J99", "--workspace", ws, "--lang", "en")
    assert code == 1
    assert err.strip() == "J99: not on the reviewer list; the members are J01, J02, J03, J04, J05."


def test_attendance_is_the_chairs(ws):
    code, _, err = cli("meeting", "attend", "J01", "--workspace", ws, "--lang", "en",
                       credential=False)
    assert code == 1 and "chair" in err.lower()


def test_agenda_and_robustness_as_the_chair_reads_them(ws):
    assert cli("scores", "reopen", "--reviewer", "J05", "--reason", "一項漏評",
               "--workspace", ws)[0] == 0  # a sheet out: the agenda has a matter, always
    code, out, _ = cli("meeting", "agenda", "--json", "--workspace", ws)
    assert code == 0
    matters = json.loads(out)["matters"]
    assert {m["kind"] for m in matters} <= {"discrepancy", "tie", "cutoff", "sheet"}
    code, out, _ = cli("meeting", "agenda", "--workspace", ws, "--lang", "zh-TW")
    assert code == 0 and out.splitlines()[0].startswith("議程：")
    code, out, _ = cli("tally", "--robustness", "--workspace", ws, "--lang", "zh-TW")
    assert code == 0 and "溝通服務專書閱讀心得報告（計分：平均）穩健性" in out
    code, out, _ = cli("tally", "--robustness", "--json", "--workspace", ws)
    data = json.loads(out)
    assert [t["track"] for t in data["tracks"]] == ["reading", "case"]
    assert {s["name"] for s in data["tracks"][0]["scenarios"]} == {
        "trimmed_mean", "zscore", "rank_sum", "J01", "J02", "J03", "J04", "J05"}


def test_a_note_on_a_matter_not_on_the_agenda_is_refused(ws):
    code, _, err = cli("meeting", "note", "cutoff:R-NONE", "--note", "x", "--workspace", ws,
                       "--lang", "en")
    assert code == 1 and "not on the agenda" in err


def test_the_papers_from_the_command_line(ws, tmp_path):
    code, out, err = cli("meeting", "sign-in", "--place", "第 1 會議室", "--date", "2026-07-15",
                         "--no-convert", "--out", tmp_path / "papers", "--workspace", ws,
                         "--lang", "zh-TW")
    assert code == 0, err
    assert out.splitlines()[1] == f"  {tmp_path / 'papers' / '簽到表.docx'}"
    code, out, err = cli("meeting", "minutes", "--no-convert", "--out", tmp_path / "papers",
                         "--workspace", ws)
    assert code == 0, err and (tmp_path / "papers" / "會議紀錄.docx").exists()
    code, _, err = cli("meeting", "minutes", "--date", "15/7", "--workspace", ws, "--lang", "en")
    assert code == 1 and err.strip() == "“15/7” is not a date; write it as 2026-07-15."


def test_an_output_folder_that_is_a_file_is_refused_by_name(ws, tmp_path):
    blocker = tmp_path / "exports"
    blocker.write_text("", encoding="utf-8")
    for command in (["meeting", "minutes"], ["export"]):
        code, _, err = cli(*command, "--no-convert", "--out", blocker, "--workspace", ws,
                           "--lang", "en")
        assert code == 1 and err.strip() == (f"{blocker} is a file, not a folder; name the "
                                             "folder to write into.")
