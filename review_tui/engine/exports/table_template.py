"""Tabular documents (入選名單, 敘獎名冊, 不予受理名單, 發表名單) from templates a secretariat
edits in Word: titles, column headings and widths, fonts, the wording around the table.

A template is an ordinary .docx (``templates/award_list.docx`` …) with ``{{欄位}}`` fields
as :mod:`.templating` reads them, and one table whose last row holds ``{{明細.欄位}}``
fields: that row is the pattern of every data row, the rows above it are the heading
repeated on each page. The part of the body from the first element holding a
``{{節.欄位}}`` field (or the table) to the last is a *section*, repeated once per
section the export gives (a track's groups, each with its heading, table and note); what
comes before and after it is filled once. A paragraph that holds nothing but one field
whose value is empty is left out (no blank line where a document has no such line).

A section may hold other tables whose pattern row names another list (``{{不予受理.理由}}``:
the section's ``lists``); a table whose list is empty is left out. A column whose pattern
cell is ``{{明細.項目}}`` is repeated once per item of the section's ``columns`` (a
track's criteria), its heading cells filled with the item's ``{{項目.名稱}}`` …, its width
shared between the copies; each row gives that column's values as a list.

Speed: the data rows are never built as XML trees. The pattern row is written out once as
text, split at its fields, and each row is that text joined with its escaped values,
streamed into the saved file (:mod:`.docx_tables`): a 20,000-row table costs the joins.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import docx_tables
from review_tui.engine.exports.docx_tables import landscape
from review_tui.engine.exports.templating import (
    BASE,
    PLACEHOLDER,
    Values,
    _fill_paragraph,
    _text,
    append_body,
    base_document,
    cell_text,
    fields_in_one_run,
    file_version,
    open_template,
    split_xml,
    template_path,
)

ROWS, SECTION, COLUMN = "明細", "節", "項目"
WRITERS = "_review_tui_row_writers"  # on a filled document: each table's rows → XML
Row = Mapping[str, "str | Sequence[str]"]  # a list: the repeated column's values


@dataclass(frozen=True)
class Section:
    """One repeated part of a tabular document: its own fields (``{{節.標題}}``), rows,
    the rows of its other tables by list name, and the repeated column's items."""

    values: Values = field(default_factory=dict)
    rows: Sequence[Row] = ()
    lists: Mapping[str, Sequence[Row]] = field(default_factory=dict)
    columns: Sequence[Values] = ()


def fill_table_document(name: str, folder: Path | None, values: Values,
                        sections: Sequence[Section], *, drop: Sequence[str] = ()) -> Any:
    """The template ``name`` (the committee's in ``folder``, else the package's) filled:
    ``values`` once, the section part once per item of ``sections``; the columns named in
    ``drop`` (``願意發表`` when no manifest asked it) are taken out and their width shared.
    Save it with :func:`.docx_tables.save`, which writes the rows in."""
    document = _document(name, folder)
    body = document.element.body
    blocks = [child for child in body if child.tag != qn("w:sectPr")]
    marked = [i for i, child in enumerate(blocks) if _in_section(child)]
    if not marked:
        raise ReviewError("export.template_key", template=name, key=f"{ROWS}.…")
    first, last = marked[0], marked[-1]
    section_part = blocks[first:last + 1]
    for block in blocks[:first] + blocks[last + 1:]:
        _fill_block(block, values, name)
    anchor = section_part[0]
    for section in sections:
        section_values = {**values, **{f"{SECTION}.{k}": v for k, v in section.values.items()}}
        for block in section_part:
            clone = copy.deepcopy(block)
            anchor.addprevious(clone)
            if clone.tag == qn("w:tbl"):
                _table(document, clone, section, section_values, name, drop)
            else:
                _fill_block(clone, section_values, name)
    for block in section_part:
        body.remove(block)
    return document


