"""Rank one track's entries exactly, and break ties by the configured ladder.

Pure functions over plain data (no store). Scores arrive as whole tenths of a point (every
criterion takes one decimal), so means are compared exactly as integers over a common
denominator ``L`` (the lcm of the reviewer counts present) — exact like ``Fraction`` and
several times faster; z-scores use 40-digit ``Decimal``. Equal scores are split rung by rung
(criterion means by points, first places, spread, then the lottery the chair drew or the
meeting's order the chair recorded for that group; until then the group shares a rank).
Every tie records what was compared and what decided it.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from functools import cached_property, lru_cache
from operator import itemgetter
from typing import Any

from review_tui.engine.config import Track
from review_tui.engine.storage.gc_pause import bulk_step

Number = int | Decimal


@dataclass
class Scored:
    """One entry's scores, in tenths of a point, after the chair's discrepancy decisions."""

    code: str
    totals: dict[str, int]  # reviewer → total, the reviewers that count
    criteria: dict[str, dict[str, int]]  # reviewer → criterion → score
    all_totals: dict[str, int] = field(default_factory=dict)  # before any drop


@dataclass(slots=True)
class Ranked:
    code: str
    primary: Number | None  # higher is better (rank sums are negated)
    shown: str  # the score as shown: 2 decimals
    mean: Fraction | None  # raw mean of totals in points: what the minimum is judged on
    rank: int | None = None
    tie: dict[str, Any] | None = None
    unresolved_tie: bool = False


def to_decimal(value: Fraction | Decimal, places: str = "0.01") -> Decimal:
    """A value rounded half up to ``places`` (shown values only; never compared)."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    digits = len(places.split(".")[1]) if "." in places else 0
    return Decimal(fixed(value.numerator, value.denominator, digits))


@lru_cache(maxsize=1 << 16)  # a ladder formats the same few values thousands of times
def fixed(numerator: int, denominator: int, digits: int) -> str:
    """``numerator/denominator`` rounded half away from zero to ``digits`` decimals, in
    integers only (formatting thousands of tie values must not cost a Decimal context each)."""
    sign = "-" if (numerator < 0) != (denominator < 0) and numerator else ""
    numerator, denominator = abs(numerator), abs(denominator)
    scaled = (numerator * 10 ** digits * 2 + denominator) // (2 * denominator)
    whole, part = divmod(scaled, 10 ** digits)
    return f"{sign}{whole}.{part:0{digits}d}" if digits else f"{sign}{whole}"


@lru_cache(maxsize=1 << 12)  # a tally reads 180,000 scores of a few hundred values
def tenths(text: str | int | Decimal) -> int:
    """Whole tenths of a point from a stored score ("12.5" → 125)."""
    value = Decimal(str(text)) * 10
    if value != value.to_integral_value():
        raise ValueError(f"{text} has more than one decimal")
    return int(value)


def _doubled_ranks(entries: list[Scored]) -> dict[str, dict[str, int]]:
    """Reviewer → code → twice the rank among that reviewer's entries (1 best; equal totals
    share the average rank, 序位法; doubled so half ranks stay integers)."""
    by_reviewer: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for entry in entries:
        for reviewer, total in entry.totals.items():
            by_reviewer[reviewer].append((total, entry.code))
    ranks: dict[str, dict[str, int]] = {}
    for reviewer, items in by_reviewer.items():
        counts = Counter(total for total, _ in items)
        doubled, position = {}, 0
        for total in sorted(counts, reverse=True):  # equal totals share the average rank
            doubled[total] = 2 * position + 1 + counts[total]
            position += counts[total]
        ranks[reviewer] = {code: doubled[total] for total, code in items}
    return ranks


def reviewer_ranks(entries: list[Scored]) -> dict[str, dict[str, Fraction]]:
    """Reviewer → code → rank (1 best; equal totals share the average rank)."""
    return {r: {c: Fraction(v, 2) for c, v in codes.items()}
            for r, codes in _doubled_ranks(entries).items()}


def _zscores(entries: list[Scored]) -> dict[str, Decimal]:
    """Mean per-reviewer z-score, shown on a 50 ± 10 scale (T-score)."""
    with localcontext() as context:
        context.prec = 40
        by_reviewer: dict[str, list[int]] = defaultdict(list)
        for entry in entries:
            for reviewer, total in entry.totals.items():
                by_reviewer[reviewer].append(total)
        stats: dict[str, tuple[Decimal, Decimal]] = {}
        for reviewer, totals in by_reviewer.items():
            n, first, second = len(totals), sum(totals), sum(t * t for t in totals)
            mean = Decimal(first) / n
            sd = (Decimal(n * second - first * first) / (n * n)).sqrt()
            stats[reviewer] = (mean, sd)
        out = {}
        for entry in entries:
            zs = []
            for reviewer, total in entry.totals.items():
                mean, sd = stats[reviewer]
                zs.append((Decimal(total) - mean) / sd if sd else Decimal(0))
            out[entry.code] = Decimal(50) + Decimal(10) * sum(zs) / len(zs)
        return out


