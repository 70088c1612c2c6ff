"""A summary of where the committee stands, for ``status`` and the TUI's start screen."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from review_tui.engine.intake.imports import check, load_entries, load_imports
from review_tui.engine.intake.roster import Roster, load_reviewers
from review_tui.engine.model import ACCEPTED
from review_tui.engine.pipeline import stage
from review_tui.engine.sealing.sealed import is_sealed, load_sealed_entries, seal_record
from review_tui.engine.workspace import Workspace


@dataclass(frozen=True, slots=True)
class TrackCounts:
    name: str
    name_en: str
    entries: int
    accepted: int

    @property
    def rejected(self) -> int:
        return self.entries - self.accepted

    def name_in(self, lang: str) -> str:
        return self.name if lang == "zh-TW" else self.name_en or self.name


@dataclass(frozen=True, slots=True)
class CommitteeStatus:
    """Where a committee stands: its identity, stage, counts per track and severity.
    ``warn`` may be "?" for a seal made before the counts were kept."""

    committee_id: str
    name: str
    name_en: str
    year: int
    deadline: str  # ISO date
    stage: str  # one of pipeline.STAGES
    tracks: dict[str, TrackCounts]
    entries: int
    unknown_track: int
    accepted: int
    findings: dict[str, int | str]  # reject, warn
    manifests: int
    sealed: bool
    agencies: int
    reviewers: int

    def name_in(self, lang: str) -> str:
        return self.name if lang == "zh-TW" else self.name_en or self.name

    def to_json(self) -> dict[str, Any]:
        """The shape ``status --json`` prints."""
        return {"committee": {"id": self.committee_id, "name": self.name,
                              "name_en": self.name_en, "year": self.year,
                              "deadline": self.deadline},
                "stage": self.stage,
                "tracks": {k: {"name": c.name, "name_en": c.name_en, "entries": c.entries,
                               "accepted": c.accepted, "rejected": c.rejected}
                           for k, c in self.tracks.items()},
                "entries": self.entries, "unknown_track": self.unknown_track,
                "accepted": self.accepted, "findings": self.findings,
                "manifests": self.manifests, "sealed": self.sealed,
                "agencies": self.agencies, "reviewers": self.reviewers}


def committee_status(workspace: Workspace) -> CommitteeStatus:
    """Counts per track and severity, the stage, and the committee's identity.

    After seal the counts come from the blinded store and the seal record: the intake
    findings themselves are in the vault.
    """
    committee = workspace.config
    per_track: dict[str, TrackCounts] = {}
    if is_sealed(workspace):
        record = seal_record(workspace)
        sealed = Counter(e["track"] for e in load_sealed_entries(workspace))
        for track in committee.tracks:
            rejected = record["rejected"].get(track.id, 0)
            per_track[track.id] = TrackCounts(track.name, track.name_en,
                                              sealed[track.id] + rejected, sealed[track.id])
        entries = record["entries"] + sum(record["rejected"].values())
        unknown, accepted = record["rejected"].get("None", 0), record["entries"]
        findings, manifests = _sealed_finding_counts(record), record.get("manifests", 0)
    else:
        loaded = load_entries(workspace)
        evaluation = check(workspace, loaded)
        for track in committee.tracks:
            ids = [e["id"] for e in loaded if e.get("track") == track.id]
            per_track[track.id] = TrackCounts(
                track.name, track.name_en, len(ids),
                sum(1 for i in ids if evaluation.status[i] == ACCEPTED))
        severities = Counter(f.severity for f in evaluation.findings)
        entries, unknown = len(loaded), sum(1 for e in loaded if not e.get("track"))
        accepted = sum(1 for s in evaluation.status.values() if s == ACCEPTED)
        findings = {"reject": severities.get("reject", 0), "warn": severities.get("warn", 0)}
        manifests = len(load_imports(workspace))
    return CommitteeStatus(
        committee.id, committee.name, committee.name_en, committee.year,
        committee.deadline.isoformat(), stage(workspace), per_track, entries, unknown,
        accepted, findings, manifests, is_sealed(workspace),
        len(Roster.load(workspace).agencies), len(load_reviewers(workspace)))


def _sealed_finding_counts(record: dict[str, Any]) -> dict[str, int | str]:
    """Findings by severity as they stood at the seal, as before it: a seal made before
    the counts were kept gives its rejected entries and "?" warnings (not a false 0)."""
    counts = record.get("finding_counts")
    if counts is None:
        return {"reject": sum(record["rejected"].values()), "warn": "?"}
    return {"reject": counts.get("reject", 0), "warn": counts.get("warn", 0)}
