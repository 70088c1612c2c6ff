"""The floor of each CLI step, run as a process like the step: the least work that produces
the same output, in plain Python on the same files (parsed and written with orjson, the
fastest JSON the project ships), independent of the code under test (but the KDF, whose
parameters are the committee's, and the log's signature format).

The tally's and the commit's output is more than a ranking: the tally prints it and
records its hash, counting no sheet changed since its submission; the commit freezes it
only on a verified log. Their floors do that much (since 2026-12-02: before, the tally's
floor only sorted the means, printing and recording nothing, and the commit's verified
nothing), and no more: no tie ladder, no selection, no words.

Every step is run by a role whose credential it checks first (a wrong one is refused),
which only the committee's KDF can do, and every step but the check ends in an audit
record signed with the Ed25519 key that credential derives: given the role's
``--credential-file``, as the step is, each floor derives the key, and signs and writes one
line where the step writes a record (:func:`signed_in`).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import os
import struct
import sys
import zlib
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import orjson


def _write(path: Path, data: bytes) -> None:
    temp = path.with_name(path.name + ".tmp")
    with open(temp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, path)


def _json(path: Path) -> Any:
    return orjson.loads(path.read_bytes())


def floor_import(workspace: Path, out: Path, source: Path) -> None:
    records = []
    with open(source, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        text = (source.parent / row[3]).read_bytes().decode("utf-8")
        records.append({"title": row[2], "agency": row[1], "author": row[4],
                        "chars": len("".join(text.split()))})
    _write(out / "entries.json", orjson.dumps(records))


def floor_check(workspace: Path, out: Path, source: Path | None) -> None:
    data = _json(workspace / "entries.json")
    sum(len(str(record)) for table in data.values() for record in table.values())


def _kdf_key(workspace: Path) -> bytes:
    from review_tui.engine.sealing.keys import derive_passphrase_key, new_kdf_params

    return derive_passphrase_key("correct horse battery staple 2026", new_kdf_params())


def floor_seal(workspace: Path, out: Path, source: Path | None) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = _kdf_key(workspace)
    sealed = AESGCM(key).encrypt(os.urandom(12), (workspace / "entries.json").read_bytes(), b"")
    _write(out / "vault.bin", sealed)
    for name in ("texts.pack", "originals.bin"):
        size = (source / name).stat().st_size if source is not None else 0
        _write(out / name, os.urandom(16) * (size // 16))


def floor_deal(workspace: Path, out: Path, source: Path | None) -> None:
    entries = _json(workspace / "entries.json")["_default"]
    reviewers = [r["id"] for r in _json(workspace / "roster.json").get("reviewers", {}).values()]
    queues: dict[str, list[str]] = {r: [] for r in reviewers}
    turn = 0
    for entry in entries.values():
        for _ in range(3):
            queues[reviewers[turn % len(reviewers)]].append(entry.get("code", ""))
            turn += 1
    _write(out / "deal.json", orjson.dumps(queues))


def floor_scores(workspace: Path, out: Path, source: Path) -> None:
    for sheet in sorted(source.glob("*.csv")):
        with open(sheet, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
        head = rows[0]
        table = {str(i): {"code": row[1], "scores": {c: v for c, v in zip(head[2:-1], row[2:-1],
                                                                         strict=True)
                                                      if v not in ("", "-")},
                          "comment": row[-1]} for i, row in enumerate(rows[1:], start=1)}
        _write(out / f"{sheet.stem}.json", orjson.dumps({"_default": table}))


def _logged_sheets(workspace: Path) -> dict[str, str]:
    """Reviewer → the hash its sheet's submission logged: each line of the log parsed."""
    with open(workspace / "audit.jsonl", "rb") as handle:
        return _sheet_hashes(orjson.loads(line) for line in handle)


