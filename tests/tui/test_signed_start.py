"""The app opened signed in (``review-tui --as chair --credential-file F``), as a kiosk or a
script opens it: its key is derived while its modules load (review_tui/__main__.py), and
the credential is checked all the same. Run as a user runs it, on a pseudo-terminal."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from pathlib import Path

import pytest

from review_tui.demo import build_demo
from review_tui.engine.access.credentials import sign_out
from review_tui.engine.workspace import Workspace
from tests.credentials import CREDENTIALS, sign_in_roles
from tests.tui.test_hangup import _read_until

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty") or not hasattr(select, "poll"),
                                reason="needs pseudo-terminals and poll (POSIX)")


def _open(root: Path, credential: str, tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    file = tmp_path / "chair.txt"
    file.write_text(credential + "\n", encoding="utf-8")
    master, slave = os.openpty()
    env = dict(os.environ, TERM="xterm-256color", REVIEW_TUI_LANG="en", HOME=str(tmp_path))
    app = subprocess.Popen([sys.executable, "-m", "review_tui", "--as", "chair", "--workspace",
                            str(root), "--credential-file", str(file)], stdin=slave,
                           stdout=slave, stderr=slave, env=env, start_new_session=True,
                           close_fds=True, cwd=tmp_path)
    os.close(slave)
    return app, master


@pytest.mark.parametrize("credential, shown, code", [
    (CREDENTIALS["chair"], b"Scoring progress", None),  # the chair's screen opens
    (CREDENTIALS["secretariat"], b"Wrong credential", 1),  # refused before the app opens
])
def test_the_app_opened_signed_in_checks_the_credential_its_key_came_from(
        tmp_path, credential, shown, code):
    root = tmp_path / "ws"
    build_demo(root, year=2026)
    sign_out(sign_in_roles(Workspace(root)))  # the demo's credentials, kept, none held
    app, master = _open(root, credential, tmp_path)
    try:
        assert shown in _read_until(master, shown, 60)
        if code is not None:
            assert app.wait(timeout=30) == code
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        os.close(master)
    failed = [line for line in (root / "audit.jsonl").read_text(encoding="utf-8").splitlines()
              if '"attempt.failed"' in line]
    assert len(failed) == (1 if code else 0)