def row_writers(document: Any) -> list[Callable[[Sequence[Row]], Iterator[bytes]]]:
    """For a document :func:`fill_table_document` filled, each table's writer of other
    rows as XML, in the tables' order: a document filled once and written for many
    (a 評分表 per reviewer, :class:`.templating.CompiledTemplate`'s ``tables``)."""
    return list(getattr(document, WRITERS, []))


def _document(name: str, folder: Path | None) -> Any:
    """A fresh copy of the template. The committee's own copy of it is used whole; the
    package's gives its body to the committee's ``base.docx`` when there is one (paper,
    fonts, styles and footer are the base's, as for the documents without a template),
    turned as the template is."""
    template = _template(file_version(template_path(name, folder)))
    if folder is None or (folder / name).is_file() or not (folder / BASE).is_file():
        return copy.deepcopy(template)
    document = base_document(folder)
    append_body(document, template)
    if template.sections[-1].orientation == WD_ORIENT.LANDSCAPE:
        landscape(document)
    return document


def _in_section(block: Any) -> bool:
    """Whether ``block`` holds a section's, a row's or a list's field (a dotted one)."""
    text = "".join(_text(p) for p in block.iter(qn("w:p")))
    return any("." in key for key in PLACEHOLDER.findall(text))


def _fill_block(block: Any, values: Values, name: str) -> None:
    """The fields of a paragraph (or of a table's paragraphs); a paragraph that is one field
    alone, empty here, goes."""
    paragraphs = [block] if block.tag == qn("w:p") else list(block.iter(qn("w:p")))
    for paragraph in paragraphs:
        keys = PLACEHOLDER.findall(_text(paragraph))
        alone = (len(keys) == 1 and PLACEHOLDER.fullmatch(_text(paragraph).strip())
                 and keys[0] in values and not str(values[keys[0]]))
        if alone and paragraph.getparent() is not None and paragraph.getparent().tag == qn(
                "w:body"):
            paragraph.getparent().remove(paragraph)
            continue
        _fill_paragraph(paragraph, values, name)


def _table(document: Any, table: Any, section: Section, values: Values, name: str,
           drop: Sequence[str]) -> None:
    """One of the section's tables: the heading rows repeated on every page, the pattern
    row replaced by a marker where :func:`.docx_tables.save` streams its list's rows; a
    table with no rows goes (its section keeps its heading and note)."""
    trs = table.findall(qn("w:tr"))
    lists = {ROWS: section.rows, **section.lists}
    pattern, list_name = next(((tr, key.split(".", 1)[0]) for tr in trs
                               for key in PLACEHOLDER.findall(_text(tr))
                               if key.split(".", 1)[0] in lists), (None, ROWS))
    if pattern is None:
        raise ReviewError("export.template_key", template=name, key=f"{ROWS}.…")
    rows = lists[list_name]
    if not rows:
        table.getparent().remove(table)
        return
    for column in (*drop, *(() if section.columns else (COLUMN,))):  # no items, no column
        _drop_column(table, pattern, column, list_name)
    kept = {f"{COLUMN}.{key}": "{{" + f"{COLUMN}.{key}" + "}}"  # filled per copy, last:
            for item in section.columns for key in item}  # a name's braces are printed
    for tr in trs[:trs.index(pattern)]:
        _row_properties(tr, "tblHeader", "cantSplit")
        for paragraph in tr.iter(qn("w:p")):
            _fill_paragraph(paragraph, {**values, **kept}, name)
    if section.columns:
        _repeat_column(table, pattern, section.columns, list_name)
    _row_properties(pattern, "cantSplit")
    for tr in trs[trs.index(pattern) + 1:]:  # nothing after the pattern row is kept
        table.remove(tr)
    parts = _pattern_parts(pattern)
    prefix = f"{list_name}."
    unknown = [k for k in parts[1::2] if not (_in_row(k[len(prefix):], rows[0])
                                              if k.startswith(prefix) else k in values)]
    if unknown:  # refused before anything is written, by name
        raise ReviewError("export.template_key", template=name, key=unknown[0])
    writer = functools.partial(_rows_xml, parts, values=values, prefix=prefix)
    pending = getattr(document, docx_tables.PENDING, [])
    marker = f"{docx_tables.MARKER}{len(pending)}"
    setattr(document, docx_tables.PENDING, [*pending, (marker, writer(rows))])
    setattr(document, WRITERS, [*getattr(document, WRITERS, []), writer])
    pattern.addprevious(parse_xml(f"<w:tr {nsdecls('w')}><w:tc><w:p><w:r><w:t>{marker}"
                                  "</w:t></w:r></w:p></w:tc></w:tr>"))
    table.remove(pattern)


