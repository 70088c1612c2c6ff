"""The app as a person runs it (issue 25): a real process on a pseudo-terminal, timed from
its start until the screen shows what the person waits for, and from a key until the
screen changes — beside a bare Textual app (one Static, one Input) run the same way.

No terminal emulator is needed: the app's output is read from the terminal's master side
and its escape sequences dropped, so a word drawn in one piece is found as it is drawn.
A key's time runs from writing it to the first byte of the answer ("shown") and to the
last byte of that burst, once nothing more came for ``QUIET`` seconds ("settled").

Goals (issue 25, as decided in session 11): a screen's first frame (it is open, its keys
answer) within 2× the bare app's start; what it waits for (the rankings, the intake) within
3× its floor, the bare app's start plus reading and checking the same files in plain
Python (:func:`read_floor`): the rule every CLI step has; every key shown within 50 ms
p95. A screen's start is judged as the CLI steps are: a bare app starts right after each
run of it, and the ratio is the median of each run's over that bare start's (on this
shared machine the bare app's start moved by a tenth between runs minutes apart); keys by
their 95th percentile.

Run: ``python -m benchmarks.pty_app WORKSPACE [--repeats N] [--check]`` on a committed
committee (the step benchmark leaves one); it prints a table, and with ``--check`` exits 1
when a row misses its goal.
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import itertools
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import compile_bytecode

COLUMNS, ROWS = 140, 40
QUIET = 0.05  # no output for this long: the screen is done with a key
ESCAPES = re.compile(rb"\x1b\[[0-9;?<=>$ ]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)"
                     rb"|\x1b[()][0-9A-Za-z]|\x1b[=>78DEHMNOPZc]")

BARE_READY = "bare-ready"  # what the bare app shows once it is up
BARE_APP = """
from textual.app import App
from textual.widgets import Input, Static

class Bare(App):
    def compose(self):
        yield Static("bare-ready")
        yield Input(id="field")

