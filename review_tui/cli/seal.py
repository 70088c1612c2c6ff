"""CLI handlers for seal, commit and unseal (parser wiring lives in :mod:`review_tui.cli`)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from pathlib import Path

from ..engine.errors import ReviewError
from ..engine.workspace import Workspace
from ..i18n import Messages
from ..present import seal_summary


def _out(text: str) -> None:
    print(text)


def _passphrase(args: argparse.Namespace, ws: Workspace, *, confirm: bool) -> str | None:
    """From --passphrase-file (kept outside the workspace), or typed at a terminal."""
    from ..engine.sealing.keys import read_passphrase_file
    from ..engine.workspace import refuse_inside_workspace

    if args.passphrase_file:
        refuse_inside_workspace(ws, Path(args.passphrase_file), "--passphrase-file")
        return read_passphrase_file(Path(args.passphrase_file))
    if not getattr(args, "passphrase_prompt", False) or not sys.stdin.isatty():
        return None
    first = getpass.getpass("Passphrase / 通關密語: ")
    if confirm and getpass.getpass("Again / 再輸入一次: ") != first:
        raise ReviewError("seal.passphrase_mismatch")
    return first


def cmd_seal(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.sealing.seal import seal

    _ = ws.config
    shares = None
    if args.shares is not None or args.threshold is not None:
        if args.shares is None or args.threshold is None:
            raise ReviewError("seal.bad_shares", threshold=args.threshold, count=args.shares,
                              maximum=16)
        shares = (args.shares, args.threshold)
    report = seal(ws, passphrase=_passphrase(args, ws, confirm=True), shares=shares,
                  share_dir=Path(args.share_dir) if args.share_dir else None,
                  originals=args.originals)
    if report.resumed:
        _out(t("seal.resumed"))
    for line in seal_summary(t, report, shares):
        _out(line)
    return 0


def cmd_commit(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.decisions.commit import commit

    _ = ws.config
    result = commit(ws, override_reason=args.override_reason)
    _out(t("commit.done", entries=result.entries, sha256=result.decisions_sha256,
           seq=result.audit_seq))
    return 0


def cmd_unseal(args: argparse.Namespace, ws: Workspace, t: Messages) -> int:
    from ..engine.sealing.unseal import unseal

    _ = ws.config
    passphrase = _passphrase(args, ws, confirm=False) if not args.share else None
    report = unseal(ws, passphrase=passphrase, share_files=[Path(s) for s in args.share or []])
    method = (t("seal.method.passphrase") if report.method == "passphrase"
              else t("unseal.by_shares", count=len(args.share)))
    _out(t("unseal.done", entries=report.entries, method=method, originals=report.originals))
    return 0


def add_parsers(add: Callable[..., argparse.ArgumentParser]) -> None:
    """Register seal, commit and unseal with the main parser's ``add`` helper."""
    p = add("seal", cmd_seal, "seal identities into the vault")
    p.add_argument("--passphrase-file", metavar="F",
                   help="UTF-8 file holding the chair's passphrase (outside the workspace)")
    p.add_argument("--passphrase-prompt", action="store_true",
                   help="type the passphrase instead (twice, not echoed)")
    p.add_argument("--shares", type=int, metavar="N", help="split the key into N shares")
    p.add_argument("--threshold", type=int, metavar="K", help="any K shares unseal")
    p.add_argument("--share-dir", metavar="DIR", help="where to write the share files")
    p.add_argument("--originals", choices=["archive", "delete"], default="archive",
                   help="keep the submitted files encrypted in the vault, or delete them")
    p = add("commit", cmd_commit, "freeze the decisions before unsealing")
    p.add_argument("--override-reason", metavar="TEXT",
                   help="chair: commit despite open matters, with the reason recorded")
    p = add("unseal", cmd_unseal, "reveal identities (after commit)")
    p.add_argument("--passphrase-file", metavar="F")
    p.add_argument("--passphrase-prompt", action="store_true")
    p.add_argument("--share", action="append", metavar="FILE", help="a share file (repeat)")
