"""Commit and unseal: round trips, every wrong input refused with its own message and
nothing changed, tampering and truncation detected, steps in order."""

from __future__ import annotations

import itertools
import json
import shutil
import struct
import unicodedata
from pathlib import Path

import pytest

from review_tui.engine.decisions.commit import commit, frozen_decisions
from review_tui.engine.errors import ReviewError
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.sealing.unseal import (
    load_identities,
    load_unsealed,
    read_original,
    read_share_file,
    unseal,
)
from review_tui.engine.sealing.vault import VAULT_FILE, read_vault
from review_tui.engine.workspace import Workspace
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, build_committee, decide, tree_digest

SHARES = 5
THRESHOLD = 3


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    """A committed committee, sealed by passphrase and 3-of-5 shares (copied per test)."""
    base = tmp_path_factory.mktemp("committed")
    workspace = build_committee(base / "ws", base / "intake")
    seal(workspace, passphrase=PASSPHRASE, shares=(SHARES, THRESHOLD),
         share_dir=base / "shares")
    decide(workspace)
    return base


@pytest.fixture
def committed(template: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(template / "ws", tmp_path / "ws")
    return sign_in_roles(Workspace(tmp_path / "ws"))


@pytest.fixture(scope="module")
def shares(template: Path) -> list[Path]:
    return sorted((template / "shares").glob("share-*.txt"))


def refused(workspace: Workspace, key: str, **kwargs) -> ReviewError:
    """Assert that unseal is refused with ``key`` and that no file changed."""
    before = tree_digest(workspace.root)
    with pytest.raises(ReviewError) as error:
        unseal(workspace, **kwargs)
    assert error.value.key == key, error.value
    assert tree_digest(workspace.root) == before
    return error.value


def test_passphrase_round_trip_puts_names_next_to_codes(committed):
    report = unseal(committed, passphrase=PASSPHRASE)
    assert report.method == "passphrase" and report.entries == 3 and report.originals == 4
    identities = load_identities(committed)
    codes = {e["code"] for e in load_sealed_entries(committed)}
    assert set(identities) == codes
    writers = {a["name"] for row in identities.values() for a in row["authors"]}
    assert writers == {"王小明", "李美華", "張志強"}
    diary = next(r for r in identities.values() if r["title"] == "我在民政局的服務日記")
    assert diary["agency"] == "高雄市政府民政局" and diary["authors"][0]["job_title"] == "科員"
    suffix, data = read_original(committed, diary["code"])
    assert suffix == ".docx" and data.startswith(b"PK")
    last = committed.audit.records()[-1]
    assert last["action"] == "unseal" and last["details"]["method"] == "passphrase"
    assert last["actor"] == "tester" and committed.audit.verify().ok


def test_the_vault_hashes_come_from_the_verified_log_with_a_fallback_for_older_logs(committed):
    from review_tui.engine.sealing.sealed import seal_record
    from review_tui.engine.sealing.unseal import _logged_seal

    records = committed.audit.records()
    logged = _logged_seal(committed, records)
    stored = seal_record(committed)
    assert {k: logged[k] for k in ("vault_sha256", "originals_count")} == {
        k: stored[k] for k in ("vault_sha256", "originals_count")}
    older = [dict(r, details={k: v for k, v in r["details"].items() if k != "originals_count"})
             for r in records]
    assert _logged_seal(committed, older) == stored


def test_the_passphrase_is_compared_in_nfc(committed):
    """A phrase typed decomposed (NFD) on another system unseals a phrase sealed in NFC."""
    base = build_committee(committed.root.parent / "nfc", committed.root.parent / "nfc-in")
    phrase = "委員會的祕密口令 café 2026"
    seal(base, passphrase=phrase)
    decide(base)
    assert unseal(base, passphrase=unicodedata.normalize("NFD", phrase)).entries == 3


def test_every_k_subset_of_shares_unlocks_and_every_smaller_one_fails(committed, shares):
    vault = read_vault(committed.root / VAULT_FILE)
    words = [(str(p), read_share_file(p)) for p in shares]
    keys = {vault.unlock_with_shares(list(subset))
            for subset in itertools.combinations(words, THRESHOLD)}
    assert len(keys) == 1
    for subset in itertools.combinations(words, THRESHOLD - 1):
        with pytest.raises(ReviewError) as error:
            vault.unlock_with_shares(list(subset))
        assert error.value.key == "unseal.share_too_few"


def test_unseal_with_share_files(committed, shares):
    report = unseal(committed, share_files=[shares[4], shares[0], shares[2]])
    assert report.method == "shares" and report.entries == 3
    assert committed.audit.records()[-1]["details"]["shares_used"] == 3


def test_wrong_passphrase(committed):
    refused(committed, "unseal.wrong_passphrase", passphrase=PASSPHRASE + "!")


@pytest.mark.parametrize("typed", ["", "   ", "\n"])
def test_an_empty_passphrase_is_asked_for_not_tried(committed, typed):
    refused(committed, "unseal.passphrase_empty", passphrase=typed)


def test_too_few_and_duplicate_shares(committed, shares):
    refused(committed, "unseal.share_too_few", share_files=shares[:2])
    refused(committed, "unseal.share_duplicate", share_files=[shares[0], shares[1], shares[0]])


def test_a_mistyped_share_is_named(committed, shares, tmp_path):
    text = shares[1].read_text(encoding="utf-8").splitlines()
    words = text[3].split()
    words[2] = "academic" if words[2] != "academic" else "acid"
    typo = tmp_path / "typo.txt"
    typo.write_text("\n".join([*text[:3], " ".join(words), *text[4:]]), encoding="utf-8")
    error = refused(committed, "unseal.share_invalid", share_files=[shares[0], typo, shares[2]])
    assert error.params["share"] == str(typo)
    unknown = tmp_path / "unknown.txt"
    unknown.write_text(shares[1].read_text(encoding="utf-8").replace(words[0], "zzzz", 1),
                       encoding="utf-8")
    refused(committed, "unseal.share_invalid", share_files=[shares[0], unknown, shares[2]])


def test_shares_of_another_seal_are_foreign(committed, shares, tmp_path):
    other = build_committee(tmp_path / "other", tmp_path / "other-in")
    seal(other, shares=(3, 2), share_dir=tmp_path / "other-shares")
    foreign = sorted((tmp_path / "other-shares").glob("*.txt"))
    refused(committed, "unseal.share_foreign", share_files=[shares[0], shares[1], foreign[0]])


def test_refused_out_of_order(committed, template, tmp_path):
    fresh = build_committee(tmp_path / "fresh", tmp_path / "fresh-in")
    with pytest.raises(ReviewError) as early_commit:
        commit(fresh)
    assert early_commit.value.key == "pipeline.needs"
    seal(fresh, passphrase=PASSPHRASE)
    refused(fresh, "pipeline.needs", passphrase=PASSPHRASE)
    with pytest.raises(ReviewError) as twice:
        commit(committed)
    assert twice.value.key == "commit.already"
    unseal(committed, passphrase=PASSPHRASE)
    refused(committed, "unseal.already", passphrase=PASSPHRASE)


def _rewrite_header(path: Path, change) -> None:
    blob = path.read_bytes()
    (length,) = struct.unpack_from(">I", blob, 8)
    header = json.loads(blob[12:12 + length])
    change(header)
    raw = json.dumps(header, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    path.write_bytes(blob[:8] + struct.pack(">I", len(raw)) + raw + blob[12 + length:])


def _flip(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    text = str(value)
    return ("B" if text[0] != "B" else "C") + text[1:]


HEADER_FIELDS = [("format",), ("version",), ("committee",), ("created",), ("cipher",),
                 ("compression",), ("nonce",), ("ciphertext_bytes",), ("key_commitment",),
                 ("slots", 0, "check"), ("slots", 0, "nonce"), ("slots", 0, "wrapped"),
                 ("slots", 0, "kdf", "salt"), ("slots", 0, "kdf", "memory_kib"),
                 ("slots", 0, "kdf", "iterations"), ("slots", 0, "kdf", "lanes"),
                 ("slots", 1, "threshold"), ("slots", 1, "identifier"), ("slots", 1, "count")]


@pytest.mark.parametrize("field", HEADER_FIELDS, ids=lambda f: ".".join(map(str, f)))
def test_tampering_with_any_header_field_is_detected(committed, field):
    def change(header):
        node = header
        for step in field[:-1]:
            node = node[step]
        node[field[-1]] = _flip(node[field[-1]])

    _rewrite_header(committed.root / VAULT_FILE, change)
    # A header that no longer parses is named as such; any other change is caught by
    # comparing the vault with what the seal logged, before any key is tried …
    expected = {"format": "vault.unsupported", "version": "vault.unsupported",
                "ciphertext_bytes": "vault.truncated"}.get(field[0], "vault.tampered")
    refused(committed, expected, passphrase=PASSPHRASE)
    # … and the cryptography alone refuses it too, even with the right passphrase.
    with pytest.raises(ReviewError) as error:
        vault = read_vault(committed.root / VAULT_FILE)
        vault.open(vault.unlock_with_passphrase(PASSPHRASE)).payload()
    assert error.value.key in {"vault.tampered", "vault.corrupt", "vault.unsupported",
                               "vault.truncated", "vault.kdf_out_of_range",
                               "unseal.wrong_passphrase"}


def test_a_weakened_kdf_is_refused_by_its_floor(committed):
    _rewrite_header(committed.root / VAULT_FILE,
                    lambda h: h["slots"][0]["kdf"].update(memory_kib=1024, iterations=1))
    with pytest.raises(ReviewError) as error:
        read_vault(committed.root / VAULT_FILE).unlock_with_passphrase(PASSPHRASE)
    assert error.value.key == "vault.kdf_out_of_range"


@pytest.mark.parametrize("offset", [-1, -16, -17, -200])
def test_tampering_with_the_ciphertext_is_detected(committed, offset):
    path = committed.root / VAULT_FILE
    blob = bytearray(path.read_bytes())
    blob[offset] ^= 0x01
    path.write_bytes(bytes(blob))
    refused(committed, "vault.tampered", passphrase=PASSPHRASE)
    vault = read_vault(path)
    with pytest.raises(ReviewError) as error:
        vault.open(vault.unlock_with_passphrase(PASSPHRASE)).payload()
    assert error.value.key in {"vault.tampered", "vault.corrupt"}


@pytest.mark.parametrize("keep", [0, 5, 11, 40, -1])
def test_a_truncated_vault_is_told_apart_from_a_wrong_key(committed, keep):
    path = committed.root / VAULT_FILE
    blob = path.read_bytes()
    path.write_bytes(blob[:keep])
    with pytest.raises(ReviewError) as error:
        read_vault(path)
    assert error.value.key in {"vault.truncated", "vault.not_a_vault"}
    refused(committed, error.value.key, passphrase=PASSPHRASE)


def test_a_missing_or_foreign_vault(committed, tmp_path):
    other = build_committee(tmp_path / "other", tmp_path / "other-in")
    seal(other, passphrase=PASSPHRASE)
    (committed.root / VAULT_FILE).unlink()
    refused(committed, "vault.missing", passphrase=PASSPHRASE)
    shutil.copy(other.root / VAULT_FILE, committed.root / VAULT_FILE)
    refused(committed, "vault.tampered", passphrase=PASSPHRASE)


@pytest.mark.parametrize("damage", ["flip-head", "flip-middle", "flip-tail", "cut", "empty"])
def test_a_tampered_originals_archive_refuses_unseal_naming_it(committed, damage):
    path = committed.root / "originals.bin"
    blob = bytearray(path.read_bytes())
    if damage.startswith("flip"):
        at = {"flip-head": 5, "flip-middle": len(blob) // 2, "flip-tail": len(blob) - 3}[damage]
        blob[at] ^= 0x01
    else:
        blob = blob[:len(blob) // 2] if damage == "cut" else bytearray()
    path.write_bytes(bytes(blob))
    error = refused(committed, "archive.tampered", passphrase=PASSPHRASE)  # nothing changed
    assert error.params["path"].endswith("originals.bin")


def test_an_archive_tampered_after_unseal_is_refused_when_read(committed):
    unseal(committed, passphrase=PASSPHRASE)
    path = committed.root / "originals.bin"
    blob = bytearray(path.read_bytes())
    blob[-3] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(ReviewError) as error:
        read_original(committed, next(iter(load_identities(committed))))
    assert error.value.key == "archive.tampered"
    path.unlink()
    with pytest.raises(ReviewError) as error:
        read_original(committed, next(iter(load_identities(committed))))
    assert error.value.key == "archive.missing"


def test_decisions_changed_after_commit_block_unsealing(committed):
    path = committed.root / "decisions.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["_default"]["1"]["document"]["tracks"]["reading"][0]["status"] = "capped"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    error = refused(committed, "commit.decisions_changed", passphrase=PASSPHRASE)
    assert error.params["path"] == str(path)
    kept = json.loads(path.read_text(encoding="utf-8"))["_default"]["1"]["document"]
    assert kept["tracks"]["reading"][0]["status"] == "capped"  # left as found, for whoever looks
    with pytest.raises(ReviewError) as read:  # nor does anything else read it
        frozen_decisions(committed)
    assert read.value.key == "commit.decisions_changed"


def edit_store(path: Path, table: str, change) -> None:
    """Change the first row of ``table`` of a store file by hand, as someone might."""
    data = json.loads(path.read_text(encoding="utf-8"))
    change(next(iter(data[table].values())))
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


@pytest.mark.parametrize("table, change", [
    ("_default", lambda row: row["authors"][0].update(name="林冒名")),
    ("persons", lambda row: row.update(name="林冒名")),
    ("agencies", lambda row: row.update(name="高雄市政府冒名局")),
    ("rejected", lambda row: row.update(authors=["林冒名"])),
])
def test_identities_changed_after_unseal_are_refused_when_read(committed, table, change):
    """A writer's name edited into identities.json would reach the award documents: the
    file is named and nothing in it is used."""
    unseal(committed, passphrase=PASSPHRASE)
    path = committed.root / "identities.json"
    edit_store(path, table, change)
    changed = path.read_bytes()
    with pytest.raises(ReviewError) as error:
        load_unsealed(committed)
    assert error.value.key == "unseal.identities_changed"
    assert error.value.params["path"] == str(path)
    assert path.read_bytes() == changed  # left as found


def test_the_unseal_record_holds_each_tables_hash(committed):
    unseal(committed, passphrase=PASSPHRASE)
    record = committed.audit.records()[-1]
    assert record["action"] == "unseal"
    hashes = record["details"]["tables_sha256"]
    assert set(hashes) == {"_default", "rejected", "agencies", "persons", "keys"}
    assert record["details"]["identities_sha256"] == hashes["_default"]
    assert load_unsealed(committed).identities  # as written: read


def test_an_unseal_logged_before_the_tables_hashes_still_checks_its_identities(
        committed, monkeypatch):
    """A workspace unsealed by an earlier version logged only the identities' hash: that
    table is still checked against it."""
    append = committed.audit.append

    def older(action, details=None, **kwargs):
        if action == "unseal":
            details = {k: v for k, v in (details or {}).items() if k != "tables_sha256"}
        return append(action, details, **kwargs)

    monkeypatch.setattr(committed.audit, "append", older)
    unseal(committed, passphrase=PASSPHRASE)
    monkeypatch.undo()
    assert "tables_sha256" not in committed.audit.records()[-1]["details"]
    path = committed.root / "identities.json"
    edit_store(path, "persons", lambda row: row.update(name="林冒名"))
    assert load_unsealed(committed).persons  # not hashed then: read as before
    edit_store(path, "_default", lambda row: row["authors"][0].update(name="林冒名"))
    with pytest.raises(ReviewError) as error:
        load_unsealed(committed)
    assert error.value.key == "unseal.identities_changed"


def test_a_log_edited_after_a_sound_read_is_caught_on_the_next_read(committed):
    """The log's check is made once per version of the file: an edit after a read that
    found it sound is a new version, checked again."""
    from review_tui.engine.errors import AuditError

    unseal(committed, passphrase=PASSPHRASE)
    assert frozen_decisions(committed)["sha256"] and load_unsealed(committed).identities
    path = committed.root / "audit.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1].replace(b'"details":{', b'"details":{"x":1,', 1)
    path.write_bytes(b"".join(lines))
    for read in (frozen_decisions, load_unsealed):
        with pytest.raises(AuditError) as error:
            read(committed)
        assert error.value.key == "audit.bad" and error.value.params["line"] == 2


def test_a_log_cut_after_the_commit_is_detected(committed):
    path = committed.root / "audit.jsonl"
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]))  # drop the commit record: the chain itself is fine
    assert committed.audit.verify().ok
    refused(committed, "audit.truncated", passphrase=PASSPHRASE)


def test_an_edited_log_blocks_unsealing(committed):
    path = committed.root / "audit.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"init"', '"start"', 1),
                    encoding="utf-8")
    refused(committed, "audit.bad", passphrase=PASSPHRASE)


def _rechained(workspace: Workspace, seq: int, change) -> None:
    """Change the record ``seq`` and work out every hash from it on, as someone without
    the keys could: the chain holds, the signatures do not."""
    from review_tui.engine.storage.audit import record_hash

    records = [json.loads(line) for line in workspace.audit.path.read_bytes().splitlines()]
    change(records[seq - 1])
    for index in range(seq - 1, len(records)):
        if index:
            records[index]["prev"] = records[index - 1]["hash"]
        records[index]["hash"] = record_hash(records[index])
    workspace.audit.path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                            for r in records), encoding="utf-8")


