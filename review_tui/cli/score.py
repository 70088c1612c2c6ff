"""CLI handlers for deal and the paper side of scoring (parser wiring in :mod:`.main`)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ..engine.errors import ReviewError
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import deal_text, sheet_import_lines


def _out(text: str) -> None:
    print(text)


def cmd_deal(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.deal import deal

    _ = ws.config
    if args.fill:
        return _fill(args, ws, t)
    result = deal(ws, seed=args.seed, per_entry=args.per_entry, force=args.force)
    _out(deal_text(t, result))
    return 0


def _fill(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.recusal import fill_recusals

    filled = fill_recusals(ws, seed=args.seed)
    if not filled.added and not filled.unfilled:
        _out(t("deal.fill_nothing"))
    for reviewer, code, replaced in filled.added:
        _out(t("deal.filled", code=code, reviewer=reviewer, replaced=replaced))
    if filled.added:
        _out(t("deal.fill_seed", seed=filled.seed))
    if filled.unfilled:
        _out(t("deal.unfilled", codes=t("sep.list").join(filled.unfilled)))
    if filled.reopened:
        _out(t("deal.fill_reopened", reviewers=t("sep.list").join(filled.reopened)))
    return 0


def cmd_scores_recuse(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """The secretariat records a reviewer's recusal (自行迴避) from one entry."""
    from ..engine.scoring.recusal import record_recusal

    _ = ws.config
    found = record_recusal(ws, args.reviewer, args.code.upper(), args.reason)
    _out(t("recusal.recorded", reviewer=found.reviewer, code=found.code))
    return 0


def cmd_scores_template(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.paper import template_csv
    from ..engine.storage.atomic import write_bytes_atomic

    _ = ws.config
    text = template_csv(ws, args.reviewer)
    if not args.out:
        sys.stdout.write(text.lstrip("\ufeff"))
        return 0
    out = Path(args.out)
    if out.exists() and not args.force:
        raise ReviewError("cli.exists", path=str(out))
    write_bytes_atomic(out, text.encode("utf-8"))
    _out(t("scores.template_written", path=str(out)))
    return 0


def cmd_scores_import(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Import each sheet named (a folder: every sheet in it), each all or nothing; exit 1
    when any was refused."""
    from ..engine.scoring.sheet_files import import_sheets, sheet_paths

    _ = ws.config
    paths = sheet_paths(Path(name) for name in args.file)
    outcomes = import_sheets(ws, paths, replace=args.replace)
    refused = sum(outcome.error is not None for outcome in outcomes)
    for outcome in outcomes:  # each sheet's lines together, in the order imported
        done, problems = sheet_import_lines(t, ws, [outcome])
        for line in problems:
            print(line, file=sys.stderr)
        for line in done:
            _out(line)
    if len(paths) > 1:
        _out(t("scores.batch_summary", total=len(paths), imported=len(paths) - refused,
               refused=refused))
    return 1 if refused else 0


def cmd_scores_reopen(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.scores import reopen_sheet

    _ = ws.config
    reopen_sheet(ws, args.reviewer, args.reason)
    _out(t("scores.reopened", reviewer=args.reviewer))
    return 0


def cmd_packet_export(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.packets import export_packet
    from ..engine.scoring.scores import ScoreSheet

    _ = ws.config
    out = Path(args.out or f"packet-{args.reviewer}.json")
    export_packet(ws, args.reviewer, out)
    _out(t("packet.exported", reviewer=args.reviewer, path=str(out),
           entries=len(ScoreSheet(ws, args.reviewer).queue)))
    return 0


def cmd_packet_open(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.laptop import packet_reviewer
    from ..engine.scoring.packets import open_packet
    from ..engine.scoring.scores import ScoreSheet

    laptop = open_packet(Path(args.file), ws.root)
    reviewer = packet_reviewer(laptop) or ""
    _out(t("packet.opened", reviewer=reviewer, entries=len(ScoreSheet(laptop, reviewer).queue),
           path=str(ws.root)))
    return 0


def cmd_packet_return(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.laptop import packet_reviewer
    from ..engine.scoring.packets import return_sheet
    from ..engine.scoring.scores import SUBMITTED, ScoreSheet

    _ = ws.config
    reviewer = packet_reviewer(ws)
    out = Path(args.out or f"sheet-{reviewer or 'reviewer'}.json")
    _out(t("packet.returned", path=str(return_sheet(ws, out))))
    sheet = ScoreSheet(ws, reviewer or "")
    if sheet.status() != SUBMITTED:  # an interim return is allowed, but say what it counts as
        total = len(sheet.queue)
        _out(t("packet.returned_draft", done=total - len(sheet.unscored()), total=total))
    return 0


def add_parsers(add: Callable[..., argparse.ArgumentParser],
                sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register deal and the scores subcommands."""
    p = add("deal", cmd_deal, "deal the sealed entries to reviewers")
    p.add_argument("--seed", type=int, help="reproduce a deal (default: drawn and recorded)")
    p.add_argument("--per-entry", type=int, metavar="K",
                   help="reviewers per entry (default: every reviewer without a conflict)")
    p.add_argument("--force", action="store_true",
                   help="re-deal after scoring started (scored entries are kept)")
    p.add_argument("--fill", action="store_true",
                   help="deal a replacement reviewer for each recusal (自行迴避) not yet "
                        "replaced; --seed draws the ties")
    group = sub.add_parser("scores", parents=[common], help="score sheets")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser("template", parents=[common], help="blank sheet for paper scoring")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--out", metavar="F")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(handler=cmd_scores_template)
    p = verbs.add_parser("import", parents=[common],
                         help="import paper sheets (.csv/.xlsx) or signed laptop sheets "
                              "(.json): files, or every sheet in a folder")
    p.add_argument("file", nargs="+", metavar="FILE|DIR",
                   help="each sheet is imported all or nothing; a refused one is reported "
                        "and the others are imported")
    p.add_argument("--replace", action="store_true",
                   help="paper sheet: replace scores or comments already on the reviewer's "
                        "draft (each replaced value is logged)")
    p.set_defaults(handler=cmd_scores_import)
    p = verbs.add_parser("recuse", parents=[common],
                         help="record a reviewer's recusal (自行迴避) from one entry: their "
                              "score on it is not counted")
    p.add_argument("--reviewer", required=True)
    p.add_argument("code")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_scores_recuse)
    p = verbs.add_parser("reopen", parents=[common], help="chair: reopen a submitted sheet")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_scores_reopen)
    group = sub.add_parser("packet", parents=[common],
                           help="reviewer packets for one laptop per reviewer")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser("export", parents=[common], help="chair: one reviewer's packet")
    p.add_argument("--reviewer", required=True)
    p.add_argument("--out", metavar="F")
    p.set_defaults(handler=cmd_packet_export)
    p = verbs.add_parser("open", parents=[common],
                         help="reviewer's laptop: make a workspace from a packet")
    p.add_argument("file")
    p.set_defaults(handler=cmd_packet_open)
    p = verbs.add_parser("return", parents=[common],
                         help="reviewer's laptop: write the signed sheet for the chair")
    p.add_argument("--out", metavar="F")
    p.set_defaults(handler=cmd_packet_return)
