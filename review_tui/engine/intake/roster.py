"""The agency roster (with parents and groups) and the reviewer list.

Limits count at the top-level recommending agency: :class:`Roster` follows ``parent`` links
to find it. Without an imported roster every agency is its own top level.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.manifest import header_lookup, read_table
from review_tui.engine.intake.typed_values import normalise, parse_bool, split_list
from review_tui.engine.pipeline import require_intake_open
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.journal import transaction
from review_tui.engine.workspace import Workspace

AGENCY_COLUMNS = {
    "name": ("name", "機關名稱", "機關", "機關銜稱"),
    "parent": ("parent", "上級機關", "所屬一級機關"),
    "group": ("group", "組別", "分組"),
}
REVIEWER_COLUMNS = {
    "id": ("id", "代號", "編號", "委員代號"),
    "name": ("name", "姓名", "委員姓名"),
    "agency": ("agency", "服務機關", "機關", "服務單位"),
    "external": ("external", "外聘", "外聘委員", "是否外聘"),
    "conflicts_with": ("conflicts_with", "利益迴避", "迴避對象", "應迴避"),
}
STORE = "roster"


@dataclass(frozen=True)
class Roster:
    """Agencies by normalised name; empty when no roster was imported."""

    agencies: dict[str, dict[str, str]]

    @classmethod
    def load(cls, workspace: Workspace) -> Roster:
        rows = workspace.store.table_rows(STORE, "agencies")
        return cls({normalise(r["name"]): r for r in rows})

    @property
    def imported(self) -> bool:
        return bool(self.agencies)

    def knows(self, agency: str) -> bool:
        return normalise(agency) in self.agencies

    def lineage(self, agency: str) -> list[str]:
        """The agency and its parents up to the top level, as named in the roster."""
        out = []
        key = normalise(agency)
        seen = set()
        while key in self.agencies and key not in seen:
            seen.add(key)
            row = self.agencies[key]
            out.append(row["name"])
            key = normalise(row.get("parent", ""))
        return out or [agency]

    def top_level(self, agency: str) -> str:
        """The top-level recommending agency (一級機關 or 區公所) of ``agency``."""
        return self.lineage(agency)[-1]

    def group_of(self, agency: str) -> str:
        """The group (組別) of ``agency``'s top-level agency; "" when it has none."""
        row = self.agencies.get(normalise(self.top_level(agency)))
        return str(row.get("group", "")).strip() if row else ""


def _refuse(path: Path, row: int, key: str, **params: Any) -> ReviewError:
    return ReviewError(key, path=str(path), row=row, **params)


@transaction("agencies.import")
def import_agencies(workspace: Workspace, path: Path) -> int:
    """Replace the roster with the agencies of a CSV/.xlsx; refuse it whole if inconsistent.

    Refused after seal: top-level roll-up, pseudonyms and conflicts were fixed from it.
    """
    require_intake_open(workspace)
    table = read_table(path, header_lookup(AGENCY_COLUMNS), ("name",))
    rows: dict[str, dict[str, str]] = {}
    for row in table.rows:
        name = str(row.values.get("name", "")).strip()
        if not name:
            raise _refuse(path, row.number, "roster.missing_name")
        if normalise(name) in rows:
            raise _refuse(path, row.number, "roster.duplicate", name=name)
        rows[normalise(name)] = {"name": name, "parent": str(row.values.get("parent", "")).strip(),
                                 "group": str(row.values.get("group", "")).strip()}
    for number, agency in zip((r.number for r in table.rows), rows.values(), strict=True):
        parent = agency["parent"]
        if parent and normalise(parent) not in rows:
            raise _refuse(path, number, "roster.unknown_parent", name=agency["name"],
                          parent=parent)
        if _has_cycle(rows, agency["name"]):
            raise _refuse(path, number, "roster.cycle", name=agency["name"])
    _replace(workspace, "agencies", list(rows.values()), path)
    return len(rows)


def _has_cycle(rows: dict[str, dict[str, str]], name: str) -> bool:
    seen, key = set(), normalise(name)
    while key in rows:
        if key in seen:
            return True
        seen.add(key)
        key = normalise(rows[key]["parent"])
    return False


def is_reviewer_id(text: str) -> bool:
    """A reviewer id: letters, digits, ``-`` and ``_`` (so never a path)."""
    return bool(text) and text.replace("-", "").replace("_", "").isalnum()


