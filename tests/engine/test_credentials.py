"""The chair's and secretariat's credentials, the attempt limits, and signed audit records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_tui.engine.access.credentials import (
    SignatureCheck,
    check_credential,
    credential_row,
    fingerprint,
    set_credential,
    sign_in,
    sign_out,
    signed_in,
)
from review_tui.engine.decisions.tally import tally
from review_tui.engine.errors import ReviewError
from review_tui.engine.pipeline import check_anchors
from review_tui.engine.storage.audit import canonical, record_hash, sha256_hex
from review_tui.engine.workspace import Workspace
from tests.credentials import CREDENTIALS, readable_texts, sign_in_roles
from tests.engine.seal_fixtures import tree_digest


@pytest.mark.parametrize("secret, key", [
    ("12345", "credential.pin_short"), ("111111", "credential.pin_guessable"),
    ("123456", "credential.pin_guessable"), ("987654", "credential.pin_guessable"),
    ("121212", "credential.pin_guessable"), ("456456", "credential.pin_guessable"),
    ("password", "seal.passphrase_short"), ("", "seal.passphrase_empty"),
    ("x" * 2000, "credential.too_long"),
])
def test_a_weak_credential_is_refused_saying_why(secret, key):
    with pytest.raises(ReviewError) as refused:
        check_credential(secret)
    assert refused.value.key == key


@pytest.mark.parametrize("secret", ["135792", " 20261130 ", "a long meeting-room phrase 9"])
def test_a_pin_of_six_digits_or_a_passphrase_is_accepted(secret):
    assert check_credential(secret)


def test_only_a_memory_hard_hash_and_the_public_key_are_kept(workspace):
    set_credential(workspace, "chair", "135792")
    kept = json.loads((workspace.root / "credentials.json").read_text(encoding="utf-8"))
    typed = readable_texts(kept) + readable_texts(workspace.audit.records())
    assert typed and not any("135792" in text for text in typed)
    row = credential_row(workspace, "chair")
    assert row["kdf"]["name"] in ("argon2id", "scrypt") and len(row["kdf"]["salt"]) >= 20
    assert set(row) == {"role", "kdf", "verifier", "public_key", "demo"}
    record = workspace.audit.records()[-1]
    assert record["action"] == "roles.set" and record["role"] == "chair" and record["sig"]
    assert record["details"]["fingerprint"] == fingerprint(row["public_key"])


def test_a_wrong_credential_is_refused_audited_and_then_must_wait(workspace):
    set_credential(workspace, "secretariat", "246813")
    sign_out(workspace)
    for empty in ("", "  "):  # Enter before typing: asked for, neither a try nor a record
        with pytest.raises(ReviewError) as asked:
            sign_in(workspace, "secretariat", empty)
        assert asked.value.key == "credential.empty"
    assert not [r for r in workspace.audit.records() if r["action"] == "attempt.failed"]
    for failures in range(1, 6):
        with pytest.raises(ReviewError) as wrong:
            sign_in(workspace, "secretariat", "999999")
        assert wrong.value.key == "credential.wrong" and wrong.value.params["failures"] == failures
    with pytest.raises(ReviewError) as wait:  # the right one, but the sixth try must wait
        sign_in(workspace, "secretariat", "246813")
    assert wait.value.key == "attempts.wait"
    failed = [r for r in workspace.audit.records() if r["action"] == "attempt.failed"]
    assert len(failed) == 5 and {r["details"]["subject"] for r in failed} == {"secretariat"}
    assert all(r["role"] == "unknown" and "sig" not in r for r in failed)
    reopened = Workspace(workspace.root)  # a restart of the app keeps the count
    with pytest.raises(ReviewError) as still:
        sign_in(reopened, "secretariat", "246813")
    assert still.value.key == "attempts.wait"
    assert signed_in(workspace, "secretariat") is None


def test_a_chair_step_without_the_chair_signed_in_is_refused_and_changes_nothing(tmp_path):
    from review_tui.engine.sealing.seal import seal
    from tests.engine.seal_fixtures import PASSPHRASE, build_committee, score_everything

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace)
    sign_out(workspace, "chair")
    before = tree_digest(workspace.root)
    with pytest.raises(ReviewError) as refused:
        tally(workspace)
    assert refused.value.key == "credential.needed" and refused.value.params["role"] == "chair"
    assert tree_digest(workspace.root) == before


def test_a_credential_changes_only_with_the_old_one_or_a_reset_by_the_other_role(workspace):
    sign_in_roles(workspace)
    sign_out(workspace, "chair")
    with pytest.raises(ReviewError) as refused:
        set_credential(workspace, "chair", "975313")
    assert refused.value.key == "credential.needed" and refused.value.params["role"] == "chair"
    set_credential(workspace, "chair", "975313", by="secretariat")  # a forgotten one, reset
    sign_out(workspace)
    with pytest.raises(ReviewError):
        sign_in(workspace, "chair", CREDENTIALS["chair"])
    assert sign_in(workspace, "chair", "975313")
    set_credential(workspace, "chair", "a new phrase for the chair 7")  # changed while in
    assert workspace.audit.verify().ok
    sets = [r for r in workspace.audit.records() if r["action"] == "roles.set"]
    assert [(r["details"]["role"], r["role"]) for r in sets] == [
        ("chair", "chair"), ("secretariat", "secretariat"), ("chair", "secretariat"),
        ("chair", "chair")]


# --- signatures in the audit log -----------------------------------------------------------


def _forge(workspace: Workspace, action: str, role: str, **extra: object) -> None:
    """Append a record with a correct hash chain and no secret, as issue 20 describes."""
    last = workspace.audit.records()[-1]
    record = {"seq": last["seq"] + 1, "ts": last["ts"], "actor": "someone", "role": role,
              "action": action, "details": {"note": "forged"}, "prev": last["hash"], **extra}
    record["hash"] = record_hash(record)
    with open(workspace.audit.path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.fixture
def credentialed(workspace: Workspace) -> Workspace:
    sign_in_roles(workspace)
    return workspace


@pytest.mark.parametrize("action, role, extra, problem", [
    ("commit", "chair", {}, "unsigned"),
    ("commit", "chair", {"sig": "AAAA"}, "bad_signature"),
    ("commit", "unknown", {}, "role_mismatch"),
    ("seal", "reviewer:J01", {}, "role_mismatch"),
    ("tally.draw", "secretariat", {}, "role_mismatch"),
])
def test_a_re_chained_record_without_the_role_key_fails_verify(credentialed, action, role,
                                                               extra, problem):
    lines = len(credentialed.audit.path.read_text().splitlines())
    _forge(credentialed, action, role, **extra)
    result = credentialed.audit.verify()
    assert not result.ok and result.bad_line == lines + 1 and result.problem == problem


def test_a_bad_signature_is_reported_before_a_later_problem(credentialed):
    """Signatures are verified together after the lines are read: a bad one is still the
    line reported when a later line is broken too."""
    lines = len(credentialed.audit.path.read_text().splitlines())
    _forge(credentialed, "commit", "chair", sig="AAAA" * 22)  # well formed, wrong
    _forge(credentialed, "commit", "chair")  # unsigned
    result = credentialed.audit.verify()
    assert (result.bad_line, result.problem) == (lines + 1, "bad_signature")
    assert result.head == credentialed.audit.records()[lines - 1]["hash"]


def test_signatures_put_aside_name_the_first_bad_line_of_many():
    """Verified on every processor, in parts: the first failing line of all, once."""
    from review_tui.engine.access.credentials import Ed25519PrivateKey, RoleKey

    key = RoleKey("chair", Ed25519PrivateKey.generate())
    check = SignatureCheck()
    check.keys["chair"] = key.private.public_key()
    for line in range(1, 2001):
        record = {"seq": line, "action": "commit", "role": "chair", "details": {}}
        record["sig"] = key.sign(record)
        if line in (1500, 700):
            record["details"] = {"changed": True}  # no longer what was signed
        assert check.problem(record, line) is None
    assert check.first_bad() == 700
    assert check.first_bad() is None  # nothing left aside


def test_a_record_signed_by_another_key_fails_verify(credentialed, tmp_path):
    """A signature copied from a valid record, or made with a key of one's own, fails."""
    good = credentialed.audit.records()[-1]
    _forge(credentialed, "commit", "chair", sig=good["sig"])
    assert credentialed.audit.verify().problem == "bad_signature"


