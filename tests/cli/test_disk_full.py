"""Each step on a small tmpfs filled to a few levels: it either completes or says in one
line that the disk is full, and once space is freed the next command leaves the workspace
as it was or as a completed step leaves it (audit intact, no temp file).

Mounting needs root (or a user namespace); the test skips where the OS does not allow it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.test_kills import SCENARIOS
from tests.faults import ENV, LEFTOVER_MARKS, Campaign, review_tui, snapshot

LEVELS = (0, 64 * 1024, 1024 * 1024)  # bytes left free when the step starts


def _mount_problem() -> str | None:
    if shutil.which("mount") is None:
        return "no mount command"
    with tempfile.TemporaryDirectory() as folder:
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", folder],
                              capture_output=True, check=False)
        if done.returncode != 0:
            return "this OS does not let the tests mount a tmpfs (needs root)"
        subprocess.run(["umount", folder], check=False)
    return None


pytestmark = pytest.mark.skipif(_mount_problem() is not None, reason=_mount_problem() or "")


@contextlib.contextmanager
def small_disk(size: int) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", folder],
                       check=True)
        try:
            yield Path(folder)
        finally:
            subprocess.run(["umount", "-l", folder], check=False)


def _fill(disk: Path, leave: int) -> Path:
    """A filler file that leaves about ``leave`` bytes free on ``disk``."""
    stats = os.statvfs(disk)
    free = stats.f_bavail * stats.f_frsize
    filler = disk / "filler.bin"
    with open(filler, "wb") as handle:
        remaining = max(0, free - leave)
        while remaining > 0:
            remaining -= handle.write(b"\0" * min(remaining, 1 << 20))
    return filler


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.name)
def test_a_full_disk_stops_a_step_in_one_line_and_loses_nothing(scenario, tmp_path):
    campaign = Campaign(scenario, tmp_path, trace=False)
    said = []
    for level in LEVELS:
        with small_disk(_size(campaign.pristine) * 2 + (8 << 20)) as disk:
            folder = disk / "trial"
            shutil.copytree(campaign.pristine, folder, symlinks=True)
            filler = _fill(disk, level)
            done = subprocess.run(scenario.command(folder), cwd=folder, env=ENV,
                                  capture_output=True, text=True, check=False)
            message = done.stderr.strip()
            assert done.returncode in (0, 1), message
            if done.returncode == 1:
                assert len(message.splitlines()) == 1 and "unexpected" not in message, message
                said.append(message)
            filler.unlink()
            subprocess.run(review_tui("status", "--workspace", folder / "ws"), env=ENV,
                           capture_output=True, check=False)  # the next command
            verify = subprocess.run(review_tui("audit", "verify", "--workspace",
                                               folder / "ws"), env=ENV, capture_output=True,
                                    text=True, check=False)
            assert verify.returncode == 0, verify.stderr
            assert not [p for p in disk.rglob("*")
                        if any(mark in p.name for mark in LEFTOVER_MARKS)]
            if done.returncode == 0 or snapshot(folder / "ws") != campaign.before_ws:
                assert campaign.names(folder) == campaign.reference.files, level
    assert said, "no level was tight enough to stop the step"
    assert all("No space left on device" in m for m in said), said
