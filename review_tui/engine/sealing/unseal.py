"""Unseal: reveal who wrote what, after the decisions are frozen, changing none of them.

Everything is checked before anything is written: the audit chain and its anchors, the
frozen decisions' hash, the vault file against the hashes the seal logged, the key. Any
failure leaves every file of the workspace as it was. On success the identities go into
``identities.json`` (names next to codes, for the exports and the chair's screen), with the
key of the originals archive: after unseal the originals are no secret, and leaving them in
the archive spares writing thousands of files; :func:`read_archived` reads them back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_tui.engine.decisions.commit import verify_commit
from review_tui.engine.errors import AuditError, ReviewError
from review_tui.engine.pipeline import (
    completed_steps,
    mark_step,
    sound_record,
    step_anchor,
)
from review_tui.engine.sealing.identities import STORE, SealedIdentities, identity_tables
from review_tui.engine.sealing.keys import b64, expand_key, unb64
from review_tui.engine.sealing.sealed import seal_record
from review_tui.engine.sealing.vault import (
    ORIGINALS_FILE,
    VAULT_FILE,
    SealedVault,
    VaultContents,
    read_archive,
    read_vault,
)
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import staged_write, transaction
from review_tui.engine.storage.side_process import computed_beside
from review_tui.engine.workspace import Workspace


@dataclass(frozen=True)
class UnsealReport:
    method: str
    entries: int
    originals: int


def require_unsealable(workspace: Workspace) -> None:
    """Refuse an unseal no key could make: done already, or before the commit (asked before
    anyone types a passphrase)."""
    done = completed_steps(workspace)
    if "unsealed" in done:
        raise ReviewError("unseal.already")
    if "committed" not in done:
        raise ReviewError("pipeline.needs", step="unseal", needed="commit")


@bulk_step
@transaction("unseal")
def unseal(workspace: Workspace, *, passphrase: str | None = None,
           share_files: list[Path] | None = None) -> UnsealReport:
    """Reveal the identities with the chair's passphrase or k share files."""
    committee = workspace.config
    require_unsealable(workspace)
    if (passphrase is None) == (not share_files):
        raise ReviewError("unseal.one_method")
    method = "passphrase" if passphrase is not None else "shares"
    if passphrase is not None and not passphrase.strip():  # no key is tried for nothing
        raise ReviewError("unseal.passphrase_empty")
    # The log, its anchors and the frozen decisions are checked in a second process while
    # this one derives the key, decrypts and hashes the originals archive (one after the
    # other, a 20,000-entry unseal took 2.1 s; side by side, 1.8 s). Nothing is trusted or
    # written until every check has held.
    with computed_beside(lambda: _logged_seal(workspace, verify_commit(workspace))) as checked:
        vault: SealedVault | None = None
        archive_refusal: ReviewError | None = None
        archive_checked_for: dict[str, Any] | None = None  # the seal record it was checked by
        try:
            vault = read_vault(workspace.root / VAULT_FILE)
            # Before any key is tried, as before: a changed vault names its own KDF
            # parameters (Argon2 at its ceiling runs a minute with 2 GiB). Compared with
            # the log as read; the second process's check of the log is the one that counts.
            as_read = _logged_seal(workspace, workspace.audit.records())
            _require_logged_vault(vault, as_read, committee.id)
            if passphrase is not None:
                data_key = vault.unlock_with_passphrase(passphrase)
            else:
                data_key = vault.unlock_with_shares(
                    [(str(path), read_share_file(path)) for path in share_files or []])
            contents = vault.open(data_key)
            archive_refusal = _archive_refusal(workspace, as_read)  # while the log is checked
            archive_checked_for = as_read
        finally:  # refused in the order checked before: the log, the vault, the archive
            sealed = checked()
            if vault is not None:  # else what reading it raised goes on, as before
                _require_logged_vault(vault, sealed, committee.id)
                if archive_checked_for != sealed:  # not checked against the verified record
                    archive_refusal = _archive_refusal(workspace, sealed)
                if archive_refusal is not None:
                    raise archive_refusal
    revealed = _revealed(contents, data_key, archive=sealed["originals"] == "archive")
    with staged_write(workspace.store.path(STORE)) as handle:  # nothing was written before
        handle.write(revealed.document)
    record = workspace.audit.append("unseal", {
        "method": method, "shares_used": len(share_files or []), "entries": revealed.entries,
        "rejected": revealed.rejected, "identities_sha256": revealed.tables_sha256["_default"],
        "tables_sha256": revealed.tables_sha256})
    mark_step(workspace, "unsealed", record)
    return UnsealReport(method, revealed.entries,
                        sealed.get("originals_count", 0) if sealed["originals"] == "archive"
                        else 0)


