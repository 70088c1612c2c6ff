"""Reviewer packets for one-laptop-per-reviewer meetings, and their signed returned sheets.

The chair exports a packet for one reviewer: the committee settings, that reviewer's dealt
entries (code, title, redacted text; no pseudonyms, no identities, no other reviewer's
scores) and an Ed25519 key made for this packet; the chair's store keeps the public half.
On the reviewer's laptop :func:`open_packet` makes a workspace the app scores as usual;
:func:`return_sheet` writes the sheet signed with the packet key and a counter that grows
with every return. :func:`import_signed_sheet` accepts it only if the signature verifies
under that packet's key, the packet is the reviewer's current one, the reviewer matches and
the counter is newer than any imported before (a replayed sheet is refused).
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from review_tui.engine.access.roles import LAPTOP_STORE
from review_tui.engine.config import parse_config
from review_tui.engine.decisions.frozen_rules import freeze_rules, rules_text
from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.imports import STORE as ENTRIES
from review_tui.engine.intake.roster import load_reviewers
from review_tui.engine.pipeline import mark_step
from review_tui.engine.scoring.deal import STORE as DEAL_STORE
from review_tui.engine.scoring.paper import PaperReport, SheetRow, apply_rows
from review_tui.engine.scoring.scores import DRAFT, ScoreSheet, SheetProgress, sheet_progress
from review_tui.engine.sealing.keys import b64, unb64
from review_tui.engine.storage.atomic import write_bytes_atomic
from review_tui.engine.storage.audit import canonical, sha256_hex
from review_tui.engine.storage.journal import step, transaction
from review_tui.engine.storage.textpack import PACK_FILE, write_pack
from review_tui.engine.workspace import Workspace

PACKET_FORMAT = "review-tui-packet"
SHEET_FORMAT = "review-tui-sheet"
VERSION = 1
CHAIR_STORE = "packets"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@transaction("packet.export")
def export_packet(workspace: Workspace, reviewer: str, out: Path) -> str:
    """Write ``reviewer``'s packet to ``out`` (never overwriting); returns the packet id."""
    committee = workspace.config
    sheet = ScoreSheet(workspace, reviewer)
    if Path(out).exists():
        raise ReviewError("packet.exists", path=str(out))
    key = Ed25519PrivateKey.generate()
    packet_id = secrets.token_hex(8)
    name = next((r["name"] for r in load_reviewers(workspace) if r["id"] == reviewer), reviewer)
    packet = {
        "format": PACKET_FORMAT, "version": VERSION, "packet_id": packet_id,
        "committee": committee.id, "created": _now(),
        "config": rules_text(workspace),
        "reviewer": {"id": reviewer, "name": name},
        "queue": [{"code": item.code, "track": item.track, "title": item.title,
                   "char_count": item.char_count,
                   "text": item.text(workspace)}
                  for item in sheet.queue],
        "signing_key": b64(key.private_bytes_raw()),
    }
    data = json.dumps(packet, ensure_ascii=False, indent=1).encode("utf-8")
    write_bytes_atomic(Path(out), data)
    with workspace.store.write(CHAIR_STORE) as db:
        db.upsert("_default", {"reviewer": reviewer, "packet_id": packet_id,
                               "public_key": b64(key.public_key().public_bytes_raw()),
                               "created": packet["created"], "last_counter": 0}, key="reviewer")
    workspace.audit.append("packet.export", {"reviewer": reviewer, "packet_id": packet_id,
                                             "entries": len(sheet.queue),
                                             "packet_sha256": sha256_hex(data)})
    return packet_id


def _read_json(path: Path, kind: str) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_bytes().decode("utf-8"))
    except FileNotFoundError as exc:
        raise ReviewError("manifest.missing", path=str(path)) from exc
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReviewError(f"packet.{kind}_corrupt", path=str(path)) from exc
    expected = PACKET_FORMAT if kind == "packet" else SHEET_FORMAT
    if not isinstance(data, dict) or data.get("format") != expected:
        raise ReviewError(f"packet.{kind}_corrupt", path=str(path))
    if data.get("version") != VERSION:
        raise ReviewError("vault.unsupported", version=str(data.get("version")))
    return data


