"""Deal the sealed entries to reviewers: conflict-free, balanced, reproducible.

:func:`plan_deal` is a pure function of the entries (codes, tracks, excluded reviewers), the
reviewer ids, K and a seed. Entries are taken in a seeded random order; each goes to the K
eligible reviewers with the lowest load so far (ties broken at random), found with a lazy
heap so 20,000 entries × 3 over 2,000 reviewers take well under a second. A repair pass then
moves assignments from the most to the least loaded reviewer while conflicts allow, so the
loads end within one of each other wherever that is possible (an entry may be handed along a
chain of reviewers when conflicts block a direct move). Each reviewer's queue is
shuffled on its own, against order bias.
"""

from __future__ import annotations

import heapq
import operator
import random
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.roster import load_reviewers
from review_tui.engine.pipeline import completed_steps, mark_step
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.storage import json_codec
from review_tui.engine.storage.atomic import open_atomic
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import step, transaction
from review_tui.engine.storage.store import file_version
from review_tui.engine.workspace import Workspace

STORE = "deal"
SCORES_DIR = "scores"  # one store file per reviewer; see scores.py
QUEUE_PACK = "queues.pack"  # each reviewer's queue with what the sheet shows; derived
QUEUES_DIR = "queues"  # the same, one file a reviewer, as deals before the pack wrote it
QUEUE_FIELDS = ("code", "track", "title", "char_count", "text_at")


@dataclass(frozen=True)
class Deal:
    """A deal: each reviewer's queue of codes, in the order they will read them."""

    seed: int
    per_entry: int | None
    queues: dict[str, list[str]]

    @property
    def loads(self) -> dict[str, int]:
        return {r: len(q) for r, q in self.queues.items()}

    @property
    def sha256(self) -> str:
        return sha256_hex(canonical({"seed": self.seed, "per_entry": self.per_entry,
                                     "queues": self.queues}))

    def reviewers_of(self) -> dict[str, list[str]]:
        """Code → the reviewers it was dealt to."""
        out: dict[str, list[str]] = defaultdict(list)
        for reviewer, codes in sorted(self.queues.items()):
            for code in codes:
                out[code].append(reviewer)
        return dict(out)


def plan_deal(entries: list[dict[str, Any]], reviewers: Iterable[str], *, seed: int,
              per_entry: int | None = None,
              pinned: Iterable[tuple[str, str]] = ()) -> Deal:
    """Assign every entry to ``per_entry`` reviewers (default: all without a conflict).

    ``pinned`` (reviewer, code) pairs are kept as they are (scores already given).
    Refused, naming the entry, when conflicts leave it fewer eligible reviewers than K.
    """
    rng = random.Random(seed)
    ids = sorted(set(reviewers))
    if not ids:
        raise ReviewError("deal.no_reviewers")
    if per_entry is not None and not 1 <= per_entry <= len(ids):
        raise ReviewError("deal.bad_per_entry", per_entry=per_entry, reviewers=len(ids))
    known = set(ids)
    assigned: dict[str, set[str]] = {e["code"]: set() for e in entries}
    load = dict.fromkeys(ids, 0)
    for reviewer, code in pinned:
        if reviewer in known and code in assigned:
            assigned[code].add(reviewer)
            load[reviewer] += 1
    pinned_pairs = {(r, c) for c, rs in assigned.items() for r in rs}
    excluded = {e["code"]: set(e.get("excluded_reviewers", ())) & known for e in entries}
    order = sorted(entries, key=lambda e: (e["track"], e["code"]))
    rng.shuffle(order)
    order.sort(key=lambda e: e["track"])  # track by track, random within each (stable sort)
    heap = [(load[r], rng.random(), r) for r in ids]
    heapq.heapify(heap)
    for entry in order:
        code = entry["code"]
        eligible_count = len(ids) - len(excluded[code])
        wanted = eligible_count if per_entry is None else per_entry
        if eligible_count < wanted:
            raise ReviewError("deal.impossible", entry=code, eligible=eligible_count,
                              needed=wanted)
        _take(heap, load, assigned[code], excluded[code], wanted - len(assigned[code]),
              rng.random)
    _rebalance(entries, ids, assigned, excluded, load, pinned_pairs)
    queues: dict[str, list[str]] = {r: [] for r in ids}
    for code in sorted(assigned):
        for reviewer in assigned[code]:
            queues[reviewer].append(code)
    for reviewer in ids:
        rng.shuffle(queues[reviewer])
    return Deal(seed, per_entry, queues)


