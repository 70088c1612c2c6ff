"""Chair mode: the progress board and the ranking per track, live from the engine.

Read-only for now: reviewers × their sheets, and for each track the ranking with score,
spread, discrepancy flag, how a tie was broken, status and reason (agency pseudonyms only:
nothing here needs the vault), with a small bar chart of the score distribution. Refreshes
on ``r`` and every few seconds while scores arrive.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label, Static

from ..engine.errors import ReviewError
from ..engine.scores import sheet_progress
from ..engine.tally import tally
from ..engine.workspace import Workspace
from ..i18n import Messages
from .bindings import localise_bindings

REFRESH_SECONDS = 5.0
BAR_WIDTH = 30


def distribution(scores: list[str], width: int = BAR_WIDTH) -> list[str]:
    """Lines of a horizontal bar chart: entries per 10-point band, highest band first."""
    bands = Counter(min(int(Decimal(s)) // 10, 9) for s in scores if s)
    if not bands:
        return []
    most = max(bands.values())
    return [f"{10 * b:>3}–{10 * b + 9 if b < 9 else 100:<3} {'█' * max(1, round(width * n / most))}"
            f" {n}" for b, n in sorted(bands.items(), reverse=True)]


class ChairScreen(Screen[None]):
    """Progress board and ranking."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("escape", "leave", "tui.back", id="back"),
    ]

    def __init__(self, workspace: Workspace, t: Messages) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = t

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="chair"):
            yield Label(self.t("tui.chair.progress"), classes="heading")
            yield DataTable(id="board", cursor_type="row", zebra_stripes=True)
            for track in self.workspace.config.tracks:
                name = track.name if self.t.lang == "zh-TW" else track.name_en
                yield Label(name, classes="heading")
                yield DataTable(id=f"rank-{track.id}", cursor_type="row", zebra_stripes=True)
                yield Static(id=f"chart-{track.id}", classes="chart")
            yield Static(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.t)
        self.load()
        self.set_interval(REFRESH_SECONDS, self.load)

    @work(thread=True, exclusive=True, group="chair")
    def load(self) -> None:
        """Tally off the UI thread (it reads every sheet), then show it."""
        try:
            result: Any = (sheet_progress(self.workspace), tally(self.workspace, record=False))
        except ReviewError as error:
            result = self.t(error.key, **error.params)
        self.app.call_from_thread(self._show, result)

    def _show(self, result: Any) -> None:
        t = self.t
        if isinstance(result, str):
            self.query_one("#problems", Static).update(result)
            return
        progress, decisions = result
        board = self.query_one("#board", DataTable)
        board.clear(columns=True)
        board.add_columns(t("tui.code"), t("tui.reviewer_name"), t("tui.progress"),
                          t("tui.state"))
        for row in progress:
            board.add_row(row["id"], row["name"], f"{row['done']}/{row['total']}",
                          t(f"status.sheet.{row['status']}"))
        for track in self.workspace.config.tracks:
            table = self.query_one(f"#rank-{track.id}", DataTable)
            table.clear(columns=True)
            table.add_columns(t("tui.rank"), t("tui.code"), t("tui.score"), t("tui.spread"),
                              t("tui.flag"), t("tui.tie"), t("tui.state"), t("tui.reason"))
            rows = decisions.document["tracks"].get(track.id, [])
            for row in rows:
                flag = (row.get("discrepancy") or {}).get("flagged")
                rungs = [s["rung"] for s in (row.get("tie") or {}).get("steps", [])]
                table.add_row(row["rank"] or "-", row["code"], row["score"] or "-",
                              row.get("spread") or "", "⚠" if flag else "",
                              "→".join(t(f"rung.{r}") for r in rungs),
                              t(f"status.{row['status']}"),
                              t(row["reason"], **row["reason_params"]))
            chart = distribution([r["score"] for r in rows if r["rank"]])
            self.query_one(f"#chart-{track.id}", Static).update("\n".join(chart))
        problems = [t("tui.chair.frozen")] if decisions.frozen else []
        problems += [_problem(t, p) for p in decisions.problems]
        self.query_one("#problems", Static).update("\n".join(problems))

    def action_refresh(self) -> None:
        self.load()

    def action_leave(self) -> None:
        self.app.pop_screen()


def _problem(t: Messages, problem: dict[str, Any]) -> str:
    params = {k: (", ".join(v) if isinstance(v, list) else v) for k, v in problem.items()}
    return "• " + t(f"problem.{problem['problem']}", **params)
