"""Who is at the meeting, and whether they make a quorum (SPEC §12).

The chair records attendance (:func:`record_attendance`), as members arrive or leave; each
call is one audited step. :func:`quorum` judges it against the frozen ``[meeting]`` rules,
and a commit is refused without a quorum (:func:`require_quorum`), saying exactly what is
missing. Members are the reviewers on the roster; external members (外聘) are marked there.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from review_tui.engine.config import MeetingRules
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.roster import load_reviewers
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

STORE = "meeting"


@dataclass(frozen=True)
class Member:
    id: str
    name: str
    external: bool
    present: bool | None  # None: not recorded yet


@dataclass(frozen=True)
class Quorum:
    """The attendance as recorded, and what the rules ask of it."""

    members: tuple[Member, ...]
    rules: MeetingRules

    @property
    def required(self) -> bool:
        """The committee's rules ask for a quorum."""
        return self.rules.quorum

    @property
    def needed_present(self) -> int:
        return max(1, math.ceil(self.rules.present_share * len(self.members)))

    @property
    def needed_external(self) -> int:
        """The larger of the minimum and the share of those present."""
        return max(self.rules.min_external,
                   math.ceil(self.rules.external_share * len(self.present)))

    def assuming(self, present: Iterable[str]) -> Quorum:
        """The quorum if exactly ``present`` were there (a roll being ticked, unsaved)."""
        ids = set(present)
        return Quorum(tuple(replace(m, present=m.id in ids) for m in self.members),
                      self.rules)

    @property
    def present(self) -> tuple[Member, ...]:
        return tuple(m for m in self.members if m.present)

    @property
    def external_present(self) -> int:
        return sum(1 for m in self.present if m.external)

    @property
    def recorded(self) -> bool:
        return any(m.present is not None for m in self.members)

    @property
    def met(self) -> bool:
        return (len(self.present) >= self.needed_present
                and self.external_present >= self.needed_external)

    def params(self) -> dict[str, int]:
        """The numbers a message about the quorum states."""
        return {"present": len(self.present), "members": len(self.members),
                "needed_present": self.needed_present, "external": self.external_present,
                "needed_external": self.needed_external}

    def as_json(self) -> dict[str, Any]:
        """What a commit's audit record and the minutes keep of it."""
        return dict(self.params(), required=self.required, met=self.met,
                    present_ids=[m.id for m in self.present],
                    absent_ids=[m.id for m in self.members if not m.present])


def quorum(workspace: Workspace) -> Quorum:
    """The members, who is recorded present, and what a quorum needs of them."""
    rules = workspace.config.meeting
    recorded = {r["id"]: r["present"] for r in workspace.store.table_rows(STORE, "attendance")}
    members = tuple(Member(r["id"], r["name"], bool(r["external"]), recorded.get(r["id"]))
                    for r in load_reviewers(workspace))
    return Quorum(members, rules)


def require_quorum(workspace: Workspace) -> Quorum:
    """The quorum, when the rules ask for one and it is met; refused otherwise, saying
    how many are present and external against how many are needed."""
    found = quorum(workspace)
    if not found.required:
        return found
    if not found.recorded:
        raise ReviewError("quorum.not_recorded")
    if not found.met:
        raise ReviewError("quorum.not_met", **found.params())
    return found


@transaction("meeting.attend")
def record_attendance(workspace: Workspace, present: Iterable[str] = (),
                      absent: Iterable[str] = ()) -> Quorum:
    """Mark members present or absent (others keep what was recorded); refused after
    commit, for an id not on the roster, or for an id named both ways."""
    if "committed" in completed_steps(workspace):
        raise ReviewError("commit.already")
    present, absent = sorted(set(present)), sorted(set(absent))
    known = [r["id"] for r in load_reviewers(workspace)]
    unknown = [i for i in present + absent if i not in known]
    if unknown:
        raise ReviewError("meeting.unknown_member", ids=", ".join(unknown),
                          known=", ".join(known) or "-")
    both = sorted(set(present) & set(absent))
    if both:
        raise ReviewError("meeting.both_ways", ids=", ".join(both))
    if not present and not absent:
        raise ReviewError("meeting.attend_nobody")
    at = datetime.now(UTC).isoformat(timespec="seconds")
    rows = ([{"id": m, "present": True, "at": at} for m in present]
            + [{"id": m, "present": False, "at": at} for m in absent])
    with workspace.store.write(STORE) as db:
        db.upsert_many("attendance", rows, key="id")
    found = quorum(workspace)
    workspace.audit.append("meeting.attend", {"marked_present": present,
                                              "marked_absent": absent,
                                              "quorum": dict(found.params(), met=found.met)})
    return found
