"""Score sheets: one store file per reviewer (``scores/<id>.json``), every save durable.

A save rewrites only that reviewer's small file (atomic write + fsync), so its cost does not
grow with the committee and a crash loses at most the keystroke in flight. Scores are kept
as decimal strings ("12.5"): exact, never floats. A sheet is a draft until submitted, which
locks it; only the chair can reopen it, with a reason that goes into the audit log.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from review_tui.engine.config import Criterion
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.roster import is_reviewer_id, load_reviewers
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.scoring.deal import SCORES_DIR, load_deal, load_queue_index
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import step, transaction
from review_tui.engine.storage.textpack import PACK_FILE, read_packed
from review_tui.engine.workspace import Workspace

DRAFT = "draft"
SUBMITTED = "submitted"
_NUMBER = re.compile(r"^\d+(\.\d+)?$")
ECHO_CHARS = 20  # how much of a refused score a message quotes


def store_name(reviewer: str) -> str:
    if not is_reviewer_id(reviewer):
        raise ReviewError("score.unknown_reviewer", reviewer=reviewer)
    return f"{SCORES_DIR}/{reviewer}"


def _quoted(value: str) -> str:
    """A refused value as a message quotes it: a long paste cut short, not echoed whole."""
    return value if len(value) <= ECHO_CHARS else value[:ECHO_CHARS] + "…"


def parse_score(text: str, criterion: Criterion) -> Decimal:
    """A score typed by a person: 0 to the criterion's points, at most one decimal.

    Full-width digits are accepted; NaN, infinity, exponents and signs are refused.
    """
    if text.isascii() and text.isdigit() and int(text) <= criterion.points:  # most of them
        return Decimal(text)
    value = unicodedata.normalize("NFKC", str(text)).strip()
    if value.startswith("-") and _NUMBER.match(value[1:]):
        raise ReviewError("score.out_of_range", value=value, criterion=criterion.id,
                          points=criterion.points)
    if not _NUMBER.match(value):
        raise ReviewError("score.not_a_number", value=_quoted(value), criterion=criterion.id)
    try:
        number = Decimal(value)
    except InvalidOperation as exc:  # unreachable after the pattern; kept for safety
        raise ReviewError("score.not_a_number", value=value, criterion=criterion.id) from exc
    if number > criterion.points:
        raise ReviewError("score.out_of_range", value=_quoted(value), criterion=criterion.id,
                          points=criterion.points)
    if number != number.quantize(Decimal("0.1")):
        raise ReviewError("score.one_decimal", value=value, criterion=criterion.id)
    return number.quantize(Decimal("0.1")) if "." in value else number


@dataclass(frozen=True)
class QueueItem:
    """One entry in a reviewer's queue: what the reviewer may see of it."""

    code: str
    track: str
    title: str
    char_count: int
    text_at: tuple[int, int] = (0, 0)  # where its redacted text lies in texts.pack

    def text(self, workspace: Workspace) -> str:
        return read_packed(workspace.root / PACK_FILE, list(self.text_at))


