"""Benchmarks: ``python -m benchmarks`` prints one table of sizes, medians and ratios."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_bytecode() -> None:
    """Compile the app's modules as ``pip install`` does, so that a process timed here
    starts as an installed app starts: not compiling its sources (~0.1 s of the app's
    start where ``PYTHONDONTWRITEBYTECODE`` is set and the checkout is editable)."""
    import review_tui

    compileall.compile_dir(Path(review_tui.__file__).parent, quiet=1)
