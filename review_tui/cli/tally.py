"""CLI handlers for tally and the chair's decisions (parser wiring in :mod:`.main`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..engine.decisions.records import Outcome, problem_to_json
from ..engine.storage.gc_pause import collector_paused
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import (
    RowWords,
    criterion_names,
    draw_check_lines,
    problem_text,
    robustness_lines,
    tie_text,
)
from .ending import keep_until_exit

if TYPE_CHECKING:
    from ..engine.config import Committee
    from ..engine.decisions.tally import TallyResult


def _out(text: str) -> None:
    print(text)


def cmd_tally(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.tally import tally

    committee = ws.config
    if args.robustness:
        return _robustness(args, ws, t)
    result = keep_until_exit(tally(ws))  # 20,000 rows: not freed one by one on the way out
    if args.json:
        tracks = {track: [dict(row.to_json(), reason_code=row.reason,
                               reason=t(row.reason, **row.reason_params))
                          for row in result.rows(track)]
                  for track in result.document["tracks"]}
        _out(json.dumps({"tracks": tracks, "ties": result.document.get("ties", {}),
                         "problems": [problem_to_json(p) for p in result.problems],
                         "frozen": result.frozen, "provisional": result.provisional,
                         "unsubmitted": result.unsubmitted, "sha256": result.sha256},
                        ensure_ascii=False, indent=2))
        return 0
    with collector_paused():  # 26,000 lines beside a 20,000-entry result: not walked again
        _out("\n".join(_tally_lines(result, committee, t)))  # one write
    return 0


def _tally_lines(result: TallyResult, committee: Committee, t: Messages) -> list[str]:
    """The tally as text: each track's ranking with its ties, then what blocks a commit.
    A 20,000-entry ranking is 26,000 lines: each line's template is looked up once, and a
    state or reason worded once per distinct value (:class:`.RowWords`)."""
    lines = [t("tally.frozen")] if result.frozen else []
    if result.provisional:
        lines.append(t("tally.provisional", count=result.unsubmitted))
    line, group_line = t.formatter("tally.line"), t.formatter("tally.group")
    words = RowWords(t, {})  # blind: agencies stay pseudonyms here, as before
    for track in committee.tracks:
        name = track.name if t.lang == "zh-TW" else track.name_en
        lines.append(t("tally.header", track=name, method=t(f"method.{track.method}")))
        group = None
        for row in result.rows(track.id):
            if row.group is not None and row.group != group:
                group = row.group
                lines.append(group_line(group=group or "-"))
            lines.append(line(rank=row.rank or "-", code=row.code, score=row.score,
                              status=words.status(row), reason=words.reason(row)))
            if row.tie and row.tie.group[0] == row.code:
                tied = tie_text(t, row.tie, criterion_names(track, t.lang))
                lines.append(t("tally.tie", text=tied.replace("\n", "\n" + " " * 8)))
    if result.problems:
        lines.append(t("tally.problems"))
        lines += ["  " + problem_text(t, problem, committee) for problem in result.problems]
    return lines


def _robustness(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.robustness import robustness

    reports = robustness(ws)
    if args.json:
        _out(json.dumps({"tracks": [r.as_json() for r in reports]}, ensure_ascii=False,
                        indent=2))
        return 0
    for report in reports:
        for line in robustness_lines(t, report, ws.config):
            _out(line)
    return 0


def cmd_tally_resolve(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.tally import resolve_discrepancy

    _ = ws.config
    action = (Outcome.DROP if args.drop else Outcome.RESCORE if args.rescore
              else Outcome.NO_AWARD if args.no_award else Outcome.KEEP)
    resolve_discrepancy(ws, args.code.upper(), action, reviewer=args.drop or args.reviewer,
                        note=args.note or "")
    _out(t("tally.resolved", code=args.code.upper(), action=t(f"outcome.{action}")))
    return 0


def cmd_tally_order(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.tally import record_tie_order

    _ = ws.config
    order = [c.upper() for c in args.codes]
    record_tie_order(ws, args.track, order, note=args.note or "")
    _out(t("tally.ordered", order=" > ".join(order)))
    return 0


def cmd_tally_draw(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.tally import draw_tie, verify_draws
    from ..engine.errors import ReviewError

    _ = ws.config
    if args.verify:
        draws = verify_draws(ws)
        for line in draw_check_lines(t, draws):
            _out(line)
        return 0 if all(d.ok for d in draws) else 1
    if not args.track or len(args.codes) < 2:
        raise ReviewError("tally.draw_usage")
    drawn = draw_tie(ws, args.track, [c.upper() for c in args.codes], seed=args.seed)
    _out(t("tally.drawn", seed=drawn.seed, order=" > ".join(drawn.order)))
    return 0


def add_parsers(add: Callable[..., argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register ``tally`` with its chair's verbs ``resolve``, ``order`` and ``draw``."""
    p = add("tally", cmd_tally, "rank, break ties and select, per track")
    p.add_argument("--json", action="store_true")
    p.add_argument("--robustness", action="store_true",
                   help="which outcomes would change under another method or without any "
                        "one reviewer (before commit, for the meeting)")
    verbs = p.add_subparsers(dest="verb", metavar="VERB")
    r = verbs.add_parser("resolve", parents=[common], help="chair: handle a discrepancy")
    r.add_argument("code")
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument("--keep", action="store_true", help="keep every score")
    how.add_argument("--drop", metavar="REVIEWER", help="drop this reviewer's score")
    how.add_argument("--rescore", action="store_true", help="reopen the sheets to re-score")
    how.add_argument("--no-award", action="store_true", help="no award for this entry")
    r.add_argument("--reviewer", help="with --rescore: only this reviewer's sheet")
    r.add_argument("--note", help="what the meeting said")
    r.set_defaults(handler=cmd_tally_resolve)
    o = verbs.add_parser("order", parents=[common],
                         help="chair: the meeting's order for one tied group")
    o.add_argument("--track", required=True)
    o.add_argument("codes", nargs="+")
    o.add_argument("--note")
    o.set_defaults(handler=cmd_tally_order)
    d = verbs.add_parser("draw", parents=[common],
                         help="chair: draw the lottery for one tied group (its seed is shown "
                              "and logged); --verify re-derives every recorded draw")
    d.add_argument("--track")
    d.add_argument("codes", nargs="*", metavar="CODE")
    d.add_argument("--seed", type=int, help="the number drawn in the room (default: random)")
    d.add_argument("--verify", action="store_true",
                   help="re-derive every recorded draw from its seed; exit 1 on a mismatch")
    d.set_defaults(handler=cmd_tally_draw)
