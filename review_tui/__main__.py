"""Entry point: ``review-tui`` and ``python -m review_tui``."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run it; the exit status follows SPEC.md §10."""
    from .cli import run

    return run(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    sys.exit(main())