def _row_properties(tr: Any, *names: str) -> None:
    properties = tr.find(qn("w:trPr"))
    if properties is None:
        properties = tr.makeelement(qn("w:trPr"), {})
        tr.insert(0, properties)
    for tag in names:
        if properties.find(qn(f"w:{tag}")) is None:
            properties.append(properties.makeelement(qn(f"w:{tag}"), {}))


def _drop_column(table: Any, pattern: Any, column: str, list_name: str = ROWS) -> None:
    """Take out the column whose pattern cell holds ``{{明細.column}}``; the others widen
    in proportion, so the table keeps its width."""
    cells = pattern.findall(qn("w:tc"))
    index = next((i for i, tc in enumerate(cells)
                  if f"{list_name}.{column}" in PLACEHOLDER.findall(_text(tc))), None)
    if index is None:
        return
    grid = table.find(qn("w:tblGrid"))
    columns = grid.findall(qn("w:gridCol")) if grid is not None else []
    widths = [int(c.get(qn("w:w"), "0")) for c in columns]
    for tr in table.findall(qn("w:tr")):
        row_cells = tr.findall(qn("w:tc"))
        if index < len(row_cells):
            tr.remove(row_cells[index])
    if index >= len(columns) or not sum(widths):
        return
    grid.remove(columns[index])
    kept = widths[:index] + widths[index + 1:]
    scale = sum(widths) / sum(kept)
    new = [int(w * scale) for w in kept]
    for gridcol, width in zip(grid.findall(qn("w:gridCol")), new, strict=False):
        gridcol.set(qn("w:w"), str(width))
    for tr in table.findall(qn("w:tr")):
        for tc, width in zip(tr.findall(qn("w:tc")), new, strict=False):
            tcw = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tcw is not None:
                tcw.set(qn("w:w"), str(width))
                tcw.set(qn("w:type"), "dxa")


def _pattern_parts(pattern: Any) -> list[str]:
    """The pattern row as text, split at its fields: literal, key, literal, key …"""
    fields_in_one_run(pattern, "")
    return split_xml(pattern)


def _repeat_column(table: Any, pattern: Any, items: Sequence[Values], list_name: str
                   ) -> None:
    """The column whose pattern cell holds ``{{<list>.項目}}``, once per item: its heading
    cells filled with the item's fields, its pattern cell naming ``<list>.項目.<n>``, its
    width shared."""
    field_name = f"{list_name}.{COLUMN}"
    cells = pattern.findall(qn("w:tc"))
    index = next((i for i, tc in enumerate(cells)
                  if field_name in PLACEHOLDER.findall(_text(tc))), None)
    if index is None:
        return
    for tr in table.findall(qn("w:tr")):
        fields_in_one_run(tr, "")
    grid = table.find(qn("w:tblGrid"))
    columns = grid.findall(qn("w:gridCol")) if grid is not None else []
    width = int(columns[index].get(qn("w:w"), "0")) // len(items) if index < len(
        columns) else 0
    if width:
        for _ in items[1:]:
            columns[index].addnext(copy.deepcopy(columns[index]))
        for column in grid.findall(qn("w:gridCol"))[index:index + len(items)]:
            column.set(qn("w:w"), str(width))
    for tr in table.findall(qn("w:tr")):
        row_cells = tr.findall(qn("w:tc"))
        if index >= len(row_cells):
            continue
        original, anchor = row_cells[index], row_cells[index]
        for number, item in enumerate(items):
            cell = copy.deepcopy(original)
            anchor.addnext(cell)
            anchor = cell
            tcw = cell.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tcw is not None and width:
                tcw.set(qn("w:w"), str(width))
                tcw.set(qn("w:type"), "dxa")
            for node in cell.iter(qn("w:t")):
                node.text = (node.text or "").replace(
                    "{{" + field_name + "}}", "{{" + f"{field_name}.{number}" + "}}")
            if tr is not pattern:
                for paragraph in cell.iter(qn("w:p")):
                    _fill_item(paragraph, item)
        tr.remove(original)