def _counted_verifications(monkeypatch) -> list[int]:
    """How many signatures each batch verification checks, from now on."""
    from review_tui.engine.access import credentials

    counted: list[int] = []
    check = credentials._first_failing

    def counting(part):
        counted.append(len(part))
        return check(part)

    monkeypatch.setattr(credentials, "_first_failing", counting)
    return counted


def test_the_unseal_verifies_again_only_the_signatures_from_the_commit_on(committed,
                                                                          monkeypatch):
    """The commit verified every signature before it wrote its own record, whose signature
    covers them through the chain: the unseal's check verifies that one and those after
    it (``audit verify`` still verifies them all)."""
    from review_tui.engine.decisions.commit import verify_commit

    records = committed.audit.records()
    anchor = frozen_decisions(committed)["audit_seq"]
    assert records[anchor - 1]["action"] == "commit" and "sig" in records[anchor - 1]
    signed = [r["seq"] for r in records if "sig" in r and r["action"] != "roles.set"]
    counted = _counted_verifications(monkeypatch)
    verify_commit(committed)
    assert sum(counted) == len([seq for seq in signed if seq >= anchor]) < len(signed)
    counted.clear()
    assert committed.audit.verify().ok and sum(counted) == len(signed)


def test_a_signed_record_before_the_commit_changed_and_re_chained_is_refused(committed):
    """Its own signature is not verified again, but the commit's, over the changed chain,
    fails; the refusal names the line that was changed."""
    seal_line = next(r["seq"] for r in committed.audit.records() if r["action"] == "seal")
    _rechained(committed, seal_line, lambda r: r["details"].update(note="changed"))
    error = refused(committed, "audit.bad", passphrase=PASSPHRASE)
    assert (error.params["line"], error.params["problem"]) == (seal_line, "bad_signature")


