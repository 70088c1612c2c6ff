"""Rank one track's entries exactly, and break ties by the configured ladder.

Pure functions over plain data (no store): entry scores from reviewers' totals in exact
arithmetic (``Fraction``; z-scores in 40-digit ``Decimal``), equal scores split rung by rung
(criterion means by points, first places, spread, then a seeded lottery or the chair's
recorded order, or a shared rank). Every tie records what was compared and what decided it.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction
from typing import Any

from .config import Track

Number = Fraction | Decimal
DECIDING = ("lottery", "chair", "shared")


@dataclass
class Scored:
    """One entry's scores after the chair's discrepancy decisions."""

    code: str
    totals: dict[str, Fraction]  # reviewer → total, the reviewers that count
    criteria: dict[str, dict[str, Fraction]]  # reviewer → criterion → score
    all_totals: dict[str, Fraction] = field(default_factory=dict)  # before any drop


@dataclass
class Ranked:
    code: str
    primary: Number | None  # higher is better (rank sums are negated)
    shown: str  # the score as shown: 2 decimals
    mean: Fraction | None  # raw mean of totals: what the minimum score is judged on
    rank: int | None = None
    tie: dict[str, Any] | None = None
    unresolved_tie: bool = False


def to_decimal(value: Number, places: str = "0.01") -> Decimal:
    """A fraction rounded half up to ``places`` (shown values only; never compared)."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)
    with localcontext() as context:
        context.prec = 60
        exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def _mean(values: list[Fraction]) -> Fraction:
    return sum(values, Fraction(0)) / len(values)


def _variance(values: list[Fraction]) -> Fraction:
    mean = _mean(values)
    return sum(((v - mean) ** 2 for v in values), Fraction(0)) / len(values)


def reviewer_ranks(entries: list[Scored]) -> dict[str, dict[str, Fraction]]:
    """Reviewer → code → rank among that reviewer's entries (1 best; equal totals share
    the average rank, 序位法)."""
    by_reviewer: dict[str, list[tuple[Fraction, str]]] = defaultdict(list)
    for entry in entries:
        for reviewer, total in entry.totals.items():
            by_reviewer[reviewer].append((total, entry.code))
    ranks: dict[str, dict[str, Fraction]] = {}
    for reviewer, items in by_reviewer.items():
        items.sort(key=lambda item: -item[0])
        ranks[reviewer] = {}
        position = 0
        while position < len(items):
            end = position
            while end + 1 < len(items) and items[end + 1][0] == items[position][0]:
                end += 1
            shared = Fraction(position + 1 + end + 1, 2)
            for _, code in items[position:end + 1]:
                ranks[reviewer][code] = shared
            position = end + 1
    return ranks


