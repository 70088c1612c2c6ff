"""The store: atomic transactions, clear errors for damaged files, and crash safety."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review_tui.engine.errors import StoreError
from review_tui.engine.storage.store import Store

WRITER = """
import sys
from review_tui.engine.storage.store import Store
store = Store(sys.argv[1])
n = 0
payload = "評審" * 2000
while True:
    n += 1
    with store.write("counter") as db:
        db.replace_all("_default", [{"n": n, "payload": payload, "check": n * 7}])
    print(n, flush=True)
"""


def test_a_transaction_commits_atomically_and_reads_back(tmp_path):
    store = Store(tmp_path)
    with store.write("things") as db:
        db.upsert_many("_default", [{"id": "a", "v": 1}, {"id": "b", "v": 2}], key="id")
    with store.write("things") as db:
        db.upsert_many("_default", [{"id": "b", "v": 3}, {"id": "c", "v": 4}], key="id")
    assert store.table_rows("things") == [{"id": "a", "v": 1}, {"id": "b", "v": 3},
                                          {"id": "c", "v": 4}]


def test_replacing_a_table_keeps_the_others_and_numbers_rows_afresh(tmp_path):
    store = Store(tmp_path)
    with store.write("things") as db:
        db.upsert_many("_default", [{"id": "a"}, {"id": "b"}, {"id": "c"}], key="id")
        db.replace_all("other", [{"x": 1}])
    with store.write("things") as db:
        db.replace_all("_default", [{"id": "z"}])
        db.upsert_many("_default", [{"id": "y"}], key="id")  # numbered after the new rows
    on_disk = json.loads(store.path("things").read_text(encoding="utf-8"))
    assert on_disk == {"_default": {"1": {"id": "z"}, "2": {"id": "y"}},
                       "other": {"1": {"x": 1}}}


def test_upserting_replaces_in_place_and_numbers_new_rows_after_the_highest(tmp_path):
    store = Store(tmp_path)
    with store.write("things") as db:
        db.upsert_many("_default", [{"id": "a", "v": 1}, {"id": "b", "v": 2}], key="id")
        db.replace_all("other", [{"x": 1}])
    with store.write("things") as db:
        db.upsert_many("_default", [{"id": "c", "v": 3}, {"id": "a", "v": 9}], key="id")
        db.upsert("_default", {"id": "d", "v": 4}, key="id")  # TinyDB's own insert after ours
    on_disk = json.loads(store.path("things").read_text(encoding="utf-8"))
    assert on_disk["_default"] == {"1": {"id": "a", "v": 9}, "2": {"id": "b", "v": 2},
                                   "3": {"id": "c", "v": 3}, "4": {"id": "d", "v": 4}}
    assert on_disk["other"] == {"1": {"x": 1}}


def test_an_exception_inside_a_transaction_writes_nothing(tmp_path):
    store = Store(tmp_path)
    with store.write("things") as db:
        db.replace_all("_default", [{"v": 1}])
    before = store.path("things").read_bytes()
    with pytest.raises(RuntimeError), store.write("things") as db:
        db.replace_all("_default", [{"v": 2}])
        raise RuntimeError("stop")
    assert store.path("things").read_bytes() == before


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe garbage", b"[1, 2]",
                                     b'{"_default": 5}'])
def test_a_damaged_file_is_named_in_a_clear_error(tmp_path, content):
    store = Store(tmp_path)
    store.path("entries").write_bytes(content)
    with pytest.raises(StoreError) as error:
        store.table_rows("entries")
    assert error.value.key == "store.corrupt"
    assert error.value.params["path"].endswith("entries.json")


def test_leftover_temp_files_are_cleaned_by_the_next_writer(tmp_path):
    store = Store(tmp_path)
    leftover = tmp_path / ".things.json.tmp-999-abcd"
    leftover.write_text("half")
    with store.write("things") as db:
        db.replace_all("_default", [{"v": 1}])
    assert not leftover.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_writer_killed_mid_write_never_leaves_a_torn_file(tmp_path):
    """Kill a writing process at random moments; the store must always open whole."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    last_seen = 0
    for attempt in range(12):
        process = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                                   stdout=subprocess.PIPE, env=env)
        assert process.stdout is not None
        process.stdout.readline()  # at least one write completed
        time.sleep(0.01 * (attempt % 5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        rows = Store(tmp_path).table_rows("counter")
        assert len(rows) == 1
        assert rows[0]["check"] == rows[0]["n"] * 7
        assert rows[0]["n"] >= 1
        last_seen = rows[0]["n"]
        json.loads((tmp_path / "counter.json").read_text(encoding="utf-8"))
    assert last_seen >= 1


def test_the_fingerprint_changes_when_a_store_file_is_written(tmp_path):
    store = Store(tmp_path)
    empty = store.fingerprint("scores")
    with store.write("scores/J01") as db:
        db.upsert("sheet", {"reviewer": "J01", "status": "draft"}, key="reviewer")
    once = store.fingerprint("scores")
    assert once != empty and store.fingerprint("scores") == once
    with store.write("state") as db:
        db.upsert("steps", {"step": "sealed"}, key="step")
    assert store.fingerprint("scores") != once


def _sheet(store: Store, name: str, value: int) -> None:
    with store.write(name) as db:
        db.replace_all("_default", [{"code": "A", "v": value}])


def test_a_file_read_ahead_is_taken_once_by_the_next_read(tmp_path):
    """Store.read_ahead: what a command reads first, parsed beside its sign-in."""
    from review_tui.engine.storage import store as store_module

    store = Store(tmp_path)
    _sheet(store, "scores/J01", 1)
    _sheet(store, "scores/J02", 2)
    assert store.names_in("scores") == ["scores/J01", "scores/J02"]
    assert store.read_ahead(store.names_in("scores")) == 2
    assert store.table_rows("scores/J01") == [{"code": "A", "v": 1}]
    assert store.path("scores/J01") not in store_module._AHEAD  # taken, not kept
    rows = store.table_rows("scores/J01")  # the next read parses the file again
    rows[0]["v"] = 99  # a reader's copy: changing it changes nothing stored
    assert store.table_rows("scores/J01") == [{"code": "A", "v": 1}]
    store_module.forget_read_ahead()
    assert not store_module._AHEAD


@pytest.mark.parametrize("how", ["written", "edited in place"])
def test_a_file_changed_after_it_was_read_ahead_is_read_again(tmp_path, how):
    store = Store(tmp_path)
    _sheet(store, "scores/J01", 1)
    store.read_ahead(["scores/J01"])
    time.sleep(0.01)  # a later modification time, whatever the file system's resolution
    if how == "written":
        _sheet(store, "scores/J01", 2)
    else:  # the same file (inode), rewritten by hand: its size and change time move
        store.path("scores/J01").write_text(
            json.dumps({"_default": {"1": {"code": "A", "v": 22}}}), encoding="utf-8")
    assert store.table_rows("scores/J01")[0]["v"] == (2 if how == "written" else 22)


def test_a_damaged_or_missing_file_is_left_to_the_read_that_says_why(tmp_path):
    store = Store(tmp_path)
    store.path("entries").write_bytes(b"{not json")
    assert store.read_ahead(["entries", "absent", "scores/J09"]) == 0
    with pytest.raises(StoreError) as error:
        store.table_rows("entries")
    assert error.value.key == "store.corrupt"
    assert store.names_in("no-such-folder") == []
