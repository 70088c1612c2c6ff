"""The export as the user runs it: ``review-tui export`` as a process, timed with the peak
memory of its process tree.

- 20,000 entries (three reviews each, every score in), ``--no-convert``: every document.
- The 45-entry demo with ODF and PDF (where LibreOffice is installed).
"""

from __future__ import annotations

import csv
import random
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from review_tui.engine.decisions.commit import commit
from review_tui.engine.intake.roster import load_reviewers
from review_tui.engine.meeting.attendance import record_attendance
from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.paper import criterion_columns, import_paper_sheet
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.unseal import unseal
from review_tui.engine.workspace import Workspace

PASSPHRASE = "correct horse battery staple 2026"


def with_credentials(workspace: Workspace) -> Path:
    """The demo credentials set (where none is) and signed in, as the chair and the
    secretariat do; returns a file holding the chair's, for the export's process."""
    from review_tui.engine.access.credentials import (
        DEMO_CREDENTIALS,
        is_set,
        set_credential,
        sign_in,
    )

    for role, credential in DEMO_CREDENTIALS.items():
        if not is_set(workspace, role):
            set_credential(workspace, role, credential)
        sign_in(workspace, role, credential)
    path = workspace.root.parent / f"{workspace.root.name}-chair.txt"
    path.write_text(DEMO_CREDENTIALS["chair"] + "\n", encoding="utf-8")
    return path


def scored_committee(imported: Path, folder: Path, per_entry: int | None) -> Path:
    """``imported`` run to the end in ``folder``: what the export of a finished committee
    reads."""
    return finish_committee(Workspace(shutil.copytree(imported, folder)), per_entry)


def finish_committee(workspace: Workspace, per_entry: int | None) -> Path:
    """Seal, deal, every sheet filled in one paper import (reviewers within 2 points of
    each other: no discrepancy), commit and unseal, signed with the demo credentials."""
    with_credentials(workspace)
    seal(workspace, passphrase=PASSPHRASE)
    queues = deal(workspace, seed=1, per_entry=per_entry).queues
    columns = criterion_columns(workspace.config)
    rng = random.Random(7)
    base: dict[tuple[str, str], int] = {}
    sheet_csv = workspace.root.parent / f"{workspace.root.name}-sheets.csv"
    with open(sheet_csv, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reviewer", "code", *columns, "comment"])
        for reviewer in sorted(queues):
            sheet = ScoreSheet(workspace, reviewer)
            for item in sheet.queue:
                own = {c.id: c.points for c in sheet.criteria[item.track]}
                for c in own:
                    base.setdefault((item.code, c), rng.randint(own[c] * 6 // 10,
                                                                own[c] - 2))
                writer.writerow([reviewer, item.code,
                                 *[str(base[item.code, c] + rng.randint(0, 2)) if c in own
                                   else "-" for c in columns], ""])
    import_paper_sheet(workspace, sheet_csv)
    record_attendance(workspace, [r["id"] for r in load_reviewers(workspace)])  # all present
    commit(workspace, override_reason="benchmark: ties at the quota are left to the meeting")
    unseal(workspace, passphrase=PASSPHRASE)
    return workspace.root


LAUNCHER = """
import os, subprocess, sys, threading, time

def tree_of(root):
    # root and every descendant of it.
    parents = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parents[int(name)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    tree, grew = {root}, True
    while grew:
        found = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= found
        grew = bool(found)
    return tree

def pss_kb(tree):
    # The proportional set sizes summed: a page two processes share (a fork's) counts
    # half in each, so the tree is not counted twice.
    total = 0
    for pid in tree:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                total += next(int(line.split()[1]) for line in handle if line.startswith("Pss:"))
        except (OSError, StopIteration, ValueError):
            pass
    return total

started = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
peak, done = [0], threading.Event()

def sample():
    while not done.wait(0.02):
        tree = tree_of(process.pid)
        if len(tree) > 1:  # one process alone: its ru_maxrss, which the kernel keeps exactly
            peak[0] = max(peak[0], pss_kb(tree))

sampler = threading.Thread(target=sample, daemon=True)
if os.path.exists("/proc/self/smaps_rollup"):
    sampler.start()
_, status, usage = os.wait4(process.pid, 0)
seconds = time.perf_counter() - started
done.set()
print(seconds, max(usage.ru_maxrss, peak[0]), os.waitstatus_to_exitcode(status))
"""


def run_process(arguments: list[str]) -> tuple[float, float]:
    """Seconds and peak resident MB of ``arguments`` run as a process tree: the most its
    processes held at once (their proportional set sizes summed, sampled every 20 ms
    while more than one runs, where Linux gives them), or the largest one alone
    (``ru_maxrss``) if that is more. The largest one alone was all it reported before,
    which left out a second process running beside the first (an export's, a commit's or
    an unseal's). Proportional sizes are read only while there are two: reading them
    walks a process's page tables under its memory lock (4.6 ms at 500 MB), and read
    every 20 ms they added 0.16 s to a 1.1 s deal on this 2-processor machine.

    Started by a small launcher process, which times it and reads its peak: a process
    forked from this one counts this one's pages in its peak (Linux records the memory a
    process had when it calls exec), so a child of the benchmark looked as large as the
    benchmark. The launcher's own few MB are what the measured process inherits."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *arguments],
                          capture_output=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode(errors="replace"))
    seconds, peak_kb, code = done.stdout.split()
    if int(code) != 0:
        raise RuntimeError(done.stderr.decode(errors="replace"))
    return float(seconds), int(peak_kb) / 1024


def bench_export(root: Path, out: Path, repeats: int, *, convert: bool) -> tuple[float, float]:
    """Median seconds and the largest peak MB of ``review-tui export`` on ``root``, as the
    chair runs it (credential from a file)."""
    credential = root.parent / f"{root.name}-chair.txt"
    times, peaks = [], []
    for number in range(repeats):
        target = out / f"run-{number}"
        seconds, peak = run_process([sys.executable, "-m", "review_tui", "export",
                                     "--workspace", str(root), "--out", str(target),
                                     "--credential-file", str(credential),
                                     *([] if convert else ["--no-convert"])])
        times.append(seconds)
        peaks.append(peak)
        shutil.rmtree(target, ignore_errors=True)
    return statistics.median(times), max(peaks)


def python_start(repeats: int) -> float:
    """The floor of any CLI step: the interpreter importing the CLI and exiting."""
    times = [run_process([sys.executable, "-c", "import review_tui.cli.main"])[0]
             for _ in range(repeats)]
    return statistics.median(times)


def demo_committee(folder: Path) -> Path:
    """The demo committee run to the end (scored, committed, unsealed)."""
    from review_tui.demo import build_demo

    build_demo(folder, year=2026)
    return finish_committee(Workspace(folder), None)


def bench_demo_export(root: Path, repeats: int) -> tuple[float, float] | None:
    """The demo's export with ODF and PDF, as the chair runs it; None without LibreOffice."""
    if shutil.which("soffice") is None:
        return None
    return bench_export(demo_committee(root / "demo"), root / "demo-out", repeats,
                        convert=True)
