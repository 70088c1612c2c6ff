"""The step journal on its own: read your writes, all or nothing, recovery both ways."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from review_tui.engine.errors import ConfigError, StoreError
from review_tui.engine.storage.atomic import write_bytes_atomic
from review_tui.engine.storage.journal import JOURNAL_FILE, current_step, recover, step
from review_tui.engine.workspace import Workspace, init_workspace
from tests.engine.seal_fixtures import tree_digest


@pytest.fixture()
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", "coach", year=2026)


def test_a_step_reads_its_own_writes_and_nothing_lands_before_the_end(workspace, tmp_path):
    outside = tmp_path / "out" / "file.txt"
    with step(workspace.root, "test"):
        with workspace.store.write("things") as db:
            db.replace_all("_default", [{"n": 1}])
        assert workspace.store.table_rows("things") == [{"n": 1}]
        assert not workspace.store.path("things").exists()
        record = workspace.audit.append("test.thing", {"n": 1})
        assert workspace.audit.records()[-1] == record
        write_bytes_atomic(outside, b"out")
        assert not outside.exists()
    assert workspace.store.table_rows("things") == [{"n": 1}]
    assert outside.read_bytes() == b"out"
    assert workspace.audit.records()[-1] == record and workspace.audit.verify().ok
    assert not (workspace.root / JOURNAL_FILE).exists()


def test_an_error_inside_a_step_leaves_every_file_as_it_was(workspace, tmp_path):
    before = tree_digest(workspace.root)
    with pytest.raises(RuntimeError), step(workspace.root, "test"):
        with workspace.store.write("things") as db:
            db.replace_all("_default", [{"n": 1}])
        workspace.audit.append("test.thing")
        write_bytes_atomic(workspace.root / "new" / "deep" / "file.bin", b"x")
        write_bytes_atomic(tmp_path / "out" / "file.txt", b"out")
        raise RuntimeError("refused")
    assert tree_digest(workspace.root) == before
    assert not (workspace.root / "new").exists() and not (tmp_path / "out").exists()


def test_nested_steps_join_the_outer_one(workspace):
    with step(workspace.root, "outer") as outer, step(workspace.root, "inner") as inner:
        assert inner is outer and current_step(workspace.root) is outer
    assert current_step() is None


def test_a_committed_journal_is_applied_by_the_next_command(workspace, tmp_path):
    """As if killed right after the commit point: temps and journal on disk, nothing moved."""
    temp = workspace.root / ".things.json.tmp-abcd1234-000000"
    temp.write_text('{"_default":{"1":{"n":1}}}', encoding="utf-8")
    doomed = workspace.root / "plaintext.txt"
    doomed.write_text("名字", encoding="utf-8")
    head, seq = workspace.audit.verify().head, workspace.audit.verify().lines
    from review_tui.engine.storage.audit import record_hash

    record = {"seq": seq + 1, "ts": "2026-11-30T00:00:00+00:00", "actor": "t",
              "action": "test.thing", "details": {}, "prev": head}
    record["hash"] = record_hash(record)
    journal = {"step": "test", "id": "abcd1234", "state": "commit", "folders": [],
               "scratch": [], "provisional": [], "made_dirs": [], "prunes": [],
               "renames": [[str(temp), str(workspace.root / "things.json")]],
               "audit": [record], "removals": [str(doomed)]}
    (workspace.root / JOURNAL_FILE).write_text(json.dumps(journal), encoding="utf-8")
    assert recover(workspace.root) == "forward"
    assert workspace.store.table_rows("things") == [{"n": 1}] and not doomed.exists()
    assert workspace.audit.records()[-1]["action"] == "test.thing"
    assert workspace.audit.verify().ok and not (workspace.root / JOURNAL_FILE).exists()
    assert recover(workspace.root) is None  # nothing left to do


def test_an_open_journal_is_undone_outside_the_workspace_too(workspace, tmp_path):
    """As if killed before the commit point, with temps beside an export folder."""
    out = tmp_path / "out"
    out.mkdir()
    (out / ".report.docx.tmp-abcd1234-000000").write_bytes(b"half")
    (out / ".scratch.tmp-abcd1234-111111").mkdir()
    (workspace.root / ".entries.json.tmp-abcd1234-222222").write_bytes(b"half")
    journal = {"step": "export", "id": "abcd1234", "state": "open", "folders": [str(out)],
               "scratch": [str(out / ".scratch.tmp-abcd1234-111111")], "provisional": [],
               "made_dirs": [], "renames": [], "audit": [], "removals": [], "prunes": []}
    (workspace.root / JOURNAL_FILE).write_text(json.dumps(journal), encoding="utf-8")
    assert recover(workspace.root) == "back"
    assert list(out.iterdir()) == []
    assert not list(workspace.root.glob(".*.tmp-*"))


def test_a_torn_journal_was_never_written(workspace):
    (workspace.root / JOURNAL_FILE).write_text('{"step": "te', encoding="utf-8")
    before = workspace.audit.verify()
    recover(workspace.root)
    assert not (workspace.root / JOURNAL_FILE).exists() and workspace.audit.verify() == before


def test_a_second_thread_waits_for_the_step_of_the_first(workspace):
    order = []
    entered = threading.Event()

    def first() -> None:
        with step(workspace.root, "first"):
            entered.set()
            order.append("first in")
            threading.Event().wait(0.3)
            order.append("first out")

    thread = threading.Thread(target=first)
    thread.start()
    entered.wait()
    with step(workspace.root, "second"):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]


def test_a_step_on_a_folder_that_is_not_there_makes_nothing(tmp_path):
    with pytest.raises(ConfigError), step(tmp_path / "nowhere", "test"):
        pass
    assert not (tmp_path / "nowhere").exists()


def test_a_disk_error_is_one_message_naming_the_file(workspace, monkeypatch):
    import errno
    import os

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    before = tree_digest(workspace.root)
    monkeypatch.setattr("review_tui.engine.storage.atomic.os.fsync", full)
    with pytest.raises(StoreError) as error, step(workspace.root, "test"):
        with workspace.store.write("things") as db:
            db.replace_all("_default", [{"n": 1}])
        workspace.audit.append("test.thing")
    assert error.value.key == "store.unwritable"
    assert error.value.params["reason"] == os.strerror(errno.ENOSPC)
    monkeypatch.undo()
    assert tree_digest(workspace.root) == before
