"""Append-only, hash-chained audit log (``audit.jsonl``).

Every line is one JSON record carrying ``prev``, the hash of the line before it, and ``hash``,
the SHA-256 of its own canonical form. Editing, removing or reordering any line breaks the
chain at that line, which :func:`verify` names.
"""

from __future__ import annotations

import contextlib
import functools
import getpass
import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from review_tui.engine.access.roles import LAPTOP_STORE, role_of
from review_tui.engine.errors import AuditError
from review_tui.engine.storage import json_codec

if TYPE_CHECKING:
    from review_tui.engine.storage.journal import Step
    from review_tui.engine.storage.store import Store

AUDIT_FILE = "audit.jsonl"
GENESIS = "0" * 64


canonical = json_codec.canonical  # sorted keys, no spaces, UTF-8: what hashes are over


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def record_hash(record: dict[str, Any]) -> str:
    """The hash of a record, computed over every field but ``hash`` itself."""
    return sha256_hex(canonical({k: v for k, v in record.items() if k != "hash"}))


def current_actor() -> str:
    """Who is acting: ``REVIEW_TUI_ACTOR`` if set, else the operating-system user."""
    actor = os.environ.get("REVIEW_TUI_ACTOR")
    if actor:
        return actor
    try:
        return getpass.getuser()
    except Exception:  # getuser raises various errors where no user is known
        return "unknown"


@dataclass(frozen=True)
class VerifyResult:
    """Outcome of :func:`verify`: ``bad_line`` is 1-based, ``None`` when the chain is intact."""

    lines: int
    bad_line: int | None = None
    problem: str | None = None
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return self.bad_line is None


