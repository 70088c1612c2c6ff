"""Benchmarks of the terminal app in headless mode (Textual's ``run_test``)."""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static

from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.workspace import Workspace
from review_tui.tui import app as reviewer_app_module
from review_tui.tui.app import ReviewApp
from review_tui.tui.footer import KeyFooter
from review_tui.tui.queue import QueueList

SIZE = (140, 40)


class BareApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("review-tui")
        yield Input()


class LayoutOnlyApp(App[None]):
    """The reviewer screen's widgets and stylesheet with no data: what Textual itself costs
    to compose and paint that layout (a comparison row, not a floor)."""

    CSS_PATH = str(Path(reviewer_app_module.__file__).with_name("app.tcss"))

    def compose(self) -> ComposeResult:
        with Horizontal(id="reviewer"):
            with Vertical(id="queue-pane"):
                yield Static(id="who")
                yield Static(id="progress")
                yield QueueList(["", "", "", ""], id="queue")
            with VerticalScroll(id="reading"):
                yield Static(id="entry-title")
                yield Static(id="entry-text")
            with VerticalScroll(id="form"):
                yield from (Input() for _ in range(5))
                yield Static(id="total")
                yield Input(id="comment")
        yield KeyFooter()


async def _first_frame(make_app) -> float:
    start = time.perf_counter()
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
    return time.perf_counter() - start


def bench_layout_only(repeats: int) -> float:
    """Start to first frame of :class:`LayoutOnlyApp`."""
    return statistics.median(asyncio.run(_first_frame(LayoutOnlyApp)) for _ in range(repeats))


def bench_start(root: Path, repeats: int) -> tuple[float, float]:
    """Start to first frame in reviewer mode, against a bare App with one Static."""
    workspace = Workspace(root)
    reviewer = sorted(load_deal(workspace).queues)[0]
    ours = [asyncio.run(_first_frame(lambda: ReviewApp(workspace, "zh-TW",
                                                       f"reviewer:{reviewer}")))
            for _ in range(repeats)]
    bare = [asyncio.run(_first_frame(BareApp)) for _ in range(repeats)]
    return statistics.median(ours), statistics.median(bare)


async def _keys(workspace: Workspace, reviewer: str, presses: int) -> tuple[float, float]:
    app = ReviewApp(workspace, "zh-TW", f"reviewer:{reviewer}")
    moves, scores = [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for i in range(presses):
            start = time.perf_counter()
            await pilot.press("ctrl+down" if i % 2 == 0 else "ctrl+up")
            await pilot.pause()
            moves.append(time.perf_counter() - start)
            start = time.perf_counter()
            await pilot.press(str(1 + i % 9), "enter")
            await pilot.pause()
            scores.append(time.perf_counter() - start)
    return statistics.median(moves), statistics.median(scores)


async def _bare_keys(presses: int) -> float:
    app = BareApp()
    times = []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(presses):
            start = time.perf_counter()
            await pilot.press("5", "enter")
            await pilot.pause()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_keys(root: Path, presses: int = 15) -> tuple[float, float, float]:
    """Key to updated screen through Pilot: next entry, and a score + Enter (saved durably),
    with the same round trip on a bare App (Pilot's own waiting) as the floor."""
    workspace = Workspace(root)
    reviewer = sorted(load_deal(workspace).queues)[0]
    move, typed = asyncio.run(_keys(workspace, reviewer, presses))
    return move, typed, asyncio.run(_bare_keys(presses))
