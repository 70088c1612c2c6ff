"""自行迴避: a reviewer who recognises a writer withdraws from that entry (SPEC §12).

The reviewer declares it on their own sheet while it is a draft (:func:`declare_recusal`),
or the secretariat records it for them at any time before the commit
(:func:`record_recusal`), with a reason either way. It is kept on the entry's row of the
reviewer's sheet, so it travels with the sheet; any score given stays there but is not
counted (the tally leaves recused rows out), and the entry no longer needs scoring for the
sheet to be submitted. Each recusal is on the meeting's agenda; :func:`.deal.fill_recusals`
can deal a replacement reviewer.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.scoring.deal import Deal, load_deal
from review_tui.engine.scoring.scores import (
    SUBMITTED,
    reopen_if_submitted,
    sheet_digest,
    store_name,
)
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace


@dataclass(frozen=True)
class Recusal:
    reviewer: str
    code: str
    reason: str
    by: str  # "reviewer" or "secretariat"
    at: str


def is_recused(row: dict[str, Any] | None) -> bool:
    """Whether a sheet's row is an entry its reviewer withdrew from."""
    return bool(row and row.get("recused"))


def _write(workspace: Workspace, reviewer: str, code: str, reason: str, by: str, *,
           draft_only: bool) -> Recusal:
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    reason = reason.strip()
    if not reason:
        raise ReviewError("recusal.reason")
    if code not in load_deal(workspace).queues.get(reviewer, ()):
        raise ReviewError("score.not_dealt", code=code, reviewer=reviewer)
    at = datetime.now(UTC).isoformat(timespec="seconds")
    with workspace.store.write(store_name(reviewer)) as db:
        sheet = db.rows("sheet")
        if draft_only and sheet and sheet[0]["status"] == SUBMITTED:
            raise ReviewError("score.locked", reviewer=reviewer)
        row = next((r for r in db.rows() if r["code"] == code), None)
        if is_recused(row):
            raise ReviewError("recusal.already", reviewer=reviewer, code=code)
        row = dict(row or {"code": code, "scores": {}, "comment": ""},
                   recused={"reason": reason, "by": by, "at": at}, updated=at)
        db.upsert("_default", row, key="code")
        # A submitted sheet's scores are checked against the hash last logged for them.
        submitted = bool(sheet) and sheet[0]["status"] == SUBMITTED
        digest = sheet_digest(db.rows()) if submitted else None
    workspace.audit.append("sheet.recuse" if by == "reviewer" else "recusal.record",
                           {"reviewer": reviewer, "code": code, "reason": reason,
                            **({"sheet_sha256": digest} if digest else {})})
    return Recusal(reviewer, code, reason, by, at)


@transaction("sheet.recuse")
def declare_recusal(workspace: Workspace, reviewer: str, code: str, reason: str) -> Recusal:
    """The reviewer withdraws from an entry on their draft sheet, saying why. Not on a
    packet's laptop: its returned sheet carries scores only, so the secretariat records it."""
    from review_tui.engine.scoring.laptop import packet_reviewer

    if packet_reviewer(workspace) is not None:
        raise ReviewError("recusal.on_laptop")
    return _write(workspace, reviewer, code, reason, "reviewer", draft_only=True)


@transaction("recusal.record")
def record_recusal(workspace: Workspace, reviewer: str, code: str, reason: str) -> Recusal:
    """The secretariat records a reviewer's recusal (a sheet already submitted too)."""
    return _write(workspace, reviewer, code, reason, "secretariat", draft_only=False)


def recusals(workspace: Workspace) -> list[Recusal]:
    """Every recusal on every dealt sheet, by reviewer then code."""
    try:
        queues = load_deal(workspace).queues
    except ReviewError:
        return []
    out = []
    for reviewer in sorted(queues):
        for row in workspace.store.table_rows(store_name(reviewer)):
            if is_recused(row):
                found = row["recused"]
                out.append(Recusal(reviewer, row["code"], found["reason"], found["by"],
                                   found["at"]))
    return sorted(out, key=lambda r: (r.reviewer, r.code))


