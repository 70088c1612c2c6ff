"""The chair's decisions: a discrepancy, a tie, and the unseal.

The discrepancy and tie dialogs return what the chair chose (the chair screen records it
through the engine); the unseal dialog does the unseal itself, in a worker, so a wrong
passphrase or share is reported in place and nothing changes until the input is right.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Input, Label, RadioButton, RadioSet

from ..engine.decisions.records import DecisionRow, Outcome, Rung, Status
from ..engine.decisions.tally import OUTCOMES
from ..engine.errors import ReviewError
from ..engine.sealing.unseal import UnsealReport
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import tie_text
from .dialogs import Choices, Dialog, FormDialog
from .plain import Plain


@dataclass(frozen=True)
class DiscrepancyChoice:
    action: Outcome
    reviewer: str | None
    note: str


@dataclass(frozen=True)
class TieChoice:
    action: str  # lottery | order
    group: list[str]  # the tied group it decides
    order: list[str]
    note: str


class DiscrepancyDialog(FormDialog[DiscrepancyChoice]):
    """Each reviewer's total for a flagged entry; keep, drop one, re-score or no award."""

    def __init__(self, t: Messages, row: DecisionRow) -> None:
        super().__init__(t)
        self.row = row
        self.reviewers = [r.reviewer for r in row.reviews]

    def compose(self) -> ComposeResult:
        t, row = self.t, self.row
        with Vertical():
            yield Plain(t("tui.disc.title", code=row.code, spread=row.spread),
                        classes="heading")
            yield Plain("\n".join(
                t("tui.disc.review_rescored", reviewer=r.reviewer, total=r.total,
                  first=r.first_round["total"]) if r.first_round else
                t("tui.disc.review", reviewer=r.reviewer, total=r.total)
                for r in row.reviews), classes="hint")
            with Choices(id="action"):
                for index, action in enumerate(OUTCOMES):
                    yield RadioButton(t(f"tui.disc.{action}"), value=index == 0)
            yield Label(t("tui.disc.reviewer"))
            with Choices(id="reviewer-choice"):  # not "reviewer": that is the sheet
                for index, reviewer in enumerate(self.reviewers):
                    yield RadioButton(reviewer, value=index == 0)
            yield Label(t("tui.note"))
            yield Input(id="note")
            yield from self.form_end(t("tui.ok"))

    def submit(self) -> None:
        action = OUTCOMES[max(self.query_one("#action", RadioSet).pressed_index, 0)]
        picked = self.query_one("#reviewer-choice", RadioSet).pressed_index
        reviewer = (self.reviewers[picked]
                    if action in (Outcome.DROP, Outcome.RESCORE) and picked >= 0 else None)
        self.dismiss(DiscrepancyChoice(action, reviewer,
                                       self.query_one("#note", Input).value.strip()))


