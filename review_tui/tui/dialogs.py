"""Modal dialogs shared by the modes: confirm, prompt, PIN or credential, the reviewer's
declaration, and long work with a progress bar.

Each dialog returns its answer through ``dismiss`` (``None`` or ``False`` on Escape). Work
that can fail (a wrong passphrase, a locked file) reports the engine's message inside the
dialog and leaves the dialog open, so nothing changes until the input is right.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, RadioSet, Static

from ..engine.errors import ReviewError
from ..engine.model import Progress
from ..i18n import Messages
from ..present import progress_text
from .plain import Plain

T = TypeVar("T")
Job = Callable[[Progress], Any]


class Dialog(ModalScreen[T]):
    """A centred box; Escape cancels (dismisses with ``None``)."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "tui.cancel")]
    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical { width: 72; max-width: 100%; height: auto; max-height: 90%; padding: 1 2;
                        border: thick $primary; background: $surface; overflow-y: auto; }
    Dialog > Vertical Vertical { height: auto; }
    Dialog .buttons { height: auto; margin-top: 1; }
    Dialog .buttons Button { margin-right: 2; }
    Dialog .error { color: $error; height: auto; }
    Dialog .hint { color: $text-muted; height: auto; }
    Dialog Label { margin-top: 1; }
    """

    def __init__(self, t: Messages) -> None:
        super().__init__()
        self.t = t
        self._heading_shown = False

    def on_descendant_focus(self) -> None:
        if not self._heading_shown:  # after the first focus has scrolled (a RadioSet does)
            self._heading_shown = True
            self.call_after_refresh(self._show_heading)

    def _show_heading(self) -> None:
        """On a short terminal the box scrolls, and focusing the first field may have
        scrolled its heading (what is being decided) away: back to the top, unless that
        would hide the focused field."""
        box = self.query_one("Dialog > Vertical")
        focused = self.focused
        if focused is not None and box in focused.ancestors:
            bottom = focused.region.bottom + box.scroll_y  # where it lies once back at top
            if bottom > box.content_region.bottom:
                return
        box.scroll_home(animate=False)  # after the scrolls already asked for (not immediate)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def show_error(self, error: ReviewError | str) -> None:
        text = error if isinstance(error, str) else self.t(error.key, **error.params)
        line = self.query_one("#error", Static)
        line.update(text)
        # On a short terminal the dialog scrolls: bring the message into view once drawn.
        self.call_after_refresh(line.scroll_visible, animate=False)


class Choices(RadioSet):
    """A RadioSet in a form: Enter on another option chooses it, as before; Enter on the
    option already chosen submits the form (the chair handling fourteen discrepancies in a
    meeting should not need three Tabs to reach OK each time). Space only chooses."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose_or_submit", "Choose", show=False),
    ]

    class Submitted(Message):
        """Enter on the chosen option."""

    def action_choose_or_submit(self) -> None:
        highlighted = self._selected  # Textual keeps the highlighted option only here
        if highlighted is not None and highlighted == self.pressed_index:
            self.post_message(self.Submitted())
        else:
            self.action_toggle_button()


class FormDialog(Dialog[T]):
    """A dialog with fields: Enter in a field, on a chosen option or on the OK button
    submits; Cancel dismisses. Subclasses compose their fields, end with :meth:`form_end`,
    and implement :meth:`submit` (which dismisses with the answer, or shows what is
    wrong)."""

    def form_end(self, ok_label: str, variant: str = "primary") -> ComposeResult:
        """The error line and the OK / Cancel buttons."""
        yield Plain("", id="error", classes="error")
        with Horizontal(classes="buttons"):
            yield Button(ok_label, variant=variant, id="ok")  # type: ignore[arg-type]
            yield Button(self.t("tui.cancel"), id="no")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.submit()

    def on_choices_submitted(self, event: Choices.Submitted) -> None:
        self.submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self.submit()
        else:
            self.dismiss(None)

    def submit(self) -> None:
        raise NotImplementedError