def replacements(workspace: Workspace) -> dict[tuple[str, str], str]:
    """(recused reviewer, code) → the reviewer dealt the entry in their place."""
    from review_tui.engine.scoring.deal import STORE

    meta = workspace.store.table_rows(STORE, "meta")
    return {(f["replaces"], f["code"]): f["reviewer"]
            for f in (meta[0].get("fills", []) if meta else [])}


def unreplaced(workspace: Workspace,
               withdrawn: list[Recusal] | None = None) -> list[Recusal]:
    """The recusals (``withdrawn``, read if not given) no replacement was dealt for yet."""
    replaced = replacements(workspace)
    return [r for r in (recusals(workspace) if withdrawn is None else withdrawn)
            if (r.reviewer, r.code) not in replaced]


@dataclass(frozen=True)
class Fill:
    """What :func:`fill_recusals` dealt: ``(reviewer, code, replaced reviewer)`` added, the
    codes nobody could take, and the reviewers whose submitted sheets were reopened."""

    seed: int
    added: tuple[tuple[str, str, str], ...]
    unfilled: tuple[str, ...]
    reopened: tuple[str, ...]


@bulk_step
@transaction("deal.fill")
def fill_recusals(workspace: Workspace, *, seed: int | None = None) -> Fill:
    """Deal a replacement for each recusal not yet replaced: the least loaded reviewer with
    no conflict, not dealt the entry and not recused from it (ties drawn from ``seed``,
    recorded). The entry goes at the end of their queue; a submitted sheet is reopened for
    it. Refused before the deal and after the commit."""
    from review_tui.engine.intake.roster import load_reviewers
    from review_tui.engine.scoring.deal import STORE, write_queue_index
    from review_tui.engine.sealing.sealed import load_sealed_entries

    if "committed" in completed_steps(workspace):
        raise ReviewError("deal.after_commit")
    current = load_deal(workspace)
    meta = workspace.store.table_rows(STORE, "meta")[0]
    seed = secrets.randbelow(10**9) if seed is None else seed
    rng = random.Random(seed)
    entries = load_sealed_entries(workspace)
    excluded = {e["code"]: set(e.get("excluded_reviewers", ())) for e in entries}
    queues = {r["id"]: list(current.queues.get(r["id"], ())) for r in load_reviewers(workspace)}
    dealt = current.reviewers_of()
    withdrawn = recusals(workspace)  # every sheet read once
    out_of = {(r.reviewer, r.code) for r in withdrawn}
    added: list[tuple[str, str, str]] = []
    unfilled: list[str] = []
    for recusal in unreplaced(workspace, withdrawn):
        code = recusal.code
        taken = set(dealt.get(code, ())) | excluded.get(code, set())
        free = [r for r in sorted(queues) if r not in taken and (r, code) not in out_of]
        if not free:
            unfilled.append(code)
            continue
        fewest = min(len(queues[r]) for r in free)
        chosen = rng.choice([r for r in free if len(queues[r]) == fewest])
        queues[chosen].append(code)
        dealt.setdefault(code, []).append(chosen)
        added.append((chosen, code, recusal.reviewer))
    if not added:
        return Fill(seed, (), tuple(unfilled), ())
    queues = {r: q for r, q in queues.items() if q}
    result = Deal(current.seed, current.per_entry, queues)
    fills = meta.get("fills", []) + [{"reviewer": r, "code": c, "replaces": x, "seed": seed}
                                     for r, c, x in added]
    with workspace.store.write(STORE) as db:
        db.replace_all("queues", [{"reviewer": r, "codes": q} for r, q in sorted(queues.items())])
        db.replace_all("meta", [dict(meta, sha256=result.sha256, fills=fills)])
    write_queue_index(workspace, queues, entries, result.sha256)
    reopened = sorted({r for r, _, _ in added if reopen_if_submitted(workspace, r, "deal.fill")})
    workspace.audit.append("deal.fill", {
        "seed": seed, "added": [list(a) for a in added], "unfilled": unfilled,
        "reopened": reopened, "result_sha256": result.sha256})
    return Fill(seed, tuple(added), tuple(unfilled), tuple(reopened))
