"""The committee meeting in the app: the roll (attendance and quorum), the agenda, and the
papers (the secretariat's sign-in sheet, the chair's minutes).

:class:`AttendanceDialog` ticks the members present, saying as they are ticked whether they
make the quorum; the chair screen records the roll through the engine. :class:`AgendaScreen`
lists every matter in order, open ones first to the eye (no tick), with the robustness of
the decisions below; Enter takes the chair to a matter (the chair screen opens its dialog),
``n`` records the meeting's note on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Label, SelectionList

from ..engine.decisions.robustness import TrackRobustness
from ..engine.errors import ReviewError
from ..engine.meeting.agenda import Matter
from ..engine.meeting.attendance import Quorum
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import matter_text, quorum_summary, robustness_lines
from .dialogs import FormDialog
from .footer import KeyFooter
from .line_table import LineTable, TablePage
from .plain import Plain

if TYPE_CHECKING:
    from ..engine.meeting.papers import PaperReport
    from .mode import ModeScreen


@dataclass(frozen=True)
class PaperChoice:
    """Where and when the meeting is held, and the folder its paper goes to."""

    place: str
    day: date
    folder: Path


class PaperDialog(FormDialog[PaperChoice]):
    """The place, the day (today unless changed) and the folder of a meeting paper."""

    def __init__(self, t: Messages, title: str) -> None:
        super().__init__(t)
        self.title_text = title

    def compose(self) -> ComposeResult:
        from ..engine.exports import DEFAULT_EXPORTS

        t = self.t
        with Vertical():
            yield Plain(self.title_text, classes="heading")
            yield Label(t("tui.paper.place"))
            yield Input(id="place")
            yield Label(t("tui.paper.day"))
            yield Input(date.today().isoformat(), id="day")
            yield Label(t("tui.export.question"))
            yield Input(str(DEFAULT_EXPORTS), id="folder")
            yield from self.form_end(t("tui.paper.write"))

    def on_mount(self) -> None:
        self.query_one("#place", Input).focus()

    def submit(self) -> None:
        from ..engine.meeting.papers import meeting_day

        try:
            day = meeting_day(self.query_one("#day", Input).value) or date.today()
        except ReviewError as error:
            self.show_error(error)
            return
        folder = self.query_one("#folder", Input).value.strip()
        if not folder:
            self.show_error(self.t("tui.required"))
            return
        self.dismiss(PaperChoice(self.query_one("#place", Input).value.strip(), day,
                                 Path(folder)))


async def write_paper(screen: ModeScreen, title: str,
                      write: Callable[..., PaperReport]) -> None:
    """Ask where and when, write a meeting paper in the progress dialog, list its files."""
    from ..present import paper_summary
    from .dialogs import ResultDialog

    choice = await screen.app.push_screen_wait(PaperDialog(screen.t, title))
    if choice is None:
        return
    done = await screen.run_step(screen.t("tui.paper.running"), lambda progress: write(
        screen.workspace, choice.folder, place=choice.place, day=choice.day,
        progress=progress))
    if done is not None:
        screen.app.push_screen(ResultDialog(screen.t, title,
                                            paper_summary(screen.t, done.result)))


@dataclass(frozen=True)
class RecusalChoice:
    reviewer: str
    code: str
    reason: str


class RecusalDialog(FormDialog[RecusalChoice]):
    """The secretariat records a reviewer's recusal: who, which entry, why."""

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t("tui.recusal.title"), classes="heading")
            yield Plain(t("tui.recusal.hint"), classes="hint")
            yield Label(t("tui.recusal.reviewer"))
            yield Input(id="reviewer", placeholder="J01")
            yield Label(t("tui.recusal.code"))
            yield Input(id="code", placeholder="R-7K3M")
            yield Label(t("tui.recusal.reason"))
            yield Input(id="reason")
            yield from self.form_end(t("tui.recusal.record"))

    def submit(self) -> None:
        values = {name: self.query_one(f"#{name}", Input).value.strip()
                  for name in ("reviewer", "code", "reason")}
        empty = next((name for name, value in values.items() if not value), None)
        if empty is not None:
            self.query_one(f"#{empty}", Input).focus()
            self.show_error(self.t("tui.required"))
            return
        self.dismiss(RecusalChoice(values["reviewer"].upper(), values["code"].upper(),
                                   values["reason"]))


@dataclass(frozen=True)
class Roll:
    """The members ticked present, and the others (recorded absent)."""

    present: list[str]
    absent: list[str]


class AttendanceDialog(FormDialog[Roll]):
    """The members, each ticked if present; the quorum's state follows the ticks."""

    # A committee of 200 members made the list as long as the dialog could be: at 80x24
    # the box scrolled, and the heading, the quorum and the buttons were out of sight.
    DEFAULT_CSS = """
    AttendanceDialog #members { height: auto; max-height: 35vh; }
    """

    def __init__(self, t: Messages, quorum: Quorum) -> None:
        super().__init__(t)
        self.quorum = quorum

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t("tui.attend.title"), classes="heading")
            yield Plain(t("tui.attend.hint"), classes="hint")
            yield SelectionList[str](*[
                (t("tui.attend.member", id=m.id, name=m.name,
                   kind=t("meeting.external" if m.external else "meeting.internal")),
                 m.id, bool(m.present)) for m in self.quorum.members], id="members")
            yield Plain(quorum_summary(t, self.quorum), id="quorum")
            yield from self.form_end(t("tui.attend.save"))

    def on_mount(self) -> None:
        self.query_one("#members", SelectionList).focus()
        self._show_quorum()

    @on(SelectionList.SelectedChanged)
    def _show_quorum(self) -> None:
        ticked = self.query_one("#members", SelectionList).selected
        self.query_one("#quorum", Plain).update(
            quorum_summary(self.t, self.quorum.assuming(ticked)))

    def submit(self) -> None:
        ticked = set(self.query_one("#members", SelectionList).selected)
        if not ticked:
            self.show_error(self.t("meeting.attend_nobody"))
            return
        ids = [m.id for m in self.quorum.members]
        self.dismiss(Roll([i for i in ids if i in ticked], [i for i in ids if i not in ticked]))


