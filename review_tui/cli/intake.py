"""CLI handlers for the committee and its intake: init, demo, the rosters, reviewers' PINs,
the manifest import and the intake check."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable
from pathlib import Path

from ..engine.access.credentials import sign_out
from ..engine.errors import ReviewError
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import finding_message, finding_where


def _out(text: str) -> None:
    print(text)


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_init(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.access.credentials import ROLES, check_credential, fingerprint, set_credential
    from ..engine.workspace import init_workspace
    from .roles import credential_from_file, typed_new_credential

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
    from ..demo import advance_demo, build_demo

    if ws.exists():
        _err(t("cli.demo.exists", path=str(ws.root)))
        return 1
    from ..engine.access.credentials import DEMO_CREDENTIALS, set_credential

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
    from ..engine.intake.roster import import_agencies

    _ = ws.config
    _out(t("agencies.imported", count=import_agencies(ws, Path(args.file))))
    return 0


def cmd_reviewers_import(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.intake.roster import import_reviewers

    _ = ws.config
    _out(t("reviewers.imported", count=import_reviewers(ws, Path(args.file))))
    return 0


def cmd_reviewers_pin(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.access.pins import check_pin_format, set_pin

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
    from ..engine.intake.imports import check, import_manifest

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
    from ..engine.intake.imports import check, load_entries
    from ..engine.sealing.sealed import is_sealed, sealed_findings

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
                and (not args.rule or f.rule.startswith(args.rule)
                     or args.rule in finding_message(t, f))
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


def add_parsers(add: Callable[..., argparse.ArgumentParser],
                sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register demo, init, the rosters, import and check."""
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
    p.add_argument("--rule", help="only findings whose rule id starts with this (format) or "
                                  "whose message holds these words (格式)")
    p.add_argument("--agency", help="only entries of agencies whose name contains this")
