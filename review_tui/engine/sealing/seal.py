"""Seal the committee: identities into the vault, blinded entries into the store.

After :func:`seal` the store holds, per accepted entry, only its random code, track,
redacted title and text (in ``texts.pack``), keyed pseudonyms (recommending agency ``A07``,
writers ``P012`` in manifest order) and which reviewers must not see it (conflicts are
fixed here, from the identities, because nobody can compute them afterwards). Everything
else — agencies, names, job titles, phones, file names, manifest rows, intake findings, the
submitted files — is in ``vault.bin`` and ``originals.bin`` (or deleted, as the secretariat
chooses) and removed from the clear.

Order of writes, so a crash never loses identities: share files, vault and archive first;
then the redacted texts; then the store in one atomic write (the commit point); then the
pipeline step and the removal of plaintext files, which :func:`seal` finishes on the next run
if a crash interrupted it.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from review_tui.engine.config import parse_config, read_settings
from review_tui.engine.decisions.frozen_rules import freeze_rules, frozen_row, rules_digest
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.imports import STORE as ENTRIES
from review_tui.engine.intake.imports import EntryFiles, check, manifest_location
from review_tui.engine.intake.roster import Roster, conflict_names, load_reviewers, seal_conflicts
from review_tui.engine.intake.typed_values import normalise
from review_tui.engine.model import ACCEPTED, Entry, Progress
from review_tui.engine.pipeline import mark_step, stage
from review_tui.engine.sealing.identities import SealedIdentities, identity_tables
from review_tui.engine.sealing.keys import (
    ShareSet,
    b64,
    check_passphrase,
    expand_key,
    split_new_key,
)
from review_tui.engine.sealing.pseudonyms import (
    keyed_pseudonyms,
    new_codes,
    new_pseudonym_key,
    person_identity,
)
from review_tui.engine.sealing.redact import Redactor
from review_tui.engine.sealing.sealed import seal_record
from review_tui.engine.sealing.vault import (
    ORIGINALS_FILE,
    VAULT_FILE,
    new_data_key,
    stretch_passphrase,
    write_archive,
    write_vault,
)
from review_tui.engine.storage.atomic import write_bytes_atomic
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.gc_pause import bulk_step
from review_tui.engine.storage.journal import current_step, transaction
from review_tui.engine.storage.textpack import PACK_FILE, write_pack
from review_tui.engine.workspace import Workspace, refuse_inside_workspace

ORIGINALS_CHOICES = ("archive", "delete")
SHARE_FILE = "share-{index}-of-{count}.txt"
CLEANUP_FILE = ".seal-cleanup.json"


@dataclass
class SealReport:
    """What the seal did; ``outside`` lists folders of source files outside the workspace."""

    sealed: int
    rejected: int
    redactions: int
    methods: list[str]
    share_files: list[str] = field(default_factory=list)
    originals: str = "archive"
    outside: list[str] = field(default_factory=list)
    resumed: bool = False


@bulk_step
@transaction("seal")
def seal(workspace: Workspace, *, passphrase: str | None = None,
         shares: tuple[int, int] | None = None, share_dir: Path | None = None,
         originals: str = "archive", progress: Progress | None = None) -> SealReport:
    """Seal identities; ``shares`` is (count, threshold). See the module docstring."""
    intake = workspace.store.tables(ENTRIES, "_default", "imports", "seal")  # one read
    if intake["seal"]:
        if stage(workspace) != "intake":
            raise ReviewError("seal.already")
        report = _finish(workspace, seal_record(workspace))
        report.resumed = True
        return report
    # The rules are read afresh and frozen as read: the seal works under exactly the text
    # it keeps, even if the file was edited while an app held an older reading.
    rules_text, rules_data = read_settings(workspace.config_path)
    committee = workspace.__dict__["config"] = parse_config(rules_data)
    if originals not in ORIGINALS_CHOICES:
        raise ReviewError("seal.bad_originals", value=originals)
    if passphrase is None and shares is None:
        raise ReviewError("seal.no_key_method")
    if passphrase is not None:
        passphrase = check_passphrase(passphrase)
    share_set = _prepare_shares(workspace, shares, share_dir)
    with ThreadPoolExecutor(1) as kdf_thread:  # the KDF runs beside the blinding
        stretched = (kdf_thread.submit(stretch_passphrase, passphrase)
                     if passphrase is not None else None)
        entries: list[Entry] = intake["_default"]  # type: ignore[assignment]
        evaluation = check(workspace, entries, intake["imports"])
        accepted = [e for e in entries if evaluation.status.get(e["id"]) == ACCEPTED]
        if not accepted:
            raise ReviewError("seal.nothing")
        reviewers = load_reviewers(workspace)
        if not reviewers:
            raise ReviewError("seal.no_reviewers")
        roster = Roster.load(workspace)

        blinded, identity = _blind(workspace, accepted, roster, reviewers, progress)
        passphrase_key = stretched.result() if stretched is not None else None
    sealed_at = datetime.now(UTC).isoformat(timespec="seconds")
    payload = {
        "committee": committee.id, "sealed_at": sealed_at, **identity,
        "entries": [dict(e, code=identity["codes"].get(e["id"])) for e in entries],
        "imports": intake["imports"],
        "findings": [f.as_dict() for f in evaluation.findings],
    }
    written_shares = _write_share_files(committee.name, committee.id, share_set, share_dir)
    data_key = new_data_key()
    # What the unseal will write, made now from the same payload: the unseal then writes
    # it as it is (0.7 s of a 1.7 s unseal at 29,000 entries went to parsing the payload
    # and building these tables, in the meeting, with the committee waiting).
    revealed = SealedIdentities.of(identity_tables(
        payload, b64(expand_key(data_key, "originals")) if originals == "archive" else None))
    vault = write_vault(workspace.root / VAULT_FILE, payload, committee_id=committee.id,
                        passphrase=passphrase_key, shares=share_set, data_key=data_key,
                        identities=revealed.encode())
    archive_sha, archive_count = None, 0
    if originals == "archive":
        archive_count, archive_sha = write_archive(
            workspace.root / ORIGINALS_FILE, vault.data_key, committee.id,
            _originals(workspace, entries, identity["codes"]))
    places = write_pack(workspace.root / PACK_FILE, (r.pop("_text") for r in blinded))
    for record, place in zip(blinded, places, strict=True):
        record["text_at"] = place
    per_track = Counter(str(e.get("track")) for e in entries
                        if evaluation.status.get(e["id"]) != ACCEPTED)
    record = {
        "sealed_at": sealed_at, "methods": _methods(passphrase, share_set),
        "threshold": share_set.threshold if share_set else None,
        "shares": len(share_set.mnemonics) if share_set else None,
        "originals": originals, "entries": len(blinded), "rejected": dict(per_track),
        "manifests": len({e["manifest_path"] for e in entries}),
        "redactions": sum(r["redactions"] for r in blinded),
        # How many findings of each severity (the findings themselves are in the vault).
        "finding_counts": dict(Counter(f.severity for f in evaluation.findings)),
        "vault_header_sha256": vault.header_sha256, "vault_sha256": vault.file_sha256,
        "originals_sha256": archive_sha, "originals_count": archive_count,
        "entries_sha256": sha256_hex(canonical(blinded)),
        "rules_sha256": rules_digest(rules_data), "rules_toml": rules_text,
    }
    if any(r.get("conflicts_with") for r in reviewers):
        seal_conflicts(workspace, reviewers)  # the names they list are not left in the clear
    with workspace.store.write(ENTRIES, fresh=True) as db:
        db.replace_all("_default", blinded)
        db.replace_all("imports", [])
        db.replace_all("seal", [record])
    # File names may carry names too: the step's journal lists what to remove only until
    # it is removed, together with the store, vault and log (see :mod:`..storage.journal`).
    report = _finish(workspace, record, _plaintext_paths(workspace, entries))
    report.share_files = [str(p) for p in written_shares]
    report.outside = sorted({str(m.parent) for m in _manifests(workspace, entries)
                             if not _inside(workspace, m)})
    return report


def _methods(passphrase: str | None, share_set: ShareSet | None) -> list[str]:
    return (["passphrase"] if passphrase is not None else []) + (["shares"] if share_set else [])


def _prepare_shares(workspace: Workspace, shares: tuple[int, int] | None,
                    share_dir: Path | None) -> ShareSet | None:
    if shares is None:
        return None
    if share_dir is None:
        raise ReviewError("seal.share_dir_missing")
    refuse_inside_workspace(workspace, share_dir, "share-dir")
    count, threshold = shares
    share_set = split_new_key(threshold, count)
    existing = [SHARE_FILE.format(index=i, count=count) for i in range(1, count + 1)
                if (Path(share_dir) / SHARE_FILE.format(index=i, count=count)).exists()]
    if existing:
        raise ReviewError("seal.share_files_exist", path=str(share_dir), files=", ".join(existing))
    return share_set


def _write_share_files(name: str, committee_id: str, share_set: ShareSet | None,
                       share_dir: Path | None) -> list[Path]:
    if share_set is None or share_dir is None:
        return []
    count, paths = len(share_set.mnemonics), []
    for index, mnemonic in enumerate(share_set.mnemonics, start=1):
        words = mnemonic.split()
        lines = [" ".join(words[i:i + 5]) for i in range(0, len(words), 5)]
        text = "\n".join([
            f"# review-tui 委員會金鑰分持 committee key share {index} of {count} "
            f"(任 {share_set.threshold} 份可拆封 any {share_set.threshold} unseal)",
            f"# {name} ({committee_id})",
            "# 請抄寫或列印後妥善保管，勿與其他分持放在一起。Keep apart from the other shares.",
            *lines, ""])
        path = Path(share_dir) / SHARE_FILE.format(index=index, count=count)
        write_bytes_atomic(path, text.encode("utf-8"))
        paths.append(path)
    return paths


def _blind(workspace: Workspace, accepted: list[Entry], roster: Roster,
           reviewers: list[dict[str, str]], progress: Progress | None,
           ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Codes, pseudonyms, conflicts and redacted texts of the accepted entries."""
    committee = workspace.config
    codes = dict(zip((e["id"] for e in accepted),
                     new_codes(committee.track(str(e["track"])).code_prefix for e in accepted),
                     strict=True))
    key = new_pseudonym_key()
    top = {e["id"]: roster.top_level(e["agency"]) for e in accepted}
    agencies = keyed_pseudonyms(key, "agency", top.values(), "A", 2)
    person_of = {(e["id"], i): person_identity(a["name"], top[e["id"]])
                 for e in accepted for i, a in enumerate(e["authors"])}
    persons = keyed_pseudonyms(key, "person", person_of.values(), "P", 3)
    reviewer_top = {r["id"]: roster.top_level(r["agency"]) for r in reviewers if r["agency"]}
    named = {r["id"]: set(conflict_names(r)) for r in reviewers if r.get("conflicts_with")}
    blinded = []
    files = EntryFiles(workspace)  # closed below, after the loop
    for done, entry in enumerate(sorted(accepted, key=lambda e: codes[e["id"]]), start=1):
        redactor = Redactor.for_entry([a["name"] for a in entry["authors"]],
                                      [a["job_title"] for a in entry["authors"]],
                                      roster.lineage(entry["agency"]))
        text, count = redactor.document(_read_text(files, entry))
        title, title_count = redactor.text(entry["title"])
        code = codes[entry["id"]]
        blinded.append({
            "code": code, "track": entry["track"], "title": title,
            "char_count": entry["facts"].get("char_count", 0),
            "agency": agencies[top[entry["id"]]],
            "authors": [persons[person_of[(entry["id"], i)]]
                        for i in range(len(entry["authors"]))],
            "excluded_reviewers": sorted(
                {r for r, t in reviewer_top.items() if t == top[entry["id"]]}
                | _named_conflicts(named, entry, roster)),
            "redactions": count + title_count, "_text": text,
        })
        if committee.track(str(entry["track"])).group_by:  # a group is no identity: in the clear
            blinded[-1]["group"] = roster.group_of(entry["agency"])
        if progress:
            progress("seal", done, len(accepted))
    files.close()
    identity = {
        "pseudonym_key": b64(key), "codes": codes,
        "agencies": {p: name for name, p in agencies.items()},
        "persons": {p: ident.split("\0")[0] for ident, p in persons.items()},
    }
    return blinded, identity


