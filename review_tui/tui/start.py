"""The start screen: where the committee stands, and who is at the keyboard.

The pipeline (with sheets submitted while scoring), entries per track, and the three roles:
the secretariat (``s``), a reviewer (pick a name, Enter) or the chair (``c``). The status
is read in a worker and read again whenever the screen comes back from a mode.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Label, Static

from ..engine.errors import ReviewError
from ..engine.pipeline import STAGES
from ..engine.scoring.packets import laptop_status
from ..engine.scoring.scores import sheet_progress
from ..engine.status import committee_status
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import laptop_text, sheet_state
from .footer import KeyFooter
from .plain import Plain, plain_cells
from .table import Table


class StartScreen(Screen[None]):
    """Committee status, the pipeline, and the role picker."""

    MODE = "start"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.secretariat", "tui.mode.secretariat", id="secretariat"),
        Binding("c", "app.chair", "tui.mode.chair", id="chair"),
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("l", "toggle_language", "tui.toggle_language", id="toggle_language"),
    ]

    def __init__(self, workspace: Workspace) -> None:
        super().__init__()
        self.workspace = workspace
        self.status: dict[str, Any] | None = None
        self.error: str | None = None
        self._picked_focus = False

    @property
    def t(self) -> Messages:
        return self.app.t  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):  # a short terminal scrolls to the reviewers
            yield Plain(id="committee")
            yield Static(id="pipeline")
            with Horizontal(id="roles"):
                yield Button(id="role-secretariat")
                yield Button(id="role-reviewer", variant="primary")
                yield Button(id="role-chair")
            yield Table(id="tracks", cursor_type="row", zebra_stripes=True)
            yield Plain(id="summary")
            yield Label(id="reviewers-heading")
            yield Table(id="reviewers", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self._label()

    def on_screen_resume(self) -> None:
        """Shown again (at start, or back from a mode): progress may have changed."""
        self.load_status()

    def _label(self, *, app_too: bool = False) -> None:
        """Titles, keys and role buttons in the current language; the app's own keys (help,
        quit) were labelled when it started, so only a language switch relabels them."""
        self.app.title = self.t("tui.title")
        if app_too:  # the footer shows the keys in the new language
            self.refresh_bindings()
        for role, key in (("secretariat", "s"), ("reviewer", "Enter"), ("chair", "c")):
            self.query_one(f"#role-{role}", Button).label = (
                f"{self.t(f'tui.mode.{role}')} ({key})")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "role-secretariat":
            self.app.action_secretariat()  # type: ignore[attr-defined]
        elif event.button.id == "role-chair":
            self.app.action_chair()  # type: ignore[attr-defined]
        elif event.button.id == "role-reviewer":
            reviewers = self.query_one("#reviewers", DataTable)
            if reviewers.row_count:
                reviewers.focus()
            else:
                self.notify(self.t("tui.no_sheets"), severity="warning")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "reviewers":  # on a short terminal the list is below
            event.data_table.scroll_visible(animate=False)  # the fold: bring it up

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "reviewers" and event.row_key.value:
            self.app.open_reviewer(str(event.row_key.value))  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="status")
    def load_status(self) -> None:
        """Read the committee's status off the UI thread, then show it."""
        try:
            status, error = committee_status(self.workspace), None
            status["sheets"] = sheet_progress(self.workspace)
            status["laptop"] = laptop_status(self.workspace, status["sheets"])
        except ReviewError as exc:
            status, error = None, self.t(exc.key, **exc.params)
        self.app.call_from_thread(self._show, status, error)

    def _show(self, status: dict[str, Any] | None, error: str | None) -> None:
        self.status, self.error = status, error
        t = self.t
        committee = self.query_one("#committee", Static)
        table = self.query_one("#tracks", DataTable)
        table.clear(columns=True)
        if status is None:
            committee.update(error or t("tui.no_committee"))
            self.query_one("#pipeline", Static).update("")
            self.query_one("#summary", Static).update("")
            return
        info = status["committee"]
        name = info["name"] if t.lang == "zh-TW" else info["name_en"] or info["name"]
        committee.update(t("cli.status.committee", name=name, year=info["year"],
                           deadline=info["deadline"]))
        steps = []
        sheets = status.get("sheets") or []
        kept = getattr(self.app, "kept_reviewer", None)
        if kept:  # one reviewer's app shows nobody else's progress
            sheets = [row for row in sheets if row["id"] == kept]
        for stage in STAGES:
            label = t(f"stage.{stage}")
            if stage == "scoring" and sheets:
                submitted = sum(row["status"] == "submitted" for row in sheets)
                label += f" {submitted}/{len(sheets)}"
            steps.append(f"[reverse] {label} [/reverse]" if stage == status["stage"] else label)
        self.query_one("#pipeline", Static).update(t("tui.pipeline", steps=" → ".join(steps)))
        laptop = status.get("laptop")
        for role in ("secretariat", "chair"):  # a packet's laptop: only its reviewer's sheet
            self.query_one(f"#role-{role}", Button).display = laptop is None
        table.display = laptop is None
        if laptop is not None:
            self.query_one("#summary", Static).update(
                laptop_text(t, laptop))
        else:
            table.add_columns(t("tui.track"), t("tui.entries"), t("tui.accepted"),
                              t("tui.rejected"))
            for track in status["tracks"].values():
                table.add_row(*plain_cells(
                    track["name"] if t.lang == "zh-TW" else track["name_en"],
                    track["entries"], track["accepted"], track["rejected"]))
            self.query_one("#summary", Static).update(
                t("tui.findings", **status["findings"]) + "\n" +
                t("tui.people", agencies=status["agencies"], reviewers=status["reviewers"]))
        reviewers = self.query_one("#reviewers", DataTable)
        reviewers.clear(columns=True)
        self.query_one("#reviewers-heading", Label).update(t("tui.reviewers") if sheets else "")
        reviewers.display = bool(sheets)
        if sheets and not self._picked_focus:  # a reviewer can pick their name at once
            self._picked_focus = True
            reviewers.focus()
        if sheets:
            reviewers.add_columns(t("tui.code"), t("tui.reviewer_name"), t("tui.progress"),
                                  t("tui.state"))
            for row in sheets:
                if laptop is not None:  # a packet has no roster: its own reviewer's name
                    row = dict(row, name=laptop["name"])
                reviewers.add_row(*plain_cells(row["id"], row["name"],
                                               f"{row['done']}/{row['total']}",
                                               sheet_state(t, row)), key=row["id"])

    def action_refresh(self) -> None:
        self.load_status()

    def action_toggle_language(self) -> None:
        self.app.t = Messages("en" if self.t.lang == "zh-TW" else "zh-TW")  # type: ignore
        self._label(app_too=True)
        self._show(self.status, self.error)
