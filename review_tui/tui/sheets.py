"""The secretariat's sheets in the app (``p``): blank paper sheets, reviewers' laptop
packets, importing returned sheets (paper or laptop), and reviewers' PINs — the CLI's
``scores template``, ``packet export``, ``scores import`` and ``reviewers pin``, through
the same engine calls."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet

from ..engine.errors import ReviewError
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import sheet_import_lines
from .dialogs import Choices, FormDialog, PromptDialog, ResultDialog
from .plain import Plain

if TYPE_CHECKING:
    from ..engine.scoring.sheet_files import SheetOutcome
    from .secretariat import SecretariatScreen

ACTIONS = ("template", "packet", "import", "pin")


@dataclass(frozen=True)
class SheetsChoice:
    action: str  # one of ACTIONS
    reviewer: str  # "" for every reviewer dealt (templates, packets)
    path: Path | None  # the folder written to, or the sheet or folder imported
    replace: bool = False  # import: a paper sheet may overwrite what a reviewer stored


class SheetsDialog(FormDialog[SheetsChoice]):
    """What to do with the reviewers' sheets, for whom, and where."""

    def __init__(self, t: Messages, workspace: Workspace) -> None:
        super().__init__(t)
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical():
            yield Plain(t("tui.sheets.title"), classes="heading")
            with Choices(id="action"):
                for index, action in enumerate(ACTIONS):
                    yield RadioButton(t(f"tui.sheets.{action}"), value=index == 0)
            yield Label(t("tui.sheets.reviewer"), id="reviewer-label")
            yield Input(id="reviewer", placeholder="J01")
            yield Label("", id="path-label")
            yield Input(id="path")
            yield Checkbox(t("tui.sheets.replace"), id="replace")
            yield from self.form_end(t("tui.ok"))

    def on_mount(self) -> None:
        self._show_fields()
        self.query_one("#action", RadioSet).focus()

    @property
    def action(self) -> str:
        return ACTIONS[max(self.query_one("#action", RadioSet).pressed_index, 0)]

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._show_fields()

    def _show_fields(self) -> None:
        action, t = self.action, self.t
        self.query_one("#reviewer-label", Label).update(t(
            "tui.sheets.reviewer_one" if action == "pin" else "tui.sheets.reviewer"))
        for name in ("reviewer-label", "reviewer"):
            self.query_one(f"#{name}").display = action != "import"
        for name in ("path-label", "path"):
            self.query_one(f"#{name}").display = action != "pin"
        self.query_one("#replace").display = action == "import"
        # an import has no reviewer field above its path: the box to tick takes that line,
        # so the form still fits 80×24 without scrolling
        self.query_one("#path-label").styles.margin = (0 if action == "import" else 1, 0, 0, 0)
        self.query_one("#path-label", Label).update(t(f"tui.sheets.path.{action}")
                                                    if action != "pin" else "")
        default = {"template": self.workspace.root.parent / "評分表範本",
                   "packet": self.workspace.root.parent / "委員封包"}.get(action)
        self.query_one("#path", Input).value = str(default) if default else ""

    def submit(self) -> None:
        action = self.action
        reviewer = self.query_one("#reviewer", Input).value.strip().upper()
        text = self.query_one("#path", Input).value.strip()
        if action == "pin" and not reviewer:
            self.query_one("#reviewer", Input).focus()
            self.show_error(self.t("tui.required"))
            return
        if action != "pin" and not text:
            self.query_one("#path", Input).focus()
            self.show_error(self.t("tui.required"))
            return
        self.dismiss(SheetsChoice(action, reviewer if action != "import" else "",
                                  Path(text).expanduser() if text else None,
                                  action == "import"
                                  and self.query_one("#replace", Checkbox).value))


def dealt_queues(workspace: Workspace, reviewer: str) -> dict[str, list[str]]:
    """The queue of the one reviewer named, or of every reviewer dealt (by id); a name
    not dealt is refused."""
    from ..engine.scoring.deal import load_deal

    queues = load_deal(workspace).queues
    if not reviewer:
        return dict(sorted(queues.items()))
    if reviewer not in queues:
        raise ReviewError("score.unknown_reviewer", reviewer=reviewer)
    return {reviewer: queues[reviewer]}


