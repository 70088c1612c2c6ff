"""Instructions a CLI step runs, counted by valgrind: the measure a shared machine does not
move, for comparing two versions of the code on the same committee.

``python -m benchmarks.instructions WORKSPACE [--against REV] -- STEP [ARGS…]``

Each run gets a fresh copy of ``WORKSPACE`` and runs ``python -m review_tui STEP ARGS
--workspace COPY`` under cachegrind (``--cache-sim=no``), from a scratch folder: started
from the repository, ``-m`` would import the working tree whatever ``PYTHONPATH`` says.
With ``--against REV`` the same runs on ``git archive REV`` first, then the ratio.

On this project's 2-vCPU machine two timed runs of the same code differ by up to a third;
two counts differ by well under 1 %. Counts say nothing of waiting on the disk (a step's
fsyncs, its file creations): time that with the table. Under valgrind a step runs about
40 times slower, so give the long steps a slice (200 of 2,000 sheets). A forked second
process is counted on its own line; its count begins with its parent's at the fork.
Needs valgrind (``apt-get install valgrind``).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from . import compile_bytecode

REPOSITORY = Path(__file__).resolve().parent.parent
_COUNT = re.compile(rb"^==(\d+)== I\s+refs:\s+([\d,]+)", re.MULTILINE)


def count(code: Path, workspace: Path, step: list[str], scratch: Path) -> list[int]:
    """Instructions of each process of one run of ``step`` (the first process first), with
    the package imported from ``code`` (a folder holding ``review_tui``)."""
    copy = scratch / "workspace"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(workspace, copy)
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
         "--cachegrind-out-file=/dev/null", sys.executable, "-m", "review_tui", *step,
         "--workspace", str(copy)],
        cwd=scratch, env={**os.environ, "PYTHONPATH": str(code)},
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    counts = sorted((int(pid), int(refs.replace(b",", b"")))
                    for pid, refs in _COUNT.findall(done.stderr))
    if done.returncode != 0 or not counts:
        tail = done.stderr.decode("utf-8", "replace")[-2000:]
        raise SystemExit(f"the step failed (exit {done.returncode}):\n{tail}")
    return [refs for _, refs in counts]


def checkout(revision: str, into: Path) -> Path:
    """``review_tui`` as it was at ``revision``, compiled (as an installed copy would be)."""
    archive = subprocess.run(["git", "-C", str(REPOSITORY), "archive", revision, "review_tui"],
                             check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    compile_bytecode(into / "review_tui")
    return into


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        usage="python -m benchmarks.instructions WORKSPACE [--against REV] -- STEP [ARGS…]",
        description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--against", metavar="REV", help="a git revision to compare with")
    argv = sys.argv[1:] if argv is None else argv
    cut = argv.index("--") if "--" in argv else len(argv)
    args, step = parser.parse_args(argv[:cut]), argv[cut + 1:]
    if not step:
        parser.error("name the step after --, e.g. -- tally --credential-file chair.txt")
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 2
    compile_bytecode(REPOSITORY / "review_tui")
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        sides = [("this tree", REPOSITORY)]
        if args.against:
            (scratch / "old").mkdir()
            sides.insert(0, (args.against, checkout(args.against, scratch / "old")))
        main_counts = []
        for name, code in sides:
            counts = count(code, args.workspace.resolve(), step, scratch)
            main_counts.append(counts[0])
            shown = ", ".join(f"{c:,}" for c in counts[1:])
            print(f"{name:>12}: {counts[0]:>16,} instructions"
                  + (f"  (forked: {shown})" if shown else ""))
        if len(main_counts) == 2:
            print(f"{'ratio':>12}: {main_counts[1] / main_counts[0]:.3f} (this tree / "
                  f"{args.against})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
