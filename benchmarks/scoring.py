"""Benchmarks of dealing and of score saves (rows of ``python -m benchmarks``)."""

from __future__ import annotations

import os
import random
import statistics
import time
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from review_tui.engine.scoring.deal import load_deal, plan_deal
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.storage.atomic import write_bytes_atomic
from review_tui.engine.workspace import Workspace

from .timing import median_seconds

SAVES = 150  # fsync times on a shared disk drift: many samples, interleaved
TINYDB_SAVES = 20  # a save into one shared 20,000-entry file takes most of a second


def synthetic_deal_input(entries: int, reviewers: int, conflict_rate: float, seed: int = 1):
    """Entries with random conflicts (each reviewer excluded with ``conflict_rate``)."""
    rng = random.Random(seed)
    ids = [f"J{i:04d}" for i in range(reviewers)]
    items = [{"code": f"R-{i:05d}", "track": "reading",
              "excluded_reviewers": [r for r in ids if rng.random() < conflict_rate]}
             for i in range(entries)]
    return items, ids


def bench_deal(repeats: int) -> tuple[float, int]:
    """plan_deal at conference scale: 20,000 entries × 3 over 2,000 reviewers, 1% conflicts."""
    items, ids = synthetic_deal_input(20_000, 2_000, 0.01)
    times, spread = [], 0
    for i in range(repeats):
        start = time.perf_counter()
        result = plan_deal(items, ids, seed=i, per_entry=3)
        times.append(time.perf_counter() - start)
        spread = max(spread, max(result.loads.values()) - min(result.loads.values()))
    return statistics.median(times), spread


def optimal_spread(items: list[dict], ids: list[str], per_entry: int) -> tuple[int, float]:
    """The best max−min load, by min-cost flow with convex reviewer costs (networkx)."""
    import networkx as nx  # benchmark-only dependency: pip install '.[bench]'

    graph = nx.DiGraph()
    total = per_entry * len(items)
    graph.add_node("s", demand=-total)
    graph.add_node("t", demand=total)
    for item in items:
        graph.add_edge("s", item["code"], capacity=per_entry, weight=0)
        for reviewer in ids:
            if reviewer not in item["excluded_reviewers"]:
                graph.add_edge(item["code"], reviewer, capacity=1, weight=0)
    ceiling = total // len(ids) + 2
    for reviewer in ids:  # the k-th entry a reviewer takes costs k: flow spreads evenly
        for k in range(1, ceiling + 1):
            graph.add_edge(reviewer, (reviewer, k), capacity=1, weight=k)
            graph.add_edge((reviewer, k), "t", capacity=1, weight=0)
    start = time.perf_counter()
    flow = nx.min_cost_flow(graph)
    seconds = time.perf_counter() - start
    loads = [sum(flow[r].values()) for r in ids]
    return max(loads) - min(loads), seconds


def bench_deal_quality() -> tuple[float, int, float | None, int | None]:
    """Our deal against min-cost flow on 1,000 × 3 × 100 (both times and spreads)."""
    items, ids = synthetic_deal_input(1_000, 100, 0.01, seed=7)
    start = time.perf_counter()
    result = plan_deal(items, ids, seed=1, per_entry=3)
    ours = time.perf_counter() - start
    spread = max(result.loads.values()) - min(result.loads.values())
    try:
        best, flow_seconds = optimal_spread(items, ids, 3)
    except ImportError:
        return ours, spread, None, None
    return ours, spread, flow_seconds, best


def _one_save(sheet: ScoreSheet, i: int) -> float:
    item = sheet.queue[0]
    criterion = sheet.criteria_of(item.code)[0]
    start = time.perf_counter()
    sheet.save(item.code, criterion.id, str(i % criterion.points))
    return time.perf_counter() - start


def _first_sheet(workspace: Workspace) -> ScoreSheet:
    return ScoreSheet(workspace, sorted(load_deal(workspace).queues)[0])


def bench_saves(workspace: Workspace, root: Path) -> tuple[float, float]:
    """Median durable one-criterion save, against a bare 1 KB temp+fsync+rename, taken in
    turn so that both see the same disk."""
    sheet = _first_sheet(workspace)
    payload = os.urandom(1024)
    times, floor_times = [], []
    for i in range(SAVES):
        times.append(_one_save(sheet, i))
        start = time.perf_counter()
        write_bytes_atomic(root / "floor.bin", payload)
        floor_times.append(time.perf_counter() - start)
    return statistics.median(times), statistics.median(floor_times)


def bench_save_sizes(small: Workspace, large: Workspace) -> tuple[float, float]:
    """Median save in a small and a large committee, taken in turn (not minutes apart)."""
    sheets = _first_sheet(small), _first_sheet(large)
    times: tuple[list[float], list[float]] = ([], [])
    for i in range(SAVES):
        for sheet, out in zip(sheets, times, strict=True):
            out.append(_one_save(sheet, i))
    return statistics.median(times[0]), statistics.median(times[1])


