"""CLI handlers for the committee meeting: attendance (parser wiring in :mod:`.main`)."""

from __future__ import annotations

import argparse

from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import quorum_lines


def cmd_meeting_attend(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Record who is present (or absent) and print the roll with the quorum; with no ids,
    print the roll as recorded."""
    from ..engine.meeting.attendance import quorum, record_attendance

    _ = ws.config
    if args.present or args.absent:
        found = record_attendance(ws, args.present, args.absent or [])
    else:
        found = quorum(ws)
    for line in quorum_lines(t, found):
        print(line)
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register ``meeting attend``."""
    group = sub.add_parser("meeting", parents=[common],
                           help="the committee meeting: attendance and quorum")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser("attend", parents=[common],
                         help="chair: record the members present (and --absent ones); "
                              "with no ids, show the roll and the quorum")
    p.add_argument("present", nargs="*", metavar="ID")
    p.add_argument("--absent", nargs="+", metavar="ID")
    p.set_defaults(handler=cmd_meeting_attend)