def _trims(track: Track, count: int) -> bool:
    """Whether a trimmed mean drops the highest and lowest of ``count`` totals (of ≥ 5)."""
    return track.method == "trimmed_mean" and count >= 5


def _counted(track: Track, entry: Scored) -> list[int]:
    """The totals the score is made of (trimmed mean drops the highest and lowest of ≥ 5);
    sorted only when something is dropped (20,000 sorts were a tenth of a tally)."""
    if _trims(track, len(entry.totals)):
        return sorted(entry.totals.values())[1:-1]
    return list(entry.totals.values())


def common_denominator(track: Track, entries: list[Scored]) -> int:
    """``L``: every mean is an integer count of 1/(10·L) points."""
    counts = {len(entry.totals) for entry in entries}
    counts |= {count - 2 for count in counts if _trims(track, count)}
    return math.lcm(*(c for c in counts if c)) if any(counts) else 1


def primary_scores(track: Track, entries: list[Scored], scale: int) -> dict[str, Ranked]:
    """Each entry's score by the track's method; entries without scores get ``None``."""
    zscores = _zscores(entries) if track.method == "zscore" else {}
    ranks = _doubled_ranks(entries) if track.method == "rank_sum" else {}
    out = {}
    for entry in entries:
        if not entry.totals:
            out[entry.code] = Ranked(entry.code, None, "", None)
            continue
        n = len(entry.totals)
        mean = Fraction(sum(entry.totals.values()), 10 * n)
        primary: Number
        if track.method == "zscore":
            primary = zscores[entry.code]
            shown = str(to_decimal(primary))
        elif track.method == "rank_sum":
            doubled = sum(ranks[r][entry.code] for r in entry.totals)
            primary, shown = -doubled, fixed(doubled, 2, 2)
        else:
            counted = _counted(track, entry)
            primary = sum(counted) * (scale // len(counted))
            shown = fixed(primary, 10 * scale, 2)
        out[entry.code] = Ranked(entry.code, primary, shown, mean)
    return out


@dataclass(frozen=True)
class LadderInputs:
    """The chair's inputs to the ladder's last rung, by tied group (:func:`group_key`):
    meeting orders, and lottery draws (each ``{"seed": …, "order": […]}``)."""

    chair_orders: dict[str, list[str]] = field(default_factory=dict)
    draws: dict[str, dict[str, Any]] = field(default_factory=dict)


def group_key(codes: list[str]) -> str:
    return ",".join(sorted(codes))


def lottery_order(seed: int, track_id: str, codes: list[str]) -> list[str]:
    """The order a lottery with ``seed`` gives a tied group: by the SHA-256 of
    ``"<seed>:<track>:<code>"`` in hexadecimal, smallest first. Anyone can re-derive it
    from the recorded seed with any SHA-256 tool (``tally draw --verify`` does)."""
    def ticket(code: str) -> str:
        return hashlib.sha256(f"{seed}:{track_id}:{code}".encode()).hexdigest()

    return sorted(codes, key=ticket)


@bulk_step
def rank_entries(track: Track, entries: list[Scored], inputs: LadderInputs,
                 within: Collection[str] | None = None) -> list[Ranked]:
    """Entries in rank order with ranks and tie records (unscored entries last, unranked).

    ``within`` ranks only those codes (one group of a grouped track) while scores that
    depend on the others (a reviewer's z-scores or ranks, 序位) are made from all of them.
    """
    scale = common_denominator(track, entries)
    scores = primary_scores(track, entries, scale)
    if within is not None:
        scores = {code: item for code, item in scores.items() if code in within}
    by_code = {e.code: e for e in entries}
    context = _LadderContext(track, by_code, entries, inputs, scale)
    scored = [r for r in scores.values() if r.primary is not None]
    groups: dict[Number, list[Ranked]] = defaultdict(list)
    for item in scored:
        groups[item.primary].append(item)  # type: ignore[index]
    ordered: list[list[Ranked]] = []
    for primary in sorted(groups, reverse=True):
        group = sorted(groups[primary], key=lambda r: r.code)
        ordered += context.split(group) if len(group) > 1 else [group]
    position = 1
    result = []
    for block in ordered:
        for item in block:
            item.rank = position
        position += len(block)
        result += block
    unscored = sorted((r for r in scores.values() if r.primary is None), key=lambda r: r.code)
    return result + unscored


class _LadderContext:
    def __init__(self, track: Track, by_code: dict[str, Scored],
                 entries: list[Scored], inputs: LadderInputs, scale: int) -> None:
        self.track = track
        self.by_code = by_code
        self.entries = entries
        self.inputs = inputs
        self.scale = scale

    @cached_property
    def tops(self) -> dict[str, tuple[int, int]]:
        """Reviewer → their highest total and how many entries have it, worked out only if
        a tie reaches first places. A first place is that total shared by at most two
        entries: rank 1, or 1.5 for two (:func:`_doubled_ranks` gives 2·0 + 1 + n, under 4
        only for n ≤ 2; any lower total's is 4 or more). One pass, where ranking every
        reviewer's entries took a tenth of the ladder at 20,000 entries."""
        tops: dict[str, list[int]] = {}
        for entry in self.entries:
            for reviewer, total in entry.totals.items():
                top = tops.get(reviewer)
                if top is None or total > top[0]:
                    tops[reviewer] = [total, 1]
                elif total == top[0]:
                    top[1] += 1
        return {reviewer: (top[0], top[1]) for reviewer, top in tops.items()}

    def split(self, group: list[Ranked]) -> list[list[Ranked]]:
        """Blocks in order: single entries, or a block sharing one rank."""
        codes = [r.code for r in group]
        steps: list[dict[str, Any]] = []
        blocks = self._apply(group, list(self.track.tie_ladder), steps)
        unresolved = any(len(b) > 1 for b in blocks)
        record = {"group": codes, "steps": steps,
                  "order": [[r.code for r in b] for b in blocks], "resolved": not unresolved}
        for item in group:
            item.tie = record
            item.unresolved_tie = unresolved
        return blocks

    def _apply(self, group: list[Ranked], rungs: list[str],
               steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        if len(group) == 1 or not rungs:
            return [group]
        rung, rest = rungs[0], rungs[1:]
        if rung == "criteria":
            return self._by_criteria(group, rest, steps)
        if rung in ("first_places", "stdev"):
            values = {r.code: self._value(rung, r.code) for r in group}
            return self._split_by(group, values, rung, rest, steps)
        return self._final(group, rung, steps)  # lottery, chair or shared

    def _value(self, rung: str, code: str) -> int:
        entry = self.by_code[code]
        if rung == "first_places":  # a shared first place (rank 1.5) counts as first
            tops = self.tops
            return sum(1 for r, total in entry.totals.items()
                       if tops[r][0] == total and tops[r][1] <= 2)
        totals = list(entry.totals.values())
        n = len(totals)
        spread = n * sum(t * t for t in totals) - sum(totals) ** 2  # n²·variance
        return -spread * (self.scale // n) ** 2  # lower spread is better

    def _by_criteria(self, group: list[Ranked], rest: list[str],
                     steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        """Compare criterion means, heaviest criterion first (ties in points: config order):
        one lexicographic comparison, recorded as one step with every mean compared."""
        criteria = [c.id for c in sorted(self.track.criteria, key=lambda c: -c.points)]
        vectors = {}
        in_order = itemgetter(*criteria) if len(criteria) > 1 else (lambda s: (s[criteria[0]],))
        for item in group:
            entry = self.by_code[item.code]
            weight = self.scale // len(entry.totals)
            per_sheet = [in_order(entry.criteria[rv]) for rv in entry.totals]
            vectors[item.code] = tuple(sum(column) * weight
                                       for column in zip(*per_sheet, strict=True))
        denominator = 10 * self.scale
        steps.append({"rung": "criteria", "criteria": criteria,
                      "values": {code: [fixed(v, denominator, 3) for v in vector]
                                 for code, vector in sorted(vectors.items())}})
        buckets: dict[tuple[int, ...], list[Ranked]] = defaultdict(list)
        for item in group:
            buckets[vectors[item.code]].append(item)
        out: list[list[Ranked]] = []
        for vector in sorted(buckets, reverse=True):
            sub = buckets[vector]
            out += [sub] if len(sub) == 1 else self._apply(sub, rest, steps)
        return out

    def _shown(self, rung: str, value: int) -> str:
        """A ladder value as a person reads it: a mean, a count or a standard deviation."""
        if rung == "first_places":
            return str(value)
        variance = Fraction(-value, 100 * self.scale ** 2)
        with localcontext() as context:
            context.prec = 40
            sd = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
        return str(to_decimal(sd, "0.001"))

    def _split_by(self, group: list[Ranked], values: dict[str, int], rung: str,
                  rest: list[str], steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        steps.append({"rung": rung, "values": {c: self._shown(rung, v)
                                               for c, v in sorted(values.items())}})
        buckets: dict[int, list[Ranked]] = defaultdict(list)
        for item in group:
            buckets[values[item.code]].append(item)
        out: list[list[Ranked]] = []
        for value in sorted(buckets, reverse=True):
            sub = buckets[value]
            out += [sub] if len(sub) == 1 else self._apply(sub, rest, steps)
        return out

    def _final(self, group: list[Ranked], rung: str,
               steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        """The ladder's last rung: a draw or a meeting order the chair recorded for exactly
        this group, else the group stays tied (shared, lottery or chair: undecided). Nothing
        is drawn here: a lottery is drawn only by the chair's own action."""
        codes = sorted(r.code for r in group)
        key = group_key(codes)
        by_code = {r.code: r for r in group}
        draw = self.inputs.draws.get(key)
        if draw is not None:
            steps.append({"rung": "lottery", "decided": True, "group": codes,
                          "seed": draw["seed"], "order": list(draw["order"])})
            return [[by_code[c]] for c in draw["order"]]
        order = self.inputs.chair_orders.get(key)
        if order is not None:
            steps.append({"rung": "chair", "decided": True, "group": codes,
                          "order": list(order)})
            return [[by_code[c]] for c in order]
        steps.append({"rung": rung, "decided": False, "group": codes})
        return [group]
