"""Read one submitted entry file (.docx or .txt) into text and facts, never raising on bad input.

Facts are what the rules judge later: character count, share of Chinese, format facts, and
identity leaks counted against the row's names (the names themselves are not kept here).
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from review_tui.engine.intake.docx_reader import DocxContent, read_docx
from review_tui.engine.intake.paths import FileProblem, ManifestFolder, decode_text, read_limited
from review_tui.engine.intake.typed_values import cjk_ratio, count_chars, normalise
from review_tui.engine.model import Author, Problem

COVER_PARAGRAPHS = 3  # the title lines where a byline with a job title would stand
IDENTITY_METADATA = ("creator", "last_modified_by", "company", "manager", "title", "subject",
                     "keywords", "description", "custom")
PERSONAL_METADATA = ("comment_authors", "revision_authors")
_CITY_PREFIX = re.compile(r"^.{2,3}[市縣](政府)?")


@dataclass
class Submission:
    """A read entry file: its bytes for archiving, its text, and the facts for the rules."""

    data: bytes
    suffix: str
    paragraphs: list[str]
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_submission(folder: ManifestFolder, relative: str, *, max_bytes: int, max_unpacked: int,
                    authors: list[Author], agencies: list[str]) -> Submission | Problem:
    """Read an entry file named in a manifest; a :class:`Problem` when it cannot be used.

    ``authors`` and ``agencies`` (the agency and its parents) are what the blind must hide.
    """
    try:
        path, size = folder.locate(relative)
        data = read_limited(path, max_bytes, size)
        suffix = path.suffix.lower()
        if suffix == ".docx":
            content = read_docx(data, max_unpacked)
        elif suffix == ".txt":
            try:
                text, _ = decode_text(data)
            except UnicodeError as exc:
                raise FileProblem("file.encoding") from exc
            content = DocxContent(paragraphs=text.replace("\r\n", "\n").split("\n"))
        else:
            raise FileProblem("file.unsupported", suffix=suffix or "?")
    except FileProblem as problem:
        return {"rule": problem.rule, "params": {"file": relative, **problem.params}}
    submission = Submission(data=data, suffix=suffix, paragraphs=content.paragraphs)
    submission.facts = {
        "kind": suffix.lstrip("."),
        "char_count": count_chars(content.paragraphs),
        "cjk_ratio": round(cjk_ratio(content.paragraphs), 3),
        "has_comments": content.has_comments,
        "has_revisions": content.has_revisions,
    }
    if suffix == ".docx":
        submission.facts["format"] = content.format
    submission.facts["identity"] = identity_facts(
        content.paragraphs, content.header_footer_text, content.metadata, authors, agencies)
    return submission


def identity_facts(content_paragraphs: list[str], header_footer: list[str],
                   metadata: dict[str, list[str]], authors: list[Author],
                   agencies: list[str]) -> dict[str, Any]:
    """Count where the writers' names, job titles and agencies show through the blind.

    Returns counts and metadata field names only: the names themselves are not kept.
    """
    paragraphs = [normalise(p) for p in content_paragraphs]  # normalise works line by line
    margins = [normalise(p) for p in header_footer]
    body = "".join(paragraphs + margins)
    cover = "".join([p for p in paragraphs if p][:COVER_PARAGRAPHS] + margins)
    names = [n for n in (normalise(a["name"]) for a in authors) if len(n) >= 2]
    titles = [t for t in (normalise(a["job_title"]) for a in authors) if len(t) >= 2]
    agency_forms = agency_name_forms(agencies)
    found: dict[str, Any] = {
        "name_in_text": sum(body.count(n) for n in names),
        "job_title_in_text": sum(cover.count(t) for t in titles),
        "agency_in_text": _count_longest(body, agency_forms),
    }
    leaky = [field_name for field_name in IDENTITY_METADATA
             if any(_mentions(value, names + agency_forms)
                    for value in metadata.get(field_name, []))]
    leaky += [f for f in PERSONAL_METADATA if metadata.get(f)]
    found["metadata"] = leaky
    return found


def agency_name_forms(agencies: list[str]) -> list[str]:
    """Full names and short forms (高雄市政府衛生局 → 衛生局) of the agencies, longest first."""
    return list(_agency_name_forms(tuple(agencies)))


@functools.lru_cache(maxsize=1024)  # an import asks for the same few agencies row after row
def _agency_name_forms(agencies: tuple[str, ...]) -> tuple[str, ...]:
    forms: set[str] = set()
    for agency in agencies:
        full = normalise(agency)
        if len(full) >= 2:
            forms.add(full)
        short = _CITY_PREFIX.sub("", full)
        if len(short) >= 3 and short != full:
            forms.add(short)
    return tuple(sorted(forms, key=lambda form: (-len(form), form)))  # same order every run


def _count_longest(text: str, forms: list[str]) -> int:
    """Occurrences of any form, each place counted once (longest form wins)."""
    count = 0
    for form in forms:  # longest first; a counted place is blanked so a shorter form inside
        if form in text:  # it is not counted again (no regex to compile for each entry)
            count += text.count(form)
            text = text.replace(form, "\x00")
    return count


def _mentions(value: str, needles: list[str]) -> bool:
    text = normalise(value)
    return bool(text) and any(n and (n in text or (text in n and len(text) >= 2))
                              for n in needles)