def _sheet_hashes(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    return {record["details"]["reviewer"]: record["details"]["sheet_sha256"]
            for record in records if record.get("action") == "sheet.submit"}


def _tally(workspace: Path, logged: dict[str, str] | None = None
           ) -> dict[str, list[tuple[Fraction, str]]]:
    """Track → (mean, code) best first: each entry's track from the sealed entries, each
    sheet's bytes hashed and its hash as ``logged`` (read from the log if not given) looked
    up (the tally counts no sheet changed since its submission), each review's total, each
    entry's mean."""
    track_of = {entry["code"]: entry["track"]
                for entry in _json(workspace / "entries.json")["_default"].values()}
    logged = _logged_sheets(workspace) if logged is None else logged
    totals: dict[str, list[int]] = {}
    for path in (workspace / "scores").glob("*.json"):
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() == logged.get(path.stem):
            pass  # the check's cost, not its verdict: a floor's hash is of other bytes
        for row in orjson.loads(raw).get("_default", {}).values():
            totals.setdefault(row["code"], []).append(
                sum(int(tenths_of(v)) for v in row["scores"].values()))
    ranked: dict[str, list[tuple[Fraction, str]]] = {}
    for code, given in totals.items():
        ranked.setdefault(track_of[code], []).append((Fraction(sum(given), len(given)), code))
    for entries in ranked.values():
        entries.sort(reverse=True)
    return ranked


def tenths_of(value: str) -> int:  # "12.5" → 125, without Decimal
    whole, _, tenth = value.partition(".")
    return int(whole) * 10 + int(tenth or 0)


def _decisions(ranked: dict[str, list[tuple[Fraction, str]]]) -> tuple[dict[str, Any], str]:
    """The ranking as a document, and the SHA-256 of its canonical JSON (what is logged)."""
    document = {"tracks": {
        track: [{"code": code, "mean": f"{float(mean) / 10:.2f}", "rank": rank}
                for rank, (mean, code) in enumerate(entries, start=1)]
        for track, entries in ranked.items()}}
    canonical = orjson.dumps(document, option=orjson.OPT_SORT_KEYS)
    return document, hashlib.sha256(canonical).hexdigest()


def floor_tally(workspace: Path, out: Path, source: Path | None) -> None:
    """The ranking printed (a line an entry), its hash written where a tally records it."""
    ranked = _tally(workspace)
    _, digest = _decisions(ranked)
    sys.stdout.write("\n".join(f"{rank:3d} {code}  {float(mean) / 10:6.2f}"
                               for entries in ranked.values()
                               for rank, (mean, code) in enumerate(entries, start=1)) + "\n")
    _write(out / "tally.json", orjson.dumps({"last": {"1": {"sha256": digest}}}))


def _verified_log(workspace: Path) -> tuple[str, list[dict[str, Any]]]:
    """The log checked as a commit must before it freezes anything: each line parsed, its
    hash recomputed and chained to the line before, and every signature verified with its
    role's key (from the ``roles.set`` lines), on both processors. Returns its head and
    its records."""
    from concurrent.futures import ThreadPoolExecutor

    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from review_tui.engine.access.credentials import SIGNATURE_CONTEXT  # the format

    keys: dict[str, Ed25519PublicKey] = {}
    signed: list[tuple[Ed25519PublicKey, bytes, bytes]] = []
    records: list[dict[str, Any]] = []
    head = "0" * 64
    with open(workspace / "audit.jsonl", "rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            records.append(record)
            hashed = hashlib.sha256(orjson.dumps(
                {k: v for k, v in record.items() if k != "hash"},
                option=orjson.OPT_SORT_KEYS)).hexdigest()
            if record["prev"] != head or hashed != record["hash"]:
                raise SystemExit(f"log broken at {record['seq']}")
            head = hashed
            if record["action"] == "roles.set":
                keys[record["details"]["role"]] = Ed25519PublicKey.from_public_bytes(
                    base64.b64decode(record["details"]["public_key"]))
            if "sig" in record:
                body = {k: v for k, v in record.items() if k not in ("hash", "sig")}
                signed.append((keys[record["role"]], base64.b64decode(record["sig"]),
                               SIGNATURE_CONTEXT + orjson.dumps(
                                   body, option=orjson.OPT_SORT_KEYS)))

    def verify(part: list[tuple[Ed25519PublicKey, bytes, bytes]]) -> None:
        for key, signature, data in part:
            try:
                key.verify(signature, data)
            except InvalidSignature:
                raise SystemExit("bad signature") from None

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(verify, [signed[0::2], signed[1::2]]))
    return head, records


def floor_commit(workspace: Path, out: Path, source: Path | None) -> None:
    """The log verified, the ranking made (the sheets' hashes from the same read of the
    log), and the document with its hash written."""
    head, records = _verified_log(workspace)
    document, digest = _decisions(_tally(workspace, _sheet_hashes(records)))
    _write(out / "decisions.json", orjson.dumps(
        {"_default": {"1": {"document": document, "sha256": digest, "audit_head": head}}}))


def floor_unseal(workspace: Path, out: Path, source: Path | None) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    key = _kdf_key(workspace)
    nonce, vault = os.urandom(12), (workspace / "vault.bin").read_bytes()
    sealed = AESGCM(key).encrypt(nonce, vault, b"")  # made here: the floor has no vault key
    _write(out / "identities.json", AESGCM(key).decrypt(nonce, sealed, b""))


def _zip(path: Path, members: list[tuple[str, int, int, bytes]]) -> None:
    """A zip of members already deflated: (name, CRC-32, size, raw deflate stream)."""
    out, central = bytearray(), bytearray()
    for name, crc, size, packed in members:
        encoded, offset = name.encode("utf-8"), len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0x800, 8, 0, 0x21, crc,
                           len(packed), size, len(encoded), 0) + encoded + packed
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0x800, 8, 0, 0x21,
                               crc, len(packed), size, len(encoded), 0, 0, 0, 0, 0,
                               offset) + encoded
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members),
                                 len(central), len(out), 0)
    path.write_bytes(out)


