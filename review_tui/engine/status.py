"""A summary of where the committee stands, for ``status`` and the TUI's start screen."""

from __future__ import annotations

from collections import Counter
from typing import Any

from review_tui.engine.intake.imports import check, load_entries, load_imports
from review_tui.engine.intake.roster import Roster, load_reviewers
from review_tui.engine.model import ACCEPTED
from review_tui.engine.pipeline import stage
from review_tui.engine.sealing.seal import is_sealed, load_sealed_entries, seal_record
from review_tui.engine.workspace import Workspace


def committee_status(workspace: Workspace) -> dict[str, Any]:
    """Counts per track and severity, the stage, and the committee's identity.

    After seal the counts come from the blinded store and the seal record: the intake
    findings themselves are in the vault.
    """
    committee = workspace.config
    per_track: dict[str, dict[str, Any]] = {}
    if is_sealed(workspace):
        record = seal_record(workspace)
        sealed = Counter(e["track"] for e in load_sealed_entries(workspace))
        for track in committee.tracks:
            rejected = record["rejected"].get(track.id, 0)
            per_track[track.id] = _track(track.name, track.name_en, sealed[track.id] + rejected,
                                         sealed[track.id])
        counts = {"entries": record["entries"] + sum(record["rejected"].values()),
                  "unknown_track": record["rejected"].get("None", 0),
                  "accepted": record["entries"],
                  "findings": _sealed_finding_counts(record),
                  "manifests": record.get("manifests", 0), "sealed": True}
    else:
        entries = load_entries(workspace)
        evaluation = check(workspace, entries)
        for track in committee.tracks:
            ids = [e["id"] for e in entries if e.get("track") == track.id]
            accepted = sum(1 for i in ids if evaluation.status[i] == ACCEPTED)
            per_track[track.id] = _track(track.name, track.name_en, len(ids), accepted)
        severities = Counter(f.severity for f in evaluation.findings)
        counts = {"entries": len(entries),
                  "unknown_track": sum(1 for e in entries if not e.get("track")),
                  "accepted": sum(1 for s in evaluation.status.values() if s == ACCEPTED),
                  "findings": {"reject": severities.get("reject", 0),
                               "warn": severities.get("warn", 0)},
                  "manifests": len(load_imports(workspace)), "sealed": False}
    return {
        "committee": {"id": committee.id, "name": committee.name, "name_en": committee.name_en,
                      "year": committee.year, "deadline": committee.deadline.isoformat()},
        "stage": stage(workspace),
        "tracks": per_track,
        **counts,
        "agencies": len(Roster.load(workspace).agencies),
        "reviewers": len(load_reviewers(workspace)),
    }


def _sealed_finding_counts(record: dict[str, Any]) -> dict[str, Any]:
    """Findings by severity as they stood at the seal, as before it: a seal made before
    the counts were kept gives its rejected entries and "?" warnings (not a false 0)."""
    counts = record.get("finding_counts")
    if counts is None:
        return {"reject": sum(record["rejected"].values()), "warn": "?"}
    return {"reject": counts.get("reject", 0), "warn": counts.get("warn", 0)}


def _track(name: str, name_en: str, entries: int, accepted: int) -> dict[str, Any]:
    return {"name": name, "name_en": name_en, "entries": entries, "accepted": accepted,
            "rejected": entries - accepted}
