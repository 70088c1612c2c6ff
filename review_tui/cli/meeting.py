"""CLI handlers for the committee meeting: attendance, agenda and notes (parser wiring in
:mod:`.main`)."""

from __future__ import annotations

import argparse
import json

from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import agenda_lines, quorum_lines


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


def cmd_meeting_agenda(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Print the agenda: every matter, open ones unticked (``--json``: as data)."""
    from ..engine.meeting.agenda import agenda

    matters = agenda(ws)
    if args.json:
        print(json.dumps({"matters": [m.as_json() for m in matters]}, ensure_ascii=False,
                         indent=2))
        return 0
    for line in agenda_lines(t, matters, ws.config):
        print(line)
    return 0


def cmd_meeting_note(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Record the meeting's note on a matter (an entry near the cut-off: discussed)."""
    from ..engine.meeting.agenda import note_matter

    _ = ws.config
    note_matter(ws, args.matter, args.note)
    print(t("meeting.noted", matter=args.matter))
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
    p = verbs.add_parser("agenda", parents=[common],
                         help="chair: the open matters in order (discrepancies, ties that "
                              "decide an award, entries near the cut-off, sheets), and the "
                              "decided ones ticked")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_meeting_agenda)
    p = verbs.add_parser("note", parents=[common],
                         help="chair: record what the meeting said on a matter of the agenda "
                              "(an entry near the cut-off is then decided)")
    p.add_argument("matter", metavar="MATTER", help="its id, as the agenda shows it")
    p.add_argument("--note", required=True)
    p.set_defaults(handler=cmd_meeting_note)
