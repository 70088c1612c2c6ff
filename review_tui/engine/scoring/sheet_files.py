"""Importing many score sheets in one command: files named, or every sheet in a folder.

Each sheet is all or nothing as when it is imported alone: a refused sheet changes nothing
and the others are still imported. The outcome of each is reported in order, so a
secretariat with 2,000 typed-in sheets runs one command, reads which were refused and why,
fixes those and imports them again (a sheet imported twice changes nothing).

The sheets accepted are written in one step (each sheet a savepoint within it): a step
costs a journal and its fsyncs, 6–7 ms, which was most of a sheet's import when each was
its own. A kill or a full disk during the command leaves none of its sheets imported.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.paper import PaperReport
from review_tui.engine.storage.journal import step
from review_tui.engine.workspace import Workspace

SHEET_SUFFIXES = (".csv", ".xlsx", ".json")  # paper sheets, and signed laptop sheets


@dataclass(frozen=True)
class SheetOutcome:
    """One file's import: its report, or the error that refused it (nothing written)."""

    path: Path
    report: PaperReport | None = None
    error: ReviewError | None = None


def sheet_paths(paths: Iterable[Path]) -> list[Path]:
    """The files to import: each file named, and each sheet (.csv, .xlsx, .json) directly in
    a folder named, by name; a folder holding none is refused, as is a missing path."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            inside = sorted(p for p in path.iterdir()
                            if p.is_file() and p.suffix.lower() in SHEET_SUFFIXES
                            and not p.name.startswith(("~$", ".")))  # Excel's lock files
            if not inside:
                raise ReviewError("scores.no_sheets", path=str(path))
            found += inside
        elif path.exists():
            found.append(path)
        else:
            raise ReviewError("scores.sheet_missing", path=str(path))
    return found


def import_sheets(workspace: Workspace, paths: Iterable[Path], *,
                  replace: bool = False) -> list[SheetOutcome]:
    """Import each sheet in turn (see the module docstring); the outcome of each."""
    from review_tui.engine.scoring.packets import import_signed_sheet
    from review_tui.engine.scoring.paper import import_paper_sheet

    outcomes = []
    with step(workspace.root, "scores.import_paper") as active:  # the secretariat's step
        for path in paths:
            try:
                with active.savepoint():
                    report = (import_signed_sheet(workspace, path)
                              if path.suffix.lower() == ".json"
                              else import_paper_sheet(workspace, path, replace=replace))
            except ReviewError as error:
                outcomes.append(SheetOutcome(path, error=error))
            else:
                outcomes.append(SheetOutcome(path, report=report))
    return outcomes
