"""Every chair and secretariat command of the CLI: without, with a wrong, and with the right
credential; `roles set`; a committee from before credentials; the role of each command."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from review_tui.cli import (
    build_parser,
    config,
    export,
    intake,
    meeting,
    roles,
    score,
    seal,
    status,
    tally,
)
from review_tui.cli.roles import COMMAND_ROLES, OPEN_COMMANDS, role_of_command
from review_tui.engine.access.credentials import is_set, sign_out
from review_tui.engine.workspace import Workspace, init_workspace
from review_tui.i18n import Messages
from tests.cli.test_cli import cli
from tests.credentials import CREDENTIALS, credential_file, sign_in_roles
from tests.engine.seal_fixtures import tree_digest

# One command line per chair or secretariat command (what follows the credential check may
# still refuse: these only need to reach it).
COMMANDS = {
    "cmd_agencies_import": ["agencies", "import", "agencies.csv"],
    "cmd_reviewers_import": ["reviewers", "import", "reviewers.csv"],
    "cmd_reviewers_pin": ["reviewers", "pin", "J01", "--clear"],
    "cmd_import": ["import", "manifest.csv"],
    "cmd_check": ["check"],
    "cmd_seal": ["seal", "--passphrase-file", "pass.txt"],
    "cmd_deal": ["deal"],
    "cmd_scores_template": ["scores", "template", "--reviewer", "J01"],
    "cmd_scores_import": ["scores", "import", "sheet.csv"],
    "cmd_tally": ["tally"],
    "cmd_tally_resolve": ["tally", "resolve", "R-001", "--keep"],
    "cmd_tally_order": ["tally", "order", "--track", "reading", "A", "B"],
    "cmd_tally_draw": ["tally", "draw"],
    "cmd_commit": ["commit"],
    "cmd_unseal": ["unseal", "--passphrase-file", "pass.txt"],
    "cmd_export": ["export", "--out", "out"],
    "cmd_scores_reopen": ["scores", "reopen", "--reviewer", "J01", "--reason", "typo"],
    "cmd_packet_export": ["packet", "export", "--reviewer", "J01"],
    "cmd_config_amend": ["config", "amend", "--reason", "typo"],
    "cmd_config_restore": ["config", "restore"],
    "cmd_meeting_attend": ["meeting", "attend", "J01"],
    "cmd_meeting_agenda": ["meeting", "agenda"],
    "cmd_meeting_note": ["meeting", "note", "cutoff:R-XXXX", "--note", "x"],
    "cmd_meeting_minutes": ["meeting", "minutes", "--no-convert"],
    "cmd_scores_recuse": ["scores", "recuse", "--reviewer", "J01", "R-XXXX", "--reason", "x"],
    "cmd_meeting_sign_in": ["meeting", "sign-in", "--no-convert"],
}


def _handlers() -> set[str]:
    modules = (config, export, intake, meeting, roles, score, seal, status, tally)
    return {name for module in modules for name in vars(module)
            if name.startswith("cmd_") and callable(getattr(module, name))}


def test_every_command_is_either_a_roles_or_open_to_anyone():
    assert _handlers() <= set(COMMAND_ROLES) | OPEN_COMMANDS
    assert set(COMMANDS) == set(COMMAND_ROLES)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_command_line_reaches_the_command_it_names(name):
    parsed = build_parser(Messages("en")).parse_args(COMMANDS[name])
    assert isinstance(parsed, argparse.Namespace) and parsed.handler.__name__ == name


@pytest.fixture(scope="module")
def credentialed(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("roles") / "ws"
    workspace = sign_in_roles(init_workspace(root, "coach", year=2026))
    sign_out(workspace)  # each command below signs in (or not) for itself
    return root


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_a_command_without_its_credential_exits_1_and_changes_nothing(credentialed, name):
    role = COMMAND_ROLES[name]
    before = tree_digest(credentialed)
    code, out, err = cli(*COMMANDS[name], "--workspace", credentialed, credential=False)
    assert code == 1 and out == ""
    assert err.strip() == (f"This command is the {role}'s: give the {role}'s credential with "
                           "--credential-file F (a file outside the workspace), or run it at "
                           "a terminal.")
    assert tree_digest(credentialed) == before


@pytest.mark.parametrize("name", ["cmd_check", "cmd_tally", "cmd_commit", "cmd_deal"])
def test_a_wrong_credential_exits_1_and_is_audited(tmp_path, name):
    root = tmp_path / "ws"
    sign_out(sign_in_roles(init_workspace(root, "coach", year=2026)))
    role = COMMAND_ROLES[name]
    other = next(r for r in CREDENTIALS if r != role)  # the other role's: wrong here
    code, _, err = cli(*COMMANDS[name], "--workspace", root, "--credential-file",
                       credential_file(tmp_path, other), "--lang", "zh-TW")
    assert code == 1 and "通行碼不正確（連續第 1 次）" in err
    last = Workspace(root).audit.records()[-1]
    assert last["action"] == "attempt.failed" and last["details"]["subject"] == role
    code, _, err = cli(*COMMANDS[name], "--workspace", root, "--credential-file",
                       credential_file(tmp_path, role))
    assert "credential" not in err.lower()


def test_a_wrong_credential_refuses_before_what_was_read_ahead_is_used(tmp_path):
    """The tally's sheets and entries are parsed beside the sign-in (engine/read_first.py):
    a wrong credential is still refused first, and nothing read stays behind."""
    from review_tui.engine.storage import store as store_module

    root = tmp_path / "ws"
    assert cli("demo", "--workspace", root, "--stage", "dealt")[0] == 0
    right = cli("tally", "--workspace", root, "--lang", "en")
    code, out, err = cli("tally", "--workspace", root, "--credential-file",
                         credential_file(tmp_path, "secretariat"), "--lang", "en")
    assert code == 1 and out == "" and "Wrong credential" in err
    assert not store_module._AHEAD
    assert cli("tally", "--workspace", root, "--lang", "en") == right
    assert right[0] == 0 and "Book-reading report" in right[1]


def test_the_commit_parses_the_sealed_entries_once_beside_its_sign_in(tmp_path,
                                                                     store_parses):
    """Read ahead while the credential is checked, the sealed entries serve the commit's
    every read (sealed? then the tally, then its check of what the seal logged); the
    sheets, each read once, are handed over and not kept."""
    from review_tui.engine.storage import store as store_module
    from tests.engine.seal_fixtures import scored_committee

    workspace = scored_committee(tmp_path)
    store_parses.clear()
    code, _, err = cli("commit", "--workspace", workspace.root, "--override-reason",
                       "test", "--lang", "en")
    assert code == 0, err
    assert store_parses.count("entries.json") == 1
    sheets = [name for name in store_parses if name.startswith("J")]
    assert sheets and len(sheets) == len(set(sheets))
    assert not store_module._AHEAD


def test_the_app_opened_signed_in_derives_its_key_before_its_modules_load(credentialed,
                                                                        tmp_path):
    """`review-tui --as chair --credential-file F` (the app, for a kiosk or a script)
    starts the role's key at once; no other command line does, and a command ends with
    nothing derived ahead left (the sign-in's checks: tests/engine/test_credentials.py)."""
    from review_tui.__main__ import derive_ahead
    from review_tui.engine.sealing import keys

    chair, root = credential_file(tmp_path, "chair"), str(credentialed)
    for argv in (["tui", "--workspace", root, "--credential-file", str(chair)],
                 ["--as", "reviewer:J01", "--workspace", root, "--credential-file", str(chair)],
                 ["tally", "--workspace", root, "--credential-file", str(chair)],
                 ["--as", "chair", "--workspace", root]):
        assert derive_ahead(argv) is False, argv
    assert not keys._AHEAD
    assert derive_ahead(["--as", "chair", f"--workspace={root}", "--credential-file",
                         str(chair)])
    assert len(keys._AHEAD) == 1
    assert cli("status", "--workspace", credentialed)[0] == 0
    assert not keys._AHEAD


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_right_credential_lets_the_command_run(credentialed, tmp_path, name):
    code, _, err = cli(*COMMANDS[name], "--workspace", credentialed, "--credential-file",
                       credential_file(tmp_path, COMMAND_ROLES[name]))
    assert code in (0, 1) and "Traceback" not in err
    assert "credential" not in err.lower(), err  # refused, if at all, for its own reasons


def test_a_credential_file_inside_the_workspace_is_refused(credentialed):
    inside = credential_file(credentialed, "chair")
    try:
        code, _, err = cli("tally", "--workspace", credentialed, "--credential-file", inside)
    finally:
        inside.unlink()
    assert code == 1 and "inside the workspace" in err


@pytest.mark.parametrize("content, said", [(None, "Cannot read the credential file"),
                                            (b"\xff\xfe\x00", "is not UTF-8"),
                                            (b"\n", "is empty")])
def test_a_bad_credential_file_is_named_as_one_and_changes_nothing(credentialed, tmp_path,
                                                                   content, said):
    """A missing, non-UTF-8 or empty credential file is said to be one (it was called a
    passphrase file), for the commands and for the app alike."""
    path = tmp_path / "chair.txt"
    if content is not None:
        path.write_bytes(content)
    before = tree_digest(credentialed)
    for command in (["tally"], ["tui", "--as", "chair"]):
        code, _, err = cli(*command, "--workspace", credentialed, "--credential-file", path,
                           credential=False)
        assert code == 1 and said in err and "passphrase" not in err, err
    assert tree_digest(credentialed) == before


def test_a_committee_from_before_credentials_gets_one_on_its_first_command(tmp_path):
    root = tmp_path / "ws"
    init_workspace(root, "coach", year=2026)
    code, out, err = cli("check", "--workspace", root, credential=False)
    assert code == 1 and "has no credential yet" in err
    code, out, err = cli("check", "--workspace", root, "--credential-file",
                         credential_file(tmp_path, "secretariat"))
    assert code == 0 and "Credential set for the secretariat" in err and "No findings" in out
    assert is_set(Workspace(root), "secretariat") and not is_set(Workspace(root), "chair")
    code, _, err = cli("check", "--workspace", root, "--credential-file",
                       credential_file(tmp_path, "chair"))  # now the secretariat's is asked
    assert code == 1 and "Wrong credential" in err


def test_init_sets_both_credentials_from_files_and_prints_their_fingerprints(tmp_path):
    code, out, _ = cli("init", "--workspace", tmp_path / "ws",
                       "--chair-credential-file", credential_file(tmp_path, "chair"),
                       "--secretariat-credential-file", credential_file(tmp_path, "secretariat"))
    assert code == 0 and out.count("Key fingerprint") == 2
    workspace = Workspace(tmp_path / "ws")
    assert is_set(workspace, "chair") and is_set(workspace, "secretariat")
    assert cli("audit", "verify", "--workspace", workspace.root)[0] == 0


def test_roles_set_changes_a_credential_with_the_old_one_or_resets_with_the_other(tmp_path):
    root = tmp_path / "ws"
    sign_out(sign_in_roles(init_workspace(root, "coach", year=2026)))
    new = tmp_path / "new.txt"
    new.write_text("975313\n", encoding="utf-8")
    code, _, err = cli("roles", "set", "chair", "--workspace", root,
                       "--new-credential-file", new)
    assert code == 1 and "chair's" in err  # the current one is needed
    code, _, err = cli("roles", "set", "chair", "--workspace", root, "--new-credential-file",
                       new, "--credential-file", credential_file(tmp_path, "secretariat"))
    assert code == 1 and "Wrong credential for the chair" in err
    code, out, _ = cli("roles", "set", "chair", "--reset", "--workspace", root,
                       "--new-credential-file", new,
                       "--credential-file", credential_file(tmp_path, "secretariat"))
    assert code == 0 and "Credential set for the chair" in out
    assert cli("tally", "--workspace", root, "--credential-file", new)[0] in (0, 1)
    code, _, err = cli("tally", "--workspace", root, "--credential-file",
                       credential_file(tmp_path, "chair"))
    assert code == 1 and "Wrong credential" in err
    code, out, _ = cli("audit", "verify", "--workspace", root)
    assert code == 0, out


def test_a_forged_chair_record_fails_verify_and_unseal_refuses(tmp_path):
    """Issue 20: a line appended with a correct chain but no credential."""
    from review_tui.engine.sealing.seal import seal
    from review_tui.engine.storage.audit import record_hash
    from tests.engine.seal_fixtures import PASSPHRASE, build_committee, decide

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    decide(workspace)
    last = workspace.audit.records()[-1]
    forged = {"seq": last["seq"] + 1, "ts": last["ts"], "actor": "root", "role": "chair",
              "action": "tally.discrepancy", "details": {"code": "X"}, "prev": last["hash"]}
    forged["hash"] = record_hash(forged)
    with open(workspace.audit.path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(forged) + "\n")
    lines = len(workspace.audit.path.read_text().splitlines())
    code, _, err = cli("audit", "verify", "--workspace", workspace.root)
    assert code == 1 and f"line {lines}" in err and "signature is missing" in err
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text(PASSPHRASE, encoding="utf-8")
    code, _, err = cli("unseal", "--workspace", workspace.root, "--passphrase-file", passphrase)
    assert code == 1 and f"line {lines}" in err


def test_the_role_of_a_command_is_named_by_its_handler():
    assert role_of_command(seal.cmd_commit) == "chair"
    assert role_of_command(intake.cmd_import) == "secretariat"
    assert role_of_command(status.cmd_status) is None
