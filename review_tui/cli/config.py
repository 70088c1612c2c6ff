"""CLI handlers for the committee's rules after the seal (parser wiring in :mod:`.main`)."""

from __future__ import annotations

import argparse

from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import rule_change_lines


def _out(text: str) -> None:
    print(text)


def cmd_config_amend(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.frozen_rules import amend_rules

    changes = amend_rules(ws, args.reason)
    _out(t("config.amended", count=len(changes)))
    for line in rule_change_lines(t, changes):
        _out(line)
    return 0


def cmd_config_diff(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.frozen_rules import file_changes

    frozen, _, _, changes = file_changes(ws)
    for line in rule_change_lines(t, changes):
        _out(line)
    if not changes:
        _out(t("config.unchanged", sha256=frozen["sha256"][:16]))
    return 0


def cmd_config_restore(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.frozen_rules import restore_rules

    _out(t("config.restored" if restore_rules(ws) else "config.unchanged_file",
           path=str(ws.config_path)))
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register ``config amend|diff|restore``."""
    group = sub.add_parser("config", parents=[common],
                           help="the committee's rules, frozen at seal")
    verbs = group.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser("amend", parents=[common],
                         help="chair: make the edited committee.toml the rules, with a reason "
                              "(audited with the diff; refused after commit)")
    p.add_argument("--reason", required=True)
    p.set_defaults(handler=cmd_config_amend)
    p = verbs.add_parser("diff", parents=[common],
                         help="what committee.toml changes against the frozen rules")
    p.set_defaults(handler=cmd_config_diff)
    p = verbs.add_parser("restore", parents=[common],
                         help="write the frozen rules back over committee.toml")
    p.set_defaults(handler=cmd_config_restore)
