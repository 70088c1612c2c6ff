"""Who may enter a mode: the chair's and the secretariat's credentials in the app (SPEC §11).

Entering the chair's or the secretariat's mode asks that role's credential (a committee whose
role has none yet sets one here, typed twice with its strength shown); the role stays signed
in while its mode is open and is signed out when the mode is left, so the next person at the
keyboard is asked again. An app opened for one reviewer leaves that reviewer's sheet only
with the secretariat's credential.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..engine.access.credentials import (
    DEMO_CREDENTIALS,
    check_credential,
    credential_bits,
    is_demo,
    is_set,
    set_credential,
    sign_in,
    signed_in,
)
from ..engine.errors import ReviewError
from ..engine.workspace import Workspace
from ..i18n import Messages
from .dialogs import Dialog, FormDialog, SecretDialog
from .plain import Plain


class NewCredentialDialog(FormDialog[bool]):
    """A role's first credential: typed twice, masked, its strength shown as it is typed;
    ``apply`` keeps it (a refusal is shown and nothing is kept)."""

    def __init__(self, t: Messages, role: str, apply: Callable[[str], object], *,
                 heading: str = "tui.credential.set_heading") -> None:
        super().__init__(t)
        self.role, self.apply, self.heading = role, apply, heading

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t(self.heading, role=self.role), classes="heading")
            yield Plain(t("tui.credential.set_hint"), classes="hint")
            yield Input(password=True, id="first")
            yield Static(t("credential.strength", bits=0), id="strength", classes="hint")
            yield Input(password=True, id="again",
                        placeholder=t("credential.prompt_again").rstrip(": ："))
            yield from self.form_end(t("tui.ok"))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "first":
            self.query_one("#strength", Static).update(
                self.t("credential.strength", bits=credential_bits(event.value)))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.prevent_default()  # instead of FormDialog's submit-on-Enter, which runs too
        if event.input.id == "first":  # Enter in the first field: on to the second
            self.query_one("#again", Input).focus()
            return
        self.submit()

    def submit(self) -> None:
        first = self.query_one("#first", Input).value
        try:
            check_credential(first)
            if self.query_one("#again", Input).value != first:
                raise ReviewError("credential.mismatch")
            self.apply(first)
        except ReviewError as error:
            self.show_error(error)
            return
        self.dismiss(True)


async def enter_role(app: App[None], workspace: Workspace, t: Messages, role: str) -> bool:
    """Whether ``role`` is signed in: at once if it is, after its credential otherwise (or
    after setting its first one). Awaited from a ``@work`` action."""
    if signed_in(workspace, role) is not None:
        return True
    dialog: Dialog[bool] = (
        NewCredentialDialog(t, role, lambda secret: set_credential(workspace, role, secret))
        if not is_set(workspace, role) else
        SecretDialog(t, t("tui.credential.question", role=role),
                     lambda secret: bool(sign_in(workspace, role, secret)),
                     wrong="", hint=_demo_hint(workspace, t, role)))
    given: bool | None = await app.push_screen_wait(dialog)
    return bool(given)


async def change_credential(app: App[None], workspace: Workspace, t: Messages,
                            role: str) -> None:
    """``role`` changes its own credential (the CLI's ``roles set``): the current one
    first, even while signed in (someone may have sat down at an open screen), then the
    new one typed twice; its key's fingerprint is said, to write down. Awaited from a
    ``@work`` action."""
    from ..engine.access.credentials import fingerprint

    current: bool | None = await app.push_screen_wait(SecretDialog(
        t, t("tui.credential.current", role=role),
        lambda secret: bool(sign_in(workspace, role, secret)),
        wrong="", hint=_demo_hint(workspace, t, role)))
    if not current:
        return
    keys: list[str] = []

    def apply(secret: str) -> None:
        keys.append(set_credential(workspace, role, secret, by=role).public)

    if await app.push_screen_wait(NewCredentialDialog(t, role, apply,
                                                      heading="tui.credential.new_heading")):
        app.notify(t("credential.set", role=role, fingerprint=fingerprint(keys[-1])),
                   timeout=20)


async def release_reviewer(app: App[None], workspace: Workspace, t: Messages,
                           reviewer: str) -> bool:
    """Whether an app opened for ``reviewer`` may change roles: only once the
    secretariat's credential was given."""
    if not is_set(workspace, "secretariat"):  # nobody could release it: a fresh start is needed
        app.notify(t("tui.kept_to_reviewer", reviewer=reviewer), severity="warning",
                   timeout=10)
        return False
    given: bool | None = await app.push_screen_wait(SecretDialog(
        t, t("tui.credential.release", reviewer=reviewer),
        lambda secret: bool(sign_in(workspace, "secretariat", secret)),
        wrong="", hint=_demo_hint(workspace, t, "secretariat")))
    return bool(given)


def _demo_hint(workspace: Workspace, t: Messages, role: str) -> str:
    """The demo committee's published credential, said where it is asked."""
    return (t("tui.credential.demo_hint", secret=DEMO_CREDENTIALS[role])
            if is_demo(workspace, role) else "")

