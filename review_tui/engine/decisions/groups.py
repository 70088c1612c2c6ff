"""Groups (組別) of a grouped track: each is ranked and awarded on its own.

A track with ``group_by = "agency_group"`` splits its entries by the group the agency
roster gives the recommending top-level agency (stored in the clear at seal: a group is not
an identity). Each group has its own ranks, quota, minimum and tiers (the track's unless
``[[tracks.groups]]`` says otherwise); an agency belongs to one group, so the agency cap
and the once-per-person rule never reach across groups. An ungrouped track is one group
named ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from review_tui.engine.config import Track


@dataclass(frozen=True)
class TrackGroup:
    """One group of a track: its name (None for an ungrouped track), its rules and codes."""

    name: str | None
    rules: Track
    codes: tuple[str, ...]

    @cached_property  # a robustness run ranks each group once per scenario
    def within(self) -> frozenset[str] | None:
        """The codes a ranking of this group is limited to (None: the whole track)."""
        return None if self.name is None else frozenset(self.codes)


def track_groups(track: Track, codes: list[str],
                 facts: Mapping[str, Mapping[str, Any]]) -> list[TrackGroup]:
    """The groups of ``track`` among ``codes`` (each entry's ``"group"`` in ``facts``), in
    the settings' order; a group the settings name with no entry is left out."""
    if not track.group_by:
        return [TrackGroup(None, track, tuple(codes))]
    members: dict[str, list[str]] = {}
    for code in codes:
        members.setdefault(str(facts[code].get("group") or ""), []).append(code)
    return [TrackGroup(name, track.group_rules(name), tuple(members[name]))
            for name in track.group_order(members) if name in members]
