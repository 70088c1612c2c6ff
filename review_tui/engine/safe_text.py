"""Text from agencies and reviewers made harmless where it lands: a terminal or a spreadsheet.

A title may carry terminal escapes (``ESC ] 0 ;`` retitles the window, ``ESC [ 2 J`` clears
it) or characters that rewrite what a line shows (carriage return, backspace, bidi
overrides); :func:`visible` spells each one out (``\\x1b``). A title starting with ``=``,
``+``, ``-`` or ``@`` is a formula to Excel and LibreOffice; :func:`spreadsheet_cell` puts an
apostrophe in front, which both show as plain text.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls, line/paragraph separators, bidi controls.
_HIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _spell(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with every control character, escape and bidi override shown as ``\\xNN``
    or ``\\uNNNN`` (tabs and newlines kept), so printing it cannot drive the terminal."""
    return _HIDDEN.sub(_spell, text)


def is_visible(text: str) -> bool:
    """Whether :func:`visible` leaves ``text`` as it is (one scan, for a whole column)."""
    return _HIDDEN.search(text) is None


def spreadsheet_cell(value: object) -> object:
    """A CSV/XLSX cell value that no spreadsheet will run as a formula.

    Text starting with a formula character (also after leading spaces, and the full-width
    forms Excel accepts) gets a leading apostrophe; numbers and other values pass unchanged.
    """
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_STARTS):
        return "'" + value
    return value