def _named_conflicts(named: dict[str, set[str]], entry: Entry, roster: Roster) -> set[str]:
    """Reviewers whose roster names one of the entry's writers or one of its agencies
    (the agency itself or any above it) among those they must not review."""
    if not named:
        return set()
    names = {normalise(a["name"]) for a in entry["authors"]}
    names.update(normalise(agency) for agency in roster.lineage(entry["agency"]))
    return {reviewer for reviewer, conflicts in named.items() if conflicts & names}


def _read_text(files: EntryFiles, entry: Entry) -> str:
    try:
        data = files.read(entry, "text")
        return data.decode("utf-8") if data is not None else ""
    except (OSError, UnicodeDecodeError) as exc:
        raise ReviewError("seal.text_missing", entry=entry["id"]) from exc


def _originals(workspace: Workspace, entries: list[Entry],
               codes: dict[str, str]) -> Iterator[tuple[dict[str, Any], bytes]]:
    """Archive items in code order (then uncoded entries), so order says nothing of import."""
    ordered = sorted(entries, key=lambda e: (e["id"] not in codes, codes.get(e["id"], ""),
                                             e["id"]))
    present = {name for name in {e.get("stored_file") for e in entries} if name
               and (workspace.root / name).exists()}
    with EntryFiles(workspace) as files:
        for entry in ordered:
            stored = entry.get("stored_file")
            if stored in present:
                meta = {"entry": entry["id"], "code": codes.get(entry["id"]),
                        "file": entry.get("source_file"),
                        "suffix": entry.get("stored_suffix") or Path(stored).suffix}
                data = files.read(entry, "original")
                if data is not None:
                    yield meta, data
                for index, (photo, picture) in enumerate(files.photos(entry), start=1):
                    yield {"entry": entry["id"], "code": codes.get(entry["id"]),
                           "photo": index, "file": photo["file"],
                           "suffix": photo["suffix"]}, picture
    for manifest in _manifests(workspace, entries):
        if _inside(workspace, manifest) and manifest.exists():
            yield {"manifest": manifest.name}, manifest.read_bytes()


