"""Kill a CLI step at an exact system call (``strace -e inject=…:signal=KILL``) and check
that the next command leaves the workspace either as it was or as an unkilled run leaves
it, with the audit log agreeing and no temp file anywhere.

Used by ``tests/cli/test_kills.py`` (a sample of kill points) and by
``benchmarks/faults.py`` (every kill point, with a table of results).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.credentials import with_credential

# The calls where a kill can cut a step: every write, flush, rename, removal and mkdir.
SYSCALLS = ("write", "fsync", "rename", "unlink", "unlinkat", "rmdir", "mkdir", "ftruncate")
LEFTOVER_MARKS = (".tmp-", ".step.json", ".scratch", ".export-", ".seal-cleanup")
RANDOM_PART = re.compile(r"-[0-9a-f]{12}-")
ENV = {**os.environ, "REVIEW_TUI_READERS": "0", "PYTHONDONTWRITEBYTECODE": "1"}


def strace_problem() -> str | None:
    """Why kill injection cannot run here, or None."""
    if shutil.which("strace") is None:
        return "strace is not installed (apt-get install strace)"
    probe = subprocess.run(["strace", "-f", "-qq", "-o", os.devnull, "-e", "inject=write:"
                            "signal=KILL:when=1000", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        return f"strace cannot trace here: {probe.stderr.decode(errors='replace').strip()}"
    return None


def review_tui(*args: str | Path) -> list[str]:
    """The argv of one CLI step as a process, with the test credential its role needs."""
    return [sys.executable, "-m", "review_tui", *with_credential([str(a) for a in args])]


@dataclass
class Scenario:
    """One step to kill: ``prepare`` makes the workspace (in ``folder``/ws) before it."""

    name: str
    command: Callable[[Path], list[str]]  # folder → argv of the step
    prepare: Callable[[Path], None]
    outside: tuple[str, ...] = ()  # folders beside ws the step writes (an export's --out)


@dataclass
class Outcome:
    """What one kill left, after the next command ran."""

    scenario: str
    call: str
    occurrence: int
    state: str  # "before" (undone), "after" (finished); "skipped": not a file write
    problems: list[str] = field(default_factory=list)
    message: str = ""  # what the step said, when it was made to fail


def snapshot(folder: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder`` but lock files."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and not p.name.endswith(".lock")}


def audit_actions(ws: Path) -> list[str]:
    path = ws / "audit.jsonl"
    if not path.exists():
        return []
    return [json.loads(line)["action"] for line in path.read_text(encoding="utf-8").splitlines()]


def stage(ws: Path) -> str:
    done = subprocess.run(review_tui("status", "--json", "--workspace", ws), env=ENV,
                          capture_output=True, text=True, check=False)
    try:
        return str(json.loads(done.stdout)["stage"])
    except (ValueError, KeyError):
        return f"status failed: {done.stderr.strip()[:200]}"


def calls_of(argv: list[str], cwd: Path) -> list[tuple[str, bool]]:
    """The traced system calls of one unkilled run of the main process, in order, each
    with whether it writes to a file under ``cwd`` (not the terminal or a pipe)."""
    log = cwd / "strace.log"
    subprocess.run(["strace", "-qq", "-y", "-o", str(log), "-e",
                    "trace=" + ",".join(SYSCALLS), *argv],
                   cwd=cwd, env=ENV, capture_output=True, check=True)
    calls = []
    for line in log.read_text(errors="replace").splitlines():
        name, _, rest = line.partition("(")
        if name.strip() in SYSCALLS:
            calls.append((name.strip(), f"<{cwd.resolve()}" in rest.split(",", 1)[0]))
    log.unlink()
    return calls


@dataclass
class Reference:
    """An unkilled run: what the workspace holds after it."""

    files: set[str]
    actions: list[str]
    stage: str


class Campaign:
    """Runs the kills of one scenario in ``base`` (prepared once, copied per kill)."""

    def __init__(self, scenario: Scenario, base: Path, *, trace: bool = True) -> None:
        self.scenario = scenario
        self.base = base
        self.pristine = base / "pristine"
        scenario.prepare(self.pristine)
        self.before_ws = snapshot(self.pristine / "ws")
        run_folder = self._fresh("reference")
        if trace:
            self.calls = calls_of(scenario.command(run_folder), run_folder)
        else:
            self.calls = []
            subprocess.run(scenario.command(run_folder), cwd=run_folder, env=ENV,
                           capture_output=True, check=True)
        self.reference = self._reference(run_folder)

    def _fresh(self, name: str) -> Path:
        folder = self.base / name
        if folder.exists():
            shutil.rmtree(folder)
        shutil.copytree(self.pristine, folder, symlinks=True)
        return folder

    def _reference(self, folder: Path) -> Reference:
        return Reference(self.names(folder), audit_actions(folder / "ws"), stage(folder / "ws"))

    def names(self, folder: Path) -> set[str]:
        """The files a run left, random parts of names (import packs) blanked."""
        names = {f"ws/{RANDOM_PART.sub('-*-', n)}" for n in snapshot(folder / "ws")}
        for outside in self.scenario.outside:
            if (folder / outside).exists():
                names |= {f"{outside}/{n}" for n in snapshot(folder / outside)}
        return names

    def kill_points(self, sample: int | None) -> list[tuple[str, int]]:
        """(call, occurrence) for every traced call, or ``sample`` of them: the last ones
        (the commit point and what follows) and the rest spread evenly."""
        points = self._numbered()
        if sample is None or len(points) <= sample:
            return points
        tail = points[-(sample // 2):]
        head = points[:-(sample // 2)]
        stride = max(1, len(head) // (sample - len(tail)))
        return head[::stride][:sample - len(tail)] + tail

    def _numbered(self, *, to_files: bool = False) -> list[tuple[str, int]]:
        """(call, its occurrence number) of every traced call (only file writes and
        flushes with ``to_files``: a full disk does not stop the terminal)."""
        seen: Counter[str] = Counter()
        points = []
        for call, on_file in self.calls:
            seen[call] += 1
            if not to_files or (call == "fsync" or (call == "write" and on_file)):
                points.append((call, seen[call]))
        return points

    def disk_points(self, sample: int | None) -> list[tuple[str, int]]:
        """Writes to files and fsyncs where a disk may fill up, or ``sample`` of them."""
        points = self._numbered(to_files=True)
        stride = max(1, len(points) // (sample or len(points)))
        return points[::stride]

    def kill(self, call: str, occurrence: int) -> Outcome:
        """Kill the step at the ``occurrence``-th ``call``; judge what the next command left."""
        return self._trial(call, occurrence, f"signal=KILL:when={occurrence}")

    def fail(self, call: str, occurrence: int, error: str = "ENOSPC") -> Outcome:
        """Make the ``occurrence``-th ``call`` fail with ``error`` (every fsync from there
        on): a disk that fills up mid-step. The step must say so in one line."""
        when = f"{occurrence}+" if call == "fsync" else str(occurrence)
        return self._trial(call, occurrence, f"error={error}:when={when}")

    def _trial(self, call: str, occurrence: int, injection: str) -> Outcome:
        folder = self._fresh("trial")
        argv = self.scenario.command(folder)
        log = self.base / "trial.log"
        done = subprocess.run(["strace", "-qq", "-y", "-o", str(log), "-e", "trace=" + call,
                               "-e", f"inject={call}:{injection}", *argv],
                              cwd=folder, env=ENV, capture_output=True, text=True, check=False)
        outcome = Outcome(self.scenario.name, call, occurrence, "")
        injected = [line for line in log.read_text(errors="replace").splitlines()
                    if "INJECTED" in line]
        if call == "write" and "signal=KILL" not in injection and not any(
                f"<{folder.resolve()}" in line.split(",", 1)[0] for line in injected[:1]):
            outcome.state = "skipped"  # this run's n-th write went to the terminal
            return outcome
        if "signal=KILL" not in injection:
            message = done.stderr.strip()
            if done.returncode not in (0, 1) or "Traceback" in message or "\n" in message:
                outcome.problems.append(f"exit {done.returncode}: {message[:300]}")
            if "crash" in message or "unexpected" in message:
                outcome.problems.append(f"crash: {message[:300]}")
            outcome.message = message
        current_stage = stage(folder / "ws")  # the next command: finishes or undoes the step
        verify = subprocess.run(review_tui("audit", "verify", "--workspace", folder / "ws"),
                                env=ENV, capture_output=True, text=True, check=False)
        if verify.returncode != 0:
            outcome.problems.append(f"audit verify: {verify.stderr.strip()[:200]}")
        leftovers = [str(p.relative_to(folder)) for p in folder.rglob("*")
                     if any(mark in p.name for mark in LEFTOVER_MARKS)]
        if leftovers:
            outcome.problems.append(f"leftovers: {leftovers[:5]}")
        if snapshot(folder / "ws") == self.before_ws and not any(
                (folder / o).exists() and any((folder / o).iterdir())
                for o in self.scenario.outside):
            outcome.state = "before"
            self._run_again(folder, outcome)
        else:
            outcome.state = "after"
            self._compare(folder, current_stage, outcome)
        return outcome

    def _run_again(self, folder: Path, outcome: Outcome) -> None:
        """Undone: running the step again must give what an unkilled run gives."""
        again = subprocess.run(self.scenario.command(folder), cwd=folder, env=ENV,
                               capture_output=True, text=True, check=False)
        if again.returncode != 0:
            outcome.problems.append(f"re-run failed: {again.stderr.strip()[:200]}")
            return
        self._compare(folder, stage(folder / "ws"), outcome)

    def _compare(self, folder: Path, current_stage: str, outcome: Outcome) -> None:
        names, actions = self.names(folder), audit_actions(folder / "ws")
        if names != self.reference.files:
            outcome.problems.append(f"files differ: {sorted(names ^ self.reference.files)[:6]}")
        if actions != self.reference.actions:
            outcome.problems.append(f"audit differs: {actions[-3:]} vs "
                                    f"{self.reference.actions[-3:]}")
        if current_stage != self.reference.stage:
            outcome.problems.append(f"stage {current_stage} vs {self.reference.stage}")
