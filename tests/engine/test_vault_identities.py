"""The vault of version 2 carries the unseal's identities ready to write; a vault of
version 1 (sealed before) still unseals to the same tables, built from its payload."""

from __future__ import annotations

import functools
import struct
import zlib
from pathlib import Path

import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.sealing import seal as seal_module
from review_tui.engine.sealing.identities import SealedIdentities, identity_tables
from review_tui.engine.sealing.keys import b64, expand_key
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.unseal import (
    load_unsealed,
    read_original,
    unseal,
)
from review_tui.engine.sealing.vault import VAULT_FILE, VaultContents, read_vault
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import PASSPHRASE, build_committee, decide

WRITERS = {"王小明", "李美華", "張志強"}


def _committee(root: Path, *, version: int, monkeypatch: pytest.MonkeyPatch) -> Workspace:
    """A committed committee whose vault is of ``version`` (1: as the seal wrote it before
    version 2, without the identities part)."""
    workspace = build_committee(root / "ws", root / "intake")
    if version == 1:
        monkeypatch.setattr(seal_module, "write_vault", functools.partial(
            _without_identities, seal_module.write_vault))
    seal(workspace, passphrase=PASSPHRASE)
    monkeypatch.undo()
    decide(workspace)
    return workspace


def _without_identities(write_vault, *args, **kwargs):
    kwargs.pop("identities")
    return write_vault(*args, **kwargs)


def _built_from_payload(workspace: Workspace) -> tuple[VaultContents, SealedIdentities]:
    vault = read_vault(workspace.root / VAULT_FILE)
    key = vault.unlock_with_passphrase(PASSPHRASE)
    contents = vault.open(key)
    return contents, SealedIdentities.of(identity_tables(
        contents.payload(), b64(expand_key(key, "originals"))))


def test_the_sealed_identities_are_the_file_the_payload_gives(tmp_path, monkeypatch):
    workspace = _committee(tmp_path, version=2, monkeypatch=monkeypatch)
    contents, built = _built_from_payload(workspace)
    assert contents.version == 2
    assert SealedIdentities.decode(contents.identities() or b"") == built
    unseal(workspace, passphrase=PASSPHRASE)
    assert (workspace.root / "identities.json").read_bytes() == built.document
    details = workspace.audit.records()[-1]["details"]
    assert details["tables_sha256"] == built.tables_sha256
    assert (details["entries"], details["rejected"]) == (3, 1)
    unsealed = load_unsealed(workspace)  # checked against the record's hashes
    assert {a["name"] for r in unsealed.identities.values() for a in r["authors"]} == WRITERS
    assert unsealed.rejected[0]["authors"] == ["陳大文"]


def test_a_vault_of_version_1_still_unseals(tmp_path, monkeypatch):
    workspace = _committee(tmp_path, version=1, monkeypatch=monkeypatch)
    contents, built = _built_from_payload(workspace)
    assert contents.version == 1 and contents.identities() is None
    report = unseal(workspace, passphrase=PASSPHRASE)
    assert (report.entries, report.originals) == (3, 4)
    assert (workspace.root / "identities.json").read_bytes() == built.document
    assert workspace.audit.records()[-1]["details"]["tables_sha256"] == built.tables_sha256
    unsealed = load_unsealed(workspace)
    assert {a["name"] for r in unsealed.identities.values() for a in r["authors"]} == WRITERS
    code = next(iter(unsealed.identities))
    assert read_original(workspace, code)[1]  # the archive's key is in the file as before


@pytest.mark.parametrize("plaintext", [
    b"\x00\x00",  # shorter than the length of its first part
    struct.pack(">I", 99) + b"short",  # a first part longer than the whole
    struct.pack(">I", 3) + b"abc" + zlib.compress(b"{}"),  # not zlib
    struct.pack(">I", 10) + zlib.compress(b"no head")[:10] + zlib.compress(b"{}"),
])
def test_an_unreadable_identities_part_is_named_corrupt(plaintext):
    with pytest.raises(ReviewError) as error:
        SealedIdentities.decode(VaultContents(2, plaintext).identities() or b"")
    assert error.value.key == "vault.corrupt"


@pytest.mark.parametrize("blob", [b"", b"no line break", b"[]\n{}", b"{\"entries\": 1}\n{}",
                                  b'{"entries":1,"rejected":0,"tables_sha256":{}}\n{}',
                                  b'{"entries":1,"rejected":0,"tables_sha256":{"_default":1}}'
                                  b'\n{}',
                                  b'{"entries":1,"rejected":0,"tables_sha256":{"_default":"a"}}'
                                  b'\nnot json'])
def test_identities_that_are_not_what_the_seal_encodes_are_named_corrupt(blob):
    with pytest.raises(ReviewError) as error:
        SealedIdentities.decode(blob)
    assert error.value.key == "vault.corrupt"