class ScoreSheet:
    """One reviewer's sheet: the dealt queue and the scores, loaded once, saved per change."""

    def __init__(self, workspace: Workspace, reviewer: str) -> None:
        self.workspace = workspace
        self.reviewer = reviewer
        store_name(reviewer)  # a sheet naming "../queues/J1" is an unknown reviewer
        items = load_queue_index(workspace, reviewer)
        if items is None:  # no index (a packet's laptop, an older deal): the long way
            queue = load_deal(workspace).queues.get(reviewer)
            if queue is None:
                raise ReviewError("score.unknown_reviewer", reviewer=reviewer)
            entries = {e["code"]: e for e in load_sealed_entries(workspace)}
            items = [entries[code] for code in queue]
        self.queue = [QueueItem(e["code"], e["track"], e["title"], e["char_count"],
                                tuple(e["text_at"])) for e in items]
        self._track_of = {item.code: item.track for item in self.queue}
        self.criteria = {t.id: t.criteria for t in workspace.config.tracks}
        self._criterion_ids = {track: frozenset(c.id for c in criteria)
                               for track, criteria in self.criteria.items()}

    # --- reading ---------------------------------------------------------------------------

    def scores(self) -> dict[str, dict[str, Any]]:
        """Code → {"scores": {criterion: "12.5"}, "comment": str} for every touched entry."""
        rows = self.workspace.store.table_rows(store_name(self.reviewer))
        return {r["code"]: r for r in rows}

    def status(self) -> str:
        rows = self.workspace.store.table_rows(store_name(self.reviewer), "sheet")
        return rows[0]["status"] if rows else DRAFT

    def stored(self) -> tuple[str, dict[str, dict[str, Any]]]:
        """:meth:`status` and :meth:`scores` from one read of the sheet's file."""
        tables = self.workspace.store.tables(store_name(self.reviewer), "_default", "sheet")
        return (tables["sheet"][0]["status"] if tables["sheet"] else DRAFT,
                {r["code"]: r for r in tables["_default"]})

    def criteria_of(self, code: str) -> tuple[Criterion, ...]:
        return self.criteria[self._track(code)]

    def _track(self, code: str) -> str:
        """A dealt entry's track (refused for one not dealt to this reviewer)."""
        if code not in self._track_of:
            raise ReviewError("score.not_dealt", code=code, reviewer=self.reviewer)
        return self._track_of[code]

    def is_complete(self, code: str, scores: dict[str, dict[str, Any]] | None = None) -> bool:
        """Scored on every criterion, or withdrawn from (自行迴避: nothing more to give)."""
        row = (scores if scores is not None else self.scores()).get(code)
        return _owed(row, self._ids_of(code), 0) is None

    def _ids_of(self, code: str) -> frozenset[str]:
        return self._criterion_ids[self._track(code)]

    def total(self, code: str, scores: dict[str, dict[str, Any]] | None = None) -> Decimal:
        row = (scores if scores is not None else self.scores()).get(code)
        return score_total((row["scores"] if row else {}).values())

    def unscored(self) -> list[str]:
        scores = self.scores()
        return [item.code for item in self.queue if not self.is_complete(item.code, scores)]

    @property
    def comment_below(self) -> int:
        """A total under this needs a comment (the committee's ``[meeting] comment_below``)."""
        return self.workspace.config.meeting.comment_below

    def needs_comment(self, code: str, scores: dict[str, dict[str, Any]] | None = None) -> bool:
        """A fully scored entry whose total is under ``comment_below`` and that has no
        comment yet (on the entry or on any criterion)."""
        row = (scores if scores is not None else self.scores()).get(code)
        return _owed(row, self._ids_of(code), self.comment_below) == _UNCOMMENTED

    def uncommented(self) -> list[str]:
        return self.open_items(self.scores())[1]

    def open_items(self, scores: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
        """In one pass over the queue: the codes not yet complete (:meth:`is_complete`), and
        those a comment is still owed on (:meth:`needs_comment`)."""
        owed: dict[str | None, list[str]] = {_UNSCORED: [], _UNCOMMENTED: [], None: []}
        below = self.comment_below
        for item in self.queue:
            owed[_owed(scores.get(item.code), self._criterion_ids[item.track],
                       below)].append(item.code)
        return owed[_UNSCORED], owed[_UNCOMMENTED]

    # --- writing ---------------------------------------------------------------------------

    def save(self, code: str, criterion_id: str, text: str) -> Decimal:
        """Validate and durably store one criterion's score; returns the value stored."""
        criterion = self._criterion(code, criterion_id)
        value = parse_score(text, criterion)
        self._update(code, lambda row: row["scores"].__setitem__(criterion_id, str(value)))
        return value

    def clear(self, code: str, criterion_id: str) -> None:
        self._criterion(code, criterion_id)
        self._update(code, lambda row: row["scores"].pop(criterion_id, None))

    def save_comment(self, code: str, comment: str) -> None:
        self.criteria_of(code)
        self._update(code, lambda row: row.__setitem__("comment", comment.strip()))

    def save_criterion_comment(self, code: str, criterion_id: str, comment: str) -> None:
        """A comment on one criterion of an entry (empty removes it)."""
        self._criterion(code, criterion_id)

        def change(row: dict[str, Any]) -> None:
            comments = dict(row.get("criterion_comments", {}))
            if comment.strip():
                comments[criterion_id] = comment.strip()
            else:
                comments.pop(criterion_id, None)
            row["criterion_comments"] = comments

        self._update(code, change)

    def submit(self, *, allow_incomplete: bool = False) -> list[str]:
        """Lock the sheet; refused with the unscored codes unless ``allow_incomplete``, and
        with the entries scored under ``comment_below`` that have no comment."""
        with step(self.workspace.root, "sheet.submit"):  # the sheet and its record, or neither
            missing, silent = self.open_items(self.scores())
            if missing and not allow_incomplete:
                raise ReviewError("score.incomplete", count=len(missing),
                                  codes=", ".join(missing))
            # ``silent``, scored under ``comment_below`` without a comment, is never waived
            if silent:
                raise ReviewError("score.comment_required", count=len(silent),
                                  codes=", ".join(silent), below=self.comment_below)
            with self.workspace.store.write(store_name(self.reviewer)) as db:
                self._require_draft(db)
                db.replace_all("sheet", [{"status": SUBMITTED, "at": _now(),
                                          "unscored": missing}])
                digest = sheet_digest(db.rows())
            self.workspace.audit.append("sheet.submit", {
                "reviewer": self.reviewer, "entries": len(self.queue), "unscored": missing,
                "sheet_sha256": digest})
            return missing

    def _criterion(self, code: str, criterion_id: str) -> Criterion:
        for criterion in self.criteria_of(code):
            if criterion.id == criterion_id:
                return criterion
        raise ReviewError("score.unknown_criterion", criterion=criterion_id, code=code)

    def _update(self, code: str, change: Any) -> None:
        with self.workspace.store.write(store_name(self.reviewer)) as db:
            self._require_draft(db)
            current = next((r for r in db.rows() if r["code"] == code), None)
            row = current or {"code": code, "scores": {}, "comment": ""}
            change(row)
            row["updated"] = _now()
            db.upsert("_default", row, key="code")

    def _require_draft(self, db: Any) -> None:
        sheet = db.rows("sheet")
        if sheet and sheet[0]["status"] == SUBMITTED:
            raise ReviewError("score.locked", reviewer=self.reviewer)


def require_reopenable(workspace: Workspace, reviewer: str) -> None:
    """Refuse a reopening no reason could allow: after the commit, or a sheet not submitted
    (asked before the chair types the reason)."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    sheet = workspace.store.table_rows(store_name(reviewer), "sheet")
    if not sheet or sheet[0]["status"] != SUBMITTED:
        raise ReviewError("score.not_submitted", reviewer=reviewer)


@transaction("sheet.reopen")
def reopen_sheet(workspace: Workspace, reviewer: str, reason: str) -> None:
    """The chair reopens a submitted sheet; the reason is required and audited."""
    if not reason.strip():
        raise ReviewError("score.reopen_reason")
    require_reopenable(workspace, reviewer)  # under the step's lock: nobody changes it now
    reopen_if_submitted(workspace, reviewer, reason.strip())
    workspace.audit.append("sheet.reopen", {"reviewer": reviewer, "reason": reason.strip()})


def reopen_if_submitted(workspace: Workspace, reviewer: str, reason: str) -> bool:
    """Inside a step: make a submitted sheet a draft again, noting why; False when it was
    not submitted (the caller logs the step)."""
    with workspace.store.write(store_name(reviewer)) as db:
        sheet = db.rows("sheet")
        if not sheet or sheet[0]["status"] != SUBMITTED:
            return False
        db.replace_all("sheet", [{"status": DRAFT, "at": _now(), "reopened": reason}])
    return True


# What the log says of a sheet's scores: a submission's hash, a reopening, a recusal (the
# chair's may come after the submission, with the sheet's new hash).
SHEET_ACTIONS = {"sheet.submit", "sheet.reopen", "recusal.record", "sheet.recuse"}


def logged_sheet_hashes(workspace: Workspace,
                        records: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """Reviewer → the SHA-256 its submitted sheet's scores must have: the one its last
    submission logged, or a recusal recorded on the sheet since (from ``records``, the
    log's as read when not given). A reviewer whose log cannot say (a recusal recorded
    before recusals logged the sheet's hash) is left out."""
    expected: dict[str, str | None] = {}
    for record in workspace.audit.records() if records is None else records:
        if record.get("action") not in SHEET_ACTIONS:
            continue
        details = record.get("details")
        if not isinstance(details, dict) or not isinstance(details.get("reviewer"), str):
            continue
        reviewer = details["reviewer"]
        if record["action"] == "sheet.submit":
            expected[reviewer] = details.get("sheet_sha256")
        elif record["action"] == "sheet.reopen":
            expected.pop(reviewer, None)
        elif reviewer in expected:  # a recusal on the submitted sheet
            expected[reviewer] = details.get("sheet_sha256")
    return {r: h for r, h in expected.items() if isinstance(h, str)}


def sheet_digest(rows: list[dict[str, Any]]) -> str:
    """The hash a sheet's submission (or a recusal on it since) logs of its rows."""
    return sha256_hex(canonical(rows))


def sheet_matches(rows: list[dict[str, Any]], logged: str | None) -> bool:
    """Whether a submitted sheet's rows are those whose hash was logged (True where the
    log holds none for it)."""
    return logged is None or sheet_digest(rows) == logged


def sheets_fingerprint(workspace: Workspace) -> int:
    """Something that changes whenever any score sheet is written (the chair's board polls
    it to tally again only after a change)."""
    return workspace.store.fingerprint(SCORES_DIR)


def is_scored(given: Mapping[str, Any], criteria: Iterable[str]) -> bool:
    """Whether a review gives every criterion a score (the one test of a complete entry)."""
    return given.keys() >= (criteria if isinstance(criteria, (set, frozenset))
                            else set(criteria))


def score_total(values: Iterable[str | Decimal]) -> Decimal:
    """A review's total: its criterion scores added exactly (blank ones left out)."""
    return sum((Decimal(v) for v in values if v != ""), Decimal(0))


_UNSCORED, _UNCOMMENTED = "unscored", "uncommented"


def _owed(row: dict[str, Any] | None, criteria: frozenset[str], below: int) -> str | None:
    """What a dealt entry's stored row still owes: a score on some criterion, else (with
    ``below``, the committee's ``comment_below``) a comment on a total under it; None when
    nothing (a recused row owes nothing)."""
    if row is not None and row.get("recused"):
        return None
    if row is None or not is_scored(row.get("scores", {}), criteria):
        return _UNSCORED
    if (below and not (row.get("comment") or any(row.get("criterion_comments", {}).values()))
            and score_total(row["scores"].values()) < below):
        return _UNCOMMENTED
    return None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True, slots=True)
class SheetProgress:
    """A dealt reviewer's sheet: entries fully scored of those dealt, its status, and
    whether it was changed since it was submitted (the tally counts none of it then)."""

    reviewer: str
    name: str
    done: int
    total: int
    status: str  # DRAFT | SUBMITTED
    changed: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"id": self.reviewer, "name": self.name, "done": self.done,
                "total": self.total, "status": self.status, "changed": self.changed}