def _revealed(contents: VaultContents, data_key: bytes, *, archive: bool) -> SealedIdentities:
    """``identities.json`` and what its record logs: as the seal made it (a vault of
    version 2), else built from the payload (version 1)."""
    sealed = contents.identities()
    if sealed is not None:
        return SealedIdentities.decode(sealed)
    originals_key = b64(expand_key(data_key, "originals")) if archive else None
    return SealedIdentities.of(identity_tables(contents.payload(), originals_key))


def _archive_refusal(workspace: Workspace, sealed: dict[str, Any]) -> ReviewError | None:
    """Why the originals archive is refused (changed since the seal ``sealed`` logged it),
    if it is; None when it holds or the originals were not archived."""
    if sealed["originals"] != "archive":
        return None
    try:
        check_archive(workspace, sealed)
    except ReviewError as refusal:
        return refusal
    return None


def _require_logged_vault(vault: SealedVault, sealed: dict[str, Any], committee: str) -> None:
    """The vault file must be the one the seal logged, of this committee."""
    if vault.header_sha256 != sealed["vault_header_sha256"]:
        raise ReviewError("vault.tampered", part="header")
    if vault.file_sha256 != sealed["vault_sha256"]:
        raise ReviewError("vault.tampered", part="ciphertext")
    if vault.committee != committee:
        raise ReviewError("vault.foreign", vault=vault.committee, committee=committee)


def _logged_seal(workspace: Workspace, records: list[dict[str, Any]]) -> dict[str, Any]:
    """What the seal logged (the vault's hashes) from the verified audit log, which spares
    parsing the whole entries file; a log from before the count was logged falls back."""
    logged = next((r["details"] for r in records if r.get("action") == "seal"), None)
    if logged is None or "originals_count" not in logged:
        return seal_record(workspace)
    return dict(logged)


def agency_names(workspace: Workspace) -> dict[str, str]:
    """Agency pseudonym (A01 …) → the agency's name, after unseal; nothing before."""
    return load_unsealed(workspace).agencies


@dataclass(frozen=True)
class Unsealed:
    """What the unseal wrote, read at once (one parse of a file that is 8 MB at 20,000
    entries; the export read it four times): code → identity row, person pseudonym →
    name, agency pseudonym → name, and the rows of the entries not accepted (as
    :func:`.identities.rejected_rows` kept them)."""

    identities: dict[str, dict[str, Any]]
    persons: dict[str, str]
    agencies: dict[str, str]
    rejected: list[dict[str, Any]]


@bulk_step  # 20,000 identities, read while a screen holds its ranking
def load_unsealed(workspace: Workspace) -> Unsealed:
    """The unseal's tables; all empty before the unseal."""
    if "unsealed" not in completed_steps(workspace):
        return Unsealed({}, {}, {}, [])
    tables = workspace.store.tables(STORE, "_default", "persons", "agencies", "rejected")
    _require_logged_tables(workspace, tables)
    return Unsealed({r["code"]: r for r in tables["_default"]},
                    {r["pseudonym"]: r["name"] for r in tables["persons"]},
                    {r["pseudonym"]: r["name"] for r in tables["agencies"]},
                    tables["rejected"])