def _take(heap: list[tuple[int, float, str]], load: dict[str, int], chosen: set[str],
          excluded: set[str], count: int, draw: Callable[[], float]) -> None:
    """Add ``count`` least-loaded eligible reviewers to ``chosen``, in place (29,000 entries
    call it: the heap's functions are bound once, at import)."""
    skipped = []
    while count > 0 and heap:
        item = _heappop(heap)
        current, _, reviewer = item
        if current != load[reviewer]:
            continue  # stale: a fresher item for this reviewer is in the heap
        if reviewer in excluded or reviewer in chosen:
            skipped.append(item)
            continue
        chosen.add(reviewer)
        load[reviewer] = current = current + 1
        skipped.append((current, draw(), reviewer))
        count -= 1
    for item in skipped:
        _heappush(heap, item)


_heappop, _heappush = heapq.heappop, heapq.heappush


def _rebalance(entries: list[dict[str, Any]], ids: list[str], assigned: dict[str, set[str]],
               excluded: dict[str, set[str]], load: dict[str, int],
               pinned: set[tuple[str, str]]) -> None:
    """Move assignments from the busiest to the idlest reviewers while conflicts allow."""
    codes_of: dict[str, list[str]] = defaultdict(list)
    for code in sorted(assigned):
        for reviewer in assigned[code]:
            codes_of[reviewer].append(code)
    while True:
        low, high = min(load.values()), max(load.values())
        if high - low <= 1:
            return
        if not _move_one(ids, assigned, excluded, load, pinned, codes_of, low, high):
            return


def _move_one(ids: list[str], assigned: dict[str, set[str]], excluded: dict[str, set[str]],
              load: dict[str, int], pinned: set[tuple[str, str]],
              codes_of: dict[str, list[str]], low: int, high: int) -> bool:
    idle = [r for r in ids if load[r] == low]
    for busy in (r for r in ids if load[r] == high):
        for code in codes_of[busy]:
            if (busy, code) in pinned:
                continue
            for target in idle:
                if target not in assigned[code] and target not in excluded[code]:
                    assigned[code].remove(busy)
                    assigned[code].add(target)
                    codes_of[busy].remove(code)
                    codes_of[target].append(code)
                    load[busy] -= 1
                    load[target] += 1
                    return True
    return _move_along_a_chain(ids, assigned, excluded, load, pinned, codes_of, low, high)


def _move_along_a_chain(ids: list[str], assigned: dict[str, set[str]],
                        excluded: dict[str, set[str]], load: dict[str, int],
                        pinned: set[tuple[str, str]], codes_of: dict[str, list[str]],
                        low: int, high: int) -> bool:
    """When no entry can go straight from a busiest to an idlest reviewer (conflicts), find
    a chain busy → r1 → … → idle, each step handing one entry on, by breadth-first search;
    everyone on the chain keeps their load but its ends. False when there is none."""
    came_from: dict[str, tuple[str, str] | None] = {r: None for r in ids if load[r] == high}
    frontier = list(came_from)
    while frontier:
        following = []
        for giver in frontier:
            for code in codes_of[giver]:
                if (giver, code) in pinned:
                    continue
                for taker in ids:
                    if (taker in came_from or taker in assigned[code]
                            or taker in excluded[code]):
                        continue
                    came_from[taker] = (giver, code)
                    if load[taker] == low:
                        _hand_on(taker, came_from, assigned, codes_of, load)
                        return True
                    following.append(taker)
        frontier = following
    return False