@bulk_step  # 2,000 sheets read while the chair's screen holds a 20,000-entry ranking
def sheet_progress(workspace: Workspace) -> list[SheetProgress]:
    """Each dealt reviewer's progress: entries fully scored of those dealt, and the sheet's
    status. Reads the deal and the entries once, then one small file per reviewer."""
    try:
        queues = load_deal(workspace).queues
    except ReviewError:
        return []
    track_of = {e["code"]: e["track"] for e in load_sealed_entries(workspace)}
    criteria = {t.id: {c.id for c in t.criteria} for t in workspace.config.tracks}
    names = {r["id"]: r["name"] for r in load_reviewers(workspace)}
    logged = logged_sheet_hashes(workspace)
    out = []
    for reviewer in sorted(queues):
        stored = workspace.store.tables(store_name(reviewer), "_default", "sheet")  # one read
        rows = {r["code"]: r for r in stored["_default"]}
        done = sum(1 for code in queues[reviewer] if (row := rows.get(code)) is not None
                   and (row.get("recused")
                        or is_scored(row.get("scores", {}), criteria[track_of[code]])))
        status = stored["sheet"][0]["status"] if stored["sheet"] else DRAFT
        changed = status == SUBMITTED and not sheet_matches(stored["_default"],
                                                            logged.get(reviewer))
        out.append(SheetProgress(reviewer, names.get(reviewer, ""), done,
                                 len(queues[reviewer]), status, changed))
    return out

