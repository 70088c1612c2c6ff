"""seal, commit, unseal and audit verify on the demo committee, as a secretariat runs them."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from review_tui.engine.intake.imports import load_entries
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.workspace import Workspace
from tests.cli.test_cli import cli
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    files_holding,
    fixed_codes,
    score_everything,
    tree_digest,
)


@pytest.fixture(scope="module")
def demo_names(tmp_path_factory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("demo-seal") / "ws"
    assert cli("demo", "--workspace", root)[0] == 0
    names = sorted({a["name"] for e in load_entries(Workspace(root)) for a in e["authors"]})
    return root, names


@pytest.fixture
def demo(demo_names, tmp_path) -> Path:
    copy = Path(shutil.copytree(demo_names[0], tmp_path / "ws"))
    sign_in_roles(Workspace(copy))  # engine steps between the commands are signed too
    return copy


@pytest.fixture
def passphrase_file(tmp_path) -> Path:
    path = tmp_path / "chair.txt"
    path.write_text(PASSPHRASE + "\n", encoding="utf-8")
    return path


def test_demo_seal_leaves_no_name_anywhere(demo, demo_names, passphrase_file, tmp_path):
    names = demo_names[1]
    assert len(names) > 40 and files_holding(demo, names)
    code, out, err = cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file,
                         "--shares", "5", "--threshold", "3", "--share-dir", tmp_path / "keys")
    assert code == 0, err
    assert "Sealed 34 entries" in out and out.count("Share file:") == 5
    assert files_holding(demo, names) == []
    status = json.loads(cli("status", "--json", "--workspace", demo)[1])
    assert status["stage"] == "sealed" and status["accepted"] == 34 and status["entries"] == 45
    code, out, _ = cli("check", "--workspace", demo)
    assert code == 0 and "sealed" in out and "redacted" in out


def test_full_round_trip_in_chinese(demo, passphrase_file, tmp_path):
    cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file)
    score_everything(Workspace(demo))
    code, out, _ = cli("commit", "--workspace", demo, "--lang", "zh-TW")
    assert code == 0 and "決議已凍結" in out
    code, out, err = cli("unseal", "--workspace", demo, "--passphrase-file", passphrase_file,
                         "--lang", "zh-TW")
    assert code == 0 and "已拆封 34 件" in out, err
    assert cli("audit", "verify", "--workspace", demo)[0] == 0
    assert cli("status", "--json", "--workspace", demo)[1].count('"unsealed"') == 1


@pytest.mark.parametrize(("args", "message"), [
    (["unseal", "--passphrase-file", "{pass}"], "needs “commit” first"),
    (["commit"], "needs “seal” first"),
    (["seal"], "Choose how the key is kept"),
    (["seal", "--passphrase-file", "{weak}"], "too weak"),
    (["seal", "--passphrase-file", "{missing}"], "Cannot read the passphrase file"),
    (["seal", "--passphrase-file", "{inside}"], "inside the workspace"),
    (["seal", "--shares", "3"], "Bad share settings"),
    (["seal", "--passphrase-file", "{latin1}"], "not UTF-8"),
])
def test_refusals_change_nothing(demo, passphrase_file, tmp_path, args, message):
    weak = tmp_path / "weak.txt"
    weak.write_text("aaaaaaaaaaaaaaaaaaaa", encoding="utf-8")
    inside = demo / "chair.txt"
    shutil.copy(passphrase_file, inside)
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("clé secrète très longue".encode("latin-1"))
    paths = {"pass": passphrase_file, "weak": weak, "missing": tmp_path / "nope.txt",
             "inside": inside, "latin1": latin1}
    before = tree_digest(demo)
    code, out, err = cli(*[a.format(**paths) for a in args], "--workspace", demo)
    assert code == 1 and message in err and "Traceback" not in out + err
    assert tree_digest(demo) == before


def test_wrong_passphrase_exits_1_and_changes_nothing(demo, passphrase_file, tmp_path):
    cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file)
    score_everything(Workspace(demo))
    cli("commit", "--workspace", demo)
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(PASSPHRASE.upper(), encoding="utf-8")
    before = tree_digest(demo)
    code, _, err = cli("unseal", "--workspace", demo, "--passphrase-file", wrong)
    assert code == 1 and "Wrong passphrase" in err and tree_digest(demo) == before


def test_audit_verify_detects_a_cut_tail_after_commit(demo, passphrase_file):
    cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file)
    score_everything(Workspace(demo))
    cli("commit", "--workspace", demo)
    log = demo / "audit.jsonl"
    log.write_bytes(b"".join(log.read_bytes().splitlines(keepends=True)[:-1]))
    code, _, err = cli("audit", "verify", "--workspace", demo)
    assert code == 1 and "cut short" in err


def test_deal_score_on_paper_and_by_packet(demo, passphrase_file, tmp_path):
    cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file)
    code, out, _ = cli("deal", "--workspace", demo, "--seed", "7", "--per-entry", "3")
    assert code == 0 and "seed 7" in out and "(20–21 each)" in out
    code, out, _ = cli("scores", "template", "--workspace", demo, "--reviewer", "J01",
                       "--out", tmp_path / "j01.csv")
    assert code == 0 and (tmp_path / "j01.csv").exists()
    assert cli("scores", "template", "--workspace", demo, "--reviewer", "J01",
               "--out", tmp_path / "j01.csv")[0] == 1  # never overwritten silently
    lines = (tmp_path / "j01.csv").read_text(encoding="utf-8-sig").splitlines()
    lines[1] = lines[1].replace(",,", ",99,", 1)
    (tmp_path / "bad.csv").write_text("\n".join(lines), encoding="utf-8")
    code, _, err = cli("scores", "import", tmp_path / "bad.csv", "--workspace", demo)
    assert code == 1 and "line 2" in err and "nothing was imported" in err
    code, _, err = cli("scores", "import", tmp_path / "bad.csv", "--workspace", demo,
                       "--lang", "zh-TW")  # the criterion by its name, as the sheet heads it
    assert code == 1 and re.search(r"「[\u4e00-\u9fff]+」的分數須介於 0 與", err), err
    code, out, _ = cli("packet", "export", "--workspace", demo, "--reviewer", "J02",
                       "--out", tmp_path / "p.json")
    dealt = len(load_deal(Workspace(demo)).queues["J02"])
    assert code == 0 and f"{dealt} entries" in out
    code, _, err = cli("packet", "export", "--workspace", demo, "--reviewer", "J02",
                       "--out", tmp_path / "p.json")  # a packet given out is never replaced
    assert code == 1 and "never replaced" in err and "--force" not in err
    code, out, _ = cli("packet", "open", tmp_path / "p.json", "--workspace", tmp_path / "lap")
    assert code == 0 and "reviewer J02" in out
    code, out, _ = cli("packet", "return", "--workspace", tmp_path / "lap",
                       "--out", tmp_path / "s.json")
    assert code == 0 and f"not submitted yet (0/{dealt} entries scored)" in out
    assert cli("scores", "import", tmp_path / "s.json", "--workspace", demo)[0] == 0
    code, _, err = cli("scores", "import", tmp_path / "s.json", "--workspace", demo)
    assert code == 1 and "old return" in err
    ScoreSheet(Workspace(tmp_path / "lap"), "J02").submit(allow_incomplete=True)
    code, out, _ = cli("packet", "return", "--workspace", tmp_path / "lap",
                       "--out", tmp_path / "s2.json")
    assert code == 0 and "not submitted" not in out
    # No score was given yet (the laptop returned an empty sheet), so a re-deal is allowed.
    assert cli("deal", "--workspace", demo)[0] == 0


def test_tally_commit_unseal_export_end_to_end(demo, passphrase_file, tmp_path, monkeypatch):
    fixed_codes(monkeypatch, 2026)  # random codes gave, once in a while, a tie for an award
    cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file)
    score_everything(Workspace(demo), spread=30)
    code, out, _ = cli("tally", "--workspace", demo)
    assert code == 0 and "Open matters" in out and "differ by" in out
    code, _, err = cli("commit", "--workspace", demo)
    assert code == 1 and "--override-reason" in err
    data = json.loads(cli("tally", "--json", "--workspace", demo)[1])
    for problem in data["problems"]:
        if problem["problem"] == "discrepancy":
            assert cli("tally", "resolve", problem["code"], "--keep", "--note", "會議決議維持",
                       "--workspace", demo)[0] == 0
    code, out, err = cli("commit", "--workspace", demo)
    assert code == 0, err
    cli("unseal", "--workspace", demo, "--passphrase-file", passphrase_file)
    code, out, _ = cli("export", "--workspace", demo, "--out", tmp_path / "ex", "--no-convert")
    assert code == 0 and "decisions.json" in out
    rosters = sorted((tmp_path / "ex" / "敘獎名冊").iterdir())
    assert len(rosters) > 2  # said as their folder, once, with how many: not file by file
    assert f"{tmp_path / 'ex' / '敘獎名冊'}/  ({len(rosters)} files)" in out
    assert rosters[0].name not in out
    exported = json.loads((tmp_path / "ex" / "decisions.json").read_text(encoding="utf-8"))
    assert exported["tracks"]["reading"][0]["commended"]


@pytest.fixture
def unsealed_demo(demo, passphrase_file, monkeypatch) -> Path:
    """The demo committee sealed, scored without discrepancies, committed and unsealed."""
    fixed_codes(monkeypatch, 2026)
    assert cli("seal", "--workspace", demo, "--passphrase-file", passphrase_file)[0] == 0
    score_everything(Workspace(demo))
    assert cli("commit", "--workspace", demo)[0] == 0
    assert cli("unseal", "--workspace", demo, "--passphrase-file", passphrase_file)[0] == 0
    return demo


def _promote_the_last(data: dict) -> None:
    """Give the reading track's last entry the first entry's status and mean."""
    rows = next(iter(data["_default"].values()))["document"]["tracks"]["reading"]
    rows[-1].update(status=rows[0]["status"], mean="99.00")


def _rename_a_writer(data: dict) -> None:
    next(iter(data["_default"].values()))["authors"][0]["name"] = "林冒名"


@pytest.mark.parametrize("file, change, message", [
    ("decisions.json", _promote_the_last, "were changed after the commit"),
    ("identities.json", _rename_a_writer, "were changed after the unseal"),
])
def test_a_file_changed_after_unseal_is_named_and_never_exported(unsealed_demo, tmp_path,
                                                                 file, change, message):
    """An edited decisions or identities file would put another writer on the award
    documents: the export, the tally and audit verify refuse it by name, and write nothing."""
    path = unsealed_demo / file
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    before = tree_digest(unsealed_demo)
    code, out, err = cli("export", "--workspace", unsealed_demo, "--out", tmp_path / "ex",
                         "--no-convert")
    assert code == 1 and out == "" and message in err and str(path) in err
    assert not (tmp_path / "ex").exists() or not any((tmp_path / "ex").iterdir())
    code, _, err = cli("audit", "verify", "--workspace", unsealed_demo)
    assert code == 1 and message in err and str(path) in err
    if file == "decisions.json":
        code, _, err = cli("tally", "--workspace", unsealed_demo)
        assert code == 1 and message in err
    assert tree_digest(unsealed_demo) == before


def test_audit_verify_says_the_frozen_files_match_their_records(unsealed_demo):
    code, out, _ = cli("audit", "verify", "--workspace", unsealed_demo)
    assert code == 0
    assert "Frozen decisions match the commit record" in out
    assert "Unsealed identities match the unseal record" in out


def test_demo_can_start_sealed_and_dealt(tmp_path):
    root = tmp_path / "data"
    code, out, _ = cli("demo", "--stage", "dealt", "--workspace", root)
    assert code == 0 and "data-passphrase.txt" in out
    assert (tmp_path / "data-passphrase.txt").exists()
    assert not list(root.rglob("*passphrase*"))  # never inside the workspace
    status = json.loads(cli("status", "--json", "--workspace", root)[1])
    assert status["stage"] == "dealt" and status["accepted"] == 34
