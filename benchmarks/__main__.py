"""Run the benchmarks and print a table: operation, size, median of N runs, floor, ratio.

Each operation is compared with a floor measured in the same run on the same data, so the
ratio means something on any machine. Usage: ``python -m benchmarks [--sizes 200,2000]``.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from review_tui.demo.text import READING_SENTENCES
from review_tui.engine.decisions.commit import commit
from review_tui.engine.intake.imports import check, import_manifest
from review_tui.engine.intake.read_files import READERS_VARIABLE, worker_count
from review_tui.engine.intake.roster import import_reviewers
from review_tui.engine.scoring.deal import deal
from review_tui.engine.sealing.keys import derive_passphrase_key, new_kdf_params
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.sealing.unseal import unseal
from review_tui.engine.workspace import Workspace, init_workspace

from . import compile_bytecode
from .cli_steps import StepResult, bench_steps
from .exports import bench_demo_export, bench_export, python_start, scored_committee
from .scoring import (
    bench_deal,
    bench_deal_quality,
    bench_export_table,
    bench_records,
    bench_save_sizes,
    bench_saves,
    bench_tally,
    bench_tinydb_shared,
)
from .timing import median_seconds
from .tui import bench_keys, bench_layout_only, bench_start

DOCX_ENTRIES = 400  # a large committee's real intake: Word files
ENTRIES_PER_AGENCY = 2  # within the programme's per-agency limits, so every entry is accepted


SURNAMES = "王李張劉陳楊黃趙吳周徐孫馬朱胡郭何林羅高"
GIVEN = "志明美華建宏雅婷家豪淑芬俊傑怡君承恩柏翰詩涵宗翰佳穎冠宇"


def writer_name(rng: random.Random) -> str:
    """A realistic three-character Chinese name."""
    return rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)


def agency_name(index: int) -> str:
    """Distinct Chinese agency names (高雄市政府第一二局 …), as unlike each other as real ones."""
    digits = "".join("〇一二三四五六七八九"[int(d)] for d in str(index + 1))
    return f"高雄市政府第{digits}處"


def make_intake(folder: Path, entries: int, seed: int = 1, suffix: str = ".txt") -> Path:
    """A manifest of ``entries`` reading reports with realistic Chinese text, as .txt files
    or as .docx in the programme's format."""
    rng = random.Random(seed)
    files = folder / "files"
    files.mkdir(parents=True)
    rows = [["類別", "機關銜稱", "作品題目", "檔案", "作者", "職稱", "職等", "人員類別",
             "閱讀書目", "同意公開分享", "收件日期"]]
    for i in range(entries):
        sentences = rng.sample(READING_SENTENCES, len(READING_SENTENCES))
        body = "".join(sentences)[: rng.randint(1000, 1400)]
        _write_entry(files / f"{i}{suffix}", f"心得{i}", body)
        rows.append(["心得", agency_name(i // ENTRIES_PER_AGENCY), f"心得{i}",
                     f"files/{i}{suffix}", writer_name(rng), "科員", "委任第5職等", "編制內",
                     "微笑的力量", "是", "2026-06-01"])
    manifest = folder / "manifest.csv"
    with open(manifest, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return manifest


def _write_entry(path: Path, title: str, body: str) -> None:
    if path.suffix == ".docx":
        from review_tui.engine.exports.docx_writer import add_title, new_document

        document = new_document()
        add_title(document, title)
        document.add_paragraph(body)
        document.save(path)
    else:
        path.write_text(f"{title}\n{body}", encoding="utf-8")


def import_and_check(manifest: Path, folder: Path) -> Workspace:
    """A fresh committee in ``folder`` (replacing any there) with ``manifest`` imported."""
    shutil.rmtree(folder, ignore_errors=True)
    workspace = init_workspace(folder, "coach", year=2026)
    import_manifest(workspace, manifest)
    check(workspace)
    return workspace


def bench_docx_import(entries: int, repeats: int, root: Path) -> tuple[float, float]:
    """Import + check of ``entries`` .docx files: in this process, and with the workers
    chosen for this machine (``REVIEW_TUI_READERS`` unset)."""
    manifest = make_intake(root / f"docx-{entries}", entries, seed=2, suffix=".docx")
    medians = []
    for readers in ("0", None):
        previous = os.environ.pop(READERS_VARIABLE, None)
        if readers is not None:
            os.environ[READERS_VARIABLE] = readers

        try:
            medians.append(median_seconds(
                lambda i: import_and_check(manifest, root / f"docx-ws-{i}"), repeats))
        finally:
            os.environ.pop(READERS_VARIABLE, None)
            if previous is not None:
                os.environ[READERS_VARIABLE] = previous
    return medians[0], medians[1]


def bench_import(size: int, repeats: int, root: Path) -> tuple[float, float, Path]:
    """Import + check of ``size`` .txt entries, against reading the files and counting.

    Returns the medians and one imported workspace, for the benchmarks that follow intake.
    """
    manifest = make_intake(root / f"intake-{size}", size)
    files = sorted((manifest.parent / "files").iterdir())

    def floor(_: int) -> None:  # plain Python, independent of the code under test
        for path in files:
            len("".join(path.read_text(encoding="utf-8").split()))

    seconds = median_seconds(
        lambda i: import_and_check(manifest, root / f"ws-{size}-{i}"), repeats)
    workspace = import_and_check(manifest, root / f"ws-{size}-0")
    reviewers = root / f"reviewers-{size}.csv"
    reviewers.write_text("id,name,agency,external\n" + "".join(  # half external: a quorum
        f"J{i:04d},委員{i},{agency_name(i) if i < 7 else ''},{'否' if i % 2 else '是'}\n"
        for i in range(reviewer_count(size))), encoding="utf-8")
    import_reviewers(workspace, reviewers)
    return seconds, median_seconds(floor, repeats), workspace.root


def reviewer_count(size: int) -> int:
    """7 reviewers for a committee, 2,000 (3 reviews each) at conference scale."""
    return 2_000 if size >= 20_000 else 7


def per_entry(size: int) -> int | None:
    return 3 if size >= 20_000 else None


def bench_seal(imported: Path, repeats: int, root: Path) -> tuple[float, float, float]:
    """Seal, and commit + unseal, of an imported committee, against the KDF alone."""
    phrase = "correct horse battery staple 2026"
    seal_times, unseal_times = [], []
    for i in range(repeats):
        workspace = Workspace(shutil.copytree(imported, root / f"seal-{i}"))
        start = time.perf_counter()
        seal(workspace, passphrase=phrase)
        seal_times.append(time.perf_counter() - start)
        deal(workspace, seed=1, per_entry=per_entry(len(load_sealed_entries(workspace))))
        commit(workspace, override_reason="benchmark: unsealing does not depend on scores")
        start = time.perf_counter()
        unseal(workspace, passphrase=phrase)
        unseal_times.append(time.perf_counter() - start)
        shutil.rmtree(workspace.root)
    params = new_kdf_params()
    kdf = median_seconds(lambda _: derive_passphrase_key(phrase, params), repeats)
    return statistics.median(seal_times), statistics.median(unseal_times), kdf


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--export-at", type=int, default=20_000,
                        help="also time the whole export at this size (always at 20,000)")
    parser.add_argument("--steps-at", default="2000,20000",
                        help="sizes at which every CLI step runs as a process (issue 25)")
    parser.add_argument("--only-steps", action="store_true",
                        help="only the CLI steps as processes")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 when a row misses its target")
    args = parser.parse_args()
    compile_bytecode()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.steps_at.split(",") if s):
            rows += step_rows(bench_steps(size, args.repeats, Path(tmp) / f"steps-{size}"))
    if args.only_steps:
        print_table(rows)
        raise SystemExit(1 if args.check and any(r.met is False for r in rows) else 0)
    scored: dict[int, Workspace] = {}  # kept to compare saves across sizes
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            seconds, floor, imported = bench_import(size, args.repeats, Path(tmp))
            # In this process, to find causes: the steps' goals are their rows as processes
            # (--steps-at), against floors that do the same work (the unseal's of a scored
            # committee; here the decisions are an unscored committee's).
            rows.append(Row("  import + check (.txt entries)", size, seconds, floor,
                            "(comparison)", None))
            sealing, unsealing, kdf = bench_seal(imported, args.repeats, Path(tmp))
            for name, value in (("  seal (passphrase) vs KDF", sealing),
                                ("  commit→unseal vs KDF", unsealing)):
                rows.append(Row(name, size, value, kdf, "(comparison)", None))
            workspace = Workspace(shutil.copytree(imported, Path(tmp) / f"score-{size}"))
            seal(workspace, passphrase="correct horse battery staple 2026")
            started_deal = time.perf_counter()
            deal(workspace, seed=1, per_entry=per_entry(size))
            if size >= 20_000:  # the whole step: plan, store, audit, each reviewer's queue file
                rows.append(Row("deal step in the workspace (one run)", size,
                                time.perf_counter() - started_deal, None, "≤ 5 s",
                                time.perf_counter() - started_deal <= 5))
            # The app starts in a fresh process, as it does for a reviewer: not in one
            # holding what 20,000-entry imports and seals left behind.
            with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as fresh:
                started, bare = fresh.submit(bench_start, workspace.root, args.repeats).result()
                layout = (fresh.submit(bench_layout_only, args.repeats).result()
                          if size == 200 else None)
                keys = (fresh.submit(bench_keys, workspace.root).result()
                        if size in (200, 20_000) or size == max(int(x) for x in
                                                                 args.sizes.split(","))
                        else None)
            target = 2 if size < 20_000 else 3
            rows.append(Row("TUI start to first frame (reviewer)", size, started, bare,
                            f"≤ {target}×", started <= target * bare))
            if layout is not None:
                rows.append(Row("  same layout, no data (Textual alone)", 0, layout, bare,
                                "(comparison)", None))
            if keys is not None:
                move, typed, bare_key = keys
                # The target is ≤ 50 ms at 20,000; Pilot's own round trip (the bare app's)
                # is taken off, as the screen cannot update before the key arrives.
                rows.append(Row("TUI key → screen: next entry", size, move, bare_key,
                                "≤ bare + 50 ms", move - bare_key <= 0.05))
                rows.append(Row("TUI key → screen: score + Enter", size, typed, bare_key,
                                "≤ bare + 50 ms", typed - bare_key <= 0.05))
            save, save_floor = bench_saves(workspace, Path(tmp))
            scored[size] = workspace
            rows.append(Row("durable score save (one criterion)", size, save, save_floor,
                            "≤ 5×", save <= 5 * save_floor))
            shared = bench_tinydb_shared(size, 3, Path(tmp))
            rows.append(Row("  TinyDB JSONStorage, one shared file", size, shared, save_floor,
                            "(comparison)", None))
            if size >= 20_000 or args.export_at == size:
                # The whole export as the chair runs it, every sheet scored, no conversion.
                finished = scored_committee(imported, Path(tmp) / f"export-{size}",
                                            per_entry(size))
                seconds, peak = bench_export(finished, Path(tmp) / f"export-out-{size}", 1,
                                             convert=False)
                rows.append(Row("export --no-convert (CLI process)", size, seconds,
                                python_start(args.repeats), "≤ 10 s", seconds <= 10))
                rows.append(Row("  its peak memory, process tree (MB)", size, peak, None,
                                "≤ 500 MB", peak <= 500))
                shutil.rmtree(finished)
            shutil.rmtree(imported)
        if len(scored) > 1:
            low, high = min(scored), max(scored)
            small, large = bench_save_sizes(scored[low], scored[high])
            rows.append(Row(f"save({high}) / save({low}), taken in turn", high, large, small,
                            "≤ 1.5", large <= 1.5 * small))
        single, parallel = bench_docx_import(DOCX_ENTRIES, args.repeats, Path(tmp))
        workers = worker_count([".docx"] * DOCX_ENTRIES)
        rows.append(Row(f"  import + check, {DOCX_ENTRIES} .docx: {workers} workers vs 1 process",
                        DOCX_ENTRIES, parallel, single, "(comparison)", None))
        # Others' code and the tally run in a fresh (spawned) process: not in our peak, and
        # not in a fork of this one, whose heap (what the runs above left) the child's first
        # collections walk: the tally row went from 1.9x to 3.0x between two forked runs.
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as child:
            if max(int(x) for x in args.sizes.split(",")) >= 20_000:
                seconds, floor = child.submit(bench_tally, 20_000, args.repeats).result()
                rows.append(Row("tally + tie ladder + selection", 20_000, seconds, floor,
                                "≤ 3×", seconds <= 3 * floor))
                seconds, floor = child.submit(bench_records, 20_000, args.repeats).result()
                rows.append(Row("  decisions read as typed records (vs dict copies)", 20_000,
                                seconds, floor, "≤ 1× the tally",
                                seconds <= rows[-1].seconds))
            fast, naive = child.submit(bench_export_table, 10_000).result()
            quality = child.submit(bench_deal_quality).result()
        rows.append(Row("export score summary .docx (vs add_row)", 10_000, fast, naive,
                        "≥ 5× faster", naive >= 5 * fast))
        demo = bench_demo_export(Path(tmp), 3)
        if demo is not None:  # the 45-entry demo with ODF and PDF, LibreOffice installed
            rows.append(Row("export of the demo with .odt + .pdf (CLI)", 45, demo[0],
                            python_start(args.repeats), "≤ 8 s", demo[0] <= 8))
        deal_seconds, spread = bench_deal(args.repeats)
        rows.append(Row(f"deal 20,000×3 / 2,000 (max−min {spread})", 20_000, deal_seconds,
                        None, "≤ 5 s, spread ≤ 1", deal_seconds <= 5 and spread <= 1))
        ours, our_spread, flow, best = quality
        label = (f"deal 1,000×3 / 100 (spread {our_spread} vs flow {best})" if flow
                 else "deal 1,000×3 / 100 (networkx missing)")
        rows.append(Row(label, 1_000, ours, flow, "same spread",
                        None if best is None else our_spread <= best))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows.append(Row("peak memory of the whole run (MB)", max(int(x) for x in
                                                            args.sizes.split(",")),
                    peak_mb, None, "≤ 500 MB", peak_mb <= 500))
    print_table(rows)
    raise SystemExit(1 if args.check and any(r.met is False for r in rows) else 0)


