"""CLI handlers for the committee meeting: attendance, agenda and notes (parser wiring in
:mod:`.main`)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import agenda_lines, paper_summary, quorum_lines

if TYPE_CHECKING:
    from ..engine.meeting.papers import PaperReport


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


def _out(args: argparse.Namespace) -> Path:
    from ..engine.exports import DEFAULT_EXPORTS

    return Path(args.out) if args.out else DEFAULT_EXPORTS


def _write_paper(args: argparse.Namespace, ws: Workspace, t: Messages,
                 write: Callable[..., PaperReport]) -> int:
    _ = ws.config
    from ..engine.meeting.papers import meeting_day

    report = write(ws, _out(args), place=args.place or "", day=meeting_day(args.date),
                   convert=not args.no_convert)
    for line in paper_summary(t, report):
        print(line)
    return 0


def cmd_meeting_minutes(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Write the minutes (會議紀錄) as the meeting stands."""
    from ..engine.meeting.papers import write_minutes

    return _write_paper(args, ws, t, write_minutes)


def cmd_meeting_sign_in(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Write the sign-in sheet (簽到表) for the meeting."""
    from ..engine.meeting.papers import write_sign_in

    return _write_paper(args, ws, t, write_sign_in)


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register ``meeting attend``, ``agenda``, ``note``, ``minutes`` and ``sign-in``."""
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
    for name, handler, what in (
            ("minutes", cmd_meeting_minutes, "chair: write the minutes (會議紀錄.docx, and "
                                             ".odt/.pdf with LibreOffice): roll, quorum, every "
                                             "matter and its decision, robustness, the commit "
                                             "hash, signature lines"),
            ("sign-in", cmd_meeting_sign_in, "secretariat: write the sign-in sheet (簽到表.docx)"
                                             " for the meeting")):
        p = verbs.add_parser(name, parents=[common], help=what)
        p.add_argument("--out", metavar="DIR", help="folder (default: exports/)")
        p.add_argument("--place", help="where the meeting is held")
        p.add_argument("--date", metavar="YYYY-MM-DD", help="the meeting's day (default: today)")
        p.add_argument("--no-convert", action="store_true", help="skip the ODF/PDF copies")
        p.set_defaults(handler=handler)
