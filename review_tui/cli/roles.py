"""The CLI's role checks: which commands are the chair's or the secretariat's, signing in
before they run, and ``review-tui roles set``.

A credential comes from ``--credential-file F`` (kept outside the workspace) or is typed at a
terminal; a script with neither is refused. A committee whose role has no credential yet (made
before roles had them) gets one on the first command of that role: the file's, or one typed
twice.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from ..engine.access.credentials import (
    ROLES,
    credential_bits,
    credential_row,
    fingerprint,
    is_set,
    set_credential,
    sign_in,
    sign_out,
    signed_in,
)
from ..engine.errors import ReviewError
from ..engine.workspace import Workspace
from ..i18n import Messages

#: The role each command is taken in; a command not named here needs no credential.
COMMAND_ROLES = {
    "cmd_agencies_import": "secretariat", "cmd_reviewers_import": "secretariat",
    "cmd_reviewers_pin": "secretariat", "cmd_import": "secretariat", "cmd_check": "secretariat",
    "cmd_seal": "secretariat", "cmd_deal": "secretariat", "cmd_scores_template": "secretariat",
    "cmd_scores_import": "secretariat", "cmd_scores_recuse": "secretariat",
    "cmd_tally": "chair", "cmd_tally_resolve": "chair", "cmd_tally_order": "chair",
    "cmd_tally_draw": "chair", "cmd_commit": "chair", "cmd_unseal": "chair",
    "cmd_export": "chair", "cmd_scores_reopen": "chair", "cmd_packet_export": "chair",
    "cmd_config_amend": "chair", "cmd_config_restore": "chair", "cmd_meeting_attend": "chair",
    "cmd_meeting_agenda": "chair", "cmd_meeting_note": "chair", "cmd_meeting_minutes": "chair",
    "cmd_meeting_sign_in": "secretariat",
}
#: Commands open to anyone at the keyboard: they change nothing a role decides.
OPEN_COMMANDS = frozenset({
    "cmd_init", "cmd_demo", "cmd_status", "cmd_audit_verify", "cmd_tui", "cmd_config_diff",
    "cmd_packet_open", "cmd_packet_return", "cmd_roles_set",
})


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def role_of_command(handler: Callable[..., int]) -> str | None:
    """The role a command handler is taken in, or None for an open one."""
    return COMMAND_ROLES.get(handler.__name__)


_CREDENTIAL_FILE_ERRORS = {"seal.passphrase_file": "credential.file_unreadable",
                           "seal.passphrase_encoding": "credential.file_encoding",
                           "seal.passphrase_empty": "credential.file_empty"}


def credential_from_file(ws: Workspace, path: str, option: str) -> str:
    """A credential from a file kept outside the workspace (as a passphrase file)."""
    from ..engine.sealing.keys import read_passphrase_file
    from ..engine.workspace import refuse_inside_workspace

    refuse_inside_workspace(ws, Path(path), option)
    try:
        return read_passphrase_file(Path(path))
    except ReviewError as error:  # said of a credential file, not of a passphrase file
        key = _CREDENTIAL_FILE_ERRORS.get(error.key)
        if key is None:
            raise
        raise ReviewError(key, path=path, reason=error.params.get("reason", "")) from error


def _typed(prompt: str) -> str:
    return getpass.getpass(prompt)


def typed_new_credential(t: Messages, role: str, tries: int = 3) -> str:
    """A new credential typed twice at a terminal, its strength said in between; a weak
    or mistyped one is said and asked again (``tries`` times in all)."""
    from ..engine.access.credentials import check_credential

    def typed_twice() -> str:
        first = _typed(t("credential.prompt_new", role=role))
        check_credential(first)
        _err(t("credential.strength", bits=credential_bits(first)))
        if _typed(t("credential.prompt_again")) != first:
            raise ReviewError("credential.mismatch")
        return first

    for _ in range(tries - 1):
        try:
            return typed_twice()
        except ReviewError as error:
            _err(t(error.key, **error.params))
    return typed_twice()  # the last try's refusal is the command's


def sign_in_for(args: argparse.Namespace, ws: Workspace, role: str, t: Messages) -> bool:
    """Sign ``role`` in for this command: from --credential-file, or typed at a terminal;
    a role without a credential yet gets this one (said on stderr). False when nothing was
    signed in (no committee, which the command says itself, or already signed in)."""
    if not ws.exists() or signed_in(ws, role) is not None:
        return False
    file = getattr(args, "credential_file", None)
    if not is_set(ws, role):
        if file:
            secret = credential_from_file(ws, file, "--credential-file")
        elif sys.stdin.isatty():
            _err(t("credential.first_use", role=role))
            secret = typed_new_credential(t, role)
        else:
            raise ReviewError("credential.unset_scripted", role=role)
        key = set_credential(ws, role, secret)
        _err(t("credential.set", role=role, fingerprint=fingerprint(key.public)))
        return True
    if file:
        secret = credential_from_file(ws, file, "--credential-file")
    elif sys.stdin.isatty():
        secret = _typed(t("credential.prompt", role=role))
    else:
        raise ReviewError("credential.needed_scripted", role=role)
    sign_in(ws, role, secret)
    return True


def cmd_roles_set(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    """Set or change a role's credential; --reset lets the other role replace a forgotten
    one."""
    _ = ws.config
    role = args.role
    other = next(r for r in ROLES if r != role)
    by = other if args.reset else role
    if credential_row(ws, role) is not None or args.reset:
        if not is_set(ws, by):
            raise ReviewError("credential.reset_unset", role=by)
        sign_in_for(args, ws, by, t)
    if args.new_credential_file:
        secret = credential_from_file(ws, args.new_credential_file, "--new-credential-file")
    elif sys.stdin.isatty():
        secret = typed_new_credential(t, role)
    else:
        raise ReviewError("credential.new_scripted")
    key = set_credential(ws, role, secret, by=by)
    print(t("credential.set", role=role, fingerprint=fingerprint(key.public)))
    sign_out(ws)  # the credentials given here sign this command only
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser],
                common: argparse.ArgumentParser) -> None:
    """Register ``roles set``."""
    roles = sub.add_parser("roles", parents=[common], help="the chair's and secretariat's "
                                                           "credentials")
    verbs = roles.add_subparsers(dest="verb", required=True, metavar="VERB")
    p = verbs.add_parser("set", parents=[common],
                         help="set or change a role's credential (a passphrase, or a PIN of "
                              "6+ digits); a change asks the current one")
    p.add_argument("role", choices=ROLES)
    p.add_argument("--new-credential-file", metavar="F",
                   help="the new credential from a file outside the workspace (for scripts)")
    p.add_argument("--reset", action="store_true",
                   help="replace a forgotten credential with the other role's credential")
    p.set_defaults(handler=cmd_roles_set)
