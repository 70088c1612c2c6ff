"""The records the engine passes around. Stored records are plain dicts (TinyDB documents);
these TypedDicts document their shape, and :class:`Finding` is the intake verdict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypedDict

ENTRIES_STORE = "entries"  # the entries' TinyDB file: the intake's, then the seal's
REJECT = "reject"
WARN = "warn"
ACCEPTED = "accepted"
REJECTED = "rejected"

# Long steps report progress as (phase, done, total), e.g. ("seal", 120, 20000).
Progress = Callable[[str, int, int], None]


class Author(TypedDict):
    name: str
    job_title: str
    grade: str
    staff_type: str | None  # one of config.STAFF_TYPES, None when not recognised
    staff_type_raw: str
    phone: str


class Problem(TypedDict):
    """A rule broken at import time (a parse or file problem), judged again at each check."""

    rule: str
    params: dict[str, Any]


class Entry(TypedDict, total=False):
    id: str  # E00001: internal, in import order
    seq: int
    key: str  # natural key (track, agency, title, authors) for idempotent imports
    manifest: str  # manifest file name
    manifest_path: str
    row: int
    track: str | None  # a configured track id, None when not recognised
    track_raw: str
    agency: str
    title: str
    authors: list[Author]
    book: str
    service_category: str
    consent_share: bool | None
    factual: bool | None
    will_present: bool | None
    received: str | None  # ISO date
    source_file: str  # as written in the manifest
    stored_file: str | None  # the import's pack inside the workspace (see intake/imports.py)
    stored_suffix: str  # .docx or .txt
    stored_at: list[int]  # offset and length of the submitted file in the pack
    text_file: str | None
    text_at: list[int]  # offset and length of its text (UTF-8 lines) in the pack
    content_hash: str | None
    photos: list[dict[str, Any]]  # checked photos in the pack: file, suffix, at, sha256 …
    photos_listed: int  # photos the row named
    problems: list[Problem]
    facts: dict[str, Any]  # char_count, cjk_ratio, format, identity …


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one entry or manifest row. Carries no personal names."""

    rule: str
    severity: str
    params: dict[str, Any] = field(default_factory=dict)
    entry_id: str | None = None
    manifest: str | None = None
    row: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, "severity": self.severity, "params": self.params,
                "entry_id": self.entry_id, "manifest": self.manifest, "row": self.row}