def free_paths(reviewers: Iterable[str], folder: Path, name: str) -> list[tuple[str, Path]]:
    """(reviewer, file in ``folder``) for each of ``reviewers``, ``name`` formatted with
    the id; refused when any file exists (nothing given out is overwritten, every name
    checked before the first is written). The folder is made."""
    pairs = [(who, folder / name.format(reviewer=who)) for who in reviewers]
    taken = next((path for _, path in pairs if path.exists()), None)
    if taken is not None:
        raise ReviewError("tui.sheets.exists", path=str(taken))
    folder.mkdir(parents=True, exist_ok=True)
    return pairs


def write_templates(workspace: Workspace, reviewer: str, folder: Path) -> list[str]:
    """A blank paper sheet per reviewer in ``folder``."""
    from ..engine.scoring.paper import template_csv
    from ..engine.storage.atomic import write_bytes_atomic

    pairs = free_paths(dealt_queues(workspace, reviewer), folder, "評分表_{reviewer}.csv")
    for who, path in pairs:
        write_bytes_atomic(path, template_csv(workspace, who).encode("utf-8"))
    return [str(path) for _, path in pairs]


def export_packets(workspace: Workspace, reviewer: str,
                   folder: Path) -> list[tuple[str, str, int]]:
    """Each reviewer's laptop packet in ``folder``: (reviewer, file, entries) for each."""
    from ..engine.scoring.packets import export_packet

    queues = dealt_queues(workspace, reviewer)
    pairs = free_paths(queues, folder, "packet-{reviewer}.json")
    for who, path in pairs:
        export_packet(workspace, who, path)
    return [(who, str(path), len(queues[who])) for who, path in pairs]


async def run_sheets(screen: SecretariatScreen, choice: SheetsChoice) -> None:
    """Carry out ``choice`` in a progress dialog and show what it did."""
    t, workspace = screen.t, screen.workspace
    title = t(f"tui.sheets.{choice.action}")
    if choice.action == "pin":
        await _set_pin(screen, choice.reviewer)
        return
    assert choice.path is not None
    path = choice.path
    if choice.action == "template":
        done = await screen.run_step(title, lambda progress: write_templates(
            workspace, choice.reviewer, path))
        lines = [t("scores.template_written", path=p) for p in done.result] if done else []
    elif choice.action == "packet":
        done = await screen.run_step(title, lambda progress: export_packets(
            workspace, choice.reviewer, path))
        lines = [t("packet.exported", reviewer=name, path=file, entries=entries)
                 for name, file, entries in done.result] if done else []
    else:
        done = await screen.run_step(title, lambda progress: _import(workspace, path,
                                                                     choice.replace))
        if done is None:
            return
        imported, refused = sheet_import_lines(t, workspace, done.result,
                                               replace_hint="tui.sheets.replace_hint")
        lines = imported + refused
        count = len(done.result)
        bad = sum(outcome.error is not None for outcome in done.result)
        if count > 1:  # a folder: how many went in (one sheet says it itself)
            lines.append(t("scores.batch_summary", total=count, imported=count - bad,
                           refused=bad))
    if done is not None:
        screen.app.push_screen(ResultDialog(t, title, lines))


def _import(workspace: Workspace, path: Path, replace: bool) -> list[SheetOutcome]:
    from ..engine.scoring.sheet_files import import_sheets, sheet_paths

    return import_sheets(workspace, sheet_paths([path]), replace=replace)


async def _set_pin(screen: SecretariatScreen, reviewer: str) -> None:
    """The PIN typed twice, masked; then set (or refused, naming why)."""
    from ..engine.access.pins import check_pin_format, set_pin

    t = screen.t

    def well_formed(value: str) -> str | None:
        try:
            check_pin_format(value)
        except ReviewError as error:
            return t(error.key, **error.params)
        return None

    first = await screen.app.push_screen_wait(PromptDialog(
        t, t("tui.sheets.pin_question", reviewer=reviewer), hint=t("tui.sheets.pin_hint"),
        password=True, check=well_formed))
    if not first:
        return
    again = await screen.app.push_screen_wait(PromptDialog(
        t, t("tui.sheets.pin_again", reviewer=reviewer), password=True,
        check=lambda value: None if value == first else t("pin.mismatch")))
    if not again:
        return
    done = await screen.run_step(t("tui.sheets.pin"),
                                 lambda progress: set_pin(screen.workspace, reviewer, first))
    if done is not None:
        screen.notify(t("pin.set", reviewer=reviewer))
