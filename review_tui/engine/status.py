"""A summary of where the committee stands, for ``status`` and the TUI's start screen."""

from __future__ import annotations

from collections import Counter
from typing import Any

from .intake import check, load_entries, load_imports
from .model import ACCEPTED
from .pipeline import stage
from .roster import Roster, load_reviewers
from .workspace import Workspace


def committee_status(workspace: Workspace) -> dict[str, Any]:
    """Counts per track and severity, the stage, and the committee's identity."""
    committee = workspace.config
    entries = load_entries(workspace)
    evaluation = check(workspace, entries)
    per_track: dict[str, dict[str, Any]] = {}
    for track in committee.tracks:
        ids = [e["id"] for e in entries if e.get("track") == track.id]
        accepted = sum(1 for i in ids if evaluation.status[i] == ACCEPTED)
        per_track[track.id] = {"name": track.name, "name_en": track.name_en,
                               "entries": len(ids), "accepted": accepted,
                               "rejected": len(ids) - accepted}
    unknown_track = sum(1 for e in entries if not e.get("track"))
    severities = Counter(f.severity for f in evaluation.findings)
    return {
        "committee": {"id": committee.id, "name": committee.name, "name_en": committee.name_en,
                      "year": committee.year, "deadline": committee.deadline.isoformat()},
        "stage": stage(workspace),
        "tracks": per_track,
        "entries": len(entries),
        "unknown_track": unknown_track,
        "accepted": sum(1 for s in evaluation.status.values() if s == ACCEPTED),
        "findings": {"reject": severities.get("reject", 0), "warn": severities.get("warn", 0)},
        "manifests": len(load_imports(workspace)),
        "agencies": len(Roster.load(workspace).agencies),
        "reviewers": len(load_reviewers(workspace)),
    }