class AgendaScreen(Screen[Matter | None]):
    """Every matter of the meeting, in order; dismissed with the matter to go to."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "go", "tui.agenda.go", id="go"),
        Binding("n", "note", "tui.agenda.note", id="note"),
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("escape", "back", "tui.back", id="back"),
    ]

    def __init__(self, workspace: Workspace, t: Messages) -> None:
        super().__init__()
        self.workspace, self.t = workspace, t
        self.matters: list[Matter] = []
        self._placed = False

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header()
        yield Plain(t("tui.agenda.loading"), id="agenda-quorum")
        with TablePage(id="agenda"):
            yield Label(t("tui.agenda.title"), classes="heading")
            yield LineTable(id="matters")
            yield Label(t("tui.agenda.robustness"), classes="heading")
            yield Plain(t("tui.agenda.weighing"), id="robustness")
        yield Plain("", id="matter-detail")
        yield KeyFooter()

    @dataclass
    class Loaded(Message):
        quorum: Quorum
        matters: list[Matter]

    @dataclass
    class Weighed(Message):
        """The robustness, worked out after the agenda is shown (seconds on a large
        committee: the meeting starts on the matters meanwhile)."""

        robustness: list[TrackRobustness]

    @dataclass
    class LoadFailed(Message):
        text: str

    def on_mount(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="agenda")
    def load(self) -> None:
        """The roll, the agenda and the robustness, read off the UI thread."""
        from ..engine.decisions.robustness import robustness
        from ..engine.decisions.tally import tally
        from ..engine.meeting.agenda import agenda
        from ..engine.meeting.attendance import quorum

        try:
            result = tally(self.workspace, record=False)
            self.post_message(self.Loaded(quorum(self.workspace),
                                          agenda(self.workspace, result)))
            self.post_message(self.Weighed([] if result.frozen else robustness(self.workspace)))
        except ReviewError as error:
            self.post_message(self.LoadFailed(self.t(error.key, **error.params)))

    @on(LoadFailed)
    def _failed(self, message: LoadFailed) -> None:
        self.query_one("#agenda-quorum", Plain).update(message.text)

    @on(Loaded)
    def _show(self, loaded: Loaded) -> None:
        t, committee = self.t, self.workspace.config
        self.matters = loaded.matters
        self.query_one("#agenda-quorum", Plain).update(quorum_summary(t, loaded.quorum))
        table = self.query_one("#matters", LineTable)
        table.set_rows([(str(number), "" if m.open else "✓", matter_text(t, m, committee))
                        for number, m in enumerate(loaded.matters, start=1)],
                       [m.id for m in loaded.matters],
                       headers=("#", t("tui.agenda.done"), t("tui.agenda.matter")),
                       keep_cursor=True)
        if not loaded.matters:
            table.set_rows([("", "", t("agenda.empty"))], [""], headers=(
                "#", t("tui.agenda.done"), t("tui.agenda.matter")))
        if not self._placed:  # the meeting goes on from the first matter still open
            self._placed = True
            first_open = next((i for i, m in enumerate(loaded.matters) if m.open), 0)
            table.move_cursor(first_open)
        table.focus(scroll_visible=False)  # the heading stays in view (a scroll moved it)
        self._show_detail()

    @on(Weighed)
    def _show_robustness(self, weighed: Weighed) -> None:
        lines = [line for report in weighed.robustness
                 for line in robustness_lines(self.t, report, self.workspace.config)]
        self.query_one("#robustness", Plain).update("\n".join(lines) or self.t("agenda.empty"))

    @on(LineTable.RowHighlighted)
    def _show_detail(self) -> None:
        """The highlighted matter in full, under the table (a cell may cut it)."""
        matter = self._highlighted()
        self.query_one("#matter-detail", Plain).update(
            matter_text(self.t, matter, self.workspace.config) if matter else "")

    def _highlighted(self) -> Matter | None:
        key = self.query_one("#matters", LineTable).cursor_key
        return next((m for m in self.matters if m.id == key), None)

    def action_go(self) -> None:
        matter = self._highlighted()
        if matter is not None:
            self.dismiss(matter)

    @work(exclusive=True, group="agenda-note")
    async def action_note(self) -> None:
        """Record what the meeting said on the highlighted matter."""
        from ..engine.meeting.agenda import note_matter
        from .dialogs import PromptDialog

        matter = self._highlighted()
        if matter is None:
            return
        note = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.agenda.note_question",
                           matter=matter_text(self.t, matter, self.workspace.config)),
            value=matter.note))
        if not note:
            return
        try:
            note_matter(self.workspace, matter.id, note)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="error")
            return
        self.notify(self.t("meeting.noted", matter=matter.id))
        self._placed = False  # on to the next open matter
        self.load()

    def action_back(self) -> None:
        self.dismiss(None)
