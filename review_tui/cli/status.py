"""CLI handlers open to anyone at the keyboard: where the committee stands, the audit log's
check, and the terminal app."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import laptop_text
from .roles import sign_in_for

AS_HELP = "open the app as one role (reviewer:ID, chair, secretariat)"


def _out(text: str) -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_status(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.scoring.packets import laptop_status
    from ..engine.status import committee_status

    status = committee_status(ws)
    laptop = laptop_status(ws)
    if args.json:
        out = status.to_json()
        if laptop is not None:  # a reviewer's packet: its own facts too
            out["laptop"] = laptop.to_json()
        _out(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if laptop is not None:  # a reviewer's packet: its own facts, not a committee's
        _out(laptop_text(t, laptop))
        return 0
    _out(t("cli.status.committee", name=status.name_in(t.lang), year=status.year,
           deadline=status.deadline))
    _out(t("cli.status.stage", stage=t(f"stage.{status.stage}")))
    for track in status.tracks.values():
        _out(t("cli.status.track", name=track.name_in(t.lang), entries=track.entries,
               accepted=track.accepted, rejected=track.rejected))
    _out(t("cli.status.counts", agencies=status.agencies, reviewers=status.reviewers,
           manifests=status.manifests, **status.findings))
    return 0


def cmd_audit_verify(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..present import integrity_lines

    ok, lines = integrity_lines(t, ws)  # the log, its anchors, and every lottery draw
    for line in lines:
        (_out if ok else _err)(line)
    return 0 if ok else 1


def cmd_tui(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    role = getattr(args, "as_role", None)
    # A kiosk or script opens the mode signed in. The credential's KDF lets go of the
    # interpreter, so the app's modules load meanwhile (0.18 s of a start), and the mode's
    # screen's (0.05 s).
    signing = None
    with ThreadPoolExecutor(1) as beside:
        if role in ("chair", "secretariat") and getattr(args, "credential_file", None):
            signing = beside.submit(sign_in_for, args, ws, role, t)
        from ..tui.app import ReviewApp, mode_screen_class

        if signing is not None:
            mode_screen_class(str(role))
            signing.result()  # a wrong credential is refused before the app opens
    ReviewApp(workspace=ws, lang=t.lang, role=role).run()
    return 0


def add_app_parser(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register ``tui`` (the app is also what ``review-tui`` alone opens)."""
    p = add("tui", cmd_tui, "open the terminal app")
    p.add_argument("--as", dest="as_role", metavar="reviewer:ID|chair|secretariat",
                   default=argparse.SUPPRESS, help=AS_HELP)


def add_parsers(add: Callable[..., argparse.ArgumentParser],
                sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register status and audit verify."""
    p = add("status", cmd_status, "where the committee stands")
    p.add_argument("--json", action="store_true")
    audit = sub.add_parser("audit", parents=[common], help="the audit log")
    verbs = audit.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs.add_parser("verify", parents=[common], help="check the hash chain").set_defaults(
        handler=cmd_audit_verify)
