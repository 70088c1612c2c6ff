"""Decisions that cannot move behind the chair's back, met as a committee meets them on the
command line: rules edited after the seal, a tally that would draw by itself, chair input
that names the wrong entries, a paper sheet over a reviewer's draft, a ranking with sheets
still out. Every refusal exits 1 with a message and changes no file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_tui.engine.decisions.tally import tally
from review_tui.engine.scoring.scores import ScoreSheet, reopen_sheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from tests.builders import write_csv
from tests.cli.test_cli import cli
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    scored_committee,
    tie_reading_entries,
    tree_digest,
)


@pytest.fixture
def scored(tmp_path) -> Path:
    return scored_committee(tmp_path).root


def edit(root: Path, old: str, new: str) -> None:
    path = root / "committee.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def actions(root: Path) -> list[str]:
    return [json.loads(line)["action"] for line in
            (root / "audit.jsonl").read_text(encoding="utf-8").splitlines()]


REWEIGHT = ('id = "insight"\nname = "啟示與創見"\nname_en = "Insight and originality"\n'
            'points = 40')


def test_a_rubric_edited_after_scoring_is_refused_and_cannot_be_amended(scored):
    ranks = cli("tally", "--json", "--workspace", scored)[1]
    edit(scored, REWEIGHT, REWEIGHT.replace("points = 40", "points = 30"))
    edit(scored, "points = 25\n\n[[tracks]]", "points = 35\n\n[[tracks]]")
    before = tree_digest(scored)
    code, _, err = cli("tally", "--workspace", scored)
    assert code == 1
    assert "changed after the seal" in err
    assert "tracks[reading].criteria[insight].points" in err
    assert "tracks[reading].criteria[structure].points" in err
    code, _, err = cli("config", "amend", "--reason", "the meeting prefers 30/35",
                       "--workspace", scored)
    assert code == 1 and "rubric" in err
    assert tree_digest(scored) == before
    code, out, _ = cli("config", "diff", "--workspace", scored)
    assert code == 0 and "tracks[reading].criteria[insight].points: 40 → 30" in out
    assert cli("config", "restore", "--workspace", scored)[0] == 0
    assert cli("tally", "--json", "--workspace", scored)[1] == ranks
    assert cli("audit", "verify", "--workspace", scored)[0] == 0
    assert "config.restore" in actions(scored)


def test_a_setting_is_amended_by_the_chair_with_a_reason_and_the_diff_is_logged(scored):
    edit(scored, "quota = 10\n", "quota = 1\n")
    assert cli("tally", "--workspace", scored)[0] == 1
    code, out, _ = cli("config", "amend", "--reason", "預算只夠一名", "--workspace", scored)
    assert code == 0 and "tracks[reading].quota: 10 → 1" in out
    record = json.loads((scored / "audit.jsonl").read_text(encoding="utf-8")
                        .splitlines()[-1])
    assert record["action"] == "config.amend"
    assert record["details"]["reason"] == "預算只夠一名"
    assert record["details"]["changes"] == [{"key": "tracks[reading].quota", "before": 10,
                                             "after": 1}]
    data = json.loads(cli("tally", "--json", "--workspace", scored)[1])
    assert sum(r["status"] == "winner" for r in data["tracks"]["reading"]) == 1
    assert cli("config", "amend", "--reason", "again", "--workspace", scored)[0] == 1
    assert cli("commit", "--workspace", scored)[0] == 0
    edit(scored, "quota = 1\n", "quota = 2\n")
    code, _, err = cli("config", "amend", "--reason", "too late", "--workspace", scored)
    assert code == 1 and "already committed" in err


def test_the_documents_settings_are_presentation_and_change_after_the_seal(scored):
    """A typo in the organiser's name is fixed in the file: no refusal, no amendment, the
    ranking untouched; a rule changed with it is still refused."""
    ranks = cli("tally", "--json", "--workspace", scored)[1]
    edit(scored, 'organiser = "高雄市政府"', 'organiser = "高雄市政府（更正）"')
    edit(scored, 'head_name = ""', 'head_name = "陳○○"')
    assert cli("tally", "--json", "--workspace", scored)[1] == ranks
    assert Workspace(scored).config.documents.organiser == "高雄市政府（更正）"
    code, _, err = cli("config", "amend", "--reason", "typo", "--workspace", scored)
    assert code == 1 and "config.amend" not in actions(scored)
    edit(scored, "quota = 10\n", "quota = 9\n")
    code, _, err = cli("tally", "--workspace", scored)
    assert code == 1 and "(tracks[reading].quota)" in err


def test_amend_before_the_seal_says_to_edit_the_file(tmp_path):
    root = tmp_path / "ws"
    cli("init", "--workspace", root)
    code, _, err = cli("config", "amend", "--reason", "x", "--workspace", root)
    assert code == 1 and "edit committee.toml directly" in err


def test_the_seal_records_the_rules_hash_and_a_reformatted_file_is_still_the_same(scored):
    seal_record = next(json.loads(line) for line in
                       (scored / "audit.jsonl").read_text(encoding="utf-8").splitlines()
                       if json.loads(line)["action"] == "seal")
    frozen = json.loads((scored / "rules.json").read_text(encoding="utf-8"))
    assert seal_record["details"]["rules_sha256"] == frozen["_default"]["1"]["sha256"]
    edit(scored, "[tally]\n", "[tally]\n# 註解：只是加了說明\n")  # comments are not rules
    assert cli("tally", "--workspace", scored)[0] == 0


def test_a_progress_tally_with_a_tie_draws_nothing_and_commit_cannot_decide_it(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    root = workspace.root
    reopen_sheet(Workspace(root), "J03", "still reading")  # a sheet is out again
    code, out, _ = cli("tally", "--workspace", root)
    assert code == 0 and out.startswith("PROVISIONAL: score sheets not submitted yet: 1")
    assert "tie pending" in out and "not decided yet" in out
    data = json.loads(cli("tally", "--json", "--workspace", root)[1])
    assert {r["status"] for r in data["tracks"]["reading"] if r["code"] in reading} == {
        "tie_pending"}
    assert not [a for a in actions(root) if "draw" in a or "lottery" in a]
    before = tree_digest(root)
    code, _, err = cli("commit", "--override-reason", "J03 left", "--workspace", root)
    assert code == 1 and "an override cannot decide a tie" in err
    assert tree_digest(root) == before
    code, out, _ = cli("tally", "draw", "--track", "reading", *reading, "--seed", "115",
                       "--workspace", root)
    assert code == 0 and "seed 115" in out
    code, out, _ = cli("tally", "draw", "--verify", "--workspace", root)
    assert code == 0 and out.startswith("✓ reading")
    code, _, _ = cli("commit", "--override-reason", "J03 left", "--workspace", root)
    assert code == 0
    record = json.loads((root / "audit.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert record["details"]["overridden"] == [{"problem": "sheet_unsubmitted",
                                                "reviewer": "J03"}]


def test_resolve_on_an_entry_that_is_not_flagged_changes_nothing(scored):
    code = tally(Workspace(scored)).document["tracks"]["reading"][0]["code"]
    before = tree_digest(scored)
    exit_code, _, err = cli("tally", "resolve", code, "--no-award", "--workspace", scored)
    assert exit_code == 1 and "is not flagged" in err
    assert tree_digest(scored) == before


def test_an_order_naming_an_entry_outside_the_tie_changes_nothing(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "chair"], quota=1)
    root = workspace.root
    case = json.loads(cli("tally", "--json", "--workspace", root)[1])["tracks"]["case"]
    before = tree_digest(root)
    for track, codes in (("reading", [reading[0], case[0]["code"]]), ("case", reading)):
        code, _, err = cli("tally", "order", "--track", track, *codes, "--workspace", root)
        assert code == 1 and "the open ties are" in err, err
    assert tree_digest(root) == before
    code, _, _ = cli("tally", "order", "--track", "reading", *reading, "--workspace", root)
    assert code == 0


def sheet_csv(path: Path, workspace: Workspace, reviewer: str, value: str,
              comment: str) -> Path:
    sheet = ScoreSheet(workspace, reviewer)
    rows = []
    for item in sheet.queue:
        criteria = [c.id for c in sheet.criteria_of(item.code)]
        rows.append([reviewer, item.code, *[value if c in criteria else "" for c in
                                            ("insight", "interpretation", "structure")],
                     comment])
    return write_csv(path, ["reviewer", "code", "insight", "interpretation", "structure",
                            "comment"], rows)


def test_a_paper_sheet_over_a_reviewers_draft_is_refused_unless_replace(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    assert cli("deal", "--seed", "3", "--workspace", workspace.root)[0] == 0
    sheet = ScoreSheet(Workspace(workspace.root), "J01")
    first = sheet.queue[0].code
    sheet.save(first, "insight", "19")
    sheet.save_comment(first, "結構清楚，舉例具體")
    paper = sheet_csv(tmp_path / "j01.csv", workspace, "J01", "20", "紙本評語")
    before = tree_digest(workspace.root)
    code, _, err = cli("scores", "import", paper, "--workspace", workspace.root)
    assert code == 1
    assert f"entry {first}, Insight and originality: stored 19, this sheet has 20" in err
    assert f"entry {first}, comment: stored 結構清楚，舉例具體, this sheet has 紙本評語" in err
    assert "--replace" in err
    assert tree_digest(workspace.root) == before
    code, out, _ = cli("scores", "import", paper, "--replace", "--workspace", workspace.root)
    assert code == 0 and "Replaced: reviewer J01" in out
    record = [json.loads(line) for line in (workspace.root / "audit.jsonl")
              .read_text(encoding="utf-8").splitlines()
              if json.loads(line)["action"] == "scores.import_paper"][-1]
    assert {"reviewer": "J01", "code": first, "field": "insight", "before": "19",
            "after": "20"} in record["details"]["replaced"]
    code, out, _ = cli("scores", "import", paper, "--workspace", workspace.root)
    assert code == 0 and "nothing changed" in out  # the same sheet again: a no-op


def test_blind_exports_say_provisional_and_list_the_amended_rules(scored, tmp_path):
    import docx

    edit(scored, "discrepancy_threshold = 20", "discrepancy_threshold = 15")
    assert cli("config", "amend", "--reason", "依會議決議從嚴", "--workspace", scored)[0] == 0
    reopen_sheet(Workspace(scored), "J02", "late")
    code, _, _ = cli("export", "--no-convert", "--out", tmp_path / "out", "--workspace",
                       scored)
    assert code == 0
    summary = tmp_path / "out" / "成績總表（暫定）.docx"
    assert summary.exists() and (tmp_path / "out" / "成績總表（暫定）.csv").exists()
    text = "\n".join(p.text for p in docx.Document(str(summary)).paragraphs)
    assert "暫定結果：尚有 1 份評分表未送出" in text
    assert "依會議決議從嚴" in text and "tally.discrepancy_threshold：20 → 15" in text


def test_a_sheet_edited_after_submission_is_named_and_no_override_commits_it(scored):
    from tests.engine.test_tally import edit_submitted_sheet

    edit_submitted_sheet(Workspace(scored), "J01")
    code, out, _ = cli("tally", "--workspace", scored)
    assert code == 0 and "Reviewer J01's sheet was changed after it was submitted" in out
    before = tree_digest(scored)
    code, _, err = cli("commit", "--override-reason", "keep going", "--workspace", scored)
    assert code == 1 and "changed after they were submitted" not in err
    assert "1 submitted sheet was changed after it was submitted" in err and "J01" in err
    assert tree_digest(scored) == before
    code, out, _ = cli("tally", "--workspace", scored, "--lang", "zh-TW")
    assert "委員 J01 的評分表在送出後被更動" in out


def _raise_the_quota(root: Path) -> None:
    """quota 10 → 12 in the frozen copy and in committee.toml alike (no amendment)."""
    edit(root, "quota = 10\n", "quota = 12\n")
    path = root / "rules.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(iter(data["_default"].values()))
    assert "quota = 10\n" in row["toml"]
    row["toml"] = row["toml"].replace("quota = 10\n", "quota = 12\n", 1)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _move_an_entry(root: Path) -> None:
    path = root / "entries.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(r for r in data["_default"].values() if r.get("track") == "reading")
    row["agency"] = "A99"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def drop_a_review(root: Path) -> None:
    """The first review taken out of the first queue in deal.json, by hand."""
    path = root / "deal.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    queue = next(iter(data["queues"].values()))
    queue["codes"] = queue["codes"][1:]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("change, file", [(_raise_the_quota, "rules.json"),
                                          (_move_an_entry, "entries.json"),
                                          (drop_a_review, "deal.json")])
def test_an_input_changed_by_hand_since_its_step_is_named_and_never_frozen(scored, change,
                                                                           file):
    """The rules, the sealed entries and the deal are what their steps logged, or the
    commit is refused naming the file (no override), and audit verify says which. (The
    commands run in this process: the entries' hash kept from the first must not hide the
    edit from the next.)"""
    code, out, _ = cli("audit", "verify", "--workspace", scored)
    assert code == 0 and "The rules, the sealed entries, the deal, and the chair's" in out
    change(scored)
    before = tree_digest(scored)
    for override in ([], ["--override-reason", "the meeting agrees"]):
        code, _, err = cli("commit", *override, "--workspace", scored)
        assert code == 1 and f"{scored / file} was changed after the step" in err
    assert tree_digest(scored) == before
    # Named wherever the ranking is shown before the commit, not only when it is refused.
    code, out, _ = cli("tally", "--workspace", scored, "--lang", "zh-TW")
    assert f"{scored / file} 與寫入它的步驟所記錄的不符" in out
    problems = json.loads(cli("tally", "--json", "--workspace", scored)[1])["problems"]
    assert {"problem": "input_changed", "path": str(scored / file)} in problems
    code, _, err = cli("audit", "verify", "--workspace", scored, "--lang", "zh-TW")
    assert code == 1 and f"{scored / file} 在寫入它的步驟記錄之後被更動" in err


def test_an_amended_rule_and_a_refilled_deal_are_what_the_log_holds(scored):
    """The steps' own changes are logged with their hashes: the commit goes through."""
    edit(scored, "quota = 10\n", "quota = 12\n")
    assert cli("config", "amend", "--reason", "多兩名", "--workspace", scored)[0] == 0
    assert cli("commit", "--workspace", scored)[0] == 0


