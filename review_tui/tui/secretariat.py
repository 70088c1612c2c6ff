"""Secretariat mode: intake with its findings, then the seal and the deal.

Before seal the table lists every entry as imported, with what the rules found (filter by
severity, agency or rule; the highlighted entry's findings are explained beside it). After
seal it lists the blinded entries (codes and agency pseudonyms only). Import, seal and deal
each run behind a dialog and a confirmation, in a worker with a progress bar.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.widgets import Header, Input, Select, Static

from ..engine.errors import ReviewError
from ..engine.pipeline import stage
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import IntakeRow, deal_text, filter_rows, intake_rows, seal_summary, track_name
from .dialogs import ConfirmDialog, PromptDialog, ResultDialog
from .footer import KeyFooter
from .line_table import LineTable
from .mode import CHANGE_CREDENTIAL, ModeScreen
from .plain import Plain
from .secretariat_dialogs import DealDialog, SealDialog

SEVERITY_MARK = {"reject": "✗", "warn": "!", "info": "·", "": ""}
CELL_WIDTH = 40  # cells: a longer title or agency is cut with "…"


class SecretariatScreen(ModeScreen):
    """Intake table, findings explained, seal and deal."""

    MODE = "secretariat"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("i", "import_manifest", "tui.sec.import", id="import"),
        Binding("a", "import_roster('agencies')", "tui.sec.agencies", id="agencies"),
        Binding("v", "import_roster('reviewers')", "tui.sec.reviewers", id="reviewers"),
        Binding("s", "seal", "tui.sec.seal", id="seal"),
        Binding("d", "deal", "tui.sec.deal", id="deal"),
        Binding("w", "record_recusal", "tui.sec.recusal", id="recusal"),
        Binding("f", "fill", "tui.sec.fill", id="fill"),
        Binding("m", "sign_in_sheet", "tui.sec.sign_in", id="sign-in"),
        Binding("p", "sheets", "tui.sec.sheets", id="sheets"),
        Binding("slash", "focus_filter", "tui.sec.filter", id="filter"),
        CHANGE_CREDENTIAL,
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("escape", "leave", "tui.back", id="back"),
    ]

    def __init__(self, workspace: Workspace, t: Messages) -> None:
        super().__init__(workspace, t)
        self.rows: list[IntakeRow] = []
        self.shown: dict[str, IntakeRow] = {}
        self._refill_pending = False
        self._cells: dict[str, tuple[object, ...]] = {}  # a row's cells, made once per load
        self._widths: list[int] = []  # the columns over every row, measured once per load

    def compose(self) -> ComposeResult:
        t = self.t
        yield Header()
        with Vertical(id="secretariat"):
            yield Plain(t("tui.sec.reading"), id="sec-status")  # until the worker has read
            with Horizontal(id="filters"):
                yield Select([(t("severity.reject"), "reject"), (t("severity.warn"), "warn")],
                             prompt=t("tui.sec.any_severity"), id="severity")
                yield Select([], prompt=t("tui.sec.any_agency"), id="agency")
                yield Input(placeholder=t("tui.sec.rule_placeholder"), id="rule")
            with Horizontal(id="intake-body"):
                yield LineTable(id="intake", max_width=CELL_WIDTH)
                with VerticalScroll(id="detail-pane"):
                    yield Static(id="detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#intake", LineTable).focus()
        self.load()

    # --- loading and showing ---------------------------------------------------------------

    @dataclass
    class Loaded(Message):
        rows: list[IntakeRow]
        stage: str
        rejected: int

    @dataclass
    class LoadFailed(Message):
        text: str

    @work(thread=True, exclusive=True, group="intake")
    def load(self) -> None:
        """Check every entry off the UI thread (it reads the whole intake), then post it."""
        try:
            rows, rejected = intake_rows(self.t, self.workspace)
            self.post_message(self.Loaded(rows, stage(self.workspace), rejected))
        except ReviewError as error:
            self.post_message(self.LoadFailed(self.t(error.key, **error.params)))

    @on(LoadFailed)
    def _load_failed(self, message: LoadFailed) -> None:
        self.query_one("#sec-status", Static).update(message.text)

    @on(Loaded)
    def _loaded(self, loaded: Loaded) -> None:
        self.rows = loaded.rows
        tracks = {track.id: track_name(self.t, track) for track in self.workspace.config.tracks}
        statuses = {status: self.t(f"status.{status}")
                    for status in {row.status for row in self.rows}}
        self._cells = {row.key: (SEVERITY_MARK[row.worst], row.code, statuses[row.status],
                                 len(row.findings) or "", row.title, row.agency,
                                 tracks.get(row.track, row.track)) for row in self.rows}
        self._widths = self.query_one("#intake", LineTable).measure(list(self._cells.values()))
        self.query_one("#sec-status", Static).update(self.t(
            "tui.sec.summary", stage=self.t(f"stage.{loaded.stage}"),
            entries=sum(r.status != "skipped" for r in self.rows),
            rejected=loaded.rejected))
        agencies = sorted({r.agency for r in self.rows if r.agency})
        self.query_one("#agency", Select).set_options((a, a) for a in agencies)
        self._fill()

    def _fill(self) -> None:
        severity = self.query_one("#severity", Select).value
        agency = self.query_one("#agency", Select).value
        shown = filter_rows(self.rows, severity=severity if isinstance(severity, str) else None,
                            agency=agency if isinstance(agency, str) else None,
                            rule=self.query_one("#rule", Input).value)
        t = self.t
        self.shown = {row.key: row for row in shown}
        self.query_one("#intake", LineTable).set_rows(
            [self._cells[row.key] for row in shown], [row.key for row in shown],
            headers=("", t("tui.code"), t("tui.state"), t("tui.sec.findings"),
                     t("tui.title_column"), t("tui.sec.agency"), t("tui.track")),
            keep_cursor=False, widths=self._widths)  # columns stay put while filtering
        self._show_detail(shown[0] if shown else None)

    def _show_detail(self, row: IntakeRow | None) -> None:
        detail = self.query_one("#detail", Static)
        if row is None:
            detail.update(self.t("tui.sec.nothing"))
            return
        t = self.t
        # Parts, not markup: titles, agencies and findings may hold any bracket.
        parts: list[str | tuple[str, str]] = [(row.heading, "bold"), "\n",
                                              row.agency, "\n\n"]
        parts += [f"{line}\n" for line in row.details]
        parts.append("\n")
        if not row.findings:
            parts.append(t("tui.sec.no_findings"))
        for severity, rule, text in sorted(row.findings, key=lambda f: f[0] != "reject"):
            parts += [f"{SEVERITY_MARK[severity]} ", (t(f"severity.{severity}"), "bold"),
                      f" ({rule})\n  {text}\n"]
            family = f"tui.hint.{rule.split('.')[0]}"
            if t.has(family):
                parts += ["  ", (t(family), "dim"), "\n"]
        content = Content.assemble(*parts).rstrip()
        # A detail as high as the one shown is drawn where it is: a layout of the whole
        # screen at every cursor move took 20 of the 50 ms a key took at 20,000 entries.
        width = detail.content_region.width
        rules = detail.styles  # what Textual's Widget measures a visual with, too
        same_height = bool(width) and (content.get_height(rules, width)  # type: ignore[arg-type]
                                       == detail.content_region.height)
        detail.update(content, layout=not same_height)

    def on_line_table_row_highlighted(self, event: LineTable.RowHighlighted) -> None:
        if event.key in self.shown:
            self._show_detail(self.shown[str(event.key)])

    def on_select_changed(self, event: Select.Changed) -> None:
        self._fill()

    def on_input_changed(self, event: Input.Changed) -> None:
        """The rule filter runs after the typed character is drawn (refiltering 20,000
        rows before it held the echo back ~90 ms), once for a burst of keys."""
        if event.input.id == "rule" and not self._refill_pending:
            self._refill_pending = True
            self.call_after_refresh(self._refill)

    def _refill(self) -> None:
        self._refill_pending = False
        self._fill()

    # --- actions ---------------------------------------------------------------------------

    def action_focus_filter(self) -> None:
        self.query_one("#rule", Input).focus()

    def action_leave(self) -> None:
        """Escape in a filter goes back to the table, the filter kept; else to the start."""
        if self.focused is not None and self.query_one("#filters") in self.focused.ancestors:
            self.query_one("#intake", LineTable).focus()
            return
        super().action_leave()

    @work(exclusive=True, group="secretariat-action")
    async def action_import_manifest(self) -> None:
        from ..engine.intake.imports import import_manifest

        path = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.sec.import_question"), hint=self.t("tui.sec.import_hint")))
        if not path:
            return
        done = await self.run_step(self.t("tui.sec.importing", path=path), lambda progress:
                                   import_manifest(self.workspace, Path(path), progress=progress))
        if done is not None:
            report = done.result
            self.notify(self.t(
                "import.report", manifest=report.manifest, encoding=report.encoding,
                rows=report.rows, added=len(report.added), unchanged=len(report.unchanged),
                changed=len(report.changed), replaced=len(report.replaced),
                duplicates=report.duplicates, blank=report.blank), timeout=10)

    @work(exclusive=True, group="secretariat-action")
    async def action_import_roster(self, which: str) -> None:
        from ..engine.intake.roster import import_agencies, import_reviewers

        importer = import_agencies if which == "agencies" else import_reviewers
        path = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t(f"tui.sec.{which}_question")))
        if not path:
            return
        done = await self.run_step(self.t(f"tui.sec.{which}"),
                                   lambda progress: importer(self.workspace, Path(path)))
        if done is not None:
            self.notify(self.t(f"{which}.imported", count=done.result))

    @work(exclusive=True, group="secretariat-action")
    async def action_seal(self) -> None:
        from ..engine.sealing.seal import seal

        if stage(self.workspace) != "intake":  # said before the passphrase is typed twice
            self.notify(self.t("seal.already"), severity="warning")
            return
        choice = await self.app.push_screen_wait(SealDialog(self.t, self.workspace))
        if choice is None:
            return
        details = [self.t("tui.seal.confirm_details",
                          accepted=sum(r.status == "accepted" for r in self.rows),
                          rejected=sum(r.status == "rejected" for r in self.rows))]
        if choice.shares:
            details.append(self.t("tui.seal.confirm_shares", count=choice.shares[0],
                                  threshold=choice.shares[1], folder=str(choice.share_dir)))
        if not await self.app.push_screen_wait(ConfirmDialog(
                self.t, self.t("tui.seal.confirm"), details, self.t("tui.seal.go"))):
            return
        done = await self.run_step(self.t("tui.seal.running"), lambda progress: seal(
            self.workspace, passphrase=choice.passphrase, shares=choice.shares,
            share_dir=choice.share_dir, originals=choice.originals, progress=progress))
        if done is not None:
            self.app.push_screen(ResultDialog(self.t, self.t("tui.seal.title"),
                                              seal_summary(self.t, done.result, choice.shares)))

    @work(exclusive=True, group="secretariat-action")
    async def action_record_recusal(self) -> None:
        """Record a reviewer's recusal (自行迴避) told to the secretariat; a refusal (an
        entry not dealt to them, one already recorded) is said in the progress dialog."""
        from ..engine.scoring.recusal import record_recusal
        from .meeting import RecusalDialog

        choice = await self.app.push_screen_wait(RecusalDialog(self.t))
        if choice is None:
            return
        done = await self.run_step(self.t("tui.sec.recusal"), lambda progress: record_recusal(
            self.workspace, choice.reviewer, choice.code, choice.reason))
        if done is not None:
            self.notify(self.t("recusal.recorded", reviewer=choice.reviewer, code=choice.code))

    @work(exclusive=True, group="secretariat-action")
    async def action_fill(self) -> None:
        """Deal a replacement reviewer for each recusal not yet replaced (seeded, logged)."""
        from ..engine.scoring.recusal import fill_recusals, unreplaced

        waiting = unreplaced(self.workspace)
        if not waiting:
            self.notify(self.t("deal.fill_nothing"))
            return
        if not await self.app.push_screen_wait(ConfirmDialog(
                self.t, self.t("tui.fill.question", count=len(waiting)),
                [self.t("tui.fill.details")], self.t("tui.sec.fill"))):
            return
        done = await self.run_step(self.t("tui.sec.fill"),
                                   lambda progress: fill_recusals(self.workspace))
        if done is None:
            return
        filled, t = done.result, self.t
        lines = [t("deal.filled", code=c, reviewer=r, replaced=x) for r, c, x in filled.added]
        lines += [t("deal.fill_seed", seed=filled.seed)] if filled.added else []
        lines += ([t("deal.unfilled", codes=t("sep.list").join(filled.unfilled))]
                  if filled.unfilled else [])
        lines += ([t("deal.fill_reopened", reviewers=t("sep.list").join(filled.reopened))]
                  if filled.reopened else [])
        self.app.push_screen(ResultDialog(t, t("tui.sec.fill"),
                                          lines or [t("deal.fill_nothing")]))

    @work(exclusive=True, group="secretariat-action")
    async def action_sign_in_sheet(self) -> None:
        """Write the meeting's sign-in sheet (簽到表) for the members on the list."""
        from ..engine.meeting.papers import write_sign_in
        from .meeting import write_paper

        await write_paper(self, self.t("tui.sec.sign_in"), write_sign_in)

    @work(exclusive=True, group="secretariat-action")
    async def action_sheets(self) -> None:
        """Paper sheets, laptop packets, returned sheets and PINs (the CLI's ``scores
        template``, ``packet export``, ``scores import`` and ``reviewers pin``)."""
        from .sheets import SheetsDialog, run_sheets

        choice = await self.app.push_screen_wait(SheetsDialog(self.t, self.workspace))
        if choice is not None:
            await run_sheets(self, choice)

    @work(exclusive=True, group="secretariat-action")
    async def action_deal(self) -> None:
        from ..engine.intake.roster import load_reviewers
        from ..engine.scoring.deal import deal
        from ..engine.sealing.sealed import is_sealed

        if not is_sealed(self.workspace):  # said before a seed is asked for and confirmed
            self.notify(self.t("pipeline.needs", step="deal", needed="seal"), severity="warning")
            return
        reviewers = len(load_reviewers(self.workspace))
        choice = await self.app.push_screen_wait(DealDialog(self.t, reviewers))
        if choice is None:
            return
        per_entry = choice.per_entry or self.t("tui.deal.everyone")
        if not await self.app.push_screen_wait(ConfirmDialog(
                self.t, self.t("tui.deal.confirm"),
                [self.t("tui.deal.confirm_details", seed=choice.seed, per_entry=per_entry)],
                self.t("tui.deal.go"))):
            return
        done = await self.run_step(self.t("tui.deal.running"), lambda progress: deal(
            self.workspace, seed=choice.seed, per_entry=choice.per_entry))
        if done is not None:
            self.app.push_screen(ResultDialog(self.t, self.t("tui.deal.title"),
                                              [deal_text(self.t, done.result)]))