def _manifests(workspace: Workspace, entries: list[Entry]) -> set[Path]:
    """The manifest files the entries came from (each location resolved once, not per entry)."""
    return {manifest_location(workspace, stored) for stored in
            {entry["manifest_path"] for entry in entries}}


def _inside(workspace: Workspace, path: Path) -> bool:
    root = workspace.root.resolve()
    return root in path.resolve().parents


def _plaintext_paths(workspace: Workspace, entries: list[Entry]) -> list[str]:
    """Workspace-relative files and folders that hold identities in the clear.

    A manifest inside the workspace is stored by relative path (see ``stored_path``), and
    intake only reads entry files inside their manifest's folder, so relative paths are
    exactly the ones to remove; nothing needs resolving per entry.
    """
    paths = {"submissions"}
    paths |= {str(e["text_file"]) for e in entries if e.get("text_file")}
    for entry in entries:
        manifest = Path(entry["manifest_path"])
        if not manifest.is_absolute():
            paths.add(manifest.as_posix())
            if entry.get("source_file"):
                source = manifest.parent / str(entry["source_file"]).replace("\\", "/")
                paths.add(source.as_posix())
    return sorted(paths)


def _finish(workspace: Workspace, record: dict[str, Any],
            plaintext: list[str] | None = None) -> SealReport:
    """Remove the plaintext, freeze the rules, log and mark the seal, in the seal's step.

    Also finishes a seal an older version left half-done (its list of files to remove
    was kept in :data:`CLEANUP_FILE`).
    """
    active = current_step(workspace.root)
    assert active is not None
    cleanup = workspace.root / CLEANUP_FILE
    if plaintext is None:
        plaintext = (json.loads(cleanup.read_text(encoding="utf-8")) if cleanup.exists()
                     else [])
    if cleanup.exists():
        active.will_remove(cleanup)
    for relative in plaintext:
        active.will_remove(workspace.root / relative)
    for folder in _emptied_folders(plaintext):
        active.will_prune(workspace.root / folder)
    if "rules_toml" in record and frozen_row(workspace.store) is None:
        freeze_rules(workspace.store, record["rules_toml"], since="seal")
    logged = next((r for r in workspace.audit.records() if r.get("action") == "seal"), None)
    if logged is None:
        logged = workspace.audit.append("seal", {k: record.get(k) for k in (
            "methods", "threshold", "shares", "originals", "entries", "rejected", "redactions",
            "vault_header_sha256", "vault_sha256", "originals_sha256", "originals_count",
            "entries_sha256", "rules_sha256")})
    mark_step(workspace, "sealed", logged)
    return SealReport(sealed=record["entries"], rejected=sum(record["rejected"].values()),
                      redactions=record["redactions"], methods=record["methods"],
                      originals=record["originals"])


def _emptied_folders(relatives: list[str]) -> list[str]:
    """The folders of the plaintext files, deepest first (removed only if left empty)."""
    folders: set[str] = set()
    for relative in relatives:
        folder = os.path.dirname(relative)
        while folder and folder not in folders:
            folders.add(folder)
            folder = os.path.dirname(folder)
    return sorted(folders, key=lambda f: f.count("/"), reverse=True)