class AuditLog:
    """The audit log of one workspace."""

    def __init__(self, workspace: Path) -> None:
        self.root = Path(workspace)
        self.path = self.root / AUDIT_FILE

    def append(self, action: str, details: dict[str, Any] | None = None, *,
               actor: str | None = None) -> dict[str, Any]:
        """Add one record to the running step (written when it commits, with the step's
        files); outside a step, a step of its own. Returns the record, hash and all."""
        from review_tui.engine.storage.journal import current_step, step

        active = current_step(self.root)
        if active is None:
            with step(self.root, action) as active:
                return self._stage(active, action, details or {}, actor)
        return self._stage(active, action, details or {}, actor)

    def _stage(self, active: Step, action: str, details: dict[str, Any],
               actor: str | None) -> dict[str, Any]:
        if active.audit_tail is None:
            torn = self._set_aside_torn_tail()
            active.audit_tail = self._tail()
            if torn is not None:
                self._stage(active, "audit.torn_tail_set_aside", {"file": torn.name}, actor)
        if active.role is None:
            active.role = role_of(active.name, details, self._laptop_reviewer())
        if active.actor is None:  # once a step: 2,000 sheets make 4,000 records
            active.actor = current_actor()
        prev_hash, seq = active.audit_tail
        record: dict[str, Any] = {
            "seq": seq + 1,
            "ts": datetime.now(UTC).isoformat(timespec="seconds"),
            "actor": actor or active.actor,
            "role": active.role,
            "action": action,
            "details": details,
            "prev": prev_hash,
        }
        from review_tui.engine.access.credentials import signature_for

        signature = signature_for(self.store, active.role, record)
        if signature is not None:  # a chair's or the secretariat's record, once credentialed
            record["sig"] = signature
        record["hash"] = record_hash(record)
        active.add_audit(record)
        active.audit_tail = (record["hash"], record["seq"])
        return record

    @functools.cached_property
    def store(self) -> Store:
        """The workspace's store (its credentials and, on a laptop, its reviewer)."""
        from review_tui.engine.storage.store import Store

        return Store(self.root)

    def _laptop_reviewer(self) -> str | None:
        """The reviewer of a packet's laptop workspace (its every step is theirs), or None."""
        rows = self.store.table_rows(LAPTOP_STORE)
        return str(rows[0]["reviewer"]) if rows else None

    def _set_aside_torn_tail(self) -> Path | None:
        """Move an incomplete last line (a crash mid-append) to a side file, keep the chain.

        The fragment is kept, not deleted, so nothing is lost; the log records where it went.
        """
        if not self.path.exists() or self.path.stat().st_size == 0:
            return None
        with open(self.path, "rb") as handle:
            handle.seek(-1, os.SEEK_END)
            if handle.read(1) == b"\n":
                return None
        data = self.path.read_bytes()
        cut = data.rfind(b"\n") + 1
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        side = self.path.with_name(f"audit.torn-{stamp}-{os.getpid()}.txt")
        side.write_bytes(data[cut:])
        with open(self.path, "r+b") as handle:
            handle.truncate(cut)
            os.fsync(handle.fileno())
        return side

    def _tail(self) -> tuple[str, int]:
        """Hash and sequence number of the last complete record (genesis when empty)."""
        if not self.path.exists() or self.path.stat().st_size == 0:
            return GENESIS, 0
        with open(self.path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            size = handle.tell()
            block = min(size, 65536)
            while True:
                handle.seek(size - block)
                chunk = handle.read(block)
                lines = chunk.rstrip(b"\n").split(b"\n")
                if len(lines) > 1 or block == size:
                    break
                block = min(size, block * 4)
        try:
            last = json_codec.loads(lines[-1])
            return str(last["hash"]), int(last["seq"])
        except (ValueError, KeyError, TypeError) as exc:
            raise AuditError("audit.broken", path=str(self.path), line=0) from exc

    def records(self) -> list[dict[str, Any]]:
        """Every parseable record, in file order, then those the running step will add
        (use :meth:`verified_records` to trust them)."""
        out = []
        if self.path.exists():
            with open(self.path, "rb") as handle:
                for raw in handle:
                    with contextlib.suppress(ValueError):
                        out.append(json_codec.loads(raw))
        return self._with_running_step(out)

    def _with_running_step(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        from review_tui.engine.storage.journal import current_step

        active = current_step(self.root)
        return records + list(active.audit_lines) if active is not None else records

    def verified_records(self, *, verified_at: int = 0,
                         ) -> tuple[VerifyResult, list[dict[str, Any]]]:
        """:meth:`verify`, and the records of the lines it found sound, as :meth:`records`
        gives them (each line parsed once, not again to be read)."""
        kept: list[dict[str, Any]] = []
        result = self.verify(verified_at=verified_at, records=kept)
        return result, self._with_running_step(kept)

    def verify(self, *, verified_at: int = 0,
               records: list[dict[str, Any]] | None = None) -> VerifyResult:
        """Check the whole chain and the chair's and secretariat's signatures; report the
        first line that is edited, missing, out of order, unsigned or in the wrong role.

        ``verified_at``: a line whose record was written only after this check passed on
        every line before it (the commit's record: the commit checks the log first). Its
        signature covers the hash of the line before it, and so, through the chain, every
        line before that: those are checked for their chain, roles and form, and the keys'
        own records in full, but their signatures are not verified again. The signature at
        that line, and every one after it, is. Where that line has no signature (no chair
        credential then), or anything fails, every signature is verified, so the line
        reported is the first bad one. (The unseal's check: the log's 4,000 signatures
        were verified at the commit.) ``audit verify`` verifies them all."""
        if verified_at:
            result, anchor_signed = self._checked(verified_at, records)
            if result.ok and anchor_signed:
                return result
        if records is not None:
            records.clear()
        return self._checked(0, records)[0]

    def _checked(self, verified_at: int, records: list[dict[str, Any]] | None = None,
                 ) -> tuple[VerifyResult, bool]:
        """:meth:`verify`'s pass, and whether the line ``verified_at`` had a signature;
        each sound line's record is added to ``records``, if given."""
        from review_tui.engine.access.credentials import SignatureCheck

        if not self.path.exists():
            return VerifyResult(lines=0), False
        prev = GENESIS
        count = 0
        signatures = SignatureCheck(verified_before=verified_at)
        heads: list[str] = []  # the head before each line, for a signature found bad later

        def signature_failure() -> VerifyResult | None:
            """The first line whose signature, put aside until now, fails."""
            line = signatures.first_bad()
            return None if line is None else VerifyResult(
                lines=line, bad_line=line, problem="bad_signature", head=heads[line - 1])

        with open(self.path, "rb") as handle:
            for count, raw in enumerate(handle, start=1):
                heads.append(prev)
                problem, record = _check_line(raw, prev, count)
                problem = problem or signatures.problem(record, count)
                if problem or signatures.full:
                    failed = signature_failure()  # a signature before it fails first
                    if failed is not None:
                        return failed, signatures.anchor_signed
                if problem:
                    return (VerifyResult(lines=count, bad_line=count, problem=problem,
                                         head=prev), signatures.anchor_signed)
                if records is not None:
                    records.append(record)
                prev = str(record["hash"])
        failed = signature_failure()
        return (failed if failed is not None else VerifyResult(lines=count, head=prev),
                signatures.anchor_signed)


def _check_line(raw: bytes, prev: str, number: int) -> tuple[str | None, dict[str, Any]]:
    """Why line ``number`` breaks the chain (``None`` when it is sound), and its record
    (parsed once: a long log is read before every unseal)."""
    if not raw.endswith(b"\n"):
        return "incomplete", {}
    try:
        record = json_codec.loads(raw)
    except ValueError:
        return "not_json", {}
    if not isinstance(record, dict) or "hash" not in record:
        return "not_a_record", {}
    if record.get("prev") != prev:
        return "chain_broken", record
    if record.get("seq") != number:
        return "sequence", record
    if record_hash(record) != record["hash"]:
        return "edited", record
    return None, record
