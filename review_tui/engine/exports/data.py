"""What the exports show, gathered once from the store: decisions, scores, identities.

Blind (before unseal): codes, redacted titles, reviewers as R1, R2 … and their sheets.
After unseal: real titles, agencies and writers' names next to the codes.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_tui.engine.config import Committee, Track
from review_tui.engine.decisions.frozen_rules import amendments
from review_tui.engine.decisions.records import DecisionRow, Status, named_reason_params
from review_tui.engine.decisions.tally import tally
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.roster import Roster, load_reviewers
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.scores import store_name
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.sealing.unseal import load_unsealed
from review_tui.engine.workspace import Workspace


@dataclass
class ExportEntry:
    """One entry's decision with what a document may print about it."""

    track: Track
    decision: DecisionRow
    title: str
    agency: str | None = None  # the writers' own unit (as the manifest names it), after unseal
    top_agency: str | None = None  # the recommending top-level agency (roster), after unseal
    commended: list[dict[str, str]] = field(default_factory=list)  # name, job title, grade
    co_authors: list[str] = field(default_factory=list)
    writers: list[str] = field(default_factory=list)  # every writer, in manifest order
    blind_title: str = ""  # the redacted title the reviewers scored
    service_category: str = ""  # a case's 服務類別, after unseal
    will_present: bool | None = None  # 願意發表 at the 成果發表會 (a case), after unseal
    phones: list[str] = field(default_factory=list)  # each writer's, in manifest order

    @property
    def group(self) -> str | None:
        """The group (組別) it was ranked in, in a grouped track."""
        return self.decision.group

    @property
    def contacts(self) -> list[str]:
        """「莊惠如 07-3394105#505」 for each writer who gave a telephone number."""
        return [f"{name} {phone}" for name, phone in zip(self.writers, self.phones,
                                                          strict=False) if phone]

    @property
    def code(self) -> str:
        return self.decision.code


@dataclass
class ExportData:
    committee: Committee
    unsealed: bool
    committed: bool
    entries: list[ExportEntry]
    reviewer_codes: dict[str, str]  # reviewer id → R1 …
    reviewer_names: dict[str, str]
    sheets: dict[str, dict[str, dict[str, Any]]]  # reviewer → code → stored row
    queues: dict[str, list[str]]
    stamp: str  # when the decisions were committed (or tallied): the documents' date
    unsubmitted: int = 0  # sheets still out: the ranking is provisional (暫定) when > 0
    amendments: list[dict[str, Any]] = field(default_factory=list)  # rules amended after seal
    decisions_sha256: str | None = None  # the frozen decisions' hash, once committed
    rejected: list[dict[str, Any]] = field(default_factory=list)  # 不予受理, after unseal
    agency_names: dict[str, str] = field(default_factory=dict)  # pseudonym → name, after unseal
    templates: Path | None = None  # the committee's own template folder, if it names one

    @functools.cached_property
    def by_code(self) -> dict[str, ExportEntry]:
        """Every entry by its code (read once, not once per reviewer's sheet)."""
        return {e.code: e for e in self.entries}

    def by_track(self, track_id: str) -> list[ExportEntry]:
        return [e for e in self.entries if e.track.id == track_id]

    def reason_params(self, decision: DecisionRow) -> dict[str, Any]:
        """A decision's reason parameters, an agency named after the unseal (the cap's
        「推薦機關 A01」 becomes the agency's name)."""
        return named_reason_params(decision, self.agency_names)

    def rejected_by_agency(self) -> dict[str, list[dict[str, Any]]]:
        """The entries not accepted, per recommending top-level agency (sorted)."""
        out: dict[str, list[dict[str, Any]]] = {}
        for row in self.rejected:
            out.setdefault(row["top_agency"] or row["agency"], []).append(row)
        return dict(sorted(out.items()))

    def by_group(self, track: Track, entries: list[ExportEntry],
                 ) -> list[tuple[str | None, list[ExportEntry]]]:
        """``entries`` of ``track`` per group (組別) in the settings' order, every group of
        the track listed even when none of ``entries`` is in it; one unnamed list for an
        ungrouped track."""
        if not track.group_by:
            return [(None, entries)]
        names = {e.group or "" for e in self.by_track(track.id)}
        return [(name, [e for e in entries if (e.group or "") == name])
                for name in track.group_order(names) if name in names]

    def asks_presenting(self, track_id: str | None = None) -> bool:
        """Whether the manifest asked 願意發表 of any entry (of one track, or any)."""
        return any(e.will_present is not None for e in self.entries
                   if track_id is None or e.track.id == track_id)

    def presenting(self) -> list[ExportEntry]:
        """The winners whose writers agreed to present at the 成果發表會 (願意發表)."""
        return [e for e in self.winners() if e.will_present]

    def winners(self, track_id: str | None = None) -> list[ExportEntry]:
        """The selected entries (of one track, or all), in rank order."""
        return [e for e in self.entries if e.decision.status == Status.WINNER
                and (track_id is None or e.track.id == track_id)]


def template_folder(workspace: Workspace) -> Path | None:
    """The committee's own template folder (``[documents] templates``), if it names one."""
    name = workspace.config.documents.templates
    if not name:
        return None
    folder = (workspace.root / name).resolve()
    if not folder.is_dir():
        raise ReviewError("export.templates_missing", path=str(folder))
    return folder


def gather(workspace: Workspace) -> ExportData:
    """Everything the export writes, read once."""
    committee = workspace.config
    done = completed_steps(workspace)
    result = tally(workspace)
    unsealed = "unsealed" in done
    revealed = load_unsealed(workspace)
    identities, persons = revealed.identities, revealed.persons
    sealed = {e["code"]: e for e in load_sealed_entries(workspace)}
    roster = Roster.load(workspace)
    entries = []
    for track in committee.tracks:
        for decision in result.rows(track.id):
            code = decision.code
            identity = identities.get(code)
            entry = ExportEntry(track, decision, identity["title"] if identity
                                else sealed[code]["title"], blind_title=sealed[code]["title"])
            if identity:
                entry.agency = identity["agency"]
                entry.top_agency = roster.top_level(identity["agency"])
                details = dict(zip(sealed[code]["authors"], identity["authors"], strict=False))
                entry.commended = [details.get(p, {"name": persons.get(p, p)})
                                   for p in decision.commended]
                entry.co_authors = [persons.get(p, p) for p in decision.co_authors]
                entry.writers = [a.get("name", "") for a in identity["authors"]]
                entry.service_category = identity.get("service_category", "")
                entry.will_present = identity.get("will_present")
                entry.phones = [a.get("phone", "") for a in identity["authors"]]
            entries.append(entry)
    queues = load_deal(workspace).queues
    reviewer_ids = sorted(queues)
    names = {r["id"]: r["name"] for r in load_reviewers(workspace)}
    sheets = {r: {row["code"]: row for row in workspace.store.table_rows(store_name(r))}
              for r in reviewer_ids}
    stamp = done.get("committed") or done.get("tallied") or done.get("dealt") or ""
    return ExportData(committee, unsealed, "committed" in done, entries,
                      {r: f"R{i}" for i, r in enumerate(reviewer_ids, start=1)}, names, sheets,
                      queues, stamp[:10], result.unsubmitted if result.provisional else 0,
                      amendments(workspace.store),
                      result.sha256 if "committed" in done else None,
                      [dict(r, top_agency=roster.top_level(r["agency"]))
                       for r in revealed.rejected],
                      revealed.agencies, template_folder(workspace))
