"""What a commit freezes comes only from what the steps recorded.

The tally reads the frozen rules, the sealed entries and the deal from the workspace's
files; each step that wrote one logged the hash of what it wrote (the seal, a rule's
amendment or restoring, the deal and its refills). The chair's and the meeting's inputs
(discrepancy outcomes, tie orders, draws, the first round a re-score keeps; attendance,
notes on the agenda's matters) are logged one act at a time, and each table holds exactly
what its acts say. At every tally (a problem, ``input_changed``, so the chair's screen
and ``tally`` name it), before the decisions are frozen (against the verified log), and
when ``audit verify`` runs, each file is checked against its records: a quota raised by
hand in rules.json and committee.toml alike, an entry moved to another track, a review
taken out of a queue, an outcome or an order nobody decided, a better first round, a
member marked present who was not, a note nobody took, is named, never frozen. (A first
round kept by a re-score logged before 2026-12 is not in its record, and is not checked.
The score sheets are checked by the tally itself: :func:`.logged_sheet_hashes`.)
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.engine.decisions.frozen_rules import STORE as RULES
from review_tui.engine.decisions.frozen_rules import frozen_row, rules_digest
from review_tui.engine.decisions.ranking import group_key
from review_tui.engine.meeting.attendance import STORE as MEETING
from review_tui.engine.model import ENTRIES_STORE as ENTRIES
from review_tui.engine.scoring.deal import STORE as DEAL
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.workspace import Workspace


@dataclass(frozen=True)
class LoggedInput:
    """A file the tally reads: the store it is, the records that write it and the field of
    theirs that holds its hash, and how to hash it as it is now."""

    store: str
    actions: frozenset[str]
    field: str
    digest: Callable[[Workspace], str]


def _rules_digest(workspace: Workspace) -> str:
    row = frozen_row(workspace.store) or {}
    try:
        return rules_digest(tomllib.loads(str(row.get("toml", ""))))
    except tomllib.TOMLDecodeError:
        return ""


def _entries_digest(workspace: Workspace, entries: list[dict[str, Any]] | None = None,
                    version: tuple[int, int, int, int] | None = None) -> str:
    """The sealed entries' hash, taken once per version of their file in this process
    (the chair's screen tallies again at every submitted sheet, and hashing 20,000 entries
    took 0.09 s): of ``entries`` if given, read from the file at ``version``, else of the
    file as it is."""
    return workspace.store.per_version(
        ENTRIES, "sha256",
        lambda: sha256_hex(canonical(load_sealed_entries(workspace) if entries is None
                                     else entries)),
        version=version)


def read_sealed_entries(workspace: Workspace) -> list[dict[str, Any]]:
    """:func:`load_sealed_entries`, their hash kept for :func:`changed_input` from the
    same parse (the tally's 20,000 entries were parsed a second time to hash them: 0.03 s
    of its 1.4 s). The caller must not change the entries."""
    version = workspace.store.version(ENTRIES)  # before the read: see Store.per_version
    entries = load_sealed_entries(workspace)
    if version is not None:
        _entries_digest(workspace, entries, version)
    return entries


INPUTS = (
    LoggedInput(RULES, frozenset({"seal", "config.amend", "config.restore"}), "rules_sha256",
                _rules_digest),
    LoggedInput(ENTRIES, frozenset({"seal"}), "entries_sha256", _entries_digest),
    LoggedInput(DEAL, frozenset({"deal", "deal.fill"}), "result_sha256",
                lambda w: load_deal(w).sha256),
)


def changed_input(workspace: Workspace, records: list[dict[str, Any]]) -> Path | None:
    """The file of the first input that is not what its records in ``records`` (a sound
    log's) say it was written as; None when each is (or was not written yet)."""
    for item in INPUTS:
        logged = None
        for record in records:
            details = record.get("details")
            if record.get("action") in item.actions and isinstance(details, dict) \
                    and item.field in details:
                logged = details[item.field]
        if logged is not None and item.digest(workspace) != logged:
            return workspace.store.path(item.store)
    return _changed_acts(workspace, records)


def _changed_acts(workspace: Workspace, records: list[dict[str, Any]]) -> Path | None:
    """The chair's inputs (tally.json), the attendance and the notes on the agenda's
    matters (meeting.json), each table as its acts' records, replayed, leave it (what
    decides, and what the minutes print: not the times); else the file."""
    from review_tui.engine.decisions.tally import STORE as TALLY  # tally imports commit

    discrepancies, orders, draws = (TALLY, "discrepancies"), (TALLY, "orders"), (TALLY, "draws")
    first_rounds, attendance = (TALLY, "first_rounds"), (MEETING, "attendance")
    notes = (MEETING, "notes")
    logged: dict[tuple[str, str], dict[Any, Any]] = {
        discrepancies: {}, orders: {}, draws: {}, first_rounds: {}, attendance: {},
        notes: {}}
    unlogged_rounds: set[Any] = set()  # re-scored before the kept scores were logged
    for record in records:
        action, details = record.get("action"), record.get("details")
        if not isinstance(details, dict):
            continue
        if action == "tally.discrepancy":
            code = details.get("code")
            logged[discrepancies][code] = (details.get("action"), details.get("reviewer"))
            rounds = details.get("first_round")
            if isinstance(rounds, dict):  # a later re-score keeps the first round
                for reviewer, scores in rounds.items():
                    logged[first_rounds].setdefault(code, {}).setdefault(reviewer, scores)
            elif details.get("action") == "rescore":
                unlogged_rounds.add(code)
        elif action == "tally.tie_order":
            order = list(details.get("order") or [])
            logged[orders][group_key(order)] = (details.get("track"), order)
        elif action == "tally.draw":
            logged[draws][group_key(list(details.get("group") or []))] = (
                details.get("track"), details.get("seed"), list(details.get("order") or []))
        elif action == "meeting.attend":
            for present, key in ((True, "marked_present"), (False, "marked_absent")):
                logged[attendance].update(dict.fromkeys(details.get(key) or [], present))
        elif action == "meeting.note":
            logged[notes][details.get("matter")] = details.get("note")
    for code in unlogged_rounds:
        logged[first_rounds].pop(code, None)
    chair = workspace.store.tables(TALLY, "discrepancies", "orders", "draws", "first_rounds")
    meeting = workspace.store.tables(MEETING, "attendance", "notes")
    stored = {
        discrepancies: {r.get("code"): (r.get("action"), r.get("reviewer"))
                        for r in chair["discrepancies"]},
        first_rounds: {r.get("code"): r.get("reviews") for r in chair["first_rounds"]
                       if r.get("code") not in unlogged_rounds},
        orders: {r.get("group"): (r.get("track"), list(r.get("order") or []))
                 for r in chair["orders"]},
        draws: {r.get("group"): (r.get("track"), r.get("seed"), list(r.get("order") or []))
                for r in chair["draws"]},
        attendance: {r.get("id"): r.get("present") for r in meeting["attendance"]},
        notes: {r.get("matter"): r.get("note") for r in meeting["notes"]}}
    for (store, table), kept in stored.items():
        if kept != logged[store, table]:
            return workspace.store.path(store)
    return None
