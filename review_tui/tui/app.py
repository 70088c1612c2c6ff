"""The review-tui application: the committee's status and pipeline, the reviewers to pick
from, and reviewer mode (``--as reviewer:ID``, or a laptop opened from a packet)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import DataTable, Footer, Header, Label, Static

from ..engine.errors import ReviewError
from ..engine.pipeline import STAGES
from ..engine.scores import sheet_progress
from ..engine.status import committee_status
from ..engine.workspace import Workspace
from ..i18n import Messages
from .bindings import localise_bindings


class ReviewApp(App[None]):
    """Start screen: where the committee stands, per track, in the user's language."""

    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "tui.quit", id="quit"),
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("l", "toggle_language", "tui.toggle_language", id="toggle_language"),
        Binding("c", "chair", "tui.chair", id="chair"),
    ]

    def __init__(self, workspace: Workspace, lang: str | None = None,
                 role: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = Messages(lang)
        self.role = role
        self.status: dict[str, Any] | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Static(id="committee")
            yield Static(id="pipeline")
            yield DataTable(id="tracks", cursor_type="row", zebra_stripes=True)
            yield Static(id="summary")
            yield Label(id="reviewers-heading")
            yield DataTable(id="reviewers", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self._label_bindings()
        reviewer = self._reviewer_role()
        if reviewer:  # straight to the sheet; the status screen loads when they go back
            self.open_reviewer(reviewer)
            return
        self.load_status()
        if self.role == "chair":
            self.action_chair()

    def action_chair(self) -> None:
        """The chair's progress board and ranking."""
        from .chair import ChairScreen

        if self.workspace.exists():
            self.push_screen(ChairScreen(self.workspace, self.t))

    def on_reviewer_screen_closed(self) -> None:
        """Back from a sheet: the progress shown may have changed."""
        self.load_status()

    def _reviewer_role(self) -> str | None:
        """``--as reviewer:ID``, or the reviewer a packet laptop belongs to."""
        if self.role and self.role.startswith("reviewer:"):
            return self.role.split(":", 1)[1]
        try:
            from ..engine.packets import packet_reviewer

            return packet_reviewer(self.workspace) if self.workspace.exists() else None
        except ReviewError:
            return None

    def open_reviewer(self, reviewer: str) -> None:
        """Reviewer mode for ``reviewer``; a message instead when they cannot score yet."""
        from ..engine.scores import ScoreSheet
        from .reviewer import ReviewerScreen

        try:
            sheet = ScoreSheet(self.workspace, reviewer)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="warning")
            return
        self.push_screen(ReviewerScreen(sheet, self.t))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "reviewers" and event.row_key.value:
            self.open_reviewer(str(event.row_key.value))

    def _label_bindings(self) -> None:
        self.title = self.t("tui.title")
        localise_bindings(self, self.t)

    @work(thread=True, exclusive=True, group="status")
    def load_status(self) -> None:
        """Read the committee's status off the UI thread, then show it."""
        try:
            status, error = committee_status(self.workspace), None
            status["sheets"] = sheet_progress(self.workspace)
        except ReviewError as exc:
            status, error = None, self.t(exc.key, **exc.params)
        self.call_from_thread(self._show, status, error)

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
        for stage in STAGES:
            label = t(f"stage.{stage}")
            steps.append(f"[reverse] {label} [/reverse]" if stage == status["stage"] else label)
        self.query_one("#pipeline", Static).update(t("tui.pipeline", steps=" → ".join(steps)))
        table.add_columns(t("tui.track"), t("tui.entries"), t("tui.accepted"), t("tui.rejected"))
        for track in status["tracks"].values():
            table.add_row(track["name"] if t.lang == "zh-TW" else track["name_en"],
                          track["entries"], track["accepted"], track["rejected"])
        self.query_one("#summary", Static).update(
            t("tui.findings", **status["findings"]) + "\n" +
            t("tui.people", agencies=status["agencies"], reviewers=status["reviewers"]))
        reviewers = self.query_one("#reviewers", DataTable)
        reviewers.clear(columns=True)
        sheets = status.get("sheets") or []
        self.query_one("#reviewers-heading", Label).update(t("tui.reviewers") if sheets else "")
        if sheets:
            reviewers.add_columns(t("tui.code"), t("tui.reviewer_name"), t("tui.progress"),
                                  t("tui.state"))
            for row in sheets:
                reviewers.add_row(row["id"], row["name"], f"{row['done']}/{row['total']}",
                                  t(f"status.sheet.{row['status']}"), key=row["id"])

    def action_refresh(self) -> None:
        self.load_status()

    def action_toggle_language(self) -> None:
        self.t = Messages("en" if self.t.lang == "zh-TW" else "zh-TW")
        self._label_bindings()
        self._show(self.status, self.error)