def _hand_on(end: str, came_from: dict[str, tuple[str, str] | None],
             assigned: dict[str, set[str]], codes_of: dict[str, list[str]],
             load: dict[str, int]) -> None:
    """Apply a chain found by :func:`_move_along_a_chain`, from its idle end back."""
    taker = end
    load[end] += 1
    while (step := came_from[taker]) is not None:
        giver, code = step
        assigned[code].remove(giver)
        assigned[code].add(taker)
        codes_of[giver].remove(code)
        codes_of[taker].append(code)
        taker = giver
    load[taker] -= 1


# --- the workspace step ------------------------------------------------------------------------


def load_deal(workspace: Workspace) -> Deal:
    """The current deal (refused before dealing)."""
    meta = workspace.store.table_rows(STORE, "meta")
    if not meta:
        raise ReviewError("pipeline.needs", step="score", needed="deal")
    queues = {r["reviewer"]: r["codes"] for r in workspace.store.table_rows(STORE, "queues")}
    return Deal(meta[0]["seed"], meta[0]["per_entry"], queues)


def write_queue_index(workspace: Workspace, queues: dict[str, list[str]],
                      entries: list[dict[str, Any]], deal_sha256: str) -> None:
    """Every reviewer's queue with each entry's code, track, title, length and text
    position, in one file (``queues.pack``), so opening a sheet reads a few KB instead of
    every entry.

    Its first line is JSON: the deal's hash, the fields of an item, and where each
    reviewer's queue lies after that line (offset and length in bytes); then each queue as
    JSON, an item an array of those fields (keys on every item made the pack twice as long
    to write). One file, not one per reviewer: creating 2,900 files took most of a deal at
    29,000 entries. Derived from the deal and the sealed entries, and stamped with the
    deal's hash: a pack that is missing, damaged or from an earlier deal is ignored (the
    sheet then reads the deal and the entries), so it needs no fsync.
    """
    fields = operator.itemgetter(*QUEUE_FIELDS)
    item = {e["code"]: fields(e) for e in entries}  # once, not 3 times
    parts, places, offset = [], {}, 0
    for reviewer, codes in sorted(queues.items()):
        data = json_codec.compact([item[c] for c in codes])
        places[reviewer] = [offset, len(data)]
        parts.append(data)
        offset += len(data)
    with step(workspace.root, "deal") as active:  # joins the deal's step
        with open_atomic(workspace.root / QUEUE_PACK, durable=False) as handle:
            handle.write(json_codec.compact({"deal_sha256": deal_sha256,
                                             "fields": QUEUE_FIELDS, "at": places}))
            handle.write(b"\n")
            handle.writelines(parts)
        if (workspace.root / QUEUES_DIR).is_dir():  # one file a reviewer, before the pack
            active.will_remove(workspace.root / QUEUES_DIR)


def load_queue_index(workspace: Workspace, reviewer: str) -> list[dict[str, Any]] | None:
    """``reviewer``'s queue items from the pack, or None when it is not the current deal's.
    A committee dealt before the pack has a file per reviewer, read the same way."""
    try:
        meta = workspace.store.small_table_rows(STORE, "meta")  # not the queues, per sheet
        pack = workspace.root / QUEUE_PACK
        if pack.exists():
            stamp, places, body_at, as_arrays = _pack_header(pack)
            place = places.get(reviewer)
            if place is None:
                return None
            with open(pack, "rb") as handle:
                handle.seek(body_at + int(place[0]))
                items = json_codec.loads(handle.read(int(place[1])))
            if as_arrays:  # else a deal before the arrays, which wrote an item's keys
                items = [_item_of(row) for row in items]
        else:
            data = json_codec.loads(
                (workspace.root / QUEUES_DIR / f"{reviewer}.json").read_bytes())
            stamp, items = data["deal_sha256"], data["items"]
        if not meta or stamp != meta[0]["sha256"]:
            return None
        return [{k: item[k] for k in QUEUE_FIELDS} for item in items]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _item_of(row: list[Any]) -> dict[str, Any]:
    if not isinstance(row, list):
        raise ValueError("not a queue item")
    return dict(zip(QUEUE_FIELDS, row, strict=True))  # ValueError when one is missing


