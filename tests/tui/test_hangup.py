"""An app whose terminal is gone quits instead of spinning a processor (Textual's input
thread loops at 100% on a terminal at its end when no SIGHUP comes)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review_tui.demo import build_demo
from review_tui.tui.hangup import terminal_gone

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty") or not hasattr(select, "poll"),
                                reason="needs pseudo-terminals and poll (POSIX)")


def test_a_terminal_is_gone_once_its_other_end_is_closed():
    master, slave = os.openpty()
    try:
        assert not terminal_gone(slave)
        os.close(master)
        assert terminal_gone(slave)
    finally:
        os.close(slave)


def test_a_descriptor_no_longer_open_is_gone_and_nothing_raises():
    master, slave = os.openpty()
    os.close(master)
    os.close(slave)
    assert terminal_gone(slave)  # poll answers POLLNVAL


def _read_until(master: int, marker: bytes, seconds: float) -> bytes:
    seen, deadline = b"", time.monotonic() + seconds
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            seen += os.read(master, 1 << 16)
    return seen


def test_the_app_quits_when_its_terminal_goes_away_without_a_hangup_signal(tmp_path: Path):
    """Run as a user runs it, on a pseudo-terminal that is not its controlling one (so no
    SIGHUP comes when it closes), then close the terminal: the app ends by itself within
    a few seconds, without a crash log, having used little processor time meanwhile."""
    root = tmp_path / "ws"
    build_demo(root, year=2026)
    master, slave = os.openpty()
    env = dict(os.environ, TERM="xterm-256color", REVIEW_TUI_LANG="en", HOME=str(tmp_path),
               TMPDIR=str(tmp_path))  # where a crash log would be written
    app = subprocess.Popen([sys.executable, "-m", "review_tui", "tui", "--workspace",
                            str(root)], stdin=slave, stdout=slave, stderr=slave, env=env,
                           start_new_session=True, close_fds=True, cwd=tmp_path)
    os.close(slave)
    try:
        assert b"review" in _read_until(master, b"review", 60).lower()
        os.close(master)
        closed = time.monotonic()
        code = app.wait(timeout=30)
        assert time.monotonic() - closed < 15
        assert code == 0
        assert not list(tmp_path.glob("review-tui-crash-*"))
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
