"""Blind an entry's text: writers' names, their job titles and their agencies become ○○○,
and so do e-mail addresses and telephone numbers (anyone's: they lead to the writer).

Matching forgives what people do when they type a name: spaces between the characters
(``王 小 明``), full-width letters and digits, 台/臺, and letter case. A job title is redacted
where it stands before a name, and on its own in the cover lines (where a byline would be);
agency names in full and short form (高雄市政府衛生局, 衛生局) everywhere, longest first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from review_tui.engine.intake.entry_file import COVER_PARAGRAPHS, agency_name_forms

MASK = "○○○"
MIN_NEEDLE = 2
_VARIANTS = {"台": "台臺", "臺": "台臺"}


_DIGIT = "[0-9\uff10-\uff19]"
_SEP = "[-\u2010\u2011\u2013\u2014\uff0d .\uff0e]?"
# +886 (0)…, 886…, (0…), 0…: every branch starts with a literal, so the engine can skip to
# the places that start with one (a leading look-behind made it try every position: 6× slower)
_TRUNK = (f"(?:[+\uff0b]886{_SEP}\\(?[0\uff10]?|886{_SEP}\\(?[0\uff10]?|\\([0\uff10]"
          f"|[0\uff10])")
_WORD = "A-Za-z0-9\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # ASCII and full-width
EMAIL = re.compile(f"[{_WORD}._%+\\-]+[@\uff20][{_WORD}\\-]+(?:[.\uff0e][{_WORD}\\-]+)+")
# mobile 09xx-xxx-xxx, landline 0x-xxxx-xxxx / (07)123-4567, with an extension
PHONE = re.compile(
    f"{_TRUNK}(?:[9\uff19]{_DIGIT}{{2}}{_SEP}{_DIGIT}{{3}}{_SEP}{_DIGIT}{{3}}"
    f"|{_DIGIT}{{1,3}}\\)?{_SEP}{_DIGIT}{{3,4}}{_SEP}{_DIGIT}{{3,4}})"
    f"(?:\\s*(?:#|分機|轉|ext\\.?)\\s*{_DIGIT}{{1,6}})?(?!{_DIGIT})")
_DIGITS = frozenset("0123456789\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19")


def mask_contacts(text: str) -> tuple[str, int]:
    """``text`` with e-mail addresses and telephone numbers masked, and how many (a number
    that goes on from a digit before it is part of something longer, not a phone)."""
    count = 0
    if "@" in text or "\uff20" in text:
        text, count = EMAIL.subn(MASK, text)

    def phone(match: re.Match[str]) -> str:
        nonlocal count
        if match.start() and text[match.start() - 1] in _DIGITS:
            return match.group()
        count += 1
        return MASK

    return PHONE.sub(phone, text), count


def _char_class(char: str) -> str:
    options = {char, char.lower(), char.upper()}
    options |= {chr(ord(c) + 0xFEE0) for c in list(options) if "!" <= c <= "~"}
    options |= set(_VARIANTS.get(char, ""))
    if len(options) == 1:
        return re.escape(char)
    return "[" + "".join(re.escape(c) for c in sorted(options)) + "]"


GAP = r"[^\S\n]*"  # spaces a typist left inside a name, never a paragraph break


def _loose(needle: str) -> str:
    """A pattern for ``needle`` that allows spaces between characters and width variants."""
    chars = [c for c in unicodedata.normalize("NFKC", needle) if not c.isspace()]
    return GAP.join(_char_class(c) for c in chars)


def _anchor(needle: str) -> str:
    """The longest run of the needle that any match must contain verbatim (spaces aside):
    characters without width, case or 台/臺 variants. Empty when there is none (e.g. a Latin
    name), and then the pattern always runs."""
    runs: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFKC", needle):
        if char.isspace():
            continue
        if "!" <= char <= "~" or char in _VARIANTS:
            runs.append("".join(current))
            current = []
        else:
            current.append(char)
    runs.append("".join(current))
    return max(runs, key=len)


def _squeeze(text: str) -> str:
    return "".join(text.split())


@lru_cache(maxsize=4096)
def _pattern(names: tuple[str, ...], titles: tuple[str, ...],
             agencies: tuple[str, ...]) -> re.Pattern[str]:
    parts = []
    if names:
        name_pattern = "|".join(_loose(n) for n in names)
        titles_pattern = "|".join(_loose(t) for t in titles)
        title_prefix = f"(?:(?:{titles_pattern}){GAP})?" if titles else ""
        parts.append(f"{title_prefix}(?:{name_pattern})")
    parts += [_loose(a) for a in agencies]
    return re.compile("|".join(parts))


@lru_cache(maxsize=65536)  # a seal meets the same titles, agencies and many names again
def _needle(value: str) -> tuple[str, str] | None:
    """(needle, anchor) for one name, job title or agency; None when too short to search."""
    if len(unicodedata.normalize("NFKC", value).replace(" ", "")) < MIN_NEEDLE:
        return None
    needle = value.strip()
    return needle, _anchor(needle)


def _keyed(values: list[str]) -> tuple[tuple[str, str], ...]:
    """The usable needles of ``values``, longest first (then by text: the same every run)."""
    needles = {needle for needle in map(_needle, values) if needle}
    return tuple(sorted(needles, key=lambda needle: (-len(needle[0]), needle[0])))


@dataclass(frozen=True)
class Redactor:
    """Redacts one entry's identities; built from the names the manifest gave.

    Most paragraphs hold no name at all, so each is first checked with plain substring
    tests of each needle's anchor (see :func:`_anchor`), and a pattern is compiled (and
    cached) only for the needles actually present: sealing 20,000 entries must not compile
    20,000 regular expressions.
    """

    names: tuple[tuple[str, str], ...]  # (needle, folded needle)
    titles: tuple[tuple[str, str], ...]
    agencies: tuple[tuple[str, str], ...]

    @classmethod
    def for_entry(cls, names: list[str], job_titles: list[str],
                  agencies: list[str]) -> Redactor:
        """``agencies`` is the recommending agency and its parents (the roster lineage)."""
        return cls(_keyed(names), _keyed(job_titles), _keyed(agency_name_forms(agencies)))

    def text(self, text: str) -> tuple[str, int]:
        """``text`` with every identity masked, and how many places were masked.

        Matches never span a line break, so a text of many lines is redacted as if line by
        line (see :meth:`document`).
        """
        text, count = self._masked(text, _squeeze(text))
        text, contacts = mask_contacts(text)
        return text, count + contacts

    def _masked(self, text: str, squeezed: str) -> tuple[str, int]:
        if not text:
            return text, 0
        names = tuple(n for n, key in self.names if key in squeezed)
        agencies = tuple(a for a, key in self.agencies if key in squeezed)
        if not names and not agencies:
            return text, 0
        titles = tuple(t for t, key in self.titles if key in squeezed) if names else ()
        return _pattern(names, titles, agencies).subn(MASK, text)

    def document(self, text: str) -> tuple[str, int]:
        """Redact a document, one paragraph per line; job titles alone only on the cover
        lines (the first :data:`COVER_PARAGRAPHS` non-blank ones). One pass over the whole
        text instead of one per paragraph: a seal blinds 20,000 documents."""
        squeezed = _squeeze(text)
        text, count = self._masked(text, squeezed)
        text, contacts = mask_contacts(text)
        count += contacts
        if not any(key in squeezed for _, key in self.titles):
            return text, count  # no job title anywhere, so none on the cover
        cut = _cover_end(text)  # masking never blanks a line, so the cover is the same
        cover, more = self._cover_titles(text[:cut])
        return cover + text[cut:], count + more

    def _cover_titles(self, text: str) -> tuple[str, int]:
        squeezed = _squeeze(text)
        present = tuple(t for t, key in self.titles if key in squeezed)
        if not present:
            return text, 0
        return _pattern((), (), present).subn(MASK, text)


def _cover_end(text: str) -> int:
    """Where the cover ends: after the last character of its last non-blank line."""
    seen, start = 0, 0
    while True:
        end = text.find("\n", start)
        line_end = len(text) if end < 0 else end
        if text[start:line_end].strip():
            seen += 1
            if seen == COVER_PARAGRAPHS:
                return line_end
        if end < 0:
            return len(text)
        start = end + 1
