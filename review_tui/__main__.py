"""Entry point: ``review-tui`` and ``python -m review_tui``."""

from __future__ import annotations

import sys
from typing import NoReturn


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run it; the exit status follows SPEC.md §10. For a caller
    in its own process: what the command kept for the exit is freed on return."""
    from .cli import run
    from .cli.ending import release_kept

    try:
        return run(sys.argv[1:] if argv is None else argv)
    finally:
        release_kept()


def console() -> NoReturn:
    """The installed command: run the command line, then end the process
    (:mod:`.cli.ending`: without freeing what a step built)."""
    from .cli import run
    from .cli.ending import end_process

    end_process(run(sys.argv[1:]))


if __name__ == "__main__":
    console()