def test_a_new_key_slipped_into_the_log_fails_verify(credentialed):
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    from review_tui.engine.access.credentials import Ed25519PrivateKey, RoleKey
    from review_tui.engine.sealing.keys import b64

    mine = RoleKey("chair", Ed25519PrivateKey.generate())
    public = b64(mine.private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))
    last = credentialed.audit.records()[-1]
    record = {"seq": last["seq"] + 1, "ts": last["ts"], "actor": "x", "role": "chair",
              "action": "roles.set", "details": {"role": "chair", "by": "chair",
                                                 "public_key": public}, "prev": last["hash"]}
    record["sig"] = mine.sign(record)
    record["hash"] = record_hash(record)
    with open(credentialed.audit.path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(record) + "\n")
    assert credentialed.audit.verify().problem == "bad_signature"


def test_a_committee_from_before_credentials_verifies_and_signs_from_then_on(workspace):
    from review_tui.engine.intake.roster import import_agencies
    from tests.builders import write_csv

    csv = workspace.root.parent / "agencies.csv"
    write_csv(csv, ["機關名稱", "上級機關", "組別"], [("甲機關", "", "")])
    import_agencies(workspace, csv)  # unsigned: no credential yet
    assert "sig" not in workspace.audit.records()[-1]
    sign_in_roles(workspace)
    import_agencies(workspace, csv)
    assert workspace.audit.records()[-1]["sig"]
    assert workspace.audit.verify().ok and check_anchors(workspace,
                                                         workspace.audit.records()) is None


def test_the_check_replays_keys_in_order():
    check = SignatureCheck()
    assert check.problem({"action": "commit", "role": "chair"}) is None  # before any key
    assert sha256_hex(canonical({})) != ""