def _members(package: bytes) -> list[tuple[str, int, int, int, bytes]]:
    """A zip's members as its local headers give them, none inflated: (name, method,
    CRC-32, size, stored bytes)."""
    members, position = [], 0
    while package[position:position + 4] == b"PK\x03\x04":
        flags, method, crc, stored, size, name_length, extra_length = struct.unpack_from(
            "<2xHH4xIIIHH", package, position + 4)
        if flags & 0x8:
            raise SystemExit("a member whose sizes follow it: not what the export writes")
        start = position + 30 + name_length + extra_length
        members.append((package[position + 30:position + 30 + name_length].decode("utf-8"),
                        method, crc, size, package[start:start + stored]))
        position = start + stored
    return members


def floor_export(workspace: Path, out: Path, source: Path) -> None:
    """The step's files written again: each .docx's members deflated (level 1, as fast as
    deflate goes) only where they differ from the same member of the file before it (a
    letter's styles, fonts and settings are every letter's, and a member whose stored
    bytes are the last one's is not inflated either), the other files copied."""
    deflated: dict[str, tuple[bytes, int, bytes]] = {}  # member → stored bytes, CRC, stream
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = out / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix != ".docx":
            target.write_bytes(path.read_bytes())
            continue
        members = []
        for name, method, crc, size, stored in _members(path.read_bytes()):
            kept = deflated.get(name)
            if kept is None or kept[0] != stored:
                data = zlib.decompress(stored, -15) if method == 8 else stored
                compressor = zlib.compressobj(1, zlib.DEFLATED, -15)
                kept = deflated[name] = (stored, crc, compressor.compress(data)
                                         + compressor.flush())
            members.append((name, kept[1], size, kept[2]))
        _zip(target, members)


# The role each step is run by (its credential is checked), and whether the step ends in a
# record that role signs (the check writes none).
ROLE = {"import": "secretariat", "check": "secretariat", "seal": "secretariat",
        "deal": "secretariat", "scores": "secretariat", "tally": "chair", "commit": "chair",
        "unseal": "chair", "export": "chair"}
UNSIGNED = {"check"}


def signed_in(step: str, workspace: Path, out: Path, credential: Path) -> None:
    """The signing key from the role's credential (its KDF parameters as the workspace
    keeps them), and one line signed with it and written (fsync) where the step signs."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from review_tui.engine.sealing.keys import derive_passphrase_key

    role = ROLE[step]
    kept = _json(workspace / "credentials.json")["_default"].values()
    kdf = next(row["kdf"] for row in kept if row["role"] == role)
    secret = credential.read_text(encoding="utf-8").strip()
    key = Ed25519PrivateKey.from_private_bytes(
        hashlib.sha256(derive_passphrase_key(secret, kdf)).digest())
    if step not in UNSIGNED:
        line = orjson.dumps({"action": step, "role": role})
        _write(out / "audit.jsonl", line + b" " + key.sign(line).hex().encode("ascii") + b"\n")


FLOORS = {"import": floor_import, "check": floor_check, "seal": floor_seal,
          "deal": floor_deal, "scores": floor_scores, "tally": floor_tally,
          "commit": floor_commit, "unseal": floor_unseal, "export": floor_export}


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.floors")
    parser.add_argument("step", choices=sorted(FLOORS))
    parser.add_argument("workspace", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("source", type=Path, nargs="?")
    parser.add_argument("--credential-file", type=Path,
                        help="the step's role's credential: the floor derives its key")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    FLOORS[args.step](args.workspace, args.out, args.source)  # type: ignore[operator]
    if args.credential_file is not None:
        signed_in(args.step, args.workspace, args.out, args.credential_file)


if __name__ == "__main__":
    main()
