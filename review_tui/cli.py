"""The command-line face: one small function per subcommand, all logic in the engine.

Exit status: 0 done; 1 refused (with a message on stderr); 2 usage error (argparse).
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from .cli_config import add_parsers as add_config_parsers
from .cli_export import add_parsers as add_export_parsers
from .cli_roles import add_parsers as add_roles_parsers
from .cli_roles import role_of_command, sign_in_for
from .cli_score import add_parsers as add_score_parsers
from .cli_seal import add_parsers as add_seal_parsers
from .cli_tally import add_parsers as add_tally_parsers
from .engine.credentials import sign_out
from .engine.errors import ReviewError
from .engine.journal import recover
from .engine.packets import refuse_on_laptop
from .engine.safe_text import visible
from .engine.workspace import DEFAULT_WORKSPACE, Workspace
from .i18n import LANGUAGES, Messages
from .present import finding_message, finding_where, laptop_text

Handler = Callable[[argparse.Namespace, Workspace, Messages], int]


def _out(text: str) -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


# --- subcommands ---------------------------------------------------------------------------


def cmd_init(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .cli_roles import credential_from_file, typed_new_credential
    from .engine.credentials import ROLES, check_credential, fingerprint, set_credential
    from .engine.workspace import init_workspace

    if ws.exists():  # asked before any credential is typed
        raise ReviewError("init.exists", path=str(ws.config_path))
    secrets: dict[str, str | None] = {}
    for role in ROLES:  # each role's credential: from its file, typed twice, or later
        file = getattr(args, f"{role}_credential_file")
        if file:
            secrets[role] = check_credential(
                credential_from_file(ws, file, f"--{role}-credential-file"))
        else:
            secrets[role] = typed_new_credential(t, role) if sys.stdin.isatty() else None
    init_workspace(ws.root, args.template)
    _out(t("init.done", path=str(ws.config_path)))
    for role, secret in secrets.items():
        if secret is None:
            _out(t("credential.later", role=role))
            continue
        key = set_credential(ws, role, secret)
        _out(t("credential.set", role=role, fingerprint=fingerprint(key.public)))
    sign_out(ws)  # setting a credential signs in only for this command
    return 0


def cmd_demo(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.demo import advance_demo, build_demo

    if ws.exists():
        _err(t("cli.demo.exists", path=str(ws.root)))
        return 1
    from .engine.credentials import DEMO_CREDENTIALS, set_credential

    summary = build_demo(ws.root, seed=args.seed)
    for role, secret in DEMO_CREDENTIALS.items():
        set_credential(ws, role, secret, demo=True)
    _out(t("cli.demo.done", path=str(ws.root), **summary))
    _out(t("cli.demo.credentials", **DEMO_CREDENTIALS))
    passphrase_file = advance_demo(ws.root, args.stage, seed=args.seed)
    sign_out(ws)
    if passphrase_file is not None:
        _out(t("cli.demo.stage", stage=t(f"stage.{args.stage}"), path=str(passphrase_file)))
    return 0


def cmd_agencies_import(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.roster import import_agencies

    _ = ws.config
    _out(t("agencies.imported", count=import_agencies(ws, Path(args.file))))
    return 0


def cmd_reviewers_import(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.roster import import_reviewers

    _ = ws.config
    _out(t("reviewers.imported", count=import_reviewers(ws, Path(args.file))))
    return 0


def cmd_reviewers_pin(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.pins import check_pin_format, set_pin

    _ = ws.config
    if args.clear:
        set_pin(ws, args.reviewer, None)
        _out(t("pin.cleared", reviewer=args.reviewer))
        return 0
    if sys.stdin.isatty():
        pin = check_pin_format(getpass.getpass("PIN: "))
        if getpass.getpass("PIN (again / 再輸入一次): ").strip() != pin:
            raise ReviewError("pin.mismatch")
    else:  # scripted: the first line of standard input
        pin = check_pin_format(sys.stdin.readline())
    set_pin(ws, args.reviewer, pin)
    _out(t("pin.set", reviewer=args.reviewer))
    return 0


def cmd_import(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.intake import check, import_manifest

    report = import_manifest(ws, Path(args.manifest), replace=args.replace)
    _out(t("import.report", manifest=report.manifest, encoding=report.encoding,
           rows=report.rows, added=len(report.added), unchanged=len(report.unchanged),
           changed=len(report.changed), replaced=len(report.replaced),
           duplicates=report.duplicates, blank=report.blank))
    if report.changed:
        _out(t("import.changed_hint", count=len(report.changed)))
    findings = check(ws).findings
    _out(t("import.findings_hint", reject=sum(f.severity == "reject" for f in findings),
           warn=sum(f.severity == "warn" for f in findings)))
    return 0


def cmd_check(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.intake import check, load_entries
    from .engine.seal import is_sealed, sealed_findings

    if is_sealed(ws):
        found = sealed_findings(ws)
        if args.json:
            _out(json.dumps({"sealed": True, "findings": [
                dict(f, message=t(f["rule"], **f["params"])) for f in found]},
                ensure_ascii=False, indent=2))
            return 0
        _out(t("cli.check.sealed"))
        for f in found:
            _out(t("cli.check.line", severity=t("severity.info"),
                   where=f"{f['code']} 〈{f['title']}〉", message=t(f["rule"], **f["params"])))
        return 0
    evaluation = check(ws)
    entries = {e["id"]: e for e in load_entries(ws)}
    findings = [f for f in evaluation.findings
                if (not args.severity or f.severity == args.severity)
                and (not args.rule or f.rule.startswith(args.rule))
                and (not args.agency or (f.entry_id and args.agency in
                                         entries[f.entry_id].get("agency", "")))]
    if args.json:
        _out(json.dumps({"findings": [dict(f.as_dict(), message=t(f"rule.{f.rule}", **f.params))
                                      for f in findings],
                         "status": evaluation.status}, ensure_ascii=False, indent=2))
        return 0
    for finding in findings:
        where = finding_where(t, finding, entries.get(finding.entry_id or ""))
        _out(t("cli.check.line", severity=t(f"severity.{finding.severity}"), where=where,
               message=finding_message(t, finding)))
    if not findings:
        _out(t("cli.check.none"))
    accepted = sum(1 for s in evaluation.status.values() if s == "accepted")
    _out(t("cli.check.summary", entries=len(entries), accepted=accepted,
           rejected=len(entries) - accepted,
           reject=sum(f.severity == "reject" for f in evaluation.findings),
           warn=sum(f.severity == "warn" for f in evaluation.findings)))
    return 0


def cmd_status(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.packets import laptop_status
    from .engine.status import committee_status

    status = committee_status(ws)
    laptop = laptop_status(ws)
    if laptop is not None:  # a reviewer's packet: its own facts, not a committee's
        status["laptop"] = laptop
        if not args.json:
            _out(laptop_text(t, laptop))
            return 0
    if args.json:
        _out(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    committee = status["committee"]
    name = committee["name"] if t.lang == "zh-TW" else committee["name_en"] or committee["name"]
    _out(t("cli.status.committee", name=name, year=committee["year"],
           deadline=committee["deadline"]))
    _out(t("cli.status.stage", stage=t(f"stage.{status['stage']}")))
    for track in status["tracks"].values():
        _out(t("cli.status.track", name=track["name"] if t.lang == "zh-TW" else track["name_en"],
               entries=track["entries"], accepted=track["accepted"], rejected=track["rejected"]))
    _out(t("cli.status.counts", agencies=status["agencies"], reviewers=status["reviewers"],
           manifests=status["manifests"], **status["findings"]))
    return 0


def cmd_audit_verify(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .engine.pipeline import check_anchors

    result = ws.audit.verify()
    if not result.ok:
        _err(t("audit.bad", line=result.bad_line, problem=t(f"audit.problem.{result.problem}")))
        return 1
    cut_after = check_anchors(ws, ws.audit.records())
    if cut_after is not None:
        _err(t("audit.truncated", step=cut_after))
        return 1
    _out(t("audit.ok", lines=result.lines, head=result.head[:16]))
    return 0


def cmd_tui(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from .tui.app import ReviewApp

    role = getattr(args, "as_role", None)
    if role in ("chair", "secretariat") and getattr(args, "credential_file", None):
        sign_in_for(args, ws, role, t)  # a kiosk or script opens the mode signed in
    ReviewApp(workspace=ws, lang=t.lang, role=role).run()
    return 0


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
    as_help = "open the app as one role (reviewer:ID, chair, secretariat)"
    parser.add_argument("--as", dest="as_role", metavar="reviewer:ID|chair|secretariat",
                        help=as_help)  # `review-tui --as reviewer:J01`: the app is the default
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str, **kw: Any) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, **kw)
        p.set_defaults(handler=handler)
        return p

    p = add("tui", cmd_tui, "open the terminal app")
    p.add_argument("--as", dest="as_role", metavar="reviewer:ID|chair|secretariat",
                   default=argparse.SUPPRESS, help=as_help)
    p = add("demo", cmd_demo, "build a realistic demo committee in the workspace")
    p.add_argument("--seed", type=int, default=115)
    p.add_argument("--stage", choices=["intake", "sealed", "dealt"], default="intake",
                   help="take the demo on: sealed, or sealed and dealt (ready to score)")
    p = add("init", cmd_init, "create a committee from a template")
    p.add_argument("--template", default="coach", choices=["coach"])
    for role in ("chair", "secretariat"):
        p.add_argument(f"--{role}-credential-file", metavar="F",
                       help=f"the {role}'s credential from a file (else typed twice at a "
                            "terminal, or set later with `roles set`)")
    for noun, handler, columns in (
            ("agencies", cmd_agencies_import, "name,parent,group (機關名稱,上級機關,組別)"),
            ("reviewers", cmd_reviewers_import, "id,name,agency (代號,姓名,服務機關)")):
        group = sub.add_parser(noun, parents=[common], help=f"{noun} roster")
        verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
        verb = verbs.add_parser("import", parents=[common], help=f"import a CSV/.xlsx: {columns}")
        verb.add_argument("file")
        verb.set_defaults(handler=handler)
        if noun == "reviewers":
            verb = verbs.add_parser("pin", parents=[common],
                                    help="give a reviewer a PIN for the app "
                                         "(typed twice, not echoed; or one line on stdin)")
            verb.add_argument("reviewer")
            verb.add_argument("--clear", action="store_true", help="remove the reviewer's PIN")
            verb.set_defaults(handler=cmd_reviewers_pin)
    p = add("import", cmd_import, "import a submissions manifest (.csv or .xlsx)")
    p.add_argument("manifest")
    p.add_argument("--replace", action="store_true",
                   help="replace stored entries whose content changed")
    p = add("check", cmd_check, "list intake findings")
    p.add_argument("--json", action="store_true")
    p.add_argument("--severity", choices=["reject", "warn"])
    p.add_argument("--rule", help="only rules starting with this id, e.g. format")
    p.add_argument("--agency", help="only entries of agencies whose name contains this")
    p = add("status", cmd_status, "where the committee stands")
    p.add_argument("--json", action="store_true")
    audit = sub.add_parser("audit", parents=[common], help="the audit log")
    verbs = audit.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs.add_parser("verify", parents=[common], help="check the hash chain").set_defaults(
        handler=cmd_audit_verify)
    add_seal_parsers(add)
    add_score_parsers(add, sub, common)
    add_tally_parsers(add, common)
    add_export_parsers(add)
    add_config_parsers(sub, common)
    add_roles_parsers(sub, common)
    return parser


def _laptop_commands() -> set[Handler]:
    """What a reviewer's packet workspace may run: the app (the reviewer's sheet), status,
    audit verify and returning the sheet."""
    from .cli_score import cmd_packet_open, cmd_packet_return

    return {cmd_tui, cmd_status, cmd_audit_verify, cmd_packet_return, cmd_packet_open}


def _language_hint(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class _VisibleStream:
    """A text stream that shows control characters instead of sending them (a title's
    ``ESC [ 2 J`` must not clear the chair's terminal)."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return int(self._stream.write(visible(text)))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def run(argv: list[str]) -> int:
    """Run one command line; never lets a traceback reach the user."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    t = Messages(_language_hint(argv))
    args = build_parser(t).parse_args(argv)
    workspace = Workspace(getattr(args, "workspace", DEFAULT_WORKSPACE))
    saved = sys.stdout, sys.stderr
    if args.handler is not cmd_tui:  # the app draws the screen itself
        sys.stdout, sys.stderr = _VisibleStream(sys.stdout), _VisibleStream(sys.stderr)
    signed: list[str] = []
    try:
        # A step a kill interrupted is finished or undone before anything reads the files.
        recover(workspace.root, wait=False)
        if args.handler not in _laptop_commands():
            refuse_on_laptop(workspace)
        role = role_of_command(args.handler)
        if role is not None and sign_in_for(args, workspace, role, t):
            signed.append(role)  # the chair's or the secretariat's command: their credential
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
        for role in signed:  # a credential given for one command signs that command only
            sign_out(workspace, role)


def _write_crash_log() -> Path:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = Path(tempfile.gettempdir()) / f"review-tui-crash-{stamp}.txt"
    path.write_text(traceback.format_exc(), encoding="utf-8")
    return path