def _fill_item(paragraph: Any, item: Values) -> None:
    """The ``{{項目.…}}`` fields of a heading cell; the other fields stay for the section."""
    texts = list(paragraph.iter(qn("w:t")))
    for node in texts:
        node.text = PLACEHOLDER.sub(
            lambda m: (str(item[m.group(1)[len(COLUMN) + 1:]])
                       if m.group(1).startswith(f"{COLUMN}.")
                       and m.group(1)[len(COLUMN) + 1:] in item else m.group(0)),
            node.text or "")


def _in_row(key: str, row: Row) -> bool:
    """Whether ``row`` gives the field ``key`` (``項目.2``: the third of its list)."""
    field_name, _, number = key.rpartition(".")
    if key in row:
        return True
    value = row.get(field_name) if number.isdigit() else None
    return value is not None and not isinstance(value, str) and int(number) < len(value)


def _rows_xml(parts: list[str], rows: Sequence[Row], values: Values, prefix: str
              ) -> Iterator[bytes]:
    """Each row as the pattern's text joined with its escaped values (the section's own
    values escaped once)."""
    if not rows:
        return
    literals = parts[0::2]
    plan: list[tuple[str | None, int | None, str]] = []  # row field, list index, or text
    for key in parts[1::2]:
        if not key.startswith(prefix):
            plan.append((None, None, cell_text(str(values[key]))))
        elif key[len(prefix):] in rows[0]:
            plan.append((key[len(prefix):], None, ""))
        else:
            field_name, _, number = key[len(prefix):].rpartition(".")
            plan.append((field_name, int(number), ""))
    pieces = list(zip(plan, literals[1:], strict=True))
    last = len(rows) - 1
    for at, row in enumerate(rows):
        out = [literals[0]]
        for (taken, index, text), literal in pieces:
            if taken is not None:
                value = row[taken] if index is None else row[taken][index]
                text = cell_text(value if isinstance(value, str) else str(value))
            out.append(text)
            out.append(literal)
        xml = "".join(out)
        yield (_kept_with_next(xml) if at == last else xml).encode("utf-8")


_PARAGRAPH_PROPERTIES = re.compile(r"<w:pPr>(?:<w:pStyle [^>]*/>)?")
_BARE_PARAGRAPH = re.compile(r"<w:p(\s[^>]*)?>(?!<w:pPr)")


def _kept_with_next(row: str) -> str:
    """A table's last row kept on the page of what follows it (a signature line, a note):
    never a page holding only 「評審委員簽名」. Its paragraphs keep with the next, the
    property placed where the schema wants it (after a paragraph style)."""
    if "<w:keepNext/>" in row:
        return row
    row = _PARAGRAPH_PROPERTIES.sub(lambda found: found.group(0) + "<w:keepNext/>", row)
    return _BARE_PARAGRAPH.sub(
        lambda found: f"<w:p{found.group(1) or ''}><w:pPr><w:keepNext/></w:pPr>", row)


@functools.lru_cache(maxsize=16)
def _template(version: tuple[str, int, int]) -> Any:
    """A template parsed once per version of its file (copied for each document)."""
    return open_template(Path(version[0]))