def _require_logged_tables(workspace: Workspace, tables: dict[str, list[Any]]) -> None:
    """The unseal's tables as read must be those whose hashes its record in a sound log
    holds (an unseal logged before every table's hash was: its identities), else the
    file is named and nothing in it is used: a name changed in it would reach the award
    documents."""
    record = sound_record(workspace, step_anchor(workspace, "unsealed"))
    if record is None or record.get("action") != "unseal":
        raise AuditError("audit.truncated", step="unsealed")
    details = record.get("details")
    details = details if isinstance(details, dict) else {}
    logged = details.get("tables_sha256")
    if isinstance(logged, dict):
        names = list(tables)
    else:  # an unseal logged before each table's hash was: its identities only
        logged, names = {"_default": details.get("identities_sha256")}, ["_default"]
    if any(sha256_hex(canonical(tables[name])) != logged.get(name) for name in names):
        raise ReviewError("unseal.identities_changed", path=str(workspace.store.path(STORE)))


def load_identities(workspace: Workspace) -> dict[str, dict[str, Any]]:
    """Code → identity row, after unseal (refused before)."""
    if "unsealed" not in completed_steps(workspace):
        raise ReviewError("pipeline.needs", step="identities", needed="unseal")
    return load_unsealed(workspace).identities


@dataclass(frozen=True)
class Archived:
    """An entry's files as the seal archived them: the submitted file and its photos
    (suffix, bytes) in the manifest's order."""

    suffix: str
    data: bytes
    photos: tuple[tuple[str, bytes], ...] = ()


def read_archived(workspace: Workspace, codes: set[str]) -> dict[str, Archived]:
    """The submitted file and photos of each entry of ``codes``, after unseal, the archive
    checked and read once. ReviewError ``unseal.no_originals`` when the originals were not
    archived, ``unseal.no_original`` naming an entry the archive does not hold."""
    rows = workspace.store.table_rows(STORE, "keys")
    if not rows:
        raise ReviewError("unseal.no_originals")
    if not codes:
        return {}
    path = check_archive(workspace, seal_record(workspace))
    aead_key = unb64(rows[0]["originals"], "originals key")
    files: dict[str, tuple[str, bytes]] = {}
    photos: dict[str, list[tuple[int, str, bytes]]] = {}
    for meta, data in read_archive(path, aead_key, derived=True):
        code = meta.get("code")
        if code not in codes:
            continue
        suffix = str(meta.get("suffix", ""))
        if "photo" in meta:
            photos.setdefault(code, []).append((int(meta["photo"]), suffix, data))
        else:
            files[code] = (suffix, data)
    missing = sorted(codes - set(files))
    if missing:
        raise ReviewError("unseal.no_original", code=missing[0])
    return {code: Archived(suffix, data, tuple((s, d) for _, s, d in
                                               sorted(photos.get(code, []))))
            for code, (suffix, data) in files.items()}


def read_original(workspace: Workspace, code: str) -> tuple[str, bytes]:
    """The submitted file of entry ``code`` (suffix, bytes), after unseal."""
    archived = read_archived(workspace, {code})[code]
    return archived.suffix, archived.data


def check_archive(workspace: Workspace, sealed: dict[str, Any]) -> Path:
    """The originals archive, refused (naming it) when missing, cut short or altered since
    the seal: its SHA-256 must be the one the seal recorded. Each record is also
    authenticated on its own when read (AES-GCM, its index bound)."""
    path = workspace.root / ORIGINALS_FILE
    if not path.is_file():
        raise ReviewError("archive.missing", path=str(path))
    if _file_sha256(path) != sealed.get("originals_sha256"):
        raise ReviewError("archive.tampered", path=str(path))
    return path


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_share_file(path: Path) -> str:
    """The words of a share file, comments and line breaks dropped."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ReviewError("unseal.share_unreadable", share=str(path),
                          reason=exc.strerror or "") from exc
    except UnicodeDecodeError as exc:
        raise ReviewError("unseal.share_invalid", share=str(path), reason="not UTF-8") from exc
    return " ".join(line.strip() for line in text.splitlines()
                    if line.strip() and not line.lstrip().startswith("#"))