# Issue 25's goals for the steps, as decided in session 11 (RESULTS.md says why): each
# step within 3× its floor, measured in the same run. The seconds the issue also set (tally
# and commit ≤ 1 s, 2,000 sheets ≤ 5 s at 20,000; the deal ≤ 1 s at 29,000) predate the
# role's credential that every step now checks: its Argon2id derivation alone is 0.2-0.3 s
# of each floor, and the tally's floor came to 0.74-1.57 s. On this shared machine a floor
# moves by a third within an hour, so a goal in seconds was met or missed by the hour.
# The import and the seal stay as they are (the issue: seconds a committee waits once):
# shown for comparison.
UNGOVERNED_STEPS = {"import", "seal"}


def step_rows(results: list[StepResult]) -> list[Row]:
    """Each step's row (≤ 3× its floor, by the median of each run's ratio to the floor run
    beside it) and its peak memory's row (≤ 500 MB)."""
    rows = []
    for r in results:
        governed = r.step not in UNGOVERNED_STEPS
        rows.append(Row(f"{r.step} (CLI process)", r.size, r.seconds, r.floor,
                        "≤ 3× floor" if governed else "(comparison)",
                        r.ratio <= 3 if governed else None, r.ratio))
        rows.append(Row(f"  peak MB, process tree (floor {r.floor_peak_mb:.0f})", r.size,
                        r.peak_mb, None, "≤ 500 MB", r.peak_mb <= 500))
    return rows


@dataclass(frozen=True)
class Row:
    operation: str
    size: int
    seconds: float
    floor: float | None
    target: str
    met: bool | None
    ratio: float | None = None  # when not the medians' (the steps': each run's, then median)


def print_table(rows: list[Row]) -> None:
    print(f"{'operation':44} {'size':>7} {'median s':>10} {'floor s':>9} {'ratio':>8}  "
          f"{'target':18} met")
    for row in rows:
        floor = f"{row.floor:>9.4f}" if row.floor else f"{'—':>9}"
        ratio = (f"{row.ratio:>7.1f}×" if row.ratio is not None
                 else f"{row.seconds / row.floor:>7.1f}×" if row.floor else f"{'—':>8}")
        met = {True: "yes", False: "NO", None: "—"}[row.met]
        print(f"{row.operation:44} {row.size:>7} {row.seconds:>10.4f} {floor} {ratio}  "
              f"{row.target:18} {met}")


if __name__ == "__main__":
    main()