def test_a_swapped_public_key_in_credentials_json_signs_nothing(credentialed):
    path: Path = credentialed.root / "credentials.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    rows = data["_default"]
    chair = next(k for k, v in rows.items() if v["role"] == "chair")
    secretariat = next(k for k, v in rows.items() if v["role"] == "secretariat")
    rows[chair]["public_key"] = rows[secretariat]["public_key"]
    path.write_text(json.dumps(data), encoding="utf-8")
    sign_out(credentialed)
    with pytest.raises(ReviewError) as refused:
        sign_in(credentialed, "chair", CREDENTIALS["chair"])
    assert refused.value.key == "credential.key_mismatch"


def test_a_kdf_cost_below_the_vaults_floor_is_refused(workspace):
    from review_tui.engine.sealing.keys import ARGON2_FLOOR, argon2_available

    if not argon2_available():
        pytest.skip("Argon2 is missing here: credentials use scrypt")
    with pytest.raises(ReviewError) as refused:
        set_credential(workspace, "chair", "135792",
                       kdf_cost={**ARGON2_FLOOR, "memory_kib": 1024})
    assert refused.value.key == "vault.kdf_out_of_range"
    assert credential_row(workspace, "chair") is None
    set_credential(workspace, "chair", "135792", kdf_cost=ARGON2_FLOOR)
    assert credential_row(workspace, "chair")["kdf"]["memory_kib"] == ARGON2_FLOOR["memory_kib"]


def _write_credential(folder: Path, text: str) -> Path:
    path = folder / "credential.txt"
    path.write_text(text + "\n", encoding="utf-8")
    return path


def test_a_key_derived_ahead_is_the_one_derived_then_and_is_taken_once(workspace, tmp_path):
    """The app's key derived before its modules load (review_tui/__main__.py) is the key a
    derivation then would give, taken by the sign-in that asks for it, and only by it."""
    from review_tui.engine.access.credential_key import derive_role_key_ahead
    from review_tui.engine.sealing import keys

    set_credential(workspace, "chair", "135792")
    sign_out(workspace)
    kdf = credential_row(workspace, "chair")["kdf"]
    fresh = keys.derive_passphrase_key("135792", kdf)
    assert derive_role_key_ahead(workspace.root, "chair", _write_credential(tmp_path, " 135792"))
    assert len(keys._AHEAD) == 1
    assert keys.derive_passphrase_key("135792", kdf) == fresh  # a PIN's spaces dropped
    assert not keys._AHEAD
    assert derive_role_key_ahead(workspace.root, "chair", _write_credential(tmp_path, "135792"))
    key = sign_in(workspace, "chair", "135792")
    assert not keys._AHEAD and key.public == credential_row(workspace, "chair")["public_key"]


def test_a_wrong_credential_derived_ahead_is_still_refused_and_counted(workspace, tmp_path):
    """Deriving ahead checks nothing: the sign-in refuses a wrong credential, counts the try
    and audits it as always, and one given to the other role is that role's wrong one."""
    from review_tui.engine.access.credential_key import derive_role_key_ahead
    from review_tui.engine.sealing import keys

    set_credential(workspace, "chair", "135792")
    set_credential(workspace, "secretariat", "246813")
    sign_out(workspace)
    assert derive_role_key_ahead(workspace.root, "chair", _write_credential(tmp_path, "246813"))
    with pytest.raises(ReviewError) as wrong:
        sign_in(workspace, "chair", "246813")
    assert wrong.value.key == "credential.wrong" and wrong.value.params["failures"] == 1
    assert [r["details"]["subject"] for r in workspace.audit.records()
            if r["action"] == "attempt.failed"] == ["chair"]
    assert not keys._AHEAD and signed_in(workspace, "chair") is None


@pytest.mark.parametrize("case", ["no file", "empty file", "not UTF-8", "no such role",
                                  "no credentials", "garbled credentials", "kdf not a table"])
def test_nothing_is_derived_ahead_from_what_cannot_be_read(workspace, tmp_path, case):
    """What the command would refuse to read is left to it, which says why: nothing starts
    and nothing is raised."""
    from review_tui.engine.access.credential_key import derive_role_key_ahead
    from review_tui.engine.sealing import keys

    set_credential(workspace, "chair", "135792")
    file = _write_credential(tmp_path, "135792")
    kept = workspace.root / "credentials.json"
    role = "chair"
    if case == "no file":
        file = tmp_path / "missing.txt"
    elif case == "empty file":
        file.write_bytes(b"")
    elif case == "not UTF-8":
        file.write_bytes(b"\xff\xfe\x00135792")
    elif case == "no such role":
        role = "secretariat"
    elif case == "no credentials":
        kept.unlink()
    elif case == "garbled credentials":
        kept.write_bytes(b"{\"_default\": [1, 2")
    else:
        data = json.loads(kept.read_text(encoding="utf-8"))
        for row in data["_default"].values():
            row["kdf"] = "argon2id"
        kept.write_text(json.dumps(data), encoding="utf-8")
    assert derive_role_key_ahead(workspace.root, role, file) is False
    assert not keys._AHEAD
