"""The review-tui application. The start screen shows where the committee stands and who
is at the keyboard: the secretariat (``s``), a reviewer (pick a name; a PIN when one is set)
or the chair (``c``). ``--as reviewer:ID|chair|secretariat`` goes straight to a mode, and a
laptop opened from a packet straight to its reviewer's sheet. ``?``/F1 shows help and
Ctrl+P the command palette, both built from the keys the current screen answers to."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Label, Static

from ..engine.errors import ReviewError
from ..engine.pipeline import STAGES
from ..engine.scores import sheet_progress
from ..engine.status import committee_status
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import sheet_state
from .bindings import localise_bindings


class ReviewApp(App[None]):
    """Start screen: where the committee stands, per track, in the user's language."""

    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "secretariat", "tui.mode.secretariat", id="secretariat"),
        Binding("c", "chair", "tui.mode.chair", id="chair"),
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("l", "toggle_language", "tui.toggle_language", id="toggle_language"),
        Binding("f1,question_mark", "help", "tui.help", id="help", key_display="?"),
        Binding("q", "quit", "tui.quit", id="quit"),
    ]
    START_ONLY = frozenset({"secretariat", "chair", "refresh", "toggle_language"})

    def __init__(self, workspace: Workspace, lang: str | None = None,
                 role: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = Messages(lang)
        self.role = role
        self.status: dict[str, Any] | None = None
        self.error: str | None = None
        self._picked_focus = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Static(id="committee")
            yield Static(id="pipeline")
            with Horizontal(id="roles"):
                yield Button(id="role-secretariat")
                yield Button(id="role-reviewer", variant="primary")
                yield Button(id="role-chair")
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
        elif self.role == "secretariat":
            self.action_secretariat()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Mode keys work on the start screen only (a dialog or mode has its own keys)."""
        if action in self.START_ONLY:
            return len(self.screen_stack) == 1
        return True

    def action_chair(self) -> None:
        """The chair's progress board and ranking, and the chair's decisions."""
        from .chair import ChairScreen

        if self._committee_exists():
            self.push_screen(ChairScreen(self.workspace, self.t))

    def action_secretariat(self) -> None:
        """Intake, seal and deal."""
        from .secretariat import SecretariatScreen

        if self._committee_exists():
            self.push_screen(SecretariatScreen(self.workspace, self.t))

    def _committee_exists(self) -> bool:
        if self.workspace.exists():
            return True
        self.notify(self.t("tui.no_committee"), severity="warning")
        return False

    def action_help(self) -> None:
        """The current mode's guide and keys."""
        from .help import HelpScreen, screen_keys

        if isinstance(self.screen, HelpScreen):
            return
        mode = getattr(self.screen, "MODE", "start")
        self.push_screen(HelpScreen(self.t, mode, screen_keys(self.screen)))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The command palette: every key of the current screen, by its name, then Textual's."""
        from .help import screen_keys

        for key in screen_keys(screen):
            if key.action not in ("quit", "command_palette"):
                yield SystemCommand(key.description, key.key,
                                    partial(self.run_action, key.action, key.node))
        yield from super().get_system_commands(screen)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "role-secretariat":
            self.action_secretariat()
        elif event.button.id == "role-chair":
            self.action_chair()
        elif event.button.id == "role-reviewer":
            reviewers = self.query_one("#reviewers", DataTable)
            if reviewers.row_count:
                reviewers.focus()
            else:
                self.notify(self.t("tui.no_sheets"), severity="warning")

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
        from ..engine.pins import has_pin, verify_pin
        from ..engine.scores import ScoreSheet
        from .dialogs import PinDialog
        from .reviewer import ReviewerScreen

        try:
            sheet = ScoreSheet(self.workspace, reviewer)
            needs_pin = has_pin(self.workspace, reviewer)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="warning")
            return
        if not needs_pin:
            self.push_screen(ReviewerScreen(sheet, self.t))
            return
        self.push_screen(PinDialog(self.t, reviewer,
                                   lambda pin: verify_pin(self.workspace, reviewer, pin)),
                         lambda ok: ok and self.push_screen(ReviewerScreen(sheet, self.t)))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "reviewers" and event.row_key.value:
            self.open_reviewer(str(event.row_key.value))

    def _label_bindings(self) -> None:
        self.title = self.t("tui.title")
        localise_bindings(self, self.t)
        for role, key in (("secretariat", "s"), ("reviewer", "Enter"), ("chair", "c")):
            self.query_one(f"#role-{role}", Button).label = (
                f"{self.t(f'tui.mode.{role}')} ({key})")

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
        sheets = status.get("sheets") or []
        for stage in STAGES:
            label = t(f"stage.{stage}")
            if stage == "scoring" and sheets:
                submitted = sum(row["status"] == "submitted" for row in sheets)
                label += f" {submitted}/{len(sheets)}"
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
        self.query_one("#reviewers-heading", Label).update(t("tui.reviewers") if sheets else "")
        reviewers.display = bool(sheets)
        if sheets and not self._picked_focus:  # a reviewer can pick their name at once
            self._picked_focus = True
            reviewers.focus()
        if sheets:
            reviewers.add_columns(t("tui.code"), t("tui.reviewer_name"), t("tui.progress"),
                                  t("tui.state"))
            for row in sheets:
                reviewers.add_row(row["id"], row["name"], f"{row['done']}/{row['total']}",
                                  sheet_state(t, row), key=row["id"])

    def action_refresh(self) -> None:
        self.load_status()

    def action_toggle_language(self) -> None:
        self.t = Messages("en" if self.t.lang == "zh-TW" else "zh-TW")
        self._label_bindings()
        self._show(self.status, self.error)

