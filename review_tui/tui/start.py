"""The start screen: where the committee stands, and who is at the keyboard.

The pipeline (with sheets submitted while scoring), entries per track, and the three roles:
the secretariat (``s``), a reviewer (pick a name, Enter) or the chair (``c``). The status
is read in a worker and read again whenever the screen comes back from a mode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Header, Label, Static

from ..engine.errors import ReviewError
from ..engine.pipeline import STAGES
from ..engine.scoring.packets import LaptopStatus, laptop_status
from ..engine.scoring.scores import SUBMITTED, SheetProgress, sheet_progress
from ..engine.status import CommitteeStatus, committee_status
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import laptop_text, sheet_state
from .footer import KeyFooter
from .plain import Plain, plain_cells
from .table import Table

if TYPE_CHECKING:
    from .app import ReviewApp


class StartScreen(Screen[None]):
    """Committee status, the pipeline, and the role picker."""

    MODE = "start"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "app.secretariat", "tui.mode.secretariat", id="secretariat"),
        Binding("c", "app.chair", "tui.mode.chair", id="chair"),
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("l", "toggle_language", "tui.toggle_language", id="toggle_language"),
    ]

    def __init__(self, workspace: Workspace, *, wait: bool = False) -> None:
        super().__init__()
        self.workspace = workspace
        self.loaded: StartScreen.Loaded | None = None
        self._wait = wait  # a mode opens over it at once: read when it is first shown
        self._picked_focus = False

    @property
    def t(self) -> Messages:
        return self.review_app.t

    @property
    def review_app(self) -> ReviewApp:
        """The app, typed (Textual types ``self.app`` as any App; ``getters.app`` would need
        ReviewApp at class creation, which imports this module)."""
        from .app import ReviewApp

        app = self.app
        assert isinstance(app, ReviewApp)
        return app

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
        if self._wait:  # the mode opening over it is what the person waits for
            self._wait = False
            return
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
            self.review_app.action_secretariat()
        elif event.button.id == "role-chair":
            self.review_app.action_chair()
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
            self.review_app.open_reviewer(str(event.row_key.value))

    @dataclass
    class Loaded(Message):
        """The committee's status (None with ``error`` when it cannot be read), its sheets'
        progress and, on a reviewer's laptop, the packet's own status."""

        status: CommitteeStatus | None
        sheets: list[SheetProgress] = field(default_factory=list)
        laptop: LaptopStatus | None = None
        error: str | None = None

    @work(thread=True, exclusive=True, group="status")
    def load_status(self) -> None:
        """Read the committee's status off the UI thread, then post it."""
        try:
            status, sheets = committee_status(self.workspace), sheet_progress(self.workspace)
            loaded = self.Loaded(status, sheets, laptop_status(self.workspace, sheets))
        except ReviewError as exc:
            loaded = self.Loaded(None, error=self.t(exc.key, **exc.params))
        self.post_message(loaded)

    @on(Loaded)
    def _show(self, loaded: Loaded) -> None:
        self.loaded = loaded
        t, status = self.t, loaded.status
        committee = self.query_one("#committee", Static)
        table = self.query_one("#tracks", DataTable)
        table.clear(columns=True)
        if status is None:
            committee.update(loaded.error or t("tui.no_committee"))
            self.query_one("#pipeline", Static).update("")
            self.query_one("#summary", Static).update("")
            return
        committee.update(t("cli.status.committee", name=status.name_in(t.lang),
                           year=status.year, deadline=status.deadline))
        steps = []
        sheets = loaded.sheets
        kept = self.review_app.kept_reviewer
        if kept:  # one reviewer's app shows nobody else's progress
            sheets = [row for row in sheets if row.reviewer == kept]
        for stage in STAGES:
            label = t(f"stage.{stage}")
            if stage == "scoring" and sheets:
                submitted = sum(row.status == SUBMITTED for row in sheets)
                label += f" {submitted}/{len(sheets)}"
            steps.append(f"[reverse] {label} [/reverse]" if stage == status.stage else label)
        self.query_one("#pipeline", Static).update(t("tui.pipeline", steps=" → ".join(steps)))
        laptop = loaded.laptop
        for role in ("secretariat", "chair"):  # a packet's laptop: only its reviewer's sheet
            self.query_one(f"#role-{role}", Button).display = laptop is None
        table.display = laptop is None
        if laptop is not None:
            self.query_one("#summary", Static).update(
                laptop_text(t, laptop))
        else:
            table.add_columns(t("tui.track"), t("tui.entries"), t("tui.accepted"),
                              t("tui.rejected"))
            for track in status.tracks.values():
                table.add_row(*plain_cells(track.name_in(t.lang), track.entries,
                                           track.accepted, track.rejected))
            # Its height said, not left to `auto`: refilled on a second load, an auto
            # height sometimes stayed 0 and the tracks vanished (max-height still caps it).
            table.styles.height = table.row_count + 1
            self.query_one("#summary", Static).update(
                t("tui.findings", **status.findings) + "\n" +
                t("tui.people", agencies=status.agencies, reviewers=status.reviewers))
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
                name = row.name if laptop is None else laptop.name  # a packet has no roster
                reviewers.add_row(*plain_cells(row.reviewer, name, f"{row.done}/{row.total}",
                                               sheet_state(t, row)), key=row.reviewer)

    def action_refresh(self) -> None:
        self.load_status()

    def action_toggle_language(self) -> None:
        self.review_app.t = Messages("en" if self.t.lang == "zh-TW" else "zh-TW")
        self._label(app_too=True)
        if self.loaded is not None:
            self._show(self.loaded)
