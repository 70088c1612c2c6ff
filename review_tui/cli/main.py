"""The command line's frame: the parser, and ``run``, which never lets a traceback out.

Each command group's handlers live in their own module of this package (one small function
per subcommand, all logic in the engine).

Exit status: 0 done; 1 refused (with a message on stderr); 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from ..command_line import option_value
from ..engine.access.credentials import sign_out
from ..engine.errors import ReviewError
from ..engine.read_first import ReadFirst, deal_inputs, reading_ahead, tally_inputs
from ..engine.safe_text import visible
from ..engine.scoring.laptop import refuse_on_laptop
from ..engine.sealing.keys import forget_derived_ahead
from ..engine.storage.journal import recover
from ..engine.storage.store import forget_read_ahead
from ..engine.workspace import DEFAULT_WORKSPACE, Workspace
from ..i18n import LANGUAGES, Messages
from . import config, export, intake, meeting, roles, score, seal, status, tally
from .ending import end_as_usual
from .roles import role_of_command, sign_in_for
from .score import cmd_packet_open, cmd_packet_return
from .status import AS_HELP, cmd_audit_verify, cmd_status, cmd_tui

Handler = Callable[[argparse.Namespace, Workspace, Messages], int]


def _out(text: str) -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


# --- parser --------------------------------------------------------------------------------


def build_parser(t: Messages) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--workspace", type=Path, default=argparse.SUPPRESS,
                        help=f"committee folder (default: {DEFAULT_WORKSPACE}/)")
    common.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS)
    common.add_argument("--credential-file", metavar="F", default=argparse.SUPPRESS,
                        help="the chair's or secretariat's credential for this command, from "
                             "a file outside the workspace (for scripts)")
    parser = argparse.ArgumentParser(prog="review-tui", description=t("cli.description"),
                                     parents=[common])
    parser.set_defaults(handler=cmd_tui)
    parser.add_argument("--as", dest="as_role", metavar="reviewer:ID|chair|secretariat",
                        help=AS_HELP)  # `review-tui --as reviewer:J01`: the app is the default
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, **kw)
        p.set_defaults(handler=handler)
        return p

    status.add_app_parser(add)
    intake.add_parsers(add, sub, common)
    status.add_parsers(add, sub, common)
    seal.add_parsers(add)
    score.add_parsers(add, sub, common)
    tally.add_parsers(add, common)
    meeting.add_parsers(sub, common)
    export.add_parsers(add)
    config.add_parsers(sub, common)
    roles.add_parsers(sub, common)
    return parser


def _laptop_commands() -> set[Handler]:
    """What a reviewer's packet workspace may run: the app (the reviewer's sheet), status,
    audit verify and returning the sheet."""
    return {cmd_tui, cmd_status, cmd_audit_verify, cmd_packet_return, cmd_packet_open}


class _VisibleStream:
    """A text stream that shows control characters instead of sending them (a title's
    ``ESC [ 2 J`` must not clear the chair's terminal)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self._stream.write(visible(text)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


# What the heaviest signed commands read first, parsed while the credential is checked.
READ_FIRST: dict[Handler, ReadFirst] = {tally.cmd_tally: tally_inputs,
                                        seal.cmd_commit: tally_inputs,
                                        score.cmd_deal: deal_inputs}


def run(argv: list[str]) -> int:
    """Run one command line; never lets a traceback reach the user."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    t = Messages(option_value(argv, "--lang"))
    args = build_parser(t).parse_args(argv)
    workspace = Workspace(getattr(args, "workspace", DEFAULT_WORKSPACE))
    saved = sys.stdout, sys.stderr
    if args.handler is not cmd_tui:  # the app draws the screen itself
        sys.stdout, sys.stderr = _VisibleStream(sys.stdout), _VisibleStream(sys.stderr)
    else:  # its worker threads finish what they write before the process ends
        end_as_usual()
    signed: list[str] = []
    try:
        # A step a kill interrupted is finished or undone before anything reads the files.
        recover(workspace.root, wait=False)
        if args.handler not in _laptop_commands():
            refuse_on_laptop(workspace)
        role = role_of_command(args.handler)
        with reading_ahead(workspace, READ_FIRST.get(args.handler) if role else None):
            if role is not None and sign_in_for(args, workspace, role, t):
                signed.append(role)  # the chair's or the secretariat's command: their key
        return int(args.handler(args, workspace, t))
    except ReviewError as error:
        _err(t(error.key, **error.params))
        return 1
    except KeyboardInterrupt:
        _err(t("cli.interrupted"))
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:  # the last line of defence: log it, say so, exit 1
        path = _write_crash_log()
        _err(t("cli.internal_error", path=str(path)))
        return 1
    finally:
        sys.stdout, sys.stderr = saved
        forget_read_ahead()  # what the command did not take
        forget_derived_ahead()
        for role in signed:  # a credential given for one command signs that command only
            sign_out(workspace, role)


def _write_crash_log() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(tempfile.gettempdir()) / f"review-tui-crash-{stamp}.txt"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path
