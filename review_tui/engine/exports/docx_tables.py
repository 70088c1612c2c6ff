"""Tables in the government style, built fast and in little memory: python-docx's per-cell
API costs about a millisecond a cell, and a parsed row costs kilobytes (a 60,000-row score
summary held as a tree took 8 GB). So a table's data rows are never parsed: the table holds
a marker row, and :func:`save` writes the rows as WordprocessingML text, one at a time,
straight into the saved file's ``word/document.xml`` where the marker was.

Every table has borders (the built-in "Table Grid" style), a header row repeated on each
page (``w:tblHeader``), rows that never split across pages (``w:cantSplit``), compact
single-spaced cells and the document's East Asian font.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Emu

from review_tui.engine.exports.docx_package import PartCache, write_package
from review_tui.engine.exports.templating import cell_text

CELL_SIZE_HALF_POINTS = 22  # 11 pt inside tables


TWIPS_PER_CM = 567


def _cell_xml(text: str, bold: bool = False, width: int | None = None) -> str:
    run_props = f'<w:rPr>{"<w:b/>" if bold else ""}<w:sz w:val="{CELL_SIZE_HALF_POINTS}"/></w:rPr>'
    runs = f'<w:t xml:space="preserve">{cell_text(str(text))}</w:t>'
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
        set_column_widths(table, widths)
    head = ('<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>'
            + "".join(_cell_xml(h, bold=True, width=w) for h, w in zip(header, widths,
                                                                      strict=False))
            + "</w:tr>")
    pending: list[tuple[str, Iterator[bytes]]] = getattr(document, PENDING, [])
    marker = f"{MARKER}{len(pending)}"
    setattr(document, PENDING, [*pending, (marker, _rows_xml(rows, widths))])
    fragment = parse_xml(f"<w:tbl {nsdecls('w')}>{head}<w:tr><w:tc><w:p><w:r><w:t>{marker}"
                         "</w:t></w:r></w:p></w:tc></w:tr></w:tbl>")
    for row in list(fragment):
        table._tbl.append(row)
    return table


PENDING = "_review_tui_rows"  # (marker, its rows as XML) of each table, on the document
MARKER = f"review-tui-rows-{secrets.token_hex(8)}-"  # no submitted title can guess it


def _rows_xml(rows: list[list[Any]], widths: list[int | None]) -> Iterator[bytes]:
    """Data rows as :func:`add_table` writes them: each cell as :func:`_cell_xml` writes
    it, each column's markup made once (a table of 60,000 rows has a million cells)."""
    around = [_cell_xml("\x00", width=w).split("\x00") for w in widths]
    for row in rows:
        out = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        for value, (before, after) in zip(row, around, strict=False):
            out += (before, cell_text("" if value is None else str(value)), after)
        out.append("</w:tr>")
        yield "".join(out).encode("utf-8")


STYLES_WITH_EFFECTS = ("http://schemas.microsoft.com/office/2007/relationships/"
                       "stylesWithEffects")
_STYLE_REFERENCES = tuple(qn(f"w:{tag}") for tag in ("pStyle", "rStyle", "tblStyle"))
_STYLE_LINKS = tuple(qn(f"w:{tag}") for tag in ("basedOn", "next", "link"))


def slim(document: Any) -> None:
    """Keep only the styles the document uses (with what they build on) and drop Word
    2010's copy of them: python-docx's template carries 164 styles, 790 kB of XML that
    every saved file serialised and compressed again (most of a letter's cost)."""
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.drop_rel(rel_id)
    styles = document.styles.element
    every = {s.get(qn("w:styleId")): s for s in styles.iter(qn("w:style"))}
    stories = [document.element.body] + [
        story._element for section in document.sections
        for story in (section.header, section.footer, section.first_page_header,
                      section.first_page_footer) if not story.is_linked_to_previous]
    wanted = {s_id for s_id, s in every.items() if s.get(qn("w:default")) in ("1", "true")}
    wanted |= {node.get(qn("w:val")) for story in stories for tag in _STYLE_REFERENCES
               for node in story.iter(tag)}
    queue = list(wanted)
    while queue:
        style = every.get(queue.pop())
        for link in () if style is None else (n for t in _STYLE_LINKS for n in style.iter(t)):
            if link.get(qn("w:val")) not in wanted:
                wanted.add(link.get(qn("w:val")))
                queue.append(link.get(qn("w:val")))
    for style_id, style in every.items():
        if style_id not in wanted:
            styles.remove(style)
    latent = styles.find(qn("w:latentStyles"))
    if latent is not None:
        styles.remove(latent)


def save(document: Any, path: Path) -> Path:
    """Save ``document`` slimmed (:func:`slim`), with its tables' rows written in (see the
    module docstring), each unchanged part's compressed bytes reused
    (:mod:`.docx_package`)."""
    slim(document)
    pending = getattr(document, PENDING, [])
    if not pending:
        return write_package(document, path, PARTS)
    text = document.part.blob.decode("utf-8")

    def main() -> Iterator[bytes]:
        rest = text
        for marker, rows in pending:
            at = rest.index(marker)
            start, end = rest.rindex("<w:tr>", 0, at), rest.index("</w:tr>", at)
            yield rest[:start].encode("utf-8")
            yield from rows
            rest = rest[end + len("</w:tr>"):]
        yield rest.encode("utf-8")

    return write_package(document, path, PARTS, main=main())


PARTS = PartCache()  # the parts documents share (styles, theme, settings …), compressed once


def set_column_widths(table: Any, twips: list[Any]) -> None:
    """The table grid's column widths, in twips (what LibreOffice lays the table out by)."""
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), twips,
                             strict=False):
        column.set(qn("w:w"), str(width))


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
