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
    derive_ahead(sys.argv[1:])
    from .cli import run
    from .cli.ending import end_process

    end_process(run(sys.argv[1:]))


def derive_ahead(argv: list[str]) -> bool:
    """The app opened as the chair or the secretariat with a credential file (``--as chair
    --credential-file F``: a kiosk, a script): the role's key starts deriving now, while
    the program's modules load (the first frame 0.32 → 0.30 s, paired runs at 29,000). The
    app still checks the credential (:mod:`.engine.access.credential_key`). True if it
    started."""
    from .command_line import option_value

    role, file, workspace = (option_value(argv, name)
                             for name in ("--as", "--credential-file", "--workspace"))
    if role not in ("chair", "secretariat") or not file:
        return False
    from pathlib import Path

    from .engine.access.credential_key import derive_role_key_ahead

    if workspace is None:
        from .engine.workspace import DEFAULT_WORKSPACE

        workspace = str(DEFAULT_WORKSPACE)
    return derive_role_key_ahead(Path(workspace), role, Path(file))


if __name__ == "__main__":
    console()
