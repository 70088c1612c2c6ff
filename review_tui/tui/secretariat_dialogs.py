"""The secretariat's two irreversible steps: how to seal, and how to deal.

Each dialog only gathers and checks the choices (cheap checks here, the rest in the engine);
the secretariat screen then asks to confirm and runs the step with a progress bar.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from ..engine.errors import ReviewError
from ..engine.sealing.keys import MIN_PASSPHRASE_BITS, check_passphrase, passphrase_bits
from ..engine.workspace import Workspace, refuse_inside_workspace
from ..i18n import Messages
from .dialogs import Choices, FormDialog
from .plain import Plain

METHODS = ("passphrase", "shares", "both")


@dataclass(frozen=True)
class SealChoice:
    passphrase: str | None
    shares: tuple[int, int] | None  # (count, threshold)
    share_dir: Path | None
    originals: str  # archive | delete


@dataclass(frozen=True)
class DealChoice:
    seed: int
    per_entry: int | None


def strength_text(t: Messages, passphrase: str) -> str:
    """The live strength line under the passphrase field."""
    bits = passphrase_bits(passphrase)
    level = "weak" if bits < MIN_PASSPHRASE_BITS else "fair" if bits < 80 else "strong"
    return t(f"tui.seal.strength.{level}", bits=bits, minimum=MIN_PASSPHRASE_BITS)


class SealDialog(FormDialog[SealChoice]):
    """Passphrase typed twice (masked, strength shown) and/or k-of-n share files."""

    def __init__(self, t: Messages, workspace: Workspace) -> None:
        super().__init__(t)
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        t = self.t
        default_dir = self.workspace.root.parent / f"{self.workspace.root.name}-shares"
        with Vertical():
            yield Plain(t("tui.seal.title"), classes="heading")
            yield Plain(t("tui.seal.explain"), classes="hint")
            with Choices(id="method"):
                for index, method in enumerate(METHODS):
                    yield RadioButton(t(f"tui.seal.method.{method}"), value=index == 0)
            with Vertical(id="passphrase-fields"):
                yield Label(t("tui.seal.passphrase"))
                yield Input(password=True, id="pass1")
                yield Static(strength_text(t, ""), id="strength", classes="hint")
                yield Label(t("tui.seal.again"))
                yield Input(password=True, id="pass2")
            with Vertical(id="share-fields"):
                yield Label(t("tui.seal.shares"))
                with Horizontal(classes="row"):
                    yield Input("5", id="count", type="integer")
                    yield Input("3", id="threshold", type="integer")
                yield Label(t("tui.seal.share_dir"))
                yield Input(str(default_dir), id="share-dir")
            yield Label(t("tui.seal.originals"))
            with Choices(id="originals"):
                yield RadioButton(t("tui.seal.originals.archive"), value=True)
                yield RadioButton(t("tui.seal.originals.delete"))
            yield from self.form_end(t("tui.seal.go"), "warning")

    def on_mount(self) -> None:
        self._show_fields()
        self.query_one("#pass1", Input).focus()

    @property
    def method(self) -> str:
        return METHODS[max(self.query_one("#method", RadioSet).pressed_index, 0)]

    def _show_fields(self) -> None:
        self.query_one("#passphrase-fields").display = self.method != "shares"
        self.query_one("#share-fields").display = self.method != "passphrase"

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id == "method":
            self._show_fields()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "pass1":
            self.query_one("#strength", Static).update(strength_text(self.t, event.value))
        if event.input.id in ("pass1", "pass2"):  # a refusal about the old text is stale
            self.query_one("#error", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves from the first passphrase field to the second; elsewhere it seals."""
        event.prevent_default()  # instead of FormDialog's submit-on-Enter
        if event.input.id == "pass1":
            self.query_one("#pass2", Input).focus()
        else:
            self.submit()

    def submit(self) -> None:
        try:
            self.dismiss(self._choice())
        except ReviewError as error:
            self.show_error(error)

    def _choice(self) -> SealChoice:
        passphrase = shares = share_dir = None
        if self.method != "shares":
            first = self.query_one("#pass1", Input).value
            passphrase = check_passphrase(first)
            if self.query_one("#pass2", Input).value != first:
                raise ReviewError("seal.passphrase_mismatch")
        if self.method != "passphrase":
            try:
                count = int(self.query_one("#count", Input).value)
                threshold = int(self.query_one("#threshold", Input).value)
            except ValueError:
                raise ReviewError("seal.bad_shares", threshold="?", count="?",
                                  maximum=16) from None
            shares = (count, threshold)
            share_dir = Path(self.query_one("#share-dir", Input).value.strip()).expanduser()
            refuse_inside_workspace(self.workspace, share_dir, self.t("tui.seal.share_dir"))
        originals = ("archive", "delete")[max(
            self.query_one("#originals", RadioSet).pressed_index, 0)]
        return SealChoice(passphrase, shares, share_dir, originals)


class DealDialog(FormDialog[DealChoice]):
    """The deal's seed (drawn now, shown, editable to reproduce a deal) and reviewers/entry."""

    def __init__(self, t: Messages, reviewers: int) -> None:
        super().__init__(t)
        self.reviewers = reviewers

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t("tui.deal.title"), classes="heading")
            yield Plain(t("tui.deal.explain", reviewers=self.reviewers), classes="hint")
            yield Label(t("tui.deal.seed"))
            yield Input(str(secrets.randbelow(10**6)), id="seed", type="integer")
            yield Label(t("tui.deal.per_entry"))
            yield Input(str(min(3, self.reviewers)), id="per-entry", type="integer",
                        placeholder=t("tui.deal.everyone"))
            yield from self.form_end(t("tui.deal.go"), "warning")

    def submit(self) -> None:
        seed = self.query_one("#seed", Input).value.strip()
        per_entry = self.query_one("#per-entry", Input).value.strip()
        if not seed.isdigit() or (per_entry and not per_entry.isdigit()):
            self.show_error(self.t("tui.deal.bad_number"))
            return
        if per_entry and not 1 <= int(per_entry) <= self.reviewers:
            self.show_error(self.t("tui.deal.bad_per_entry", reviewers=self.reviewers))
            return
        self.dismiss(DealChoice(int(seed), int(per_entry) if per_entry else None))
