"""The export's letters and score sheets written by a second process beside the step: the
same files as one process writes, a failure there raised here with nothing exported, and
a kill of the step stopping the second process too (the next command cleans up)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import letters, run_export
from review_tui.engine.storage import side_process
from review_tui.engine.workspace import Workspace
from tests.credentials import credential_file, sign_in_roles

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or (os.cpu_count() or 1) < 2,
                                reason="no fork or one processor: files are written in one")


@pytest.fixture(autouse=True)
def _room_to_fork(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the second process: a test process holding more than a step
    may fork with (pytest, after many tests) must not keep it from forking."""
    monkeypatch.setattr(side_process, "MAX_HELD_MB", 1 << 20)


def _copy(unsealed: Workspace, tmp_path: Path) -> Workspace:
    return sign_in_roles(Workspace(shutil.copytree(unsealed.root, tmp_path / "ws")))


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every export forks (the demo has 17 sheets and letters); the children's pids."""
    if threading.active_count() > 1:
        pytest.skip("another test left a thread running: this process would not fork")
    monkeypatch.setattr(side_process, "MIN_JOBS", 1)
    children: list[int] = []
    fork = os.fork

    def watched() -> int:
        pid = fork()
        if pid:
            children.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", watched)
    return children


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_files_written_beside_are_the_files_one_process_writes(unsealed, tmp_path,
                                                              monkeypatch):
    alone = run_export(_copy(unsealed, tmp_path / "a"), tmp_path / "alone", convert=False)
    children = _forks(monkeypatch)
    beside = run_export(_copy(unsealed, tmp_path / "b"), tmp_path / "beside", convert=False)
    assert len(children) == 1
    assert sorted(p.name for p in beside.files) == sorted(p.name for p in alone.files)
    assert _files(beside.folder) == _files(alone.folder)  # byte for byte
    assert any(name.startswith("函稿") for name in _files(beside.folder))


def test_a_full_disk_in_the_second_process_is_said_here_and_nothing_is_exported(
        unsealed, tmp_path, monkeypatch):
    workspace = _copy(unsealed, tmp_path)
    children = _forks(monkeypatch)
    written = letters.letter
    calls = [0]

    def third_fails(*args, **kwargs):
        calls[0] += 1
        if calls[0] == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return written(*args, **kwargs)

    monkeypatch.setattr(letters, "letter", third_fails)
    records = len(workspace.audit.records())
    with pytest.raises(ReviewError) as refused:
        run_export(workspace, tmp_path / "out", convert=False)
    assert children and refused.value.key == "store.unwritable"
    assert refused.value.params["reason"] == os.strerror(errno.ENOSPC)
    assert not [p for p in (tmp_path / "out").rglob("*") if p.is_file()]
    assert len(workspace.audit.records()) == records  # no export logged


def test_a_refusal_in_the_block_stops_the_second_process():
    started = time.monotonic()
    with pytest.raises(RuntimeError), side_process.beside([lambda: time.sleep(30)] * 300):
        raise RuntimeError("the step's own part failed")
    assert time.monotonic() - started < 10  # the child was killed, not waited for


def test_what_the_second_process_raises_is_raised_as_it_was():
    def refuse() -> None:
        raise ReviewError("export.too_large", path="函稿/x.docx")

    with pytest.raises(ReviewError) as refused, side_process.beside([refuse] * 300):
        pass
    assert refused.value.key == "export.too_large"
    assert refused.value.params == {"path": "函稿/x.docx"}


KILLED_EXPORT = """
import sys, time
from pathlib import Path
from review_tui.engine.storage import side_process
from review_tui.engine.exports import letters
side_process.MIN_JOBS = 1
written = letters.letter
def slow(*args, **kwargs):
    time.sleep(0.5)
    return written(*args, **kwargs)
letters.letter = slow
from review_tui.cli import run
sys.exit(run(sys.argv[1:]))
"""