Bare().run()
"""


class Terminal:
    """A process on a pseudo-terminal of ``COLUMNS`` × ``ROWS``, its output kept as text."""

    def __init__(self, argv: list[str]) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave,
                                        env=env, start_new_session=True, close_fds=True)
        os.close(slave)
        self.master = master
        self.raw = b""

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.master], [], [], max(0.0, timeout))
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 1 << 16)
        except OSError:  # the process has gone
            return False
        self.raw += chunk
        return bool(chunk)

    def text(self) -> str:
        return ESCAPES.sub(b"", self.raw).decode("utf-8", "replace")

    def wait_for(self, marker: str, timeout: float = 60.0) -> float:
        """Seconds since the start until ``marker`` is on screen."""
        deadline = time.perf_counter() + timeout
        while marker not in self.text():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{marker!r} not shown; last output: {self.text()[-300:]!r}")
            self._read(deadline - time.perf_counter())
        return time.perf_counter() - self.started

    def settle(self) -> None:
        """Read until nothing has come for ``QUIET`` seconds."""
        while self._read(QUIET):
            pass

    def key(self, sequence: bytes, timeout: float = 10.0) -> tuple[float, float]:
        """Write ``sequence``; seconds to the first byte of the answer and to its end."""
        self.settle()
        sent = time.perf_counter()
        os.write(self.master, sequence)
        if not self._read(timeout):
            raise TimeoutError(f"no answer to {sequence!r}")
        first = time.perf_counter() - sent
        last = time.perf_counter()
        while self._read(QUIET):
            last = time.perf_counter()
        return first, last - sent

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.master)


KEY_SHOWN_P95 = 0.050  # seconds: a key's answer begins within this, 95 times in 100


@dataclass
class Measured:
    """One row: its times, and its goal (``kind`` "start" compares the median with
    ``factor`` × ``floor``; "key" the 95th percentile with ``KEY_SHOWN_P95``; None: shown
    for comparison)."""

    what: str
    seconds: list[float]
    kind: str | None = None
    floor: float | None = None  # the median of ``floors``, when each run has its own
    factor: float = 1.0
    floors: list[float] | None = None  # each run's floor, run right after it

    @property
    def ratio(self) -> float | None:
        """The median of each run's time over its own floor's (else over ``floor``)."""
        if self.floors is not None:
            return statistics.median(s / f for s, f in zip(self.seconds, self.floors,
                                                            strict=True))
        return self.p50 / self.floor if self.floor else None

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def target(self) -> str:
        if self.kind == "start":
            return f"≤ {self.factor:g}× floor"
        return "p95 ≤ 50 ms" if self.kind == "key" else "(comparison)"

    @property
    def met(self) -> bool | None:
        ratio = self.ratio
        if self.kind == "start" and ratio is not None:
            return ratio <= self.factor
        return self.p95 <= KEY_SHOWN_P95 if self.kind == "key" else None

    def row(self) -> str:
        floor = f"{self.floor * 1000:>9.1f}" if self.floor is not None else f"{'—':>9}"
        ratio = f"{self.ratio:>5.2f}×" if self.ratio is not None else f"{'—':>6}"
        met = {True: "yes", False: "NO", None: "—"}[self.met]
        return (f"{self.what:<52} {len(self.seconds):>4} {self.p50 * 1000:>9.1f} "
                f"{self.p95 * 1000:>9.1f} {floor} {ratio}  {self.target:<14} {met}")


# What each screen reads before it shows what it is waiting for, the chair's once the
# decisions are frozen and the names unsealed: each file's bytes hashed (the screens check
# them against the hashes their steps logged) and parsed; the log's lines hashed (its
# chain is checked from the commit's signed line).
SCREEN_FILES = {"chair": ("decisions.json", "identities.json"),
                "secretariat": ("entries.json",)}


def read_floor(workspace: Path, role: str, repeats: int) -> float:
    """Median seconds to read, hash and parse the files ``role``'s screen shows, and hash
    every line of the audit log, in plain Python (orjson, as the app parses)."""
    import orjson

    def once() -> float:
        started = time.perf_counter()
        for name in SCREEN_FILES[role]:
            path = workspace / name
            if path.exists():
                data = path.read_bytes()
                hashlib.sha256(data).digest()
                orjson.loads(data)
        with open(workspace / "audit.jsonl", "rb") as log:
            for line in log:
                hashlib.sha256(line).digest()
        return time.perf_counter() - started

    return statistics.median(once() for _ in range(max(3, repeats)))


def app_argv(workspace: Path, role: str, credential: Path | None) -> list[str]:
    argv = [sys.executable, "-m", "review_tui", "tui", "--workspace", str(workspace),
            "--as", role, "--lang", "en"]
    return argv + (["--credential-file", str(credential)] if credential else [])


def measure_start(argv: list[str], markers: Sequence[str], repeats: int,
                  beside: list[str] | None = None) -> list[list[float]]:
    """Seconds from the start until each of ``markers`` is shown, waited for in turn (what a
    screen shows first, then what it shows once its worker has read its files). With
    ``beside`` (the bare app), it starts right after each run, and its times come last."""
    seen: list[list[float]] = [[] for _ in markers]
    bare: list[float] = []
    for _ in range(repeats):
        terminal = Terminal(argv)
        try:
            for times, marker in zip(seen, markers, strict=True):
                times.append(terminal.wait_for(marker))
        finally:
            terminal.close()
        if beside is not None:
            bare += measure_start(beside, [BARE_READY], 1)[0]
    return [*seen, bare] if beside is not None else seen


def measure_keys(argv: list[str], marker: str, keys: list[bytes],
                 presses: int, prelude: bytes = b"", loaded: str = ""
                 ) -> tuple[list[float], list[float]]:
    """First byte and settled times of ``keys`` pressed in turn, ``presses`` times (after
    ``prelude``, not timed), once ``marker`` and ``loaded`` (what the rest of the screen
    shows once read) are on screen."""
    terminal = Terminal(argv)
    shown, settled = [], []
    try:
        terminal.wait_for(marker)
        terminal.wait_for(loaded)
        terminal.settle()
        if prelude:
            terminal.key(prelude)
        for number in range(presses):
            first, last = terminal.key(keys[number % len(keys)])
            shown.append(first)
            settled.append(last)
    finally:
        terminal.close()
    return shown, settled


def measure_reload_gaps(argv: list[str], marker: str, loaded: str, key: bytes,
                        repeats: int, seconds: float = 6.0) -> list[float]:
    """The longest stretch, in each of ``repeats`` runs, in which the UI thread ran no
    timer (so answered no key) during the ``seconds`` after ``key`` (which makes the
    screen read its files again), once ``marker`` and ``loaded`` are on screen. ``argv``
    is the app's command line after ``review-tui``; the app runs under
    :mod:`.ui_ticks`, whose tick times share this process's clock (``perf_counter`` is
    the system's monotonic clock on Linux)."""
    longest = []
    for number in range(repeats):
        ticks = Path(tempfile.gettempdir()) / f"review-tui-ticks-{os.getpid()}-{number}.txt"
        terminal = Terminal([sys.executable, "-m", "benchmarks.ui_ticks", str(ticks), *argv])
        try:
            terminal.wait_for(marker)
            terminal.wait_for(loaded)
            terminal.settle()
            pressed = time.perf_counter()
            os.write(terminal.master, key)
            while time.perf_counter() < pressed + seconds:
                terminal._read(QUIET)
        finally:
            terminal.close()
        times = [float(line) for line in ticks.read_text(encoding="ascii").split()]
        ticks.unlink()
        after = [t for t in times if t > pressed]
        gaps = [b - a for a, b in itertools.pairwise(after)]
        longest.append(max(gaps, default=seconds))
    return longest