def _add_an_outcome(root: Path) -> None:
    """A discrepancy outcome nobody decided: J01 dropped from the first reading entry."""
    path = root / "tally.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    code = json.loads(cli("tally", "--json", "--workspace", root)[1])["tracks"]["reading"][0]
    data.setdefault("discrepancies", {})["1"] = {"code": code["code"], "action": "drop",
                                                 "reviewer": "J01", "note": ""}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def _mark_present(root: Path) -> None:
    path = root / "meeting.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    assert "J04" not in json.dumps(data)  # never marked
    data.setdefault("attendance", {})["9"] = {"id": "J04", "present": True,
                                              "at": "2026-07-15T09:00:00+00:00"}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("change, file", [(_add_an_outcome, "tally.json"),
                                          (_mark_present, "meeting.json")])
def test_a_chair_input_or_attendance_nobody_recorded_is_named_and_never_frozen(
        scored, change, file):
    """The chair's decisions and the attendance are what their acts logged: one written in
    by hand refuses the commit, naming the file."""
    change(scored)
    code, out, _ = cli("tally", "--workspace", scored)
    assert f"{scored / file} is not what the step that wrote it recorded" in out
    before = tree_digest(scored)
    code, _, err = cli("commit", "--override-reason", "anyway", "--workspace", scored)
    assert code == 1 and f"{scored / file} was changed after the step" in err
    assert tree_digest(scored) == before
    assert cli("audit", "verify", "--workspace", scored)[0] == 1


def test_decided_outcomes_orders_draws_and_attendance_are_what_the_log_holds(tmp_path):
    """Each act through the steps replays to its table: the commit goes through."""
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    root = workspace.root
    assert cli("tally", "draw", "--track", "reading", "--seed", "7", *reading,
               "--workspace", root)[0] == 0
    assert cli("meeting", "attend", "J01", "J02", "--absent", "J03",
               "--workspace", root)[0] == 0
    assert cli("meeting", "attend", "J03", "--workspace", root)[0] == 0
    code, out, err = cli("audit", "verify", "--workspace", root)
    assert code == 0, err
    assert ("The rules, the sealed entries, the deal, and the chair's and the meeting's "
            "decisions so far match their records.") in out
    assert cli("commit", "--override-reason", "test", "--workspace", root)[0] == 0