@transaction("reviewers.import")
def import_reviewers(workspace: Workspace, path: Path) -> int:
    """Replace the reviewer list with a CSV/.xlsx of id, name, affiliated agency, whether
    the member is external (外聘, 是/否; quorum counts them) and whom they must not review
    (``conflicts_with``: writers' names or agencies, 、-separated; applied at seal).

    After seal, conflicts can no longer be worked out, so the new list may drop reviewers
    or add unaffiliated ones (e.g. outside scholars), but not add or change an affiliation
    or a conflict.
    """
    table = read_table(path, header_lookup(REVIEWER_COLUMNS), ("id", "name"))
    reviewers: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in table.rows:
        reviewer: dict[str, Any] = {k: str(row.values.get(k, "")).strip()
                                    for k in ("id", "name", "agency")}
        try:
            reviewer["external"] = bool(parse_bool(row.values.get("external", "")))
        except ValueError:
            raise _refuse(path, row.number, "reviewers.bad_external",
                          value=str(row.values.get("external", ""))) from None
        reviewer["conflicts_with"] = split_list(str(row.values.get("conflicts_with", "")))
        if not reviewer["id"] or not reviewer["name"]:
            raise _refuse(path, row.number, "reviewers.missing")
        if not is_reviewer_id(reviewer["id"]):
            raise _refuse(path, row.number, "reviewers.bad_id", id=reviewer["id"])
        if reviewer["id"] in seen:
            raise _refuse(path, row.number, "reviewers.duplicate", id=reviewer["id"])
        seen.add(reviewer["id"])
        reviewers.append(reviewer)
    if _refuse_new_affiliations(workspace, path, reviewers):
        reviewers = [_blind_conflicts(r) for r in reviewers]
    _replace(workspace, "reviewers", reviewers, path)
    return len(reviewers)


def _refuse_new_affiliations(workspace: Workspace, path: Path,
                             reviewers: list[dict[str, Any]]) -> bool:
    """After seal, refuse a list that adds or changes an affiliation or a conflict; True
    when sealed (the conflicts are then kept as digests)."""
    if not workspace.store.table_rows("entries", "seal"):
        return False
    before = {r["id"]: r for r in load_reviewers(workspace)}
    for reviewer in reviewers:
        agency = normalise(reviewer["agency"])
        earlier = before.get(reviewer["id"], {})
        if agency and normalise(earlier.get("agency", "")) != agency:
            raise ReviewError("reviewers.affiliation_after_seal", path=str(path),
                              id=reviewer["id"])
        if reviewer["conflicts_with"] and conflicts_digest(reviewer) != conflicts_digest(earlier):
            raise ReviewError("reviewers.conflict_after_seal", path=str(path),
                              id=reviewer["id"])
    return True


def conflict_names(reviewer: dict[str, Any]) -> list[str]:
    """The normalised names (writers or agencies) a reviewer must not review."""
    return [normalise(name) for name in reviewer.get("conflicts_with", ())]


def conflicts_digest(reviewer: dict[str, Any]) -> str | None:
    """What the store keeps of a reviewer's conflicts after seal: a digest of the names,
    enough to tell a re-imported list that changes them (None for none)."""
    if "conflicts_sha256" in reviewer:
        return reviewer["conflicts_sha256"]  # type: ignore[no-any-return]
    names = sorted(set(conflict_names(reviewer)))
    return sha256_hex(canonical(names)) if names else None


def _blind_conflicts(reviewer: dict[str, Any]) -> dict[str, Any]:
    digest = conflicts_digest(reviewer)
    row = {k: v for k, v in reviewer.items() if k not in ("conflicts_with", "conflicts_sha256")}
    return dict(row, conflicts_sha256=digest) if digest else row


def seal_conflicts(workspace: Workspace, reviewers: list[dict[str, Any]]) -> None:
    """At seal, once the conflicts are applied: keep a digest of each list, not the names
    (a writer's name beside a reviewer would say who submitted). Part of the seal's step."""
    with workspace.store.write(STORE) as db:
        db.replace_all("reviewers", [_blind_conflicts(r) for r in reviewers])


def load_reviewers(workspace: Workspace) -> list[dict[str, Any]]:
    """The reviewer list: id, name, agency, ``external`` and ``conflicts_with`` (lists
    imported before those columns existed read as internal, with no conflicts)."""
    return [dict({"external": False, "conflicts_with": []}, **row)
            for row in workspace.store.table_rows(STORE, "reviewers")]


def _replace(workspace: Workspace, table: str, rows: list[dict[str, Any]], path: Path) -> None:
    with workspace.store.write(STORE) as db:
        db.replace_all(table, rows)
    # No file name: the log outlives the seal, and an intake file's name may name someone.
    workspace.audit.append(f"{table}.import", {"count": len(rows),
                                               "sha256": sha256_hex(canonical(rows))})