class ConfirmDialog(Dialog[bool]):
    """A question, what it will do, and Yes / Cancel."""

    def __init__(self, t: Messages, question: str, details: list[str] | None = None,
                 yes: str | None = None) -> None:
        super().__init__(t)
        self.question, self.details, self.yes = question, details or [], yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.question, id="question", classes="heading")
            for line in self.details:
                yield Plain(line, classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(self.yes or self.t("tui.yes"), variant="warning", id="yes")
                yield Button(self.t("tui.cancel"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()  # a slip of Enter must not seal or commit

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "yes":  # Enter on the focused Cancel: say so, not silence
            self.app.notify(self.t("tui.cancelled"), timeout=4)
        self.dismiss(event.button.id == "yes")


class DeclarationDialog(Dialog[bool]):
    """The committee's 利益迴避及保密 declaration, to confirm before the sheet opens."""

    def __init__(self, t: Messages, reviewer: str, text: str) -> None:
        super().__init__(t)
        self.reviewer, self.text = reviewer, text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.t("tui.declaration.title", reviewer=self.reviewer),
                        classes="heading")
            yield Plain(self.text, id="declaration")
            with Horizontal(classes="buttons"):
                yield Button(self.t("tui.declaration.agree"), variant="primary", id="yes")
                yield Button(self.t("tui.back"), id="no")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


class PromptDialog(FormDialog[str]):
    """One line of text (a reason, a folder, a list of codes); empty is refused unless
    ``optional`` (then it clears what was there)."""

    def __init__(self, t: Messages, question: str, *, value: str = "", hint: str = "",
                 password: bool = False, check: Callable[[str], str | None] | None = None,
                 optional: bool = False) -> None:
        super().__init__(t)
        self.question, self.value, self.hint = question, value, hint
        self.password, self.check, self.optional = password, check, optional

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.question, classes="heading")
            if self.hint:
                yield Plain(self.hint, classes="hint")
            yield Input(self.value, password=self.password, id="answer")
            yield from self.form_end(self.t("tui.ok"))

    def submit(self) -> None:
        value = self.query_one("#answer", Input).value.strip()
        problem = (self.t("tui.required") if not value and not self.optional
                   else self.check(value) if self.check and value else None)
        if problem:
            self.show_error(problem)
            return
        self.dismiss(value)


class SecretDialog(Dialog[bool]):
    """One secret typed masked (a PIN, a credential): ``verify`` says whether it is right or
    raises the engine's refusal (too many tries: the wait); a wrong one lets them try again."""

    def __init__(self, t: Messages, heading: str, verify: Callable[[str], bool], *,
                 wrong: str, hint: str = "") -> None:
        super().__init__(t)
        self.heading, self.verify, self.wrong, self.hint = heading, verify, wrong, hint

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.heading, classes="heading")
            if self.hint:
                yield Plain(self.hint, classes="hint")
            yield Input(password=True, id="pin")
            yield Plain("", id="error", classes="error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        try:
            right = self.verify(event.value)
        except ReviewError as error:  # a wrong credential, or the wait: said, not a crash
            event.input.value = ""
            self.show_error(self.t(error.key, **error.params))
            return
        if right:
            self.dismiss(True)
            return
        event.input.value = ""
        self.show_error(self.wrong)


class PinDialog(SecretDialog):
    """A reviewer's PIN."""

    def __init__(self, t: Messages, reviewer: str, verify: Callable[[str], bool]) -> None:
        super().__init__(t, t("tui.pin.question", reviewer=reviewer), verify,
                         wrong=t("tui.pin.wrong"))
        self.reviewer = reviewer


@dataclass(frozen=True)
class Done(Generic[T]):
    """A finished job's result (which may itself be None)."""

    result: T


class WorkDialog(Dialog[Done[Any]]):
    """Runs ``job(progress)`` in a thread with a progress bar; the screen stays live.

    Dismisses with :class:`Done`; an engine error is shown in the dialog (dismissed with
    ``None`` on Close), so the caller only ever sees a finished result.
    """

    BINDINGS: ClassVar[list[BindingType]] = []  # no Escape: the work cannot be half-cancelled

    def __init__(self, t: Messages, title: str, job: Job) -> None:
        super().__init__(t)
        self.title_text, self.job = title, job

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.title_text, classes="heading")
            yield ProgressBar(id="bar", show_eta=False)
            yield Plain("", id="phase", classes="hint")  # what is being done: 轉檔 12／58
            yield Plain("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                yield Button(self.t("tui.close"), id="close", disabled=True)

    def on_mount(self) -> None:
        self.run()

    @dataclass
    class Progressed(Message):
        done: int
        total: int
        phase: str = ""

    @dataclass
    class Finished(Message):
        result: Any

    @dataclass
    class Failed(Message):
        text: str

    @work(thread=True, exclusive=True, group="dialog-work")
    def run(self) -> None:
        shown = [-1]

        def progress(phase: str, done: int, total: int) -> None:
            step = max(total // 100, 1)  # a hundred updates at most
            if done == total or done - shown[0] >= step:
                shown[0] = done
                self.post_message(self.Progressed(done, max(total, 1), phase))

        try:
            result = self.job(progress)
        except ReviewError as error:
            self.post_message(self.Failed(self.t(error.key, **error.params)))
            return
        except Exception as error:  # never a traceback in the meeting room
            self.post_message(self.Failed(self.t("tui.internal_error", reason=repr(error))))
            return
        self.post_message(self.Finished(result))

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        self.query_one("#bar", ProgressBar).update(total=message.total, progress=message.done)
        text = progress_text(self.t, message.phase, message.done, message.total)
        if text is not None:
            self.query_one("#phase", Plain).update(text)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.dismiss(Done(message.result))

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self.query_one(".heading", Plain).update(self.t("tui.work.failed"))  # not "…ing"
        self.query_one("#bar", ProgressBar).display = False  # it would pulse on, as if working
        self.show_error(message.text)
        close = self.query_one("#close", Button)
        close.disabled = False
        close.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)


class ResultDialog(Dialog[None]):
    """What was done, line by line (files written, hashes), with one Close button."""

    def __init__(self, t: Messages, title: str, lines: list[str]) -> None:
        super().__init__(t)
        self.title_text, self.lines = title, lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(self.title_text, classes="heading")
            yield Plain("\n".join(self.lines), id="lines", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button(self.t("tui.close"), variant="primary", id="close")

    def on_mount(self) -> None:
        self.query_one("#close", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
