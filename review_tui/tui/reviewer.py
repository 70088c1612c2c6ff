"""Reviewer mode: the queue, the reading pane and the scoring form.

Only what a reviewer may see is shown: code, title, redacted text; never an agency, a writer
or another reviewer's score. Every accepted field is saved at once through the engine's
:class:`ScoreSheet` (atomic + fsync, a few milliseconds); a refused value stays in the field
with the reason under it, and nothing is written.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Input, Static

from ..engine.config import RUBRIC_POINTS
from ..engine.errors import ReviewError
from ..engine.scoring.scores import SUBMITTED, ScoreSheet
from ..i18n import Messages
from ..present import criterion_named
from .dialogs import ConfirmDialog
from .footer import KeyFooter
from .queue import QueueList
from .reading import ReadingText
from .score_field import ScoreField

UNTOUCHED, DRAFT, DONE, RECUSED = "untouched", "draft", "done", "recused"
BAR_CELLS = 24
STATE_COLUMN = 1  # the queue's columns: code, state, length, title


def _short(text: str, most: int = 12) -> str:
    """A typed value as a message quotes it: a long paste cut, not echoed whole."""
    return text if len(text) <= most else text[:most] + "…"


def progress_bar(done: int, total: int, cells: int = BAR_CELLS) -> str:
    """"━━━━━╺━━━ 5/21": done entries of the sheet, as one line of text."""
    filled = round(cells * done / total) if total else 0
    return f"[$success]{'━' * filled}[/][dim]{'─' * (cells - filled)}[/] {done}/{total}"


class ConfirmSubmit(ConfirmDialog):
    """Ask before locking the sheet; list what is still unscored."""

    def __init__(self, t: Messages, unscored: list[str]) -> None:
        details = [t("tui.submit.unscored", count=len(unscored), codes=", ".join(unscored))
                   ] if unscored else []
        super().__init__(t, t("tui.submit.question"), details, t("tui.submit.yes"))


class ReviewerScreen(Screen[None]):
    """One reviewer's sheet."""

    MODE = "reviewer"
    # Below 120 columns the queue gives its width to the text (ctrl+↓/↑ still move through
    # it) and the form shows who is scoring and how far they are: beside the queue and the
    # form, 100 columns left the text 24 cells (12 characters a line).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (120, "-wide"), (170, "-xwide")]  # noqa: RUF012 - Textual's type

    # The first score field takes focus as the screen opens (the queue when the sheet is
    # locked, from _fill_form): focusing the queue first and moving on cost two more frames.
    AUTO_FOCUS = ".criteria Input"

    class Closed(Message):
        """The reviewer went back to the start screen."""

    # Not priority bindings: a key then reaches the screen after the field has taken the
    # keys typed before it, so "3", "5", Ctrl+↓ typed ahead saves 35 before moving on.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+down,ctrl+n", "next_entry", "tui.next", id="next"),
        Binding("ctrl+up", "previous_entry", "tui.previous", id="previous"),
        Binding("pagedown", "page_down", "tui.page_down", show=False),
        Binding("pageup", "page_up", "tui.page_up", show=False),
        Binding("ctrl+s", "submit_sheet", "tui.submit", id="submit"),
        Binding("ctrl+r", "recuse", "tui.recuse", id="recuse"),
        Binding("ctrl+o", "criterion_comment", "tui.criterion_comment", id="criterion-comment"),
        Binding("ctrl+t", "return_sheet", "tui.return_sheet", id="return-sheet"),
        Binding("escape", "leave", "tui.back", id="back"),
    ]

    def __init__(self, sheet: ScoreSheet, t: Messages) -> None:
        super().__init__()
        self.sheet = sheet
        self.t = t
        self.index = 0
        self.scores = sheet.scores()
        self._mounting: dict[str, AwaitMount] = {}  # a track's fields being built
        self._progress_shown = self._refusal_shown = ""
        self._leave_refused: tuple[str, str] | None = None  # a refused value left once
        # The entry whose stored values the form shows; None while it is being refilled
        # (a new track's fields are filled after a refresh): until then nothing in it is
        # the reviewer's typing, and nothing may be saved from it.
        self._form_code: str | None = None
        # The screen's keys by key, for the fields to run in turn with what is typed.
        self._sheet_keys = {key.strip(): getattr(self, f"action_{binding.action}")
                            for binding in self.BINDINGS if isinstance(binding, Binding)
                            for key in binding.key.split(",")}

    def compose(self) -> ComposeResult:
        # Lean on purpose (start-up is benchmarked): the criterion's name is its field's
        # border title and a refusal its border subtitle, the progress bar is one Static,
        # and only the first entry's track form exists until another track is shown.
        with Horizontal(id="reviewer"):
            with Vertical(id="queue-pane"):
                yield Static(id="who")
                yield Static(id="progress")
                yield QueueList([self.t("tui.code"), self.t("tui.state"), self.t("tui.length"),
                                 self.t("tui.title_column")], id="queue")
            with VerticalScroll(id="reading"):
                yield Static(id="entry-title")
                yield Static(id="entry-text")
            with VerticalScroll(id="form") as form:
                form.can_focus = False  # Shift+Tab from the first field goes to the text
                yield Static(id="narrow-status")
                if self.sheet.queue:
                    yield self._criteria_block(self.sheet.queue[0].track)
                yield Static(id="refusal", classes="message")
                yield Static(id="total")
                yield self._field(id="comment", placeholder=self.t("tui.comment"))
                yield Static(id="saved", classes="message")
        yield KeyFooter()

    def _criteria_block(self, track_id: str) -> Vertical:
        """One track's fields, built once and kept: switching entries only refills values."""
        fields = []
        for criterion in self.sheet.criteria[track_id]:
            name = criterion.name if self.t.lang == "zh-TW" else criterion.name_en
            field = self._field(id=f"c-{track_id}-{criterion.id}",
                                placeholder=f"0–{criterion.points}")
            field.border_title = self.t("tui.criterion", name=name, points=criterion.points)
            fields.append(field)
        return Vertical(*fields, id=f"criteria-{track_id}", classes="criteria")

    def on_mount(self) -> None:
        self.query_one("#who", Static).update(
            f"[b]{self.t('tui.title')}[/b]\n" + self.t("tui.reviewer.who",
                                                       reviewer=self.sheet.reviewer))
        self.query_one("#queue", QueueList).set_rows(
            [(item.code, self.t(f"tui.state.{self._state(item.code)}"), item.char_count,
              item.title) for item in self.sheet.queue])
        self._update_progress()
        self.show_entry(self._first_to_score())

    def _first_to_score(self) -> int:
        """Where a reviewer picks up: the first entry not fully scored (a reopened sheet, a
        sheet left half done), or the first entry when every one is."""
        return next((index for index, item in enumerate(self.sheet.queue)
                     if not self.sheet.is_complete(item.code, self.scores)), 0)

    # --- showing ---------------------------------------------------------------------------

    def _state(self, code: str) -> str:
        row = self.scores.get(code)
        if row and row.get("recused"):
            return RECUSED
        if not row or not row.get("scores"):
            return UNTOUCHED
        return DONE if self.sheet.is_complete(code, self.scores) else DRAFT

    def _refresh_row(self, index: int) -> None:
        """Show the state of the queue's entry ``index`` and the progress after a change."""
        state = self._state(self.sheet.queue[index].code)
        self.query_one("#queue", QueueList).set_cell(index, STATE_COLUMN,
                                                     self.t(f"tui.state.{state}"))
        self._update_progress()

    def _update_progress(self, *, locked: bool = False) -> None:
        """The progress line (and the narrow screen's status); a submitted sheet says so
        there, where it is seen, instead of the bar."""
        done = sum(self._state(item.code) in (DONE, RECUSED) for item in self.sheet.queue)
        bar = progress_bar(done, len(self.sheet.queue))
        if locked:
            bar = f"[b $success]✓ {self.t('tui.sheet.submitted')}[/] {done}/{len(self.sheet.queue)}"
        if bar != self._progress_shown:
            self._progress_shown = bar
            self.query_one("#progress", Static).update(bar, layout=False)  # one line, always
            who = self.t("tui.reviewer.who", reviewer=self.sheet.reviewer)
            self.query_one("#narrow-status", Static).update(
                Content.assemble((who, "bold"), "\n", Content.from_markup(bar)), layout=False)

    @property
    def locked(self) -> bool:
        return self.sheet.status() == SUBMITTED

    def show_entry(self, index: int) -> None:
        """Show entry ``index`` of the queue: its text and a form for its criteria."""
        self.index = max(0, min(index, len(self.sheet.queue) - 1))
        item = self.sheet.queue[self.index]
        self.query_one("#queue", QueueList).move_cursor(self.index)
        # Text, not markup: a title or a text may hold anything, "[/b]" and "C:\[1]" included.
        # Both broken into lines as Chinese is typeset: no line starts with "，" or ends
        # with "「".
        self.query_one("#entry-title", Static).update(
            ReadingText(f"{item.code}　{item.title}", style="bold"))
        self.query_one("#entry-text", Static).update(
            ReadingText(item.text(self.sheet.workspace)))
        self.query_one("#reading", VerticalScroll).scroll_home(animate=False)
        self._form_code = None
        self._fill_form(item)

    @work(group="form-fill")
    async def _fill_when_mounted(self, item: Any) -> None:
        """Fill the form once its track's new block (its fields with it) is mounted, if the
        entry is still the one shown. Awaited, not polled: moving on twice before the
        fields were in used to query a field that was not there yet."""
        mounting = self._mounting.get(item.track)
        if mounting is not None:
            await mounting
            self._mounting.pop(item.track, None)
        if self.sheet.queue[self.index] is item:
            self._fill_form(item)

    def _fill_form(self, item: Any) -> None:
        """Show the entry's track's fields with its stored values; focus the first."""
        given = self.scores.get(item.code, {}).get("scores", {})
        recused = self.scores.get(item.code, {}).get("recused")
        locked = self.locked or bool(recused)
        if not self.query(f"#criteria-{item.track}"):  # a track not shown before: build it
            self._mounting[item.track] = self.query_one("#form", VerticalScroll).mount(
                self._criteria_block(item.track), before="#refusal")
        if item.track in self._mounting:  # being built: filled once its fields are in
            self._fill_when_mounted(item)
            return
        for block in self.query(".criteria"):
            block.display = block.id == f"criteria-{item.track}"
        for field in self.query("#form Input"):  # every track's fields and the comment
            field.disabled = locked
        first = None
        remarks = self.scores.get(item.code, {}).get("criterion_comments", {})
        for criterion_id, field in self._score_fields(item):
            field.value = given.get(criterion_id, "")
            field.remove_class("invalid")
            field.border_subtitle = "✎" if remarks.get(criterion_id) else ""
            first = first or field
        self._refuse("")
        comment = self.query_one("#comment", Input)
        comment.value = self.scores.get(item.code, {}).get("comment", "")
        note = (self.t("tui.recused", reason=recused["reason"]) if recused
                else self.t("tui.locked") if locked else "")
        self.query_one("#saved", Static).update(note, layout=False)
        self._update_progress(locked=self.locked)  # a withdrawn entry is not a submitted sheet
        self._show_total(item.code)
        self._form_code = item.code
        if first is not None and not locked:
            first.focus()
        elif locked:
            self.query_one("#queue", QueueList).focus()

    def _show_total(self, code: str) -> None:
        total = self.sheet.total(code, self.scores)
        line = self.t("tui.total", total=f"{total}", maximum=RUBRIC_POINTS)
        if self.sheet.needs_comment(code, self.scores):  # said at the field it asks for
            line += "　" + self.t("tui.comment_needed", below=self.sheet.comment_below)
        self.query_one("#total", Static).update(line, layout=False)  # one line: no re-layout

    # --- saving ----------------------------------------------------------------------------

    def _field(self, **kwargs: Any) -> ScoreField:
        """A field of the form: Enter, Tab and the sheet's keys act in the order typed."""
        return ScoreField(on_enter=self._field_entered, sheet_keys=self._sheet_keys, **kwargs)

    def _field_entered(self, field: Input) -> None:
        """Enter: save the field (or refuse it with the reason), then go to the next one."""
        if self._save_field(field):
            self.focus_next()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        """Leaving a field (Tab, a click) saves what was typed in it, as Enter does. Not
        when the screen itself is left or covered (a dialog, help): leaving saved already,
        and under a dialog the typing stays in its field."""
        if self.app.screen is self and event.input in self._unsaved():
            self._save_field(event.input)

    def _save_field(self, field: Input) -> bool:
        """Save one field of the entry on screen, or show why it is refused (the value
        stays in the field, selected, and nothing is written). True when saved."""
        code = self.sheet.queue[self.index].code
        name = field.id or ""
        saved = self.query_one("#saved", Static)
        # What is on screen follows what was saved, without reading the sheet back.
        row = self.scores.setdefault(code, {"code": code, "scores": {}, "comment": ""})
        try:
            if name == "comment":
                self.sheet.save_comment(code, field.value)
                row["comment"] = field.value.strip()
            elif name.startswith("c-"):
                criterion = name.split("-", 2)[2]
                if field.value.strip():
                    value = self.sheet.save(code, criterion, field.value)
                    field.value = row["scores"][criterion] = str(value)
                else:
                    self.sheet.clear(code, criterion)
                    row["scores"].pop(criterion, None)
                self._refuse("")
                field.remove_class("invalid")
                field.border_subtitle = ("✎" if row.get("criterion_comments", {}).get(criterion)
                                         else "")
        except ReviewError as error:
            params = criterion_named(self.t, dict(error.params), self.sheet.criteria_of(code))
            self._refuse(self.t(error.key, **params))
            field.add_class("invalid")
            field.border_subtitle = "✗"
            field.select_all()  # the next keys replace the refused value
            saved.update("", layout=False)
            return False
        saved.update(self.t("tui.saved"), layout=False)
        self._show_total(code)
        self._refresh_row(self.index)
        return True

    def _unsaved(self) -> list[Input]:
        """The fields of the entry on screen whose text is not what is stored."""
        if self.locked or not self.sheet.queue:
            return []
        item = self.sheet.queue[self.index]
        if self._form_code != item.code:  # still being filled with what is stored
            return []
        row = self.scores.get(item.code, {})
        stored = row.get("scores", {})
        fields = [field for criterion_id, field in self._score_fields(item)
                  if field.value.strip() != str(stored.get(criterion_id, ""))]
        comment = self.query_one("#comment", Input)
        if comment.value.strip() != row.get("comment", ""):
            fields.append(comment)
        return fields

    def _score_fields(self, item: Any) -> list[tuple[str, Input]]:
        """The entry's criteria and their fields (its track's, in the criteria's order)."""
        return [(criterion.id, self.query_one(f"#c-{item.track}-{criterion.id}", Input))
                for criterion in self.sheet.criteria_of(item.code)]

    def _save_unsaved(self) -> bool:
        """Before leaving the entry (Ctrl+↓/↑, a row, Esc, Ctrl+S): save what was typed and
        not entered, so nothing typed is lost. False, with that field focused and the
        reason shown, when a value is refused: the reviewer stays to correct it, told that
        the same key again drops the value. Pressed again with the value unchanged, the
        field gets back what is stored and the reviewer leaves (never trapped)."""
        for field in self._unsaved():
            if self._save_field(field):
                continue
            refused = (field.id or "", field.value)
            if refused == self._leave_refused:
                self._drop(field)
                continue
            self._leave_refused = refused
            field.focus()
            self.notify(self.t("tui.refused.leave_hint", value=_short(field.value)),
                        severity="warning")
            return False
        self._leave_refused = None
        return True

    def _drop(self, field: Input) -> None:
        """Put back what is stored in a field whose refused value the reviewer gave up."""
        code = self.sheet.queue[self.index].code
        row = self.scores.get(code, {})
        name = field.id or ""
        value = field.value
        field.value = (row.get("comment", "") if name == "comment"
                       else str(row.get("scores", {}).get(name.split("-", 2)[2], "")))
        field.remove_class("invalid")
        field.border_subtitle = ("✎" if name.startswith("c-") and row.get(
            "criterion_comments", {}).get(name.split("-", 2)[2]) else "")
        self._refuse("")
        self.notify(self.t("tui.refused.dropped", value=_short(value)))

    def _refuse(self, message: str) -> None:
        """Show (or clear) the reason a value was refused; a layout only when it changes:
        re-laying the screen out on every saved score cost 50 ms a key."""
        if message != self._refusal_shown:
            self._refusal_shown = message
            self.query_one("#refusal", Static).update(message)

    # --- actions ---------------------------------------------------------------------------

    def on_queue_list_selected(self, event: QueueList.Selected) -> None:
        self._move_to(event.index)

    def action_next_entry(self) -> None:
        self._move_to(self.index + 1)

    def action_previous_entry(self) -> None:
        self._move_to(self.index - 1)

    def _move_to(self, index: int) -> None:
        if self._save_unsaved():
            self.show_entry(index)
        else:  # refused: stay, and keep the queue's cursor on the entry being scored
            self.query_one("#queue", QueueList).move_cursor(self.index)

    def action_page_down(self) -> None:
        self.query_one("#reading", VerticalScroll).scroll_page_down()

    def action_page_up(self) -> None:
        self.query_one("#reading", VerticalScroll).scroll_page_up()

    def action_leave(self) -> None:
        if not self._save_unsaved():
            return
        self.app.pop_screen()
        self.app.post_message(self.Closed())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """A submitted sheet offers no Submit and no recusal: its fields are read only too.
        Writing the signed sheet for the chair is a packet laptop's key only."""
        if action == "return_sheet":
            return self._on_laptop
        return not self.locked if action in ("submit_sheet", "recuse") else True

    @work(exclusive=True, group="reviewer-action")
    async def action_criterion_comment(self) -> None:
        """A comment on the criterion whose field has the cursor (✎ marks one given)."""
        from .dialogs import PromptDialog

        field = self.focused
        item = self.sheet.queue[self.index]
        if (self.locked or not isinstance(field, Input)
                or not (field.id or "").startswith(f"c-{item.track}-")):
            self.notify(self.t("tui.criterion_comment.pick"), severity="warning")
            return
        criterion_id = (field.id or "").split("-", 2)[2]
        criterion = next(c for c in self.sheet.criteria_of(item.code) if c.id == criterion_id)
        row = self.scores.setdefault(item.code, {"code": item.code, "scores": {}, "comment": ""})
        given = row.get("criterion_comments", {}).get(criterion_id, "")
        name = criterion.name if self.t.lang == "zh-TW" else criterion.name_en
        text = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.criterion_comment.question", criterion=name, code=item.code),
            value=given, hint=self.t("tui.criterion_comment.hint"), optional=True))
        if text is None:
            return
        try:
            self.sheet.save_criterion_comment(item.code, criterion_id, text)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="error")
            return
        row["criterion_comments"] = self.sheet.scores()[item.code].get("criterion_comments", {})
        field.border_subtitle = "✎" if text.strip() else ""
        self._show_total(item.code)
        field.focus()

    @work(exclusive=True, group="reviewer-action")
    async def action_recuse(self) -> None:
        """自行迴避: withdraw from the entry on screen, with a reason; the score is not
        counted and the meeting is told."""
        from ..engine.scoring.recusal import declare_recusal
        from .dialogs import PromptDialog

        item = self.sheet.queue[self.index]
        if self.locked or self.scores.get(item.code, {}).get("recused"):
            self.notify(self.t("tui.locked"))
            return
        if not self._save_unsaved():
            return
        reason = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.recuse.question", code=item.code),
            hint=self.t("tui.recuse.hint")))
        if not reason:
            return
        try:
            found = declare_recusal(self.sheet.workspace, self.sheet.reviewer, item.code, reason)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="error")
            return
        row = self.scores.setdefault(item.code, {"code": item.code, "scores": {}, "comment": ""})
        row["recused"] = {"reason": found.reason, "by": found.by, "at": found.at}
        self._refresh_row(self.index)
        self.show_entry(self.index)
        self.notify(self.t("tui.recuse.done", code=item.code))

    @work(exclusive=True, group="reviewer-action")
    async def action_submit_sheet(self) -> None:
        if self.locked:
            self.notify(self.t("tui.locked"))
            return
        if not self._save_unsaved():
            return
        if not await self.app.push_screen_wait(ConfirmSubmit(self.t, self.sheet.unscored())):
            return
        self.sheet.submit(allow_incomplete=True)
        self.notify(self.t("tui.submitted"))
        self.show_entry(self.index)
        self.refresh_bindings()  # Submit is no longer offered
        if self._on_laptop:  # the chair needs the signed sheet next
            await self._write_returned_sheet()

    @property
    def _on_laptop(self) -> bool:
        """Whether this sheet is on a packet's laptop (the app knows, once)."""
        return bool(getattr(self.app, "on_laptop", False))

    @work(exclusive=True, group="reviewer-action")
    async def action_return_sheet(self) -> None:
        """On a packet's laptop: write the signed sheet for the chair to import (the CLI's
        ``packet return``), where the reviewer says (a USB stick); interim ones allowed."""
        if not self.check_action("return_sheet", ()):  # a field runs the key directly
            return
        if not self._save_unsaved():
            return
        await self._write_returned_sheet()

    async def _write_returned_sheet(self) -> None:
        from pathlib import Path

        from ..engine.scoring.packets import return_sheet
        from .dialogs import PromptDialog

        workspace = self.sheet.workspace
        default = workspace.root.resolve().parent / f"sheet-{self.sheet.reviewer}.json"
        answer = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.return.question"), value=str(default),
            hint=self.t("tui.return.hint")))
        if not answer:
            return
        try:
            path = return_sheet(workspace, Path(answer).expanduser())
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="error", timeout=15)
            return
        lines = [self.t("packet.returned", path=str(path))]
        if not self.locked:  # an interim return: say what it counts as
            total = len(self.sheet.queue)
            lines.append(self.t("packet.returned_draft", done=total - len(self.sheet.unscored()),
                                total=total))
        self.notify("\n".join(lines), timeout=20)