def _pack_header(pack: Path) -> tuple[str, dict[str, list[int]], int, bool]:
    """The pack's deal hash, each reviewer's place, where the queues begin, and whether
    its items are arrays: read once per version of the file (a folder of 2,000 sheets
    opens it 2,000 times)."""
    version = file_version(pack)
    cached = _PACK_HEADERS.get(pack)
    if cached is None or cached[0] != version:
        with open(pack, "rb") as handle:
            line = handle.readline()
        header = json_codec.loads(line)
        if (not line.endswith(b"\n") or not isinstance(header, dict)
                or not isinstance(header.get("at"), dict)
                or header.get("fields", list(QUEUE_FIELDS)) != list(QUEUE_FIELDS)):
            raise ValueError("not a queue pack")
        if len(_PACK_HEADERS) > 16:  # a long test run deals many committees
            _PACK_HEADERS.clear()
        cached = _PACK_HEADERS[pack] = (version, (str(header["deal_sha256"]), header["at"],
                                                  len(line), "fields" in header))
    return cached[1]


_PACK_HEADERS: dict[Path, tuple[tuple[int, int, int, int],
                                tuple[str, dict[str, list[int]], int, bool]]] = {}


def scored_pairs(workspace: Workspace) -> list[tuple[str, str]]:
    """(reviewer, code) for every entry a reviewer has put any score on."""
    pairs = []
    for path in sorted((workspace.root / SCORES_DIR).glob("*.json")):
        for row in workspace.store.table_rows(f"{SCORES_DIR}/{path.stem}"):
            if row.get("scores"):
                pairs.append((path.stem, row["code"]))
    return pairs


@bulk_step
@transaction("deal")
def deal(workspace: Workspace, *, seed: int | None = None, per_entry: int | None = None,
         force: bool = False) -> Deal:
    """Deal the sealed entries and record the deal (its seed and hash in the audit log).

    Once scores exist, re-dealing is refused unless ``force``; the scored (reviewer, entry)
    pairs are then kept in the new deal, so no score is lost.
    """
    _ = workspace.config
    done = completed_steps(workspace)
    if "sealed" not in done:
        raise ReviewError("pipeline.needs", step="deal", needed="seal")
    if "committed" in done:
        raise ReviewError("deal.after_commit")
    pinned = scored_pairs(workspace)
    if pinned and not force:
        raise ReviewError("deal.scoring_started", count=len(pinned))
    entries = load_sealed_entries(workspace)
    reviewers = [r["id"] for r in load_reviewers(workspace)]
    seed = secrets.randbelow(10**9) if seed is None else seed
    result = plan_deal(entries, reviewers, seed=seed, per_entry=per_entry, pinned=pinned)
    with workspace.store.write(STORE) as db:
        db.replace_all("queues", [{"reviewer": r, "codes": q}
                                  for r, q in sorted(result.queues.items())])
        db.replace_all("meta", [{"seed": seed, "per_entry": per_entry,
                                 "sha256": result.sha256, "kept": len(pinned)}])
    write_queue_index(workspace, result.queues, entries, result.sha256)
    loads = result.loads.values()
    record = workspace.audit.append("deal", {
        "seed": seed, "per_entry": per_entry, "entries": len(entries),
        "reviewers": len(reviewers), "kept_scored_pairs": len(pinned), "forced": force,
        "load_min": min(loads), "load_max": max(loads), "result_sha256": result.sha256})
    mark_step(workspace, "dealt", record)
    return result