DOWN, UP, PAGE_DOWN, PAGE_UP = b"\x1b[B", b"\x1b[A", b"\x1b[6~", b"\x1b[5~"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pty_app")
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--chair", type=Path, help="the chair's credential file")
    parser.add_argument("--secretariat", type=Path, help="the secretariat's credential file")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--presses", type=int, default=40)
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a row misses its goal")
    parser.add_argument("--chair-frame", default="Scoring progress",
                        help="text the chair's screen shows in its first frame, before its "
                             "worker has read the decisions")
    parser.add_argument("--chair-ready", default="Selected (rank 1).",
                        help="text the chair's screen shows once its rankings are drawn")
    parser.add_argument("--chair-board", default="J0000",
                        help="text its board shows once its rows are drawn, after the "
                             "rankings (the keys move the board's cursor; the default is "
                             "the step benchmark's first reviewer)")
    args = parser.parse_args()
    compile_bytecode()
    bare = [sys.executable, "-c", BARE_APP]
    rows = [Measured("start: bare Textual app",
                     measure_start(bare, [BARE_READY], args.repeats)[0])]
    shown, settled = measure_keys(bare, BARE_READY, [b"x"], args.presses)
    rows += [Measured("key shown: bare app, a typed character", shown),
             Measured("key settled: bare app, a typed character", settled)]
    # The chair's screen has started when a ranking's first reason is drawn (its worker
    # reads the tally first, then the board); the step benchmark's committees are COACH's.
    screens = [("chair", args.chair, args.chair_frame, args.chair_ready, args.chair_board,
                [DOWN, UP, PAGE_DOWN, PAGE_UP]),
               ("secretariat", args.secretariat, "Any severity", "Stage:", "",
                [DOWN, UP, PAGE_DOWN, PAGE_UP])]
    for role, credential, frame, marker, loaded, keys in screens:
        if credential is None:  # not asked for: it would wait for a credential typed
            continue
        argv = app_argv(args.workspace, role, credential)
        markers = [m for m in (frame, marker, loaded) if m]
        *times, bare_starts = measure_start(argv, markers, args.repeats, beside=bare)
        seen = dict(zip(markers, times, strict=True))
        if frame:  # the screen is open, its keys answer; its worker reads on
            rows.append(Measured(f"start: {role} screen, first frame", seen[frame],
                                 "start", statistics.median(bare_starts), 2, bare_starts))
        reading = read_floor(args.workspace, role, args.repeats)
        floors = [start + reading for start in bare_starts]
        rows.append(Measured(f"start: {role} screen", seen[marker], "start",
                             statistics.median(floors), 3, floors))
        if loaded:  # the chair's board comes after the rankings
            rows.append(Measured(f"start: {role} screen, all of it read", seen[loaded]))
        shown, settled = measure_keys(argv, marker, keys, args.presses, loaded=loaded)
        rows += [Measured(f"key shown: {role}, ↓ ↑ PgDn PgUp (each moves)", shown, "key"),
                 Measured(f"key settled: {role}, ↓ ↑ PgDn PgUp (each moves)", settled)]
    if args.chair:  # r reads everything again, as the screen does when a sheet changes
        argv = app_argv(args.workspace, "chair", args.chair)[3:]  # after `python -m …`
        rows.append(Measured("UI thread's longest gap: chair reads again (r)",
                             measure_reload_gaps(argv, args.chair_ready, args.chair_board,
                                                 b"r", args.repeats)))
    if args.secretariat:  # the filter (after /): a character typed, then taken out
        argv = app_argv(args.workspace, "secretariat", args.secretariat)
        shown, settled = measure_keys(argv, "Stage:", [b"9", b"\x7f"], args.presses,
                                      prelude=b"/")
        rows += [Measured("key shown: secretariat filter, 9 then ⌫", shown, "key"),
                 Measured("key settled: secretariat filter, 9 then ⌫", settled)]

    print(f"{'what':<52} {'n':>4} {'p50 ms':>9} {'p95 ms':>9} {'floor ms':>9} "
          f"{'ratio':>6}  {'target':<14} met")
    for row in rows:
        print(row.row())
    raise SystemExit(1 if args.check and any(row.met is False for row in rows) else 0)


if __name__ == "__main__":
    main()
