"""The review-tui application: one workspace, one language, and the modes.

It opens on the :class:`~.start.StartScreen` (where the committee stands; pick a role), or
with ``--as reviewer:ID|chair|secretariat`` straight in a mode; a laptop opened from a
packet goes straight to its reviewer's sheet, without building the start screen at all
(start-up is benchmarked). ``?``/F1 shows help and Ctrl+P the command palette, both built
from the keys the current screen answers to.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property, partial
from typing import TYPE_CHECKING, Any, ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from ..engine.errors import ReviewError
from ..engine.scoring.laptop import refuse_on_laptop
from ..engine.storage.gc_pause import CollectorPause
from ..engine.storage.journal import recover
from ..engine.workspace import Workspace
from ..i18n import Messages
from . import wide_chars
from .hangup import CHECK_SECONDS, terminal_gone

if TYPE_CHECKING:
    from ..engine.scoring.scores import ScoreSheet


wide_chars.install()  # Chinese characters whole under a message or a drop-down


def mode_screen_class(role: str) -> Callable[[Workspace, Messages], Screen[None]]:
    """The chair's or the secretariat's screen; its module is read here (0.05 s of a
    start: ``review-tui tui --as chair`` reads it while the credential's KDF runs)."""
    if role == "chair":
        from .chair import ChairScreen

        return ChairScreen
    from .secretariat import SecretariatScreen

    return SecretariatScreen


class ReviewApp(App[None]):
    """The modes over one workspace, in the user's language."""

    CSS_PATH = "app.tcss"
    _kept_theme: str | None = None  # the theme shown once the committee's was applied
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1,question_mark", "help", "tui.help", id="help", key_display="?"),
        Binding("q", "quit", "tui.quit", id="quit"),
    ]

    def __init__(self, workspace: Workspace, lang: str | None = None,
                 role: str | None = None) -> None:
        super().__init__()
        self.workspace = workspace
        self.t = Messages(lang)
        self.role = role
        self._start_pause: CollectorPause | None = None

    def on_load(self) -> None:
        # Composing the first screen allocates hundreds of thousands of objects, few of
        # them garbage; the collector walking them again and again took 40–220 ms of a
        # 0.5 s start (benchmarked). It runs again after the first frame.
        self._start_pause = CollectorPause()

    def on_mount(self) -> None:
        self.call_after_refresh(self._end_start_pause)
        if not self.is_headless:
            self.set_interval(CHECK_SECONDS, self._quit_if_terminal_gone)
        self._apply_saved_theme()
        try:  # a step a kill interrupted is finished or undone before anything is shown
            recover(self.workspace.root, wait=False)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="error", timeout=15)
        self.title = self.t("tui.title")
        reviewer = self.kept_reviewer
        if reviewer:  # straight to the sheet; the start screen is built when they go back
            self.open_reviewer(reviewer)
            return
        if self.role in ("chair", "secretariat"):
            if self._signed_in(self.role):  # straight in (signed in with a credential
                self._open_mode(self.role)  # file): the start screen is built on leaving
                return
            self.show_start(wait=True)  # read once shown: the mode covers it at once
            self._open_mode(self.role)
            return
        self.show_start()

    def _apply_saved_theme(self) -> None:
        """The committee's theme as last chosen (a projector's high contrast stays set)."""
        from .display import CONTRAST_THEME, saved_theme

        self.register_theme(CONTRAST_THEME)
        theme = saved_theme(self.workspace)
        if theme in self.available_themes:
            self.theme = theme
        self._kept_theme = self.theme  # from now on a change is the user's, and kept

    def watch_theme(self, theme: str) -> None:
        """Keep a theme chosen in the app (the palette, or the chair's projector key)."""
        from .display import save_theme

        if self._kept_theme is not None and theme != self._kept_theme:
            self._kept_theme = theme
            save_theme(self.workspace, theme)

    def on_unmount(self) -> None:
        if self._start_pause is not None:
            self._start_pause.end()  # closed before its first frame

    def _quit_if_terminal_gone(self) -> None:
        if terminal_gone():
            self.exit()

    def _end_start_pause(self) -> None:
        if self._start_pause is not None:
            self._start_pause.end()

    def show_start(self, *, wait: bool = False) -> None:
        """The start screen, unless it is already in the stack; with ``wait`` it reads
        the committee's status only once it is shown (a mode is opening over it: at 20,000
        entries its reading competed with the mode's own for a second)."""
        from .start import StartScreen

        if not any(isinstance(screen, StartScreen) for screen in self.screen_stack):
            self.push_screen(StartScreen(self.workspace, wait=wait))

    def action_chair(self) -> None:
        """The chair's progress board and ranking, and the chair's decisions."""
        self._open_mode("chair")

    def action_secretariat(self) -> None:
        """Intake, seal and deal."""
        self._open_mode("secretariat")

    @work(exclusive=True, group="app-action")
    async def _open_mode(self, role: str) -> None:
        """The chair's or the secretariat's mode, once that role's credential is given (an
        app kept to one reviewer first needs the secretariat's, see :mod:`.sign_in`)."""
        from ..engine.access.credentials import sign_out
        from .sign_in import enter_role, release_reviewer

        if not self._committee_ready():
            self._start_reads()
            return
        kept = self.kept_reviewer
        if kept:
            if not await release_reviewer(self, self.workspace, self.t, kept):
                return
            self.__dict__["kept_reviewer"] = None  # the cached answer, now none
            if role != "secretariat":  # released for this once, not a secretariat session
                sign_out(self.workspace, "secretariat")
        if await enter_role(self, self.workspace, self.t, role):
            self.push_screen(self._mode_screen(role))
        else:
            self._start_reads()

    def _start_reads(self) -> None:
        """The start screen, left showing (no mode opened over it), reads the status now;
        built now when the mode was to open without it."""
        from .start import StartScreen

        if not any(isinstance(screen, StartScreen) for screen in self.screen_stack):
            self.show_start()
        elif isinstance(self.screen, StartScreen) and self.screen.loaded is None:
            self.screen.load_status()

    def _signed_in(self, role: str) -> bool:
        from ..engine.access.credentials import signed_in

        return self.workspace.exists() and signed_in(self.workspace, role) is not None

    def on_mode_screen_closed(self) -> None:
        """Back from a mode opened straight away: the start screen, built now."""
        self.show_start()

    def _mode_screen(self, role: str) -> Screen[None]:
        return mode_screen_class(role)(self.workspace, self.t)

    @cached_property
    def kept_reviewer(self) -> str | None:
        """The one reviewer this app serves (``--as reviewer:ID``, or a packet's reviewer):
        only their sheet and their own progress are shown; another mode needs the
        secretariat's credential (and never opens on a packet's laptop)."""
        return self._reviewer_role()

    @cached_property
    def on_laptop(self) -> bool:
        """Whether this workspace is a reviewer's packet (only that reviewer's sheet)."""
        from ..engine.scoring.laptop import packet_reviewer

        try:
            return self.workspace.exists() and packet_reviewer(self.workspace) is not None
        except ReviewError:
            return False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No secretariat or chair key on a packet's laptop (refused anyway)."""
        return not (action in ("secretariat", "chair") and self.on_laptop)

    def _committee_ready(self) -> bool:
        """A committee whose rules can be read (a settings file changed after the seal, or
        broken, is named in a message instead of opening a mode on it), and not a reviewer's
        packet (only that reviewer's sheet opens there)."""
        if not self.workspace.exists():
            self.notify(self.t("tui.no_committee"), severity="warning")
            return False
        try:
            _ = self.workspace.config
            refuse_on_laptop(self.workspace)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="error", timeout=15)
            return False
        return True

    def action_help(self) -> None:
        """The current mode's guide and keys."""
        from .help import HelpScreen, screen_keys

        if isinstance(self.screen, HelpScreen):
            return
        mode = getattr(self.screen, "MODE", "start")
        self.push_screen(HelpScreen(self.t, mode, screen_keys(self.screen)))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The command palette: every key of the current screen, by its name, then Textual's."""
        from .help import screen_keys

        for key in screen_keys(screen):
            if key.action not in ("quit", "command_palette"):
                yield SystemCommand(key.description, key.key,
                                    partial(self.run_action, key.action, key.node))
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Textual's key panel: ours is ? (help), translated
                yield command

    def on_reviewer_screen_closed(self) -> None:
        """Back from a sheet opened directly: the start screen, built now."""
        self.show_start()

    def _reviewer_role(self) -> str | None:
        """``--as reviewer:ID``, or the reviewer a packet laptop belongs to."""
        if self.role and self.role.startswith("reviewer:"):
            return self.role.split(":", 1)[1]
        try:
            from ..engine.scoring.laptop import packet_reviewer

            return packet_reviewer(self.workspace) if self.workspace.exists() else None
        except ReviewError:
            return None

    def open_reviewer(self, reviewer: str) -> None:
        """Reviewer mode for ``reviewer``; a message instead when they cannot score yet."""
        from ..engine.access.pins import has_pin
        from ..engine.scoring.declaration import needs_declaration
        from ..engine.scoring.scores import ScoreSheet
        from .reviewer import ReviewerScreen

        try:
            sheet = ScoreSheet(self.workspace, reviewer)
            needs_pin = has_pin(self.workspace, reviewer)
            needs_words = needs_declaration(self.workspace, reviewer)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="warning")
            self.show_start()
            return
        if not needs_pin and not needs_words:
            self.push_screen(ReviewerScreen(sheet, self.t))
            return
        self._open_guarded(sheet, needs_pin, needs_words)

    @work(exclusive=True, group="app-action")
    async def _open_guarded(self, sheet: ScoreSheet, needs_pin: bool, needs_words: bool) -> None:
        """The reviewer's sheet once their PIN is right and the declaration confirmed (on
        first opening: audited); the start screen if they go back."""
        from ..engine.access.pins import verify_pin
        from ..engine.scoring.declaration import confirm_declaration, declaration_text
        from .dialogs import DeclarationDialog, PinDialog
        from .reviewer import ReviewerScreen

        reviewer = sheet.reviewer
        if needs_pin and not await self.push_screen_wait(PinDialog(
                self.t, reviewer, lambda pin: verify_pin(self.workspace, reviewer, pin))):
            self.show_start()
            return
        if needs_words:
            if not await self.push_screen_wait(DeclarationDialog(
                    self.t, reviewer, declaration_text(self.workspace))):
                self.show_start()
                return
            try:
                confirm_declaration(self.workspace, reviewer)
            except ReviewError as error:
                self.notify(self.t(error.key, **error.params), severity="error")
                self.show_start()
                return
        self.push_screen(ReviewerScreen(sheet, self.t))