def _zscores(entries: list[Scored]) -> dict[str, Decimal]:
    """Mean per-reviewer z-score, shown on a 50 ± 10 scale (T-score)."""
    with localcontext() as context:
        context.prec = 40
        stats: dict[str, tuple[Decimal, Decimal]] = {}
        by_reviewer: dict[str, list[Fraction]] = defaultdict(list)
        for entry in entries:
            for reviewer, total in entry.totals.items():
                by_reviewer[reviewer].append(total)
        for reviewer, totals in by_reviewer.items():
            mean, variance = _mean(totals), _variance(totals)
            sd = (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
            stats[reviewer] = (Decimal(mean.numerator) / Decimal(mean.denominator), sd)
        out = {}
        for entry in entries:
            zs = []
            for reviewer, total in entry.totals.items():
                mean, sd = stats[reviewer]
                value = Decimal(total.numerator) / Decimal(total.denominator)
                zs.append((value - mean) / sd if sd else Decimal(0))
            out[entry.code] = Decimal(50) + Decimal(10) * sum(zs) / len(zs)
        return out


def primary_scores(track: Track, entries: list[Scored]) -> dict[str, Ranked]:
    """Each entry's score by the track's method; entries without scores get ``None``."""
    zscores = _zscores(entries) if track.method == "zscore" else {}
    ranks = reviewer_ranks(entries) if track.method == "rank_sum" else {}
    out = {}
    for entry in entries:
        totals = sorted(entry.totals.values())
        if not totals:
            out[entry.code] = Ranked(entry.code, None, "", None)
            continue
        mean = _mean(totals)
        primary: Number
        if track.method == "trimmed_mean" and len(totals) >= 5:
            primary = _mean(totals[1:-1])
        elif track.method == "zscore":
            primary = zscores[entry.code]
        elif track.method == "rank_sum":
            primary = -sum((ranks[r][entry.code] for r in entry.totals), Fraction(0))
        else:
            primary = mean
        shown = to_decimal(-primary if track.method == "rank_sum" else primary)
        out[entry.code] = Ranked(entry.code, primary, str(shown), mean)
    return out


@dataclass(frozen=True)
class LadderInputs:
    """The chair's inputs to the ladder: recorded meeting orders and the lottery seed."""

    chair_orders: dict[str, list[str]] = field(default_factory=dict)  # group key → order
    lottery_seed: int | None = None


def group_key(codes: list[str]) -> str:
    return ",".join(sorted(codes))


class LotteryNeeded(Exception):
    """A tie reached the lottery rung and no seed was drawn yet."""


def rank_entries(track: Track, entries: list[Scored], inputs: LadderInputs) -> list[Ranked]:
    """Entries in rank order with ranks and tie records (unscored entries last, unranked)."""
    scores = primary_scores(track, entries)
    by_code = {e.code: e for e in entries}
    context = _LadderContext(track, by_code, reviewer_ranks(entries), inputs)
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
                 ranks: dict[str, dict[str, Fraction]], inputs: LadderInputs) -> None:
        self.track = track
        self.by_code = by_code
        self.ranks = ranks
        self.inputs = inputs

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
            item.unresolved_tie = unresolved and self.track.tie_ladder[-1] == "chair"
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
            return self._split_by(group, values, rung, None, rest, steps)
        if rung == "lottery":
            return self._lottery(group, steps)
        if rung == "chair":
            return self._chair(group, steps)
        steps.append({"rung": "shared", "group": [r.code for r in group]})
        return [group]

    def _value(self, rung: str, code: str) -> Fraction:
        entry = self.by_code[code]
        if rung == "first_places":
            return Fraction(sum(1 for r in entry.totals if self.ranks[r][code] < 2))
        return -_variance(list(entry.totals.values()))  # lower spread is better

    def _by_criteria(self, group: list[Ranked], rest: list[str],
                     steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        criteria = sorted(self.track.criteria, key=lambda c: -c.points)  # stable: config order

        def descend(items: list[Ranked], index: int) -> list[list[Ranked]]:
            if len(items) == 1:
                return [items]
            if index == len(criteria):
                return self._apply(items, rest, steps)
            criterion = criteria[index].id
            values = {r.code: _mean([self.by_code[r.code].criteria[rv][criterion]
                                     for rv in self.by_code[r.code].totals])
                      for r in items}
            return self._split_by(items, values, "criteria", criterion, [], steps,
                                  then=lambda sub: descend(sub, index + 1))

        return descend(group, 0)

    def _split_by(self, group: list[Ranked], values: dict[str, Fraction], rung: str,
                  criterion: str | None, rest: list[str], steps: list[dict[str, Any]],
                  then: Any = None) -> list[list[Ranked]]:
        step: dict[str, Any] = {"rung": rung,
                                "values": {c: str(to_decimal(v if rung != "stdev" else -v,
                                                             "0.001"))
                                           for c, v in sorted(values.items())}}
        if criterion:
            step["criterion"] = criterion
        steps.append(step)
        buckets: dict[Fraction, list[Ranked]] = defaultdict(list)
        for item in group:
            buckets[values[item.code]].append(item)
        out: list[list[Ranked]] = []
        for value in sorted(buckets, reverse=True):
            sub = buckets[value]
            if len(sub) == 1:
                out.append(sub)
            elif then is not None:
                out += then(sub)
            else:
                out += self._apply(sub, rest, steps)
        return out

    def _lottery(self, group: list[Ranked], steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        seed = self.inputs.lottery_seed
        if seed is None:
            raise LotteryNeeded
        codes = sorted(r.code for r in group)
        rng = random.Random(f"{seed}:{self.track.id}:{','.join(codes)}")
        drawn = list(group)
        rng.shuffle(drawn)
        steps.append({"rung": "lottery", "seed": seed, "order": [r.code for r in drawn]})
        return [[r] for r in drawn]

    def _chair(self, group: list[Ranked], steps: list[dict[str, Any]]) -> list[list[Ranked]]:
        order = self.inputs.chair_orders.get(group_key([r.code for r in group]))
        if order is None:
            steps.append({"rung": "chair", "decided": False, "group": [r.code for r in group]})
            return [group]
        by_code = {r.code: r for r in group}
        steps.append({"rung": "chair", "decided": True, "order": order})
        return [[by_code[c]] for c in order]
