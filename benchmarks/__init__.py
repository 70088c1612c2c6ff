"""Benchmarks: ``python -m benchmarks`` prints one table of sizes, medians and ratios."""

from __future__ import annotations

import compileall
from pathlib import Path


def compile_bytecode(package: Path | None = None) -> None:
    """Compile the app's modules (those imported here, or the ``review_tui`` folder given)
    as ``pip install`` does, so that a process timed here starts as an installed app
    starts: not compiling its sources (~0.1 s of the app's start where
    ``PYTHONDONTWRITEBYTECODE`` is set and the checkout is editable)."""
    if package is None:
        import review_tui

        package = Path(review_tui.__file__).parent
    compileall.compile_dir(package, quiet=1)