def _state(pid: int) -> str | None:
    """A process's state letter (Z: ended, not yet reaped); None when it has gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="no /proc to find children")
def test_a_killed_export_stops_its_second_process_and_the_next_command_cleans_up(
        unsealed, tmp_path):
    workspace = _copy(unsealed, tmp_path)
    out = tmp_path / "out"
    records = len(workspace.audit.records())
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXPORT, "export", "--no-convert", "--out", str(out),
         "--workspace", str(workspace.root),
         "--credential-file", str(credential_file(tmp_path, "chair"))],
        stderr=subprocess.PIPE)
    children: list[int] = []
    deadline = time.monotonic() + 60
    while not children and time.monotonic() < deadline:  # the letters' writer has started
        found = Path(f"/proc/{process.pid}/task/{process.pid}/children")
        children = [int(pid) for pid in found.read_text().split()] if found.exists() else []
        time.sleep(0.05)
    assert children, "the export did not fork"
    process.send_signal(signal.SIGKILL)
    process.wait()
    deadline = time.monotonic() + 10
    while _state(children[0]) not in (None, "Z") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _state(children[0]) in (None, "Z"), "the second process went on writing"
    from tests.cli.test_cli import cli

    code, _, err = cli("status", "--workspace", workspace.root)  # the next command
    assert code == 0, err
    assert not [p for p in out.rglob("*") if p.is_file()] if out.exists() else True
    reread = Workspace(workspace.root)
    assert len(reread.audit.records()) == records
    assert reread.audit.verify().bad_line is None


def test_every_job_is_done_once_the_block_ends_by_one_process_or_the_other(tmp_path):
    """The child writes from the first job, the step from the last once its own part is
    done; where they meet nothing is left out."""
    import functools

    def write(number: int) -> None:
        (tmp_path / f"{number}.txt").write_text(f"{number} {os.getpid()}\n", encoding="utf-8")

    jobs = [functools.partial(write, number) for number in range(400)]
    with side_process.beside(jobs):
        time.sleep(0.05)  # the step's own part
    assert sorted(int(p.stem) for p in tmp_path.glob("*.txt")) == list(range(400))
    assert all(p.read_text(encoding="utf-8").startswith(f"{p.stem} ")
               for p in tmp_path.glob("*.txt"))


def test_an_answer_computed_beside_is_the_childs_and_its_refusal_is_raised_here(
        monkeypatch):
    """The commit's audit check: computed in a second process while the tally runs."""
    children = _forks(monkeypatch)
    with side_process.computed_beside(lambda: (os.getpid(), {"lines": 4009})) as answer:
        here = os.getpid()
    pid, value = answer()
    assert value == {"lines": 4009} and pid != here and children == [pid]
    assert answer() == (pid, value)  # asked again: the same answer, no second wait

    def refuse() -> None:
        raise ReviewError("audit.bad", line=7, problem="hash")

    with side_process.computed_beside(refuse) as refused:
        pass
    with pytest.raises(ReviewError) as raised:
        refused()
    assert raised.value.key == "audit.bad" and raised.value.params == {"line": 7,
                                                                       "problem": "hash"}
    assert all(_state(child) is None for child in children)  # each one waited for


def test_an_answer_is_computed_here_while_another_thread_runs(monkeypatch):
    """The app runs steps in worker threads: there it never forks."""
    forked: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or 0)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        with side_process.computed_beside(os.getpid) as answer:
            pass
        assert answer() == os.getpid() and not forked
    finally:
        stop.set()
        worker.join()


def test_a_failure_in_the_block_stops_the_answers_process(monkeypatch):
    children = _forks(monkeypatch)
    started = time.monotonic()
    with pytest.raises(RuntimeError), side_process.computed_beside(lambda: time.sleep(30)):
        raise RuntimeError("the quorum is not there")
    assert time.monotonic() - started < 10 and len(children) == 1
    assert _state(children[0]) is None  # killed and reaped, not left behind


def test_a_process_holding_much_works_alone(monkeypatch, tmp_path):
    """An export at conference scale: two processes would hold nearly twice what this
    one does, so the files are written here, each once, and nothing is forked."""
    forked: list[int] = []
    monkeypatch.setattr(os, "fork", lambda: forked.append(1) or 0)
    monkeypatch.setattr(side_process, "MAX_HELD_MB", 0)
    written: list[int] = []
    with side_process.beside([lambda n=n: written.append((n, os.getpid())) for n in
                              range(side_process.MIN_JOBS)]):
        pass
    assert sorted(written) == [(n, os.getpid()) for n in range(side_process.MIN_JOBS)]
    with side_process.computed_beside(os.getpid) as answer:
        pass
    assert answer() == os.getpid() and not forked
