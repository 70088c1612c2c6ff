"""The audit log: a hash chain that names the first line edited, removed or reordered."""

from __future__ import annotations

import json

import pytest

from review_tui.engine.storage.audit import AuditLog


@pytest.fixture
def log(tmp_path):
    audit = AuditLog(tmp_path)
    for i in range(5):
        audit.append("step", {"i": i})
    return audit


def lines(log: AuditLog) -> list[bytes]:
    return log.path.read_bytes().splitlines(keepends=True)


def test_an_intact_chain_verifies(log):
    result = log.verify()
    assert result.ok and result.lines == 5
    assert result.head == json.loads(lines(log)[-1])["hash"]


def test_an_edited_line_is_named(log):
    content = lines(log)
    content[2] = content[2].replace(b'"i":2', b'"i":9')
    log.path.write_bytes(b"".join(content))
    result = log.verify()
    assert (result.bad_line, result.problem) == (3, "edited")


@pytest.mark.parametrize("remove, bad_line", [(0, 1), (2, 3), (4, None)])
def test_a_removed_line_is_named(log, remove, bad_line):
    content = lines(log)
    del content[remove]
    log.path.write_bytes(b"".join(content))
    assert log.verify().bad_line == bad_line  # the tail alone needs the committed head


def test_reordered_lines_are_named(log):
    content = lines(log)
    content[1], content[2] = content[2], content[1]
    log.path.write_bytes(b"".join(content))
    assert log.verify().bad_line == 2


def test_a_rehashed_edit_still_breaks_the_next_link(log):
    from review_tui.engine.storage.audit import canonical, record_hash

    content = lines(log)
    record = json.loads(content[1])
    record["details"] = {"i": 42}
    record["hash"] = record_hash(record)
    content[1] = canonical(record) + b"\n"
    log.path.write_bytes(b"".join(content))
    assert (log.verify().bad_line, log.verify().problem) == (3, "chain_broken")


def test_a_torn_last_line_is_reported_then_set_aside_on_the_next_append(log):
    with open(log.path, "ab") as handle:
        handle.write(b'{"seq":6,"half a rec')
    assert log.verify().problem == "incomplete"
    log.append("after_crash")
    assert log.verify().ok
    actions = [r["action"] for r in log.records()]
    assert actions[-2:] == ["audit.torn_tail_set_aside", "after_crash"]
    side = next(log.path.parent.glob("audit.torn-*.txt"))
    assert side.read_bytes() == b'{"seq":6,"half a rec'


def test_records_carry_actor_and_time(log):
    record = log.records()[0]
    assert record["actor"] == "tester" and record["ts"].endswith("+00:00")


def test_each_record_names_the_role_of_its_step(tmp_path):
    """Issue 20: the chair's acts told from the secretariat's and each reviewer's."""
    from review_tui.engine.decisions.commit import commit
    from review_tui.engine.scoring.deal import deal
    from review_tui.engine.scoring.packets import export_packet, open_packet, return_sheet
    from review_tui.engine.scoring.scores import ScoreSheet
    from review_tui.engine.sealing.seal import seal
    from tests.engine.seal_fixtures import PASSPHRASE, build_committee, score_everything

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reviewer = sorted(deal(workspace, seed=3).queues)[0]
    export_packet(workspace, reviewer, tmp_path / "packet.json")
    score_everything(workspace)
    commit(workspace)
    roles = {r["action"]: r["role"] for r in workspace.audit.records()}
    assert roles["import"] == roles["seal"] == roles["deal"] == "secretariat"
    assert roles["commit"] == roles["tally"] == roles["packet.export"] == "chair"
    submits = {r["details"]["reviewer"]: r["role"] for r in workspace.audit.records()
               if r["action"] == "sheet.submit"}
    assert submits and all(role == f"reviewer:{who}" for who, role in submits.items())
    laptop = open_packet(tmp_path / "packet.json", tmp_path / "laptop")
    ScoreSheet(laptop, reviewer).submit(allow_incomplete=True)
    return_sheet(laptop, tmp_path / "sheet.json")
    assert {r["role"] for r in laptop.audit.records()} == {f"reviewer:{reviewer}"}
    assert laptop.audit.verify().ok and workspace.audit.verify().ok
