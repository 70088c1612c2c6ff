"""Every CLI step as the user runs it: ``review-tui STEP`` as a process on a committee of
``size`` entries (.txt reading reports of 1,000–1,400 characters, one reviewer per ten
entries, each with an agency, 3 reviews an entry, every sheet filled in), its wall time
and the peak memory of its process tree, beside its floor run the same way with the same
credential (:mod:`.floors`).

Each repeat runs on a fresh copy of the workspace as the step found it (copying is not
timed), the step and its floor in turn; the step's first copy goes on to the next step.
"""

from __future__ import annotations

import csv
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from review_tui.engine.access.credentials import DEMO_CREDENTIALS, set_credential
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.paper import criterion_columns
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.workspace import Workspace, init_workspace

from .exports import run_process

PASSPHRASE = "correct horse battery staple 2026"
SURNAMES = "王李張劉陳楊黃趙吳周"
REVIEWS = 3


@dataclass(frozen=True)
class StepResult:
    step: str
    size: int
    seconds: float  # median
    peak_mb: float  # the largest of the repeats
    floor: float  # median
    floor_peak_mb: float
    ratio: float  # the median of each run's time over its floor's, run right after it


def reviewers(size: int) -> int:
    return max(7, size // 10)


def _cli(step: list[str], workspace: Path, credential: Path | None) -> list[str]:
    return [sys.executable, "-m", "review_tui", *step, "--workspace", str(workspace),
            *(["--credential-file", str(credential)] if credential else [])]


def _floor(name: str, workspace: Path, out: Path, source: Path | None,
           credential: Path | None) -> list[str]:
    """The floor of step ``name``, given the credential the step is run with."""
    return [sys.executable, "-m", "benchmarks.floors", name, str(workspace), str(out),
            *([str(source)] if source else []),
            *(["--credential-file", str(credential)] if credential else [])]


def _run_once(arguments: Callable[[Path, Path], list[str]], before: Path, root: Path,
              number: int, keep: Path | None) -> tuple[float, float]:
    """Seconds and peak MB of ``arguments(workspace, scratch)`` on a fresh copy of
    ``before``; with ``keep``, the copy (and what it wrote beside it) is moved there."""
    workspace, scratch = root / f"run-{number}", root / f"scratch-{number}"
    shutil.rmtree(workspace, ignore_errors=True)
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(before, workspace)
    os.sync()  # the copy's pages on disk: the step's own fsyncs must not write them back
    seconds, peak = run_process(arguments(workspace, scratch))
    if keep is not None:
        shutil.rmtree(keep, ignore_errors=True)
        workspace.rename(keep)
        if scratch.exists():
            shutil.rmtree(keep.with_name(keep.name + "-out"), ignore_errors=True)
            scratch.rename(keep.with_name(keep.name + "-out"))
    else:
        shutil.rmtree(workspace, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    return seconds, peak


def _measure_beside(step: Callable[[Path, Path], list[str]],
                    floor: Callable[[Path, Path], list[str]], before: Path,
                    floor_before: Path, root: Path, repeats: int,
                    keep: Path) -> tuple[float, float, float, float, float]:
    """Median seconds and largest peak MB of the step and of its floor, run in turn
    (step, floor, step, floor …) so that a machine slowing down for a minute slows both:
    on this shared machine the two, run one after the other, moved apart by a third. The
    ratio is the median of each pair's (a floor's fsyncs took 1.9 s in one run, 4.7 s in
    another of the same files). The step's first copy is moved to ``keep``; the floor
    runs on copies of ``floor_before`` (for the seal's and the export's, ``keep``: what
    the step wrote)."""
    times, peaks, floor_times, floor_peaks = [], [], [], []
    for number in range(repeats):
        seconds, peak = _run_once(step, before, root / "runs", number,
                                  keep if number == 0 else None)
        times.append(seconds)
        peaks.append(peak)
        seconds, peak = _run_once(floor, floor_before, root / "floors", number, None)
        floor_times.append(seconds)
        floor_peaks.append(peak)
    ratio = statistics.median(t / f for t, f in zip(times, floor_times, strict=True))
    return (statistics.median(times), max(peaks), statistics.median(floor_times),
            max(floor_peaks), ratio)


def write_sheets(workspace: Workspace, folder: Path, seed: int = 7) -> None:
    """One filled paper sheet per dealt reviewer (reviewers within 2 points of each
    other: no discrepancy)."""
    folder.mkdir(parents=True, exist_ok=True)
    columns = criterion_columns(workspace.config)
    rng, base = random.Random(seed), {}
    for reviewer in sorted(load_deal(workspace).queues):
        sheet = ScoreSheet(workspace, reviewer)
        with open(folder / f"{reviewer}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["reviewer", "code", *columns, "comment"])
            for item in sheet.queue:
                own = {c.id: c.points for c in sheet.criteria[item.track]}
                for c in own:
                    base.setdefault((item.code, c), rng.randint(own[c] * 6 // 10, own[c] - 2))
                writer.writerow([reviewer, item.code, *[
                    str(base[item.code, c] + rng.randint(0, 2)) if c in own else "-"
                    for c in columns], ""])


def draw_pending_ties(workspace: Path, chair: Path) -> int:
    """Draw every tie that decides an award, as the chair would (fixed seeds); returns how
    many were drawn (drawing one may leave another deciding)."""
    drawn = 0
    for _ in range(20):
        done = subprocess.run(_cli(["tally", "--json"], workspace, chair), check=True,
                              capture_output=True, text=True)
        pending = [p for p in json.loads(done.stdout)["problems"]
                   if p["problem"] == "tie_pending"]
        if not pending:
            return drawn
        for problem in pending[:1]:
            subprocess.run(_cli(["tally", "draw", "--track", problem["track"], "--seed",
                                 str(drawn + 1), *problem["codes"]], workspace, chair),
                           check=True, capture_output=True)
            drawn += 1
    return drawn


def bench_steps(size: int, repeats: int, root: Path, keep_steps: bool = False
                ) -> list[StepResult]:
    """Every step from import to export on a committee of ``size`` entries; with
    ``keep_steps`` each step's workspace stays (``root/step-N``) for profiling."""
    from . import __main__ as harness

    root.mkdir(parents=True, exist_ok=True)
    manifest = harness.make_intake(root / "intake", size)
    start = root / "step-0"
    workspace = init_workspace(start, "coach", year=2026)
    credentials = {}
    for role, credential in DEMO_CREDENTIALS.items():
        set_credential(workspace, role, credential)
        credentials[role] = root / f"{role}.txt"
        credentials[role].write_text(credential + "\n", encoding="utf-8")
    roster = root / "reviewers.csv"
    roster.write_text("id,name,agency,external\n" + "".join(  # half outside scholars
        f"J{i:04d},{SURNAMES[i % len(SURNAMES)]}委員{i},{harness.agency_name(i * 7)},"
        f"{'是' if i % 2 else '否'}\n" for i in range(reviewers(size))), encoding="utf-8")
    passphrase = root / "passphrase.txt"
    passphrase.write_text(PASSPHRASE + "\n", encoding="utf-8")
    sheets = root / "sheets"
    secretariat, chair = credentials["secretariat"], credentials["chair"]
    steps: list[tuple[str, Callable[[Path, Path], list[str]],
                      Callable[[Path, Path], list[str]]]] = [
        ("import", lambda w, s: _cli(["import", str(manifest)], w, secretariat),
         lambda w, s: _floor("import", w, s, manifest, secretariat)),
        ("check", lambda w, s: _cli(["check"], w, secretariat),
         lambda w, s: _floor("check", w, s, None, secretariat)),
        ("seal", lambda w, s: _cli(["seal", "--passphrase-file", str(passphrase)], w,
                                   secretariat),
         lambda w, s: _floor("seal", w, s, w, secretariat)),  # w: a copy of the sealed workspace
        ("deal", lambda w, s: _cli(["deal", "--seed", "1", "--per-entry", str(REVIEWS)], w,
                                   secretariat),
         lambda w, s: _floor("deal", w, s, None, secretariat)),
        ("scores import, every sheet", lambda w, s: _cli(["scores", "import", str(sheets)], w,
                                                         secretariat),
         lambda w, s: _floor("scores", w, s, sheets, secretariat)),
        ("tally", lambda w, s: _cli(["tally"], w, chair),
         lambda w, s: _floor("tally", w, s, None, chair)),
        ("commit", lambda w, s: _cli(["commit", "--override-reason", "benchmark"], w, chair),
         lambda w, s: _floor("commit", w, s, None, chair)),
        ("unseal", lambda w, s: _cli(["unseal", "--passphrase-file", str(passphrase)], w,
                                     chair),
         lambda w, s: _floor("unseal", w, s, None, chair)),
        ("export --no-convert", lambda w, s: _cli(["export", "--no-convert", "--out", str(s)],
                                                  w, chair),
         lambda w, s: _floor("export", w, s, root / "step-9-out", chair)),  # what it wrote
    ]
    results = []
    before = start
    for number, (name, command, floor_command) in enumerate(steps, start=1):
        after = root / f"step-{number}"
        if name == "seal":  # the roster the seal checks conflicts against
            run_process(_cli(["reviewers", "import", str(roster)], before, secretariat))
        on_output = name in ("seal", "export --no-convert")  # its floor copies what it wrote
        seconds, peak, floor, floor_peak, ratio = _measure_beside(
            command, floor_command, before, after if on_output else before, root, repeats, after)
        results.append(StepResult(name, size, seconds, peak, floor, floor_peak, ratio))
        if name == "deal":
            write_sheets(Workspace(after), sheets)
        if name == "tally":  # a tie at the quota blocks the commit until the chair draws it
            draw_pending_ties(after, chair)
            members = [f"J{i:04d}" for i in range(reviewers(size))]
            run_process(_cli(["meeting", "attend", *members], after, chair))  # the quorum
        if number > 1 and not keep_steps:
            shutil.rmtree(before, ignore_errors=True)
        before = after
    return results
