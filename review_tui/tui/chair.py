"""Chair mode: the progress board and the ranking per track, live from the engine.

Reviewers × their sheets, and for each track the ranking with score, spread, discrepancy
flag, how a tie was broken, status and reason (agency pseudonyms until the unseal, then the
writers' names), with a small bar chart of the score distribution. Refreshes on ``r`` and
every few seconds while scores arrive.

The chair records who is present (``a``), walks the meeting's agenda (``g``), and acts on
the highlighted row: handle a discrepancy (``d``), settle a tie (``t``), reopen a reviewer's
sheet (``o``), then commit (``k``, with a quorum), unseal (``u``) and export (``e``).
Each goes through a dialog; the engine does the work and the audit log records it.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Header, Label, Static

from ..engine.config import Track
from ..engine.decisions.records import (
    DecisionRow,
    InputChanged,
    SheetChanged,
    named_reason_params,
)
from ..engine.errors import ReviewError
from ..engine.scoring.scores import SheetProgress, sheet_progress, sheets_fingerprint
from ..engine.storage.gc_pause import collector_paused
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import (
    RowWords,
    criterion_names,
    export_summary,
    integrity_lines,
    problem_text,
    quorum_summary,
    rule_change_lines,
    sheet_state,
)
from .dialogs import ConfirmDialog, Done, PromptDialog, ResultDialog
from .footer import KeyFooter
from .line_table import LineTable, TablePage, measure_columns
from .mode import CHANGE_CREDENTIAL, ModeScreen
from .plain import Plain

if TYPE_CHECKING:  # loaded by the worker and the dialogs, after the first frame
    from ..engine.decisions.tally import TallyResult
    from ..engine.meeting.agenda import Matter

T = TypeVar("T")
REFRESH_SECONDS = 5.0
FAILURE_SECONDS = 30  # a refusal to read the decisions stays up while it is read
RANKINGS_WAIT_SECONDS = 5.0  # at most, before the board is read anyway
CELL_WIDTH = 40  # cells: a longer reason or name is cut with "…" (the rest stays in view)
BAR_WIDTH = 30


def distribution(scores: list[str], width: int = BAR_WIDTH) -> list[str]:
    """Lines of a horizontal bar chart: entries per 10-point band, highest band first."""
    bands = Counter(min(int(Decimal(s)) // 10, 9) for s in scores if s)
    if not bands:
        return []
    most = max(bands.values())
    return [f"{10 * b:>3}–{10 * b + 9 if b < 9 else 100:<3} {'█' * max(1, round(width * n / most))}"
            f" {n}" for b, n in sorted(bands.items(), reverse=True)]


@dataclass(frozen=True)
class RankingTable:
    """One track's ranking as its table shows it: the cells, each row's key (its code),
    the headers, each column's width, and the score chart's lines."""

    track: str
    cells: list[list[object]]
    keys: list[str]
    headers: list[str]
    widths: list[int]
    chart: list[str]


def board_rows(t: Messages, progress: list[SheetProgress]) -> list[tuple[str, str, str, str]]:
    """The progress board's rows: each reviewer's code, name, sheet done of total, and state
    (worded in the screen's worker: 2,000 reviewers at 20,000 entries)."""
    states: dict[tuple[str, bool, bool], str] = {}  # a state is worded once
    rows = []
    for sheet in progress:
        key = (sheet.status, bool(sheet.done), sheet.changed)
        if key not in states:
            states[key] = sheet_state(t, sheet)
        rows.append((sheet.reviewer, sheet.name, f"{sheet.done}/{sheet.total}", states[key]))
    return rows


def ranking_tables(t: Messages, tracks: Sequence[Track], decisions: TallyResult,
                   identities: dict[str, dict[str, Any]],
                   agency_names: dict[str, str]) -> list[RankingTable]:
    """Each track's ranking worded and measured, with the writers after the unseal. Made in
    the screen's worker: at 20,000 entries the wording and measuring took 0.25-0.3 s, and
    on the UI thread no key was answered meanwhile, at every refresh in a meeting."""
    headers = [t("tui.rank"), t("tui.code"), t("tui.score"), t("tui.spread"),
               t("tui.flag"), t("tui.tie"), t("tui.state"), t("tui.reason")]
    if identities:
        headers += [t("tui.chair.writers"), t("tui.sec.agency")]
    words = RowWords(t, agency_names)
    tables = []
    for track in tracks:
        rows = decisions.rows(track.id)
        grouped = bool(track.group_by)  # ranks count within each group: it goes first
        cells: list[list[object]] = []
        for row in rows:
            line: list[object] = [*([row.group or "-"] if grouped else []),
                                  row.rank or "-", row.code, row.score or "-",
                                  row.spread if row.score else "", _flag(row), words.tie(row),
                                  words.status(row), words.reason(row)]
            if identities:
                who = identities.get(row.code, {})
                line += ["、".join(a["name"] for a in who.get("authors", [])),
                         who.get("agency", "")]
            cells.append(line)
        shown = [t("tui.group"), *headers] if grouped else headers
        tables.append(RankingTable(
            track.id, cells, [row.code for row in rows], shown,
            measure_columns(cells, len(shown), CELL_WIDTH),
            distribution([r.score for r in rows if r.ranked])))
    return tables


class ChairScreen(ModeScreen):
    """Progress board and ranking."""

    MODE = "chair"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "agenda", "tui.chair.agenda", id="agenda"),
        Binding("a", "attendance", "tui.chair.attendance", id="attendance"),
        Binding("d", "discrepancy", "tui.chair.discrepancy", id="discrepancy"),
        Binding("t", "tie", "tui.chair.tie", id="tie"),
        Binding("o", "reopen", "tui.chair.reopen", id="reopen"),
        Binding("k", "commit", "tui.chair.commit", id="commit"),
        Binding("u", "unseal", "tui.chair.unseal", id="unseal"),
        Binding("e", "export", "tui.chair.export", id="export"),
        Binding("m", "minutes", "tui.chair.minutes", id="minutes"),
        Binding("v", "verify", "tui.chair.verify", id="verify"),
        Binding("c", "amend", "tui.chair.amend", id="amend"),
        Binding("p", "projector", "tui.chair.projector", id="projector"),
        CHANGE_CREDENTIAL,
        Binding("r", "refresh", "tui.refresh", id="refresh"),
        Binding("escape", "leave", "tui.back", id="back"),
    ]

    def __init__(self, workspace: Workspace, t: Messages) -> None:
        super().__init__(workspace, t)
        self.decisions: TallyResult | None = None
        self._seen: int | None = None
        self.identities: dict[str, dict[str, Any]] = {}
        self.agency_names: dict[str, str] = {}
        self._shown_once = False
        self._rankings_drawn = threading.Event()  # the worker reads on once they are

    def compose(self) -> ComposeResult:
        yield Header()
        yield Plain(id="provisional")  # above the scrolling ranking: never scrolled away
        with TablePage(id="chair"):
            yield Label(self.t("tui.chair.progress"), classes="heading")
            # Until the worker has read it all (a second or two at 20,000 entries), the
            # empty tables say why they are empty.
            yield Plain(self.t("tui.chair.reading"), id="chair-reading")
            yield LineTable(self._board_headers(), id="board")  # rows come after the rankings
            for track in self.workspace.config.tracks:
                name = track.name if self.t.lang == "zh-TW" else track.name_en
                yield Label(name, classes="heading")
                yield LineTable(id=f"rank-{track.id}", max_width=CELL_WIDTH)
                yield Static(id=f"chart-{track.id}", classes="chart")
            yield Plain(id="problems")
        yield Plain(id="row-detail")  # the highlighted entry in full: its cells may be cut
        yield KeyFooter()

    @dataclass
    class Ranked(Message):
        """The tally and, after the unseal, who wrote what, read off the UI thread: the
        rankings are shown from them first."""

        decisions: TallyResult
        identities: dict[str, dict[str, Any]]
        agency_names: dict[str, str]  # pseudonym → name, after unseal
        tables: list[RankingTable]  # each track's, worded and measured off the UI thread

    @dataclass
    class Loaded(Message):
        """The board: read after the rankings are drawn."""

        rows: list[tuple[str, str, str, str]]  # code, name, done/total, state: worded

    @dataclass
    class LoadFailed(Message):
        text: str

    class Changed(Message):
        """A sheet or a decision was written since the rankings were read."""

    def on_mount(self) -> None:
        self.load()
        self.set_interval(REFRESH_SECONDS, self._load_if_changed)

    def _load_if_changed(self) -> None:
        """Every few seconds, unless the rankings are being read: look for a change."""
        if not any(worker.node is self and worker.group == "chair" and not worker.is_finished
                   for worker in self.workers):  # the app's workers: this screen's reading
            self._look_for_changes()

    @work(thread=True, exclusive=True, group="chair-look")
    def _look_for_changes(self) -> None:
        """Re-tally only when a sheet or a decision was written since the last look. Off
        the UI thread: a look is a stat of every sheet, and each stat gave the interpreter
        back to a tally running beside it; at 20,000 entries the screen stopped answering
        keys for up to 0.8 s while both ran."""
        if sheets_fingerprint(self.workspace) != self._seen:
            self.post_message(self.Changed())

    @on(Changed)
    def _reload(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="chair")
    def load(self) -> None:
        """Tally off the UI thread (it reads every sheet) and post it with the writers
        (after the unseal: one read of its file, so the rankings are worded once, not
        again when the writers come), then the board. The tally and the unseal are loaded
        here, off the first frame's path (0.015 s of a start)."""
        from ..engine.decisions.tally import tally
        from ..engine.sealing.unseal import load_unsealed

        self._seen = sheets_fingerprint(self.workspace)
        try:
            decisions = tally(self.workspace, record=False)
            for track in self.workspace.config.tracks:  # read as records here, not on the
                decisions.rows(track.id)                # UI thread
            revealed = load_unsealed(self.workspace)
            with collector_paused():  # 20,000 rows of text: a collection walked them all
                tables = ranking_tables(self.t, self.workspace.config.tracks, decisions,
                                        revealed.identities, revealed.agencies)
            self._rankings_drawn.clear()
            self.post_message(self.Ranked(decisions, revealed.identities, revealed.agencies,
                                          tables))
            # Read on once they are on screen: read beside the drawing, the board took
            # turns with it for the interpreter and the rankings came no sooner.
            self._rankings_drawn.wait(timeout=RANKINGS_WAIT_SECONDS)
            self.post_message(self.Loaded(board_rows(self.t, sheet_progress(self.workspace))))
        except ReviewError as error:
            self.post_message(self.LoadFailed(self.t(error.key, **error.params)))
            with contextlib.suppress(ReviewError):  # the sheets' progress still, where
                progress = sheet_progress(self.workspace)  # only the decisions were refused
                self.post_message(self.Loaded(board_rows(self.t, progress)))

    @on(LoadFailed)
    def _show_failure(self, message: LoadFailed) -> None:
        self.query_one("#chair-reading", Plain).display = False
        self.query_one("#problems", Static).update(message.text)
        # Also where the chair is looking: below 200 reviewers' progress, it is off screen.
        self.notify(message.text, severity="error", timeout=FAILURE_SECONDS)

    @on(Ranked)
    def _show_rankings(self, ranked: Ranked) -> None:
        t = self.t
        decisions = self.decisions = ranked.decisions
        self.identities, self.agency_names = ranked.identities, ranked.agency_names
        for table in ranked.tables:
            self.query_one(f"#rank-{table.track}", LineTable).set_rows(
                table.cells, table.keys, headers=table.headers, widths=table.widths)
            self.query_one(f"#chart-{table.track}", Static).update("\n".join(table.chart))
        # Above the page, never scrolled away: that the ranking is provisional, and any
        # file it was read from that is not what its step logged (the commit refuses it).
        banner_lines = [t("tally.provisional", count=decisions.unsubmitted)
                        ] if decisions.provisional else []
        banner_lines += [problem_text(t, p, self.workspace.config) for p in decisions.problems
                         if isinstance(p, InputChanged)]
        banner = self.query_one("#provisional", Plain)
        banner.display = bool(banner_lines)
        banner.update("\n".join(banner_lines))
        problems = [t("tui.chair.frozen")] if decisions.frozen else []
        problems += ["• " + problem_text(t, p, self.workspace.config)
                     for p in decisions.problems]
        self.query_one("#problems", Static).update("\n".join(problems))
        if not self._shown_once:  # start on the board (o), not on the scrolling page
            self._shown_once = True
            self.query_one("#board", LineTable).focus(scroll_visible=False)
        self.call_after_refresh(self._rankings_drawn.set)

    def _board_headers(self) -> tuple[str, ...]:
        t = self.t
        return t("tui.code"), t("tui.reviewer_name"), t("tui.progress"), t("tui.state")

    @on(Loaded)
    def _show_board(self, loaded: Loaded) -> None:
        self.query_one("#chair-reading", Plain).display = False  # everything is read
        self.query_one("#board", LineTable).set_rows(loaded.rows,
                                                     [row[0] for row in loaded.rows])

    @on(LineTable.RowHighlighted)
    def _row_moved(self, event: LineTable.RowHighlighted) -> None:
        if event.table.has_focus:
            self._show_detail(event.table)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if isinstance(event.widget, LineTable):
            self._show_detail(event.widget)

    def _show_detail(self, table: LineTable) -> None:
        """Under the tables, the entry under the cursor in full: its reason (a cell cuts it)
        and, after the unseal, its writers and agency (columns a narrow screen leaves off)."""
        detail = self.query_one("#row-detail", Plain)
        picked = self._highlighted_entry() if self.focused is table else None
        detail.display = picked is not None
        if picked is None:
            return
        t, (_, row) = self.t, picked
        parts = [f"{row.code}  {t(row.reason, **named_reason_params(row, self.agency_names))}"]
        who = self.identities.get(row.code)
        if who:
            parts.append(t("tui.chair.detail_people", agency=who.get("agency", ""),
                           writers="、".join(a["name"] for a in who.get("authors", []))))
        detail.update("\n".join(parts))

    # --- the chair's actions: each a worker awaiting its dialogs in turn -------------------

    def _highlighted_entry(self) -> tuple[Track, DecisionRow] | None:
        """The track and decision row under the cursor of the focused ranking table."""
        table = self.focused
        if (not isinstance(table, LineTable) or not (table.id or "").startswith("rank-")
                or self.decisions is None or table.cursor_key is None):
            return None
        track = self.workspace.config.track(str(table.id)[len("rank-"):])
        return track, self.decisions.row(track.id, str(table.cursor_key))

    def _go_to_waiting(self, kind: str, here: tuple[Track, DecisionRow] | None) -> None:
        """Put the cursor on the next entry (after ``here``) whose ``kind`` of matter waits
        for the chair, and say so; pressing the key again then handles it."""
        if self.decisions is None:
            return
        waiting = self.decisions.waiting(kind)
        if not waiting:
            self.notify(self.t(f"tui.chair.none_waiting.{kind}"))
            return
        shown = [(track.id, row.code) for track in self.workspace.config.tracks
                 for row in self.decisions.rows(track.id)]
        place = {key: index for index, key in enumerate(shown)}
        after = place.get((here[0].id, here[1].code), -1) if here else -1
        track_id, code = next((w for w in waiting if place.get(w, -1) > after), waiting[0])
        table = self.query_one(f"#rank-{track_id}", LineTable)
        table.focus(scroll_visible=False)  # the page follows the cursor, not the table's top
        table.move_cursor(table.index_of(code))
        self.notify(self.t(f"tui.chair.waiting.{kind}", code=code,
                           count=len(waiting)))

    async def _step(self, title: str, job: Callable[[], T]) -> Done[T] | None:
        """An engine step without progress of its own, in the progress dialog."""
        return await self.run_step(title, lambda progress: job())

    @work(exclusive=True, group="chair-action")
    async def action_attendance(self) -> None:
        """Tick the members present; the roll is recorded (and audited) as ticked."""
        from ..engine.meeting.attendance import quorum, record_attendance
        from .meeting import AttendanceDialog

        self.app.clear_notifications()  # a "no quorum" toast would cover the roll
        roll = await self.app.push_screen_wait(AttendanceDialog(self.t,
                                                                quorum(self.workspace)))
        if roll is None:
            return
        done = await self._step(self.t("tui.chair.attendance"), lambda: record_attendance(
            self.workspace, roll.present, roll.absent))
        if done is not None:
            self.notify(quorum_summary(self.t, done.result))

    @work(exclusive=True, group="chair-action")
    async def action_agenda(self) -> None:
        """The agenda. Enter on a matter comes back here with the cursor on it; a matter
        waiting for the chair opens its dialog, and the agenda comes back once it is
        decided, so the meeting walks it from top to bottom."""
        from .meeting import AgendaScreen

        while True:
            matter = await self.app.push_screen_wait(AgendaScreen(self.workspace, self.t))
            if matter is None or not self._go_to_matter(matter):
                return
            track = self.workspace.config.track(str(matter.track))
            row = self.decisions.row(track.id, matter.codes[0]) if self.decisions else None
            if row is None:
                return
            if matter.kind == "discrepancy":
                await self._decide_discrepancy(row)
            else:
                await self._decide_tie(track, row)

    def _go_to_matter(self, matter: Matter) -> bool:
        """Put the cursor on a matter's entry (or reviewer); True when it waits for the
        chair's discrepancy or tie dialog."""
        if matter.kind == "sheet" and matter.reviewer:
            board = self.query_one("#board", LineTable)
            board.focus()
            board.move_cursor(board.index_of(matter.reviewer))
            changed = isinstance(matter.problem, SheetChanged)
            self.notify(self.t("tui.agenda.sheet_changed" if changed else "tui.agenda.sheet",
                               reviewer=matter.reviewer))
            return False
        if not matter.track or not matter.codes:
            return False
        table = self.query_one(f"#rank-{matter.track}", LineTable)
        table.focus()
        table.move_cursor(table.index_of(matter.codes[0]))
        return matter.open and matter.kind in ("discrepancy", "tie")

    @work(exclusive=True, group="chair-action")
    async def action_discrepancy(self) -> None:
        picked = self._highlighted_entry()
        if picked is None or not picked[1].discrepancy.flagged:
            self._go_to_waiting("discrepancy", picked)
            return
        self.app.clear_notifications()  # "press d again" is done: it would cover the dialog
        await self._decide_discrepancy(picked[1])

    async def _decide_discrepancy(self, row: DecisionRow) -> None:
        from ..engine.decisions.tally import resolve_discrepancy
        from .chair_dialogs import DiscrepancyDialog

        choice = await self.app.push_screen_wait(DiscrepancyDialog(self.t, row))
        if choice is not None:
            await self._step(self.t("tui.chair.discrepancy"), lambda: resolve_discrepancy(
                self.workspace, row.code, choice.action, reviewer=choice.reviewer,
                note=choice.note))

    @work(exclusive=True, group="chair-action")
    async def action_tie(self) -> None:
        picked = self._highlighted_entry()
        if picked is None or picked[1].tie is None:
            self._go_to_waiting("tie", picked)
            return
        self.app.clear_notifications()  # "press t again" is done: it would cover the dialog
        await self._decide_tie(*picked)

    async def _decide_tie(self, track: Track, row: DecisionRow) -> None:
        from ..engine.decisions.tally import draw_tie, record_tie_order
        from .chair_dialogs import TieDialog

        choice = await self.app.push_screen_wait(TieDialog(
            self.t, row, track.tie_ladder[-1], criterion_names(track, self.t.lang)))
        if choice is None:
            return
        if choice.action == "lottery":  # this group only; the seed is shown and kept
            done = await self._step(self.t("tui.tie.draw"),
                                    lambda: draw_tie(self.workspace, track.id, choice.group))
            if done is not None:  # its seed and the order it gave, for the minutes
                drawn = done.result
                self.app.push_screen(ResultDialog(self.t, self.t("tui.tie.draw"), [self.t(
                    "tui.tie.drawn", seed=drawn.seed, order=" > ".join(drawn.order))]))
        else:
            await self._step(self.t("tui.tie.record"), lambda: record_tie_order(
                self.workspace, track.id, choice.order, note=choice.note))

    @work(exclusive=True, group="chair-action")
    async def action_reopen(self) -> None:
        from ..engine.scoring.scores import reopen_sheet, require_reopenable

        board = self.query_one("#board", LineTable)
        if self.focused is not board or board.cursor_key is None:
            self.notify(self.t("tui.chair.pick_reviewer"), severity="warning")
            return
        reviewer = str(board.cursor_key)
        try:  # said before the reason is typed, not after
            require_reopenable(self.workspace, reviewer)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="warning")
            return
        reason = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.chair.reopen_question", reviewer=reviewer)))
        if reason and await self._step(self.t("tui.chair.reopen"), lambda: reopen_sheet(
                self.workspace, reviewer, reason)) is not None:
            self.notify(self.t("scores.reopened", reviewer=reviewer))

    @work(exclusive=True, group="chair-action")
    async def action_commit(self) -> None:
        from ..engine.decisions.commit import commit
        from ..engine.meeting.attendance import require_quorum

        if self.decisions is None:
            return
        if self.decisions.frozen:
            self.notify(self.t("tui.chair.frozen"))
            return
        try:  # said before the chair confirms, not after: the roll comes first (a)
            require_quorum(self.workspace)
        except ReviewError as error:
            text = (self.t("tui.commit.no_roll") if error.key == "quorum.not_recorded"
                    else self.t(error.key, **error.params) + " " + self.t("tui.chair.attend_hint"))
            self.notify(text, severity="warning", timeout=10)
            return
        problems = self.decisions.problems
        details = [self.t("tui.commit.details", entries=self.decisions.entries)]
        details += ["• " + problem_text(self.t, p, self.workspace.config) for p in problems[:8]]
        if not await self.app.push_screen_wait(ConfirmDialog(
                self.t, self.t("tui.commit.question"), details, self.t("tui.chair.commit"))):
            return
        reason = None
        if problems:
            reason = await self.app.push_screen_wait(PromptDialog(
                self.t, self.t("tui.commit.override_question"),
                hint=self.t("tui.commit.override_hint", count=len(problems))))
            if not reason:
                return
        done = await self._step(self.t("tui.chair.commit"),
                                lambda: commit(self.workspace, override_reason=reason))
        if done is not None:
            result = done.result
            self.app.push_screen(ResultDialog(self.t, self.t("tui.chair.commit"), [self.t(
                "commit.done", entries=result.entries, sha256=result.decisions_sha256,
                seq=result.audit_seq)]))

    @work(exclusive=True, group="chair-action")
    async def action_unseal(self) -> None:
        from ..engine.sealing.unseal import require_unsealable
        from .chair_dialogs import UnsealDialog

        try:  # said before a passphrase or share is typed, not after
            require_unsealable(self.workspace)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="warning")
            return
        report = await self.app.push_screen_wait(UnsealDialog(self.t, self.workspace))
        if report is None:
            return
        method = (self.t("seal.method.passphrase") if report.method == "passphrase"
                  else self.t("tui.unseal.by_shares"))
        self.app.push_screen(ResultDialog(self.t, self.t("tui.unseal.title"), [self.t(
            "unseal.done", entries=report.entries, method=method,
            originals=report.originals)]))
        self.load()

    @work(exclusive=True, group="chair-action")
    async def action_export(self) -> None:
        from ..engine.exports import DEFAULT_EXPORTS, run_export

        folder = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.export.question"), value=str(DEFAULT_EXPORTS),
            hint=self.t("tui.export.hint")))
        if not folder:
            return
        done = await self.run_step(self.t("tui.export.running"), lambda progress: run_export(
            self.workspace, Path(folder), progress=progress))  # the bar follows each file
        if done is not None:
            self.app.push_screen(ResultDialog(self.t, self.t("tui.chair.export"),
                                              export_summary(self.t, done.result)))

    @work(exclusive=True, group="chair-action")
    async def action_verify(self) -> None:
        """Check the record: the audit log's chain and signatures, no step cut away, every
        lottery draw re-derived from its seed (``audit verify``)."""
        done = await self.run_step(self.t("tui.chair.verify"),
                                   lambda progress: integrity_lines(self.t, self.workspace))
        if done is not None:
            ok, lines = done.result
            title = self.t("tui.verify.ok" if ok else "tui.verify.bad")
            self.app.push_screen(ResultDialog(self.t, title, lines))

    @work(exclusive=True, group="chair-action")
    async def action_amend(self) -> None:
        """After the seal, make the edited committee.toml the rules: each change shown
        first, then a reason asked (``config amend``); refusals are the engine's."""
        from ..engine.decisions.frozen_rules import amend_rules, file_changes

        try:
            frozen, _, _, changes = file_changes(self.workspace)
        except ReviewError as error:
            self.notify(self.t(error.key, **error.params), severity="warning")
            return
        if not changes:
            self.notify(self.t("config.unchanged", sha256=frozen["sha256"][:16]))
            return
        if not await self.app.push_screen_wait(ConfirmDialog(
                self.t, self.t("tui.amend.question", count=len(changes)),
                rule_change_lines(self.t, changes), self.t("tui.chair.amend"))):
            return
        reason = await self.app.push_screen_wait(PromptDialog(
            self.t, self.t("tui.amend.reason"), hint=self.t("tui.amend.hint")))
        if not reason:
            return
        done = await self.run_step(self.t("tui.chair.amend"),
                                   lambda progress: amend_rules(self.workspace, reason))
        if done is not None:
            self.app.push_screen(ResultDialog(
                self.t, self.t("config.amended", count=len(done.result)),
                rule_change_lines(self.t, done.result)))

    @work(exclusive=True, group="chair-action")
    async def action_minutes(self) -> None:
        """Write the minutes as the meeting stands, with their ODF/PDF copies."""
        from ..engine.meeting.papers import write_minutes
        from .meeting import write_paper

        await write_paper(self, self.t("tui.chair.minutes"), write_minutes)

    def action_projector(self) -> None:
        """High contrast for a projector, or back; kept for the committee's next session."""
        from .display import CONTRAST, NORMAL

        self.app.theme = NORMAL if self.app.theme == CONTRAST else CONTRAST
        self.notify(self.t("tui.projector.on" if self.app.theme == CONTRAST
                           else "tui.projector.off"))


def _flag(row: DecisionRow) -> str:
    """⚠ for an open discrepancy, ✓ once the chair has handled it."""
    if not row.discrepancy.flagged:
        return ""
    return "⚠" if row.discrepancy.waiting else "✓"