def open_packet(path: Path, root: Path) -> Workspace:
    """Make a reviewer-only workspace in ``root`` from a packet (refused if one is there)."""
    packet = _read_json(path, "packet")
    workspace = Workspace(root)
    if workspace.exists():
        raise ReviewError("init.exists", path=str(workspace.config_path))
    try:
        import tomllib

        parse_config(tomllib.loads(packet["config"]))
        reviewer = packet["reviewer"]["id"]
        queue = [{k: item[k] for k in ("code", "track", "title", "char_count", "text")}
                 for item in packet["queue"]]
        Ed25519PrivateKey.from_private_bytes(unb64(packet["signing_key"], "signing_key"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ReviewError("packet.packet_corrupt", path=str(path)) from exc
    root.mkdir(parents=True, exist_ok=True)
    with step(root, "packet.open"):  # a workspace whole, or none
        write_bytes_atomic(workspace.config_path, packet["config"].encode("utf-8"))
        freeze_rules(workspace.store, packet["config"], since="packet")
        places = write_pack(root / PACK_FILE, (item.pop("text") for item in queue))
        for item, place in zip(queue, places, strict=True):
            item["text_at"] = place
        with workspace.store.write(ENTRIES) as db:
            db.replace_all("_default", sorted(queue, key=lambda i: i["code"]))
            db.replace_all("seal", [{"packet_id": packet["packet_id"], "entries": len(queue),
                                     "rejected": {}}])
        with workspace.store.write(DEAL_STORE) as db:
            db.replace_all("queues", [{"reviewer": reviewer, "codes": [i["code"] for i in queue]}])
            db.replace_all("meta", [{"seed": None, "per_entry": None, "packet": True}])
        with workspace.store.write(LAPTOP_STORE) as db:
            db.replace_all("_default", [{"packet_id": packet["packet_id"], "reviewer": reviewer,
                                         "name": packet["reviewer"].get("name", reviewer),
                                         "committee": packet["committee"],
                                         "signing_key": packet["signing_key"], "counter": 0}])
        record = workspace.audit.append("packet.open", {"packet_id": packet["packet_id"],
                                                        "reviewer": reviewer,
                                                        "entries": len(queue)})
        mark_step(workspace, "sealed", record)
        mark_step(workspace, "dealt", record)
    return workspace


@dataclass(frozen=True, slots=True)
class LaptopStatus:
    """What a reviewer's laptop shows of itself: committee, reviewer, progress, returns."""

    committee: str
    committee_en: str
    committee_id: str
    reviewer: str
    name: str
    done: int
    total: int
    status: str
    returned: int  # sheets returned so far

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


def laptop_status(workspace: Workspace,
                  sheets: list[SheetProgress] | None = None) -> LaptopStatus | None:
    """A packet's :class:`LaptopStatus` (None for a committee workspace). ``sheets``:
    :func:`sheet_progress`, if already read."""
    rows = workspace.store.table_rows(LAPTOP_STORE)
    if not rows:
        return None
    info = rows[0]
    sheets = sheet_progress(workspace) if sheets is None else sheets
    progress = next((row for row in sheets if row.reviewer == info["reviewer"]),
                    SheetProgress(info["reviewer"], "", 0, 0, DRAFT))
    committee = workspace.config
    return LaptopStatus(committee.name, committee.name_en or committee.name, info["committee"],
                        info["reviewer"], info.get("name", ""), progress.done, progress.total,
                        progress.status, info["counter"])


@transaction("packet.return")
def return_sheet(workspace: Workspace, out: Path) -> Path:
    """Write the laptop's sheet, signed, for the chair to import."""
    with workspace.store.write(LAPTOP_STORE) as db:
        rows = db.rows()
        if not rows:
            raise ReviewError("packet.not_a_laptop")
        info = dict(rows[0], counter=rows[0]["counter"] + 1)
        db.replace_all("_default", [info])
    sheet = ScoreSheet(workspace, info["reviewer"])
    scores = sheet.scores()
    body = {
        "format": SHEET_FORMAT, "version": VERSION, "packet_id": info["packet_id"],
        "committee": info["committee"], "reviewer": info["reviewer"],
        "counter": info["counter"], "created": _now(), "status": sheet.status(),
        "scores": [{"code": item.code, "scores": scores.get(item.code, {}).get("scores", {}),
                    "comment": scores.get(item.code, {}).get("comment", "")}
                   for item in sheet.queue if item.code in scores],
    }
    key = Ed25519PrivateKey.from_private_bytes(unb64(info["signing_key"], "signing_key"))
    signed = dict(body, signature=b64(key.sign(canonical(body))))
    write_bytes_atomic(Path(out), json.dumps(signed, ensure_ascii=False, indent=1).encode())
    workspace.audit.append("packet.return", {"counter": info["counter"],
                                             "entries": len(body["scores"])})
    return Path(out)


@transaction("packet.import")
def import_signed_sheet(workspace: Workspace, path: Path) -> PaperReport:
    """Verify and import a returned sheet; see the module docstring for what is refused."""
    committee = workspace.config
    signed = _read_json(path, "sheet")
    body = {k: v for k, v in signed.items() if k != "signature"}
    packets = {r["packet_id"]: r for r in workspace.store.table_rows(CHAIR_STORE)}
    record = packets.get(str(signed.get("packet_id")))
    if signed.get("committee") != committee.id:
        raise ReviewError("packet.foreign", path=str(path))
    if record is None:
        known = workspace.audit.records()
        if any(r.get("details", {}).get("packet_id") == signed.get("packet_id") for r in known):
            raise ReviewError("packet.superseded", path=str(path))
        raise ReviewError("packet.unknown", path=str(path))
    try:
        public = Ed25519PublicKey.from_public_bytes(unb64(record["public_key"], "public_key"))
        public.verify(unb64(signed.get("signature"), "signature"), canonical(body))
    except (InvalidSignature, ReviewError, ValueError) as exc:
        raise ReviewError("packet.bad_signature", path=str(path)) from exc
    if signed.get("reviewer") != record["reviewer"]:
        raise ReviewError("packet.wrong_reviewer", path=str(path),
                          reviewer=str(signed.get("reviewer")), expected=record["reviewer"])
    counter = signed.get("counter")
    if not isinstance(counter, int) or counter <= record["last_counter"]:
        raise ReviewError("packet.replayed", path=str(path), counter=str(counter),
                          last=record["last_counter"])
    try:
        rows = [SheetRow(i, record["reviewer"], str(item.get("code", "")),
                         {k: str(v) for k, v in dict(item.get("scores", {})).items()},
                         str(item.get("comment", "")))
                for i, item in enumerate(signed.get("scores", []), start=1)]
    except (AttributeError, TypeError, ValueError) as exc:  # signed, but not a sheet's shape
        raise ReviewError("packet.sheet_corrupt", path=str(path)) from exc
    report = apply_rows(workspace, Path(path), rows, submit=signed.get("status") == "submitted")
    with workspace.store.write(CHAIR_STORE) as db:
        db.upsert("_default", dict(record, last_counter=counter), key="reviewer")
    workspace.audit.append("packet.import", {"reviewer": record["reviewer"],
                                             "packet_id": record["packet_id"],
                                             "counter": counter,
                                             "sheet_sha256": sha256_hex(canonical(body))})
    return report
