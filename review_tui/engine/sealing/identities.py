"""What an unseal reveals: the tables of ``identities.json``, built from the vault's payload.

The seal builds them, ready to write, into a vault of version 2 (:class:`SealedIdentities`):
the unseal then writes the file as the seal made it, instead of parsing the whole sealed
payload (33 MB at 29,000 entries) to pick a third of it. An unseal of a version-1 vault
builds them from its payload here, the same way, so both give the same file.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.storage import json_codec
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.store import rows_by_id

STORE = "identities"


def identity_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per coded entry: the names and agency the vault kept for it."""
    rows = []
    for entry in payload["entries"]:
        if not entry.get("code"):
            continue
        rows.append({
            "code": entry["code"], "track": entry["track"], "title": entry["title"],
            "agency": entry["agency"], "manifest": entry["manifest"], "row": entry["row"],
            "source_file": entry["source_file"],
            "service_category": entry.get("service_category") or "",
            "will_present": entry.get("will_present"),
            "authors": [{**{k: a[k] for k in ("name", "job_title", "grade", "staff_type")},
                         "phone": a.get("phone", "")} for a in entry["authors"]],
        })
    return sorted(rows, key=lambda r: r["code"])


def rejected_rows(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per entry not accepted (不予受理, no code): where it came from, its writers'
    names, and the rules that refused it (as findings: rule and parameters)."""
    reasons: dict[str, list[dict[str, Any]]] = {}
    for finding in payload.get("findings", []):
        if finding.get("severity") == "reject" and finding.get("entry_id"):
            # in the order the vault's canonical JSON gives them back
            params = json_codec.loads(canonical(finding.get("params", {})))
            reasons.setdefault(finding["entry_id"], []).append(
                {"rule": finding["rule"], "params": params})
    return [{"id": entry["id"], "track": entry.get("track"),
             "track_raw": entry.get("track_raw", ""), "title": entry.get("title", ""),
             "agency": entry.get("agency", ""), "manifest": entry.get("manifest", ""),
             "row": entry.get("row"),
             "authors": [a.get("name", "") for a in entry.get("authors", [])],
             "reasons": reasons.get(entry["id"], [])}
            for entry in payload["entries"] if not entry.get("code")]


def identity_tables(payload: dict[str, Any],
                    originals_key: str | None) -> dict[str, list[dict[str, Any]]]:
    """The tables of ``identities.json``: the coded entries' identities, the entries not
    accepted, the agencies' and persons' pseudonyms, and the originals archive's key (none
    when the originals were not archived)."""
    return {
        "_default": identity_rows(payload), "rejected": rejected_rows(payload),
        "agencies": [{"pseudonym": p, "name": n} for p, n in sorted(payload["agencies"].items())],
        "persons": [{"pseudonym": p, "name": n} for p, n in sorted(payload["persons"].items())],
        "keys": [{"originals": originals_key}] if originals_key is not None else []}


@dataclass(frozen=True)
class SealedIdentities:
    """``identities.json`` as the unseal writes it, with what its record logs: each
    table's hash (of its rows in canonical JSON, as :func:`load_unsealed` checks them) and
    the counts. Sealed in the vault, so it is as authentic as the payload beside it."""

    document: bytes
    tables_sha256: dict[str, str]
    entries: int
    rejected: int

    @classmethod
    def of(cls, tables: dict[str, list[dict[str, Any]]]) -> SealedIdentities:
        """The file and hashes of ``tables`` (TinyDB's layout: ids 1, 2, … per table)."""
        document = {name: rows_by_id(rows) for name, rows in tables.items()}
        return cls(json_codec.compact(document),
                   {name: sha256_hex(canonical(rows)) for name, rows in tables.items()},
                   len(tables["_default"]), len(tables["rejected"]))

    def encode(self) -> bytes:
        """One line of what the record logs, then the file's bytes (compact JSON, which
        holds no raw line break)."""
        head = {"tables_sha256": self.tables_sha256, "entries": self.entries,
                "rejected": self.rejected}
        return canonical(head) + b"\n" + self.document

    @classmethod
    def decode(cls, blob: bytes) -> SealedIdentities:
        """Read back :meth:`encode`'s bytes; ``vault.corrupt`` when they are not that."""
        head_bytes, newline, document = blob.partition(b"\n")
        try:
            head = json_codec.loads(head_bytes) if newline else None
        except json_codec.DecodeError:
            head = None
        hashes = head.get("tables_sha256") if isinstance(head, dict) else None
        if (not isinstance(head, dict) or not isinstance(hashes, dict)
                or not isinstance(hashes.get("_default"), str)
                or not all(isinstance(v, str) for v in hashes.values())
                or not all(isinstance(head.get(k), int) for k in ("entries", "rejected"))
                or not document.startswith(b"{")):
            raise ReviewError("vault.corrupt", reason="identities")
        return cls(document, dict(head["tables_sha256"]), head["entries"], head["rejected"])