def test_decisions_naming_a_line_that_is_not_the_commit_are_refused(committed):
    """The line the unseal's check starts from must be the commit's record."""
    seal_record = next(r for r in committed.audit.records() if r["action"] == "seal")
    path = committed.root / "decisions.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["_default"]["1"].update(audit_seq=seal_record["seq"], audit_hash=seal_record["hash"])
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    refused(committed, "audit.truncated", passphrase=PASSPHRASE)


def test_a_line_with_no_signature_to_start_from_verifies_every_signature(committed):
    seal_line = next(r["seq"] for r in committed.audit.records() if r["action"] == "seal")
    _rechained(committed, seal_line, lambda r: r["details"].update(note="changed"))
    beyond = len(committed.audit.records()) + 1  # no record there: nothing vouches
    for start in (0, beyond, seal_line + 1):
        result = committed.audit.verify(verified_at=start)
        assert (result.bad_line, result.problem) == (seal_line, "bad_signature"), start


def test_an_edited_log_is_refused_before_a_wrong_passphrase(committed):
    """The log is checked in a second process while the key is derived here: its refusal
    still comes first, whatever the key did."""
    path = committed.root / "audit.jsonl"
    path.write_text(path.read_text(encoding="utf-8").replace('"seal"', '"sea1"', 1),
                    encoding="utf-8")
    refused(committed, "audit.bad", passphrase=PASSPHRASE + "!")


def test_a_vault_with_its_kdf_raised_is_refused_before_any_key_is_derived(committed,
                                                                           monkeypatch):
    """Its parameters are whoever changed it's to choose (Argon2 at its ceiling runs a
    minute with 2 GiB): the vault is compared with what the seal logged first."""
    from review_tui.engine.sealing import vault as vault_module

    derived: list[object] = []
    monkeypatch.setattr(vault_module, "derive_passphrase_key",
                        lambda *args: derived.append(args) or b"x" * 32)
    _rewrite_header(committed.root / VAULT_FILE,
                    lambda h: h["slots"][0]["kdf"].update(memory_kib=2 * 1024 * 1024,
                                                          iterations=64))
    refused(committed, "vault.tampered", passphrase=PASSPHRASE)
    assert derived == []


def test_originals_deleted_at_seal_are_gone_but_unseal_still_works(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE, originals="delete")
    assert not (workspace.root / "originals.bin").exists()
    decide(workspace)
    report = unseal(workspace, passphrase=PASSPHRASE)
    assert report.entries == 3 and report.originals == 0
    with pytest.raises(ReviewError) as error:
        read_original(workspace, next(iter(load_identities(workspace))))
    assert error.value.key == "unseal.no_originals"
