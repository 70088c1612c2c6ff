"""Run the benchmarks and print a table: operation, size, median of N runs, floor, ratio.

Each operation is compared with a floor measured in the same run on the same data, so the
ratio means something on any machine. Usage: ``python -m benchmarks [--sizes 200,2000]``.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from review_tui.engine.demo_text import READING_SENTENCES
from review_tui.engine.intake import check, import_manifest
from review_tui.engine.workspace import init_workspace

AGENCIES = [f"高雄市政府第{i}局" for i in range(1, 201)]


def make_intake(folder: Path, entries: int, seed: int = 1) -> Path:
    """A manifest of ``entries`` .txt reading reports with realistic Chinese text."""
    rng = random.Random(seed)
    files = folder / "files"
    files.mkdir(parents=True)
    rows = [["類別", "機關銜稱", "作品題目", "檔案", "作者", "職稱", "職等", "人員類別",
             "閱讀書目", "同意公開分享", "收件日期"]]
    for i in range(entries):
        sentences = rng.sample(READING_SENTENCES, len(READING_SENTENCES))
        body = "".join(sentences)[: rng.randint(1000, 1400)]
        (files / f"{i}.txt").write_text(f"心得{i}\n{body}", encoding="utf-8")
        rows.append(["心得", rng.choice(AGENCIES), f"心得{i}", f"files/{i}.txt", f"作者{i}",
                     "科員", "委任第5職等", "編制內", "微笑的力量", "是", "2026-06-01"])
    manifest = folder / "manifest.csv"
    with open(manifest, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return manifest


def median_seconds(run: Callable[[int], object], repeats: int) -> float:
    times = []
    for i in range(repeats):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def bench_import(size: int, repeats: int, root: Path) -> tuple[float, float]:
    """Import + check of ``size`` .txt entries, against reading the files and counting."""
    manifest = make_intake(root / f"intake-{size}", size)
    files = sorted((manifest.parent / "files").iterdir())

    def floor(_: int) -> None:  # plain Python, independent of the code under test
        for path in files:
            len("".join(path.read_text(encoding="utf-8").split()))

    def operation(i: int) -> None:
        workspace = init_workspace(root / f"ws-{size}-{i}", "coach", year=2026)
        import_manifest(workspace, manifest)
        check(workspace)

    return median_seconds(operation, repeats), median_seconds(floor, repeats)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks")
    parser.add_argument("--sizes", default="200,2000,20000")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            seconds, floor = bench_import(size, args.repeats, Path(tmp))
            rows.append(("import + check (.txt entries)", size, seconds, floor, "≤ 5×"))
    print(f"{'operation':34} {'size':>7} {'median s':>10} {'floor s':>9} {'ratio':>7}  target")
    for name, size, seconds, floor, target in rows:
        print(f"{name:34} {size:>7} {seconds:>10.3f} {floor:>9.3f} {seconds / floor:>6.1f}×"
              f"  {target}")


if __name__ == "__main__":
    main()
