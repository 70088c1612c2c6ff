"""Chinese text broken into lines the way it is typeset, for the reviewer's reading pane.

A terminal folds text at whatever character meets the edge, so a line of a Chinese essay
often starts with "，" or "。" and ends with "「". Typesetting forbids both (禁則): closing
punctuation stays with the character before it, opening punctuation with the one after.
:func:`break_lines` lays a paragraph out with those rules, keeps Latin words and numbers
whole when they fit, and never makes a line wider than asked; :class:`ReadingText` is the
same as a Rich renderable that re-breaks its lines for whatever width the pane has.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions
from rich.measure import Measurement
from rich.text import Text

# May not begin a line: closing brackets and quotes, pause and stop marks, and the marks
# that follow what they belong to (ellipsis, dash, interpunct, percent), full and half width.
NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕｝〗〙﹞…‥—–～·・％‰℃"
                          ",.;:?!)]}%'\"’”")
# May not end a line: opening brackets and quotes.
NO_LINE_END = frozenset("（「『《〈【〔｛〖〘﹝([{‘“")
BREAK_SPACES = " \u3000"  # dropped where a line is broken
SPACES = frozenset(BREAK_SPACES)
_UNITS = re.compile(r"[A-Za-z0-9]+|.", re.DOTALL)  # a Latin word or number, or one character


def break_lines(paragraph: str, width: int) -> list[str]:
    """``paragraph`` (no newlines) as lines of at most ``width`` cells, broken by the rules.

    Where a rule cannot be kept without emptying a line (a run of closing marks wider than
    the line) the line is broken anyway: the width is a hard limit, the rules are not.
    Spaces where a line is broken are dropped; nothing else is added or lost.
    """
    width = max(1, width)
    if cell_len(paragraph) <= width:
        return [paragraph]
    lines: list[str] = []
    line: list[str] = []
    used = 0
    for unit in _pieces(paragraph, width):
        if lines and not line and unit in SPACES:
            continue  # a continuation line does not start with the break's space
        size = cell_len(unit)
        if used + size <= width or not line:
            line.append(unit)
            used += size
            continue
        if unit in SPACES:  # a space at the break goes with it
            lines.append("".join(line).rstrip(BREAK_SPACES))
            line, used = [], 0
            continue
        carried = _carry(line, unit, width)
        lines.append("".join(line).rstrip(BREAK_SPACES))
        line = [*carried, unit]
        used = sum(cell_len(piece) for piece in line)
    if line:
        lines.append("".join(line))
    return lines


def _pieces(paragraph: str, width: int) -> Iterator[str]:
    """Units to lay out: Latin words whole (cut only when wider than a line), else chars."""
    for match in _UNITS.finditer(paragraph):
        unit = match.group()
        if len(unit) > 1 and cell_len(unit) > width:
            yield from unit  # a word longer than the line is folded like Chinese
        else:
            yield unit


def _carry(line: list[str], next_unit: str, width: int) -> list[str]:
    """Move the end of ``line`` to the next line until neither rule is broken there.

    Keeps at least one unit on ``line`` and the next line within ``width``; when the rules
    cannot be kept that way nothing is moved. Returns what was moved, in order.
    """
    carried: list[str] = []
    room = width - cell_len(next_unit)
    while len(line) > 1 and _rule_broken(line[-1], carried[0] if carried else next_unit):
        room -= cell_len(line[-1])
        if room < 0:
            break
        carried.insert(0, line.pop())
    if _rule_broken(line[-1], carried[0] if carried else next_unit):
        line.extend(carried)  # nothing to move that would help: break as the width says
        return []
    return carried


def _rule_broken(line_end: str, line_start: str) -> bool:
    return line_end[-1] in NO_LINE_END or line_start[0] in NO_LINE_START


class ReadingText:
    """A text of paragraphs separated by newlines, shown with :func:`break_lines`."""

    def __init__(self, text: str, style: str = "") -> None:
        self._paragraphs = text.replace("\t", "    ").split("\n")
        self._style = style  # the whole text's (the title is bold)
        self._broken: tuple[int, Text] | None = None  # the last width asked, and its lines

    def lines(self, width: int) -> list[str]:
        """Every line as shown at ``width`` cells."""
        return [line for paragraph in self._paragraphs
                for line in break_lines(paragraph, width)]

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Text]:
        width = max(1, options.max_width)
        if self._broken is None or self._broken[0] != width:  # a line too wide still folds
            self._broken = (width, Text("\n".join(self.lines(width)), style=self._style,
                                        overflow="fold"))
        yield self._broken[1]

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_len(p) for p in self._paragraphs), default=0)
        return Measurement(min(2, widest), min(widest, options.max_width))