def bench_tinydb_shared(entries: int, reviews: int, root: Path) -> float:
    """TinyDB's own JSONStorage with every score in one shared file: one save's median."""
    path = root / f"shared-{entries}.json"
    path.unlink(missing_ok=True)
    db = TinyDB(path)
    db.insert_multiple({"reviewer": f"J{i % 7}", "code": f"R-{i:05d}",
                        "scores": {"insight": "10", "interpretation": "10", "structure": "10"},
                        "comment": "評語" * 20} for i in range(entries * reviews))
    times = []
    for i in range(TINYDB_SAVES):
        start = time.perf_counter()
        db.update({"scores": {"insight": str(i % 40)}}, Query().code == "R-00001")
        times.append(time.perf_counter() - start)
    db.close()
    return statistics.median(times)


def _tally_inputs(entries: int) -> tuple[Any, list[Any], dict[str, dict[str, Any]]]:
    """One track of ``entries`` with coarse scores (many ties), three reviewers per entry."""
    import dataclasses
    import tomllib

    from review_tui.engine.config import parse_config, template_text
    from review_tui.engine.decisions.ranking import Scored

    track = dataclasses.replace(
        parse_config(tomllib.loads(template_text("coach", year=2026))).track("reading"),
        quota=entries // 10)
    rng = random.Random(5)
    items, facts = [], {}
    for i in range(entries):
        criteria = {f"J{(i + k) % 2000}": {c.id: 10 * rng.randint(c.points // 2, c.points)
                                           for c in track.criteria} for k in range(3)}
        totals = {r: sum(v.values()) for r, v in criteria.items()}
        code = f"R-{i:05d}"
        items.append(Scored(code, totals, criteria, dict(totals)))
        facts[code] = {"agency": f"A{i // 2}", "authors": [f"P{i}"]}
    return track, items, facts


def bench_tally(entries: int, repeats: int) -> tuple[float, float]:
    """Ranking + tie ladder + selection of one track, against a plain Fraction mean-and-sort.

    Scores are coarse (many ties), three reviewers per entry, so the ladder has work to do.
    """
    from fractions import Fraction

    from review_tui.engine.decisions.awards import select
    from review_tui.engine.decisions.ranking import LadderInputs, rank_entries

    track, items, facts = _tally_inputs(entries)

    def operation(_: int) -> None:
        ranked = rank_entries(track, items, LadderInputs())  # undrawn ties stay shared
        select(track, ranked, facts, set())

    def floor(_: int) -> None:  # the exact mean of each entry's totals, and a sort
        sorted(((Fraction(sum(e.totals.values()), 10 * len(e.totals)), e.code) for e in items),
               reverse=True)

    return median_seconds(operation, repeats), median_seconds(floor, repeats)


def bench_records(entries: int, repeats: int) -> tuple[float, float]:
    """The tally's document read as typed records (what the chair screen and the exports
    read), against copying each row's dict: the least work that touches every row."""
    from review_tui.engine.decisions.awards import select
    from review_tui.engine.decisions.ranking import LadderInputs, rank_entries
    from review_tui.engine.decisions.tally import TallyResult

    track, items, facts = _tally_inputs(entries)
    decisions = select(track, rank_entries(track, items, LadderInputs()), facts, set())[0]
    reviews = [{"reviewer": r, "total": "80.0", "criteria": {"insight": "30.0"},
                "counted": True} for r in ("J1", "J2", "J3")]
    rows = [dict(d.as_dict(), mean="80.00", spread="3.0", reviews=reviews,
                 discrepancy={"flagged": False, "outcome": None}) for d in decisions]

    def operation(_: int) -> None:
        TallyResult({"tracks": {track.id: rows}}).rows(track.id)

    def floor(_: int) -> None:
        [dict(row) for row in rows]

    return median_seconds(operation, repeats), median_seconds(floor, repeats)


def bench_export_table(rows: int) -> tuple[float, float]:
    """The score summary's table of ``rows`` entries: our builder vs python-docx add_row."""
    import tempfile
    from pathlib import Path

    from review_tui.engine.exports.docx_tables import add_table, save
    from review_tui.engine.exports.docx_writer import new_document

    header = ["名次", "編號", "作品題目", "評審總分", "平均", "差距", "評分差異處理", "結果",
              "理由"]
    data = [[str(i + 1), f"R-{i:05d}", "《微笑的力量》讀後：工作與家庭的雙向奔赴",
             "R1 85.0；R2 80.5；R3 82.0", "82.50", "4.50", "", "入選", "入選（第 1 名）。"]
            for i in range(rows)]
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        document = new_document()
        add_table(document, header, data)
        save(document, Path(tmp) / "fast.docx")  # the rows are written in as it saves
        fast = time.perf_counter() - start
        start = time.perf_counter()
        document = new_document()
        table = document.add_table(rows=1, cols=len(header))
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for row in data:
            for cell, text in zip(table.add_row().cells, row, strict=True):
                cell.text = text
        document.save(f"{tmp}/naive.docx")
        naive = time.perf_counter() - start
    return fast, naive