class TieDialog(Dialog[TieChoice]):
    """How a tie stands: the rungs compared, then what is left to decide for the group the
    entry is in — draw its lottery (the seed is shown) or record the meeting's order, as
    the ladder says; a tie that decides no award needs neither."""

    def __init__(self, t: Messages, row: DecisionRow, last_rung: str,
                 criteria: Mapping[str, str] | None = None) -> None:
        super().__init__(t)
        assert row.tie is not None
        self.row, self.last_rung, self.tie = row, last_rung, row.tie
        self.criteria = criteria  # the track's criteria by id, named for the reader
        self.final = self.tie.final_step(row.code)
        self.open = self.final is not None and not self.final.decided
        self.drawn = self.final if self.final and self.final.seed is not None else None
        self.can_draw = self.open and last_rung in (Rung.LOTTERY, Rung.SHARED)
        self.can_order = (self.final is not None and not self.drawn
                          and (last_rung in (Rung.CHAIR, Rung.SHARED)
                               or self.final.rung == Rung.CHAIR))

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t("tui.tie.title", codes=t("sep.list").join(self.tie.group)),
                        classes="heading")
            yield Plain(tie_text(t, self.tie, self.criteria), classes="hint")
            if self.final is None:
                order = " > ".join(" = ".join(block) for block in self.tie.order)
                rung = self.tie.steps[-1].rung if self.tie.steps else Rung.CRITERIA
                yield Plain(t("tui.tie.broken", rung=t(f"rung.{rung}"), order=order))
            elif self.drawn:
                yield Plain(t("tui.tie.drawn", seed=self.drawn.seed,
                              order=" > ".join(self.drawn.order or ())))
            elif not self.open:
                yield Plain(t("tui.tie.ordered", order=" > ".join(self.final.order or ())))
            else:
                deciding = self.row.status == Status.TIE_PENDING
                yield Plain(t("tui.tie.decides" if deciding else "tui.tie.decides_nothing",
                              codes=t("sep.list").join(self.final.group)))
                yield Plain(t(f"tui.tie.{self.last_rung}_explain"), classes="hint")
            if self.can_order:
                group = self.final.group if self.final else ()
                prefill = self.final.order if self.final else None
                yield Label(t("tui.tie.order"))
                yield Input(" > ".join(prefill or group), id="order")
                yield Label(t("tui.note"))
                yield Input(id="note")
            yield Plain("", id="error", classes="error")
            with Horizontal(classes="buttons"):
                if self.can_draw:
                    yield Button(t("tui.tie.draw"), variant="warning", id="lottery")
                if self.can_order:
                    yield Button(t("tui.tie.record"), variant="primary", id="order-button")
                yield Button(t("tui.close"), id="no")

    def on_mount(self) -> None:
        if not self.can_order:  # a draw cannot be undone: a slip of Enter must not draw
            self.query_one("#no", Button).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._record_order()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "lottery" and self.final is not None:
            self.dismiss(TieChoice("lottery", list(self.final.group), [], ""))
        elif event.button.id == "order-button":
            self._record_order()
        else:
            self.dismiss(None)

    def _record_order(self) -> None:
        if self.final is None:
            return
        group = list(self.final.group)
        note = self.query_one("#note", Input).value.strip()
        text = self.query_one("#order", Input).value.replace(",", ">")
        order = [c.strip().upper() for c in text.split(">") if c.strip()]
        if sorted(order) != sorted(group):
            self.show_error(self.t("tui.tie.bad_order", codes=self.t("sep.list").join(group)))
            return
        self.dismiss(TieChoice("order", group, order, note))


class UnsealDialog(FormDialog[UnsealReport]):
    """The chair's passphrase, or k share files; unseals in a worker, errors shown here."""

    def __init__(self, t: Messages, workspace: Workspace) -> None:
        super().__init__(t)
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t("tui.unseal.title"), classes="heading")
            yield Plain(t("tui.unseal.explain"), classes="hint")
            with Choices(id="method"):
                yield RadioButton(t("tui.seal.method.passphrase"), value=True)
                yield RadioButton(t("tui.unseal.by_shares"))
            yield Label(t("tui.seal.passphrase"), id="pass-label")
            yield Input(password=True, id="passphrase")
            yield Label(t("tui.unseal.share_files"), id="share-label")
            yield Input(id="shares", placeholder=t("tui.unseal.share_placeholder"))
            yield from self.form_end(t("tui.unseal.go"), "warning")

    def on_mount(self) -> None:
        self._show_fields()
        self.query_one("#passphrase", Input).focus()

    @property
    def by_shares(self) -> bool:
        return self.query_one("#method", RadioSet).pressed_index == 1

    def _show_fields(self) -> None:
        for selector in ("#pass-label", "#passphrase"):
            self.query_one(selector).display = not self.by_shares
        for selector in ("#share-label", "#shares"):
            self.query_one(selector).display = self.by_shares

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._show_fields()

    def submit(self) -> None:
        self.query_one("#ok", Button).disabled = True
        self.show_error(self.t("tui.unseal.working"))
        if self.by_shares:
            text = self.query_one("#shares", Input).value
            files = [Path(p.strip()).expanduser() for p in text.replace(";", ",").split(",")
                     if p.strip()]
            self.unseal(None, files)
        else:
            self.unseal(self.query_one("#passphrase", Input).value, [])

    @dataclass
    class Unsealed(Message):
        report: UnsealReport

    @dataclass
    class Refused(Message):
        text: str

    @work(thread=True, exclusive=True, group="unseal")
    def unseal(self, passphrase: str | None, files: list[Path]) -> None:
        from ..engine.sealing.unseal import unseal

        try:
            self.post_message(self.Unsealed(unseal(self.workspace, passphrase=passphrase,
                                                   share_files=files)))
        except ReviewError as error:
            self.post_message(self.Refused(self.t(error.key, **error.params)))

    @on(Unsealed)
    def _unsealed(self, message: Unsealed) -> None:
        self.dismiss(message.report)

    @on(Refused)
    def _failed(self, message: Refused) -> None:
        self.show_error(message.text)
        self.query_one("#ok", Button).disabled = False
        field = self.query_one("#shares" if self.by_shares else "#passphrase", Input)
        if not self.by_shares:
            field.value = ""
        field.focus()
