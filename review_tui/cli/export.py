"""CLI handler for export (parser wiring in :mod:`.main`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import export_summary, progress_text


def cmd_export(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.exports import DEFAULT_EXPORTS, run_export

    _ = ws.config
    # The CSVs are in Chinese for the office unless --lang en is given (not from the locale:
    # the office's files do not change with the secretariat's terminal).
    csv_lang = "en" if getattr(args, "lang", None) == "en" else "zh-TW"
    report = run_export(ws, Path(args.out) if args.out else DEFAULT_EXPORTS, force=args.force,
                        convert=not args.no_convert, csv_lang=csv_lang,
                        progress=progress_printer(t))
    for line in export_summary(t, report):
        print(line)
    return 0


def progress_printer(t: Messages) -> Callable[[str, int, int], None]:
    """Per-file progress on a terminal's stderr, one line rewritten (「轉檔 12／58」); nothing
    when stderr is a file or a pipe (a script's log stays clean)."""
    if not sys.stderr.isatty():
        return lambda phase, done, total: None

    last: list[tuple[str, int]] = []

    def show(phase: str, done: int, total: int) -> None:
        text = progress_text(t, phase, done, total)
        if text is not None and [(phase, done)] != last:  # each step once
            last[:] = [(phase, done)]
            print("\r" + text, end="\n" if done >= total else "", file=sys.stderr,
                  flush=True)

    return show


def add_parsers(add: Callable[..., argparse.ArgumentParser]) -> None:
    p = add("export", cmd_export, "write the award documents (.docx, .csv, .json; ODF/PDF too)")
    p.add_argument("--out", metavar="DIR", help="folder (default: exports/)")
    p.add_argument("--force", action="store_true", help="write into a folder that has files")
    p.add_argument("--no-convert", action="store_true", help="skip the ODF/PDF copies")
