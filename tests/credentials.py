"""The chair's and secretariat's credentials the tests use, on disk and signed in."""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path

from review_tui.engine.access.credentials import (
    DEMO_CREDENTIALS,
    ROLES,
    is_set,
    set_credential,
    sign_in,
)
from review_tui.engine.sealing.keys import ARGON2_FLOOR
from review_tui.engine.workspace import Workspace

CREDENTIALS = dict(DEMO_CREDENTIALS)  # `review-tui demo` sets these; tests set them elsewhere


def sign_in_roles(workspace: Workspace, *roles: str) -> Workspace:
    """Give each role (both by default) the test credential if it has none, and sign it in
    in this process, as typing it in the app or ``--credential-file`` would."""
    for role in roles or ROLES:
        if is_set(workspace, role):
            sign_in(workspace, role, CREDENTIALS[role])
        else:  # the KDF's floor (OWASP's minimum): real Argon2id, a tenth of the time
            set_credential(workspace, role, CREDENTIALS[role], kdf_cost=ARGON2_FLOOR)
    return workspace


def credential_file(folder: Path, role: str) -> Path:
    """A file holding ``role``'s test credential (outside any workspace)."""
    path = Path(folder) / f"{role}-credential.txt"
    path.write_text(CREDENTIALS[role] + "\n", encoding="utf-8")
    return path


CREDENTIAL_FOLDER = Path(tempfile.mkdtemp(prefix="review-tui-test-credentials-"))


def with_credential(argv: list[str]) -> list[str]:
    """``argv`` with ``--credential-file`` for the role its command needs (the test
    credential, which becomes the role's on a committee without one), unless it names one."""
    from review_tui.cli import build_parser
    from review_tui.cli.roles import role_of_command
    from review_tui.i18n import Messages

    if "--credential-file" in argv:
        return argv
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            parsed = build_parser(Messages("en")).parse_args(argv)
    except SystemExit:  # a usage error: the command says it itself
        return argv
    role = role_of_command(parsed.handler)
    if role is None:
        return argv
    return [*argv, "--credential-file", str(credential_file(CREDENTIAL_FOLDER, role))]


# Fields holding hashes, salts, keys or signatures: random text that may hold any digits.
KEY_MATERIAL = frozenset({"hash", "prev", "sig", "public_key", "verifier", "salt",
                          "fingerprint"})


def readable_texts(data: object) -> list[str]:
    """Every string a person could have typed in ``data`` (a record, a store file's JSON),
    leaving out key material, whose random characters may contain any short secret."""
    if isinstance(data, dict):
        return [text for key, value in data.items() if key not in KEY_MATERIAL
                for text in [str(key), *readable_texts(value)]]
    if isinstance(data, list):
        return [text for value in data for text in readable_texts(value)]
    return [str(data)]
