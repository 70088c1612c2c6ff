"""Blind an entry's text: writers' names, their job titles and their agencies become ○○○.

Matching forgives what people do when they type a name: spaces between the characters
(``王 小 明``), full-width letters and digits, 台/臺, and letter case. A job title is redacted
where it stands before a name, and on its own in the cover lines (where a byline would be);
agency names in full and short form (高雄市政府衛生局, 衛生局) everywhere, longest first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .submission import COVER_PARAGRAPHS, agency_name_forms

MASK = "○○○"
MIN_NEEDLE = 2
_VARIANTS = {"台": "台臺", "臺": "台臺"}


def _char_class(char: str) -> str:
    options = {char, char.lower(), char.upper()}
    options |= {chr(ord(c) + 0xFEE0) for c in list(options) if "!" <= c <= "~"}
    options |= set(_VARIANTS.get(char, ""))
    if len(options) == 1:
        return re.escape(char)
    return "[" + "".join(re.escape(c) for c in sorted(options)) + "]"


def _loose(needle: str) -> str:
    """A pattern for ``needle`` that allows spaces between characters and width variants."""
    chars = [c for c in unicodedata.normalize("NFKC", needle) if not c.isspace()]
    return r"\s*".join(_char_class(c) for c in chars)


def _usable(values: list[str]) -> list[str]:
    forms = {v.strip() for v in values
             if len(unicodedata.normalize("NFKC", v).replace(" ", "")) >= MIN_NEEDLE}
    return sorted(forms, key=len, reverse=True)


@dataclass(frozen=True)
class Redactor:
    """Redacts one entry's identities; built from the names the manifest gave."""

    everywhere: re.Pattern[str] | None
    cover_only: re.Pattern[str] | None

    @classmethod
    def for_entry(cls, names: list[str], job_titles: list[str],
                  agencies: list[str]) -> Redactor:
        """``agencies`` is the recommending agency and its parents (the roster lineage)."""
        names, titles = _usable(names), _usable(job_titles)
        agency_forms = _usable(agency_name_forms(agencies))
        parts = []
        if names:
            name_pattern = "|".join(_loose(n) for n in names)
            titles_pattern = "|".join(_loose(t) for t in titles)
            title_prefix = f"(?:(?:{titles_pattern})\\s*)?" if titles else ""
            parts.append(f"{title_prefix}(?:{name_pattern})")
        parts += [_loose(a) for a in agency_forms]
        everywhere = re.compile("|".join(parts)) if parts else None
        cover_only = re.compile("|".join(_loose(t) for t in titles)) if titles else None
        return cls(everywhere, cover_only)

    def text(self, text: str) -> tuple[str, int]:
        """``text`` with every identity masked, and how many places were masked."""
        if self.everywhere is None or not text:
            return text, 0
        return self.everywhere.subn(MASK, text)

    def paragraphs(self, paragraphs: list[str]) -> tuple[list[str], int]:
        """Redact a document's paragraphs; job titles alone only on the cover lines."""
        out, total, seen_non_empty = [], 0, 0
        for paragraph in paragraphs:
            redacted, count = self.text(paragraph)
            if paragraph.strip():
                seen_non_empty += 1
                if self.cover_only is not None and seen_non_empty <= COVER_PARAGRAPHS:
                    redacted, more = self.cover_only.subn(MASK, redacted)
                    count += more
            out.append(redacted)
            total += count
        return out, total
