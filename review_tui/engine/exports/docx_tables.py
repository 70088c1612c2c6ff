"""Tables in the government style, built fast: python-docx's per-cell API costs about a
millisecond a cell, so data rows are written as WordprocessingML in one parse.

Every table has borders (the built-in "Table Grid" style), a header row repeated on each
page (``w:tblHeader``), rows that never split across pages (``w:cantSplit``), compact
single-spaced cells and the document's East Asian font.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu

CELL_SIZE_HALF_POINTS = 22  # 11 pt inside tables


TWIPS_PER_CM = 567


def _cell_xml(text: str, bold: bool = False, width: int | None = None) -> str:
    run_props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{CELL_SIZE_HALF_POINTS}"/></w:rPr>'
    lines = str(text).split("\n")
    runs = "<w:br/>".join(f'<w:t xml:space="preserve">{escape(line)}</w:t>' for line in lines)
    props = f'<w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>' if width else ""
    return (f'<w:tc>{props}<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" '
            'w:lineRule="auto"/><w:jc w:val="left"/></w:pPr>'
            f"<w:r>{run_props}{runs}</w:r></w:p></w:tc>")


def text_width_cm(document: Any) -> float:
    section = document.sections[-1]
    return float(Emu(section.page_width - section.left_margin - section.right_margin).cm)


def add_table(document: Any, header: list[str], rows: list[list[Any]],
              weights: list[float] | None = None) -> Any:
    """A bordered table with a repeated bold header row and ``rows`` of text; ``weights``
    share the text width between the columns (titles get room, codes do not wrap)."""
    table = document.add_table(rows=0, cols=len(header))
    table.style = document.styles["Table Grid"]
    widths: list[int | None] = [None] * len(header)
    if weights:
        total = text_width_cm(document) * TWIPS_PER_CM
        widths = [int(total * w / sum(weights)) for w in weights]
        for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths,
                                 strict=False):
            column.set(qn("w:w"), str(width))
    body = "".join(
        "<w:tr><w:trPr><w:cantSplit/></w:trPr>" + "".join(_cell_xml("" if v is None else v, width=w)
                           for v, w in zip(row, widths, strict=False)) + "</w:tr>"
        for row in rows)
    head = ('<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>'
            + "".join(_cell_xml(h, bold=True, width=w) for h, w in zip(header, widths,
                                                                      strict=False))
            + "</w:tr>")
    fragment = parse_xml(f"<w:tbl {nsdecls('w')}>{head}{body}</w:tbl>")
    for row in list(fragment):
        table._tbl.append(row)
    return table


def page_break(document: Any) -> None:
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    br = run._r.makeelement(qn("w:br"), {qn("w:type"): "page"})
    run._r.append(br)


def add_toc_field(document: Any) -> None:
    """A table-of-contents field (Word and LibreOffice fill it in when the file is updated)."""
    paragraph = document.add_paragraph()
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, 'TOC \\o "1-1" \\h \\z \\u'),
                       ("separate", None), ("end", None)):
        if kind:
            node = run._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
        else:
            node = run._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            node.text = text
        run._r.append(node)


def landscape(document: Any) -> None:
    """Turn the page for wide tables (margins stay as the format asks)."""
    from docx.enum.section import WD_ORIENT

    section = document.sections[-1]
    if section.orientation != WD_ORIENT.LANDSCAPE:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
