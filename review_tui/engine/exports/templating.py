"""Fill a .docx template a secretariat can edit: the look of a letter is a Word file, not code.

A template is an ordinary .docx with placeholders in double braces, in Chinese as the
secretariat reads them: ``{{主辦機關}}``, ``{{日期}}``. A placeholder with a dot,
``{{明細.作品題目}}``, belongs to a list: the table row (or, outside a table, the paragraph)
holding it is repeated once per item of the list ``明細`` and removed when the list is
empty. Formatting is the template's: a placeholder takes the look of the run it starts in.
A line break in a value becomes a line break in the document.

The package ships one template per document (``templates/*.docx``); a committee may point
``[documents] templates`` at a folder of its own, where a file of the same name replaces the
package's. A placeholder the export does not know is refused by name, never printed as is.
"""

from __future__ import annotations

import copy
import functools
import re
import zipfile
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import docx
from docx.opc.exceptions import OpcError
from docx.oxml.ns import qn
from lxml import etree

from review_tui.engine.errors import ReviewError

PLACEHOLDER = re.compile(r"\{\{\s*([^{}\s]+?)\s*\}\}")
Values = Mapping[str, str]
Lists = Mapping[str, Sequence[Values]]


def template_path(name: str, folder: Path | None = None) -> Path:
    """The committee's own ``name`` when its folder has one, else the package's."""
    if folder is not None and (folder / name).is_file():
        return folder / name
    return Path(str(resources.files("review_tui.engine.exports") / "templates" / name))


def open_template(path: Path) -> Any:
    """The template as a python-docx document; a file that is not one is named."""
    try:
        return docx.Document(str(path))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile, SyntaxError,
            OpcError) as error:
        raise ReviewError("export.template_broken", path=str(path),
                          detail=type(error).__name__) from error


class CompiledTemplate:
    """A template written out once as text and filled by joining strings: for the 函稿 to
    each of thousands of agencies (the tree filler costs ~2 ms a letter, this ~0.2 ms).
    Filled as :func:`fill` fills; the headers and footers take ``common`` once, for all.

    Only the main part and the core properties differ between two documents: every other
    part is compressed once, here, and its bytes written again for each file."""

    def __init__(self, path: Path | None, name: str, common: Values, *,
                 document: Any = None, fields: Collection[str] | None = None) -> None:
        """The template at ``path``, or a ``document`` built by the export (its tables'
        rows, a table template's or :func:`.docx_tables.add_table`'s, are given to
        :meth:`write` instead, and only its ``fields`` are fields: braces in a committee's
        name are printed)."""
        from review_tui.engine.exports.docx_package import MAIN_PART, FixedPackage, members
        from review_tui.engine.exports.docx_tables import PENDING, slim

        document = document if document is not None else open_template(Path(str(path)))
        self.name, self.document = name, document
        fill(document, common, name=name, body=False)
        body = document.element.body
        fields_in_one_run(body, name)
        self._units: list[tuple[str, list[str]]] = []
        for number, unit in enumerate(_list_units(body)):
            key = next(k for k in PLACEHOLDER.findall(_text(unit)) if "." in k)
            self._units.append((key.split(".", 1)[0], split_xml(unit)))
            unit.addprevious(etree.Comment(f"review-tui-slot-list-{number}"))
            unit.getparent().remove(unit)
        slim(document)
        text = document.part.blob.decode("utf-8")
        for number, (marker, _) in enumerate(getattr(document, PENDING, [])):
            at = text.index(marker)  # the table's marker row: where its rows go
            start, end = text.rindex("<w:tr>", 0, at), text.index("</w:tr>", at) + 7
            text = f"{text[:start]}<!--review-tui-slot-table-{number}-->{text[end:]}"
        pieces = _SLOT.split(text)
        self._main = [_only(PLACEHOLDER.split(piece), fields) for piece in pieces[0::3]]
        self._slots = list(zip(pieces[1::3], map(int, pieces[2::3]), strict=True))
        self._package = FixedPackage(members(document), (CORE_MEMBER, MAIN_PART))

    def write(self, values: Values, lists: Lists, path: Path, *, title: str,
              stamp: str, tables: Sequence[Iterable[bytes]] = ()) -> Path:
        """The document for ``values``, ``lists`` and the built document's ``tables`` (its
        rows as XML, in the order the tables were added) at ``path``; a field not given
        is refused by name before the file is opened."""
        from review_tui.engine.exports.docx_package import MAIN_PART

        out: list[str | Iterable[bytes]] = [_joined(self._main[0], values, self.name)]
        for (kind, number), piece in zip(self._slots, self._main[1:], strict=True):
            if kind == "table":
                out.append(tables[number])
            else:
                list_name, unit = self._units[number]
                if list_name not in lists:
                    raise ReviewError("export.template_key", template=self.name,
                                      key=f"{list_name}.…")
                for item in lists[list_name]:
                    row = {**values, **{f"{list_name}.{k}": v for k, v in item.items()}}
                    out.append(_joined(unit, row, self.name))
            out.append(_joined(piece, values, self.name))
        core = self._core(stamp).replace(_TITLE, escape(title)).encode("utf-8")

        def main() -> Iterator[bytes]:
            for chunk in out:
                if isinstance(chunk, str):
                    yield chunk.encode("utf-8")
                else:
                    yield from chunk

        return self._package.write(path, {CORE_MEMBER: (core,), MAIN_PART: main()})

    @functools.lru_cache(maxsize=2)  # noqa: B019 - a template lives for one export
    def _core(self, stamp: str) -> str:
        """The core properties for ``stamp``, its title a mark to replace (python-docx
        took ~0.2 ms a letter to set them)."""
        from review_tui.engine.exports.docx_writer import stamp_properties

        stamp_properties(self.document, _TITLE, stamp)
        core = next(part for part in self.document.part.package.iter_parts()
                    if part.partname == CORE_PART)
        return str(core.blob.decode("utf-8"))


def _only(parts: list[str], fields: Collection[str] | None) -> list[str]:
    """Split text (literal, key, literal …) with every key not in ``fields`` (when given)
    put back as the literal text it was."""
    if fields is None:
        return parts
    out = [parts[0]]
    for key, literal in zip(parts[1::2], parts[2::2], strict=True):
        if key in fields:
            out += [key, literal]
        else:
            out[-1] += "{{" + key + "}}" + literal
    return out


_SLOT = re.compile(r"<!--review-tui-slot-(list|table)-(\d+)-->")
CORE_PART = "/docProps/core.xml"  # the title and dates: the one small part a letter's own
CORE_MEMBER = CORE_PART.lstrip("/")
_TITLE = "\ue000review-tui-title\ue000"  # never in a title: a private-use character
_NAMESPACE_DECLARATIONS = re.compile(r'\sxmlns(?::\w+)?="[^"]*"')
_LINE_BREAK = '</w:t><w:br/><w:t xml:space="preserve">'


def fields_in_one_run(element: Any, name: str) -> None:
    """Each field of ``element``'s paragraphs inside one ``w:t`` (an editor may have split
    one across runs) that keeps its spaces: ready to be written out as text and split."""
    for paragraph in element.iter(qn("w:p")):
        keys = PLACEHOLDER.findall(_text(paragraph))
        if keys:
            _fill_paragraph(paragraph, {k: "{{" + k + "}}" for k in keys}, name)
            for node in paragraph.iter(qn("w:t")):
                if "{{" in (node.text or ""):
                    node.set(qn("xml:space"), "preserve")


def split_xml(element: Any) -> list[str]:
    """``element`` as text (the document declares its namespaces), split at its fields."""
    text = etree.tostring(element, encoding="unicode")
    head = text.index(">")
    return PLACEHOLDER.split(_NAMESPACE_DECLARATIONS.sub("", text[:head]) + text[head:])


def cell_text(value: str) -> str:
    """A value as the text of a ``w:t``: escaped, its lines broken with ``w:br`` (most
    values, scores and codes, need neither, and are only looked at)."""
    if "&" in value or "<" in value or ">" in value:
        value = escape(value)
    return value.replace("\n", _LINE_BREAK) if "\n" in value else value


def append_body(document: Any, source: Any) -> None:
    """``source``'s body (a template's cover, a table template's page) added at the end
    of ``document``'s, before its section properties."""
    end = document.element.body.find(qn("w:sectPr"))
    for child in source.element.body:
        if child.tag != qn("w:sectPr"):
            end.addprevious(copy.deepcopy(child))


def _joined(parts: list[str], values: Values, name: str) -> str:
    """Literal, field, literal …: the fields' values escaped, a line break a ``w:br``."""
    out = [parts[0]]
    for key, literal in zip(parts[1::2], parts[2::2], strict=True):
        if key not in values:
            raise ReviewError("export.template_key", template=name, key=key)
        out.append(cell_text(str(values[key])))
        out.append(literal)
    return "".join(out)


BASE = "base.docx"


def base_document(folder: Path | None = None) -> Any:
    """A blank document with the look of ``base.docx`` (the committee's, else the
    package's): paper, margins, fonts, spacing, styles, the footer's 「第 x 頁，共 y 頁」.
    Its sample text is dropped; the page settings stay.

    The base is parsed once per version of its file and copied for each document (an
    export makes one for each of 2,000 reviewers: a copy costs 0.6 ms, a parse 2 ms)."""
    return copy.deepcopy(_blank_base(file_version(template_path(BASE, folder)),
                                     folder is not None))


def file_version(path: Path) -> tuple[str, int, int]:
    """``path`` with its modification time and size: a key for what was parsed of it."""
    try:
        info = path.stat()
        return str(path), info.st_mtime_ns, info.st_size
    except OSError:
        return str(path), 0, 0  # open_template names the problem


@functools.lru_cache(maxsize=4)
def _blank_base(version: tuple[str, int, int], own: bool) -> Any:
    document = open_template(Path(version[0]))
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    if own:  # a committee's own base may lack a style the documents use
        names = {style.name for style in document.styles}
        for name, element in _package_styles().items():
            if name not in names:
                document.styles.element.append(copy.deepcopy(element))
    return document


NEEDED_STYLES = ("Table Grid", "Heading 1")


@functools.cache
def _package_styles() -> dict[str, Any]:
    """The package base's definitions of the styles the documents need (read once)."""
    styles = open_template(template_path(BASE)).styles
    return {name: styles[name].element for name in NEEDED_STYLES}


def fill(document: Any, values: Values, lists: Lists | None = None, *,
         name: str = "", body: bool = True) -> Any:
    """Replace every placeholder of ``document`` (body, tables, headers, footers) in place;
    with ``body`` False, only those of the headers and footers."""
    lists = lists or {}
    parts = _parts(document)
    for part in parts if body else parts[1:]:
        units = _list_units(part)
        inside = {p for unit in units for p in unit.iter(qn("w:p"))}
        for paragraph in list(part.iter(qn("w:p"))):
            if paragraph not in inside:
                _fill_paragraph(paragraph, values, name)
        for unit in units:  # filled from the template's text: a value is never re-read
            _repeat(unit, values, lists, name)
    return document


def fill_pages(document: Any, pages: Sequence[Values], common: Values, *,
               name: str = "") -> Any:
    """The template's body once per item of ``pages``, each on a page of its own (a
    certificate per person); headers and footers filled from ``common``."""
    fill(document, common, name=name, body=False)
    body = document.element.body
    blocks = [child for child in body if child.tag != qn("w:sectPr")]
    for child in blocks:
        body.remove(child)
    section = body.find(qn("w:sectPr"))
    for number, values in enumerate(pages):
        clones = [copy.deepcopy(block) for block in blocks]
        for clone in clones:
            if section is not None:
                section.addprevious(clone)
            else:
                body.append(clone)
            for paragraph in list(clone.iter(qn("w:p"))):
                _fill_paragraph(paragraph, {**common, **values}, name)
        first = next(iter(clones[0].iter(qn("w:p"))), None) if clones else None
        if number and first is not None:
            first.get_or_add_pPr().pageBreakBefore_val = True
    return document


def placeholders(document: Any) -> set[str]:
    """Every placeholder the template holds (to check a committee's own template)."""
    found: set[str] = set()
    for part in _parts(document):
        for paragraph in part.iter(qn("w:p")):
            found.update(PLACEHOLDER.findall(_text(paragraph)))
    return found


def _parts(document: Any) -> list[Any]:
    parts = [document.element.body]
    for section in document.sections:
        for story in (section.header, section.footer, section.first_page_header,
                      section.first_page_footer):
            if not story.is_linked_to_previous:
                parts.append(story._element)
    return parts


def _text(paragraph: Any) -> str:
    return "".join(node.text or "" for node in paragraph.iter(qn("w:t")))


def _list_units(part: Any) -> list[Any]:
    """The rows (or, outside a table, paragraphs) naming ``list.field``: repeated units."""
    units = [row for row in part.iter(qn("w:tr"))
             if any("." in k for k in PLACEHOLDER.findall(_text(row)))]
    units += [p for p in part.iter(qn("w:p")) if not _inside_row(p)
              and any("." in k for k in PLACEHOLDER.findall(_text(p)))]
    return units


def _repeat(unit: Any, values: Values, lists: Lists, name: str) -> None:
    """``unit`` once per item of the list it names, in its place; gone when it is empty."""
    key = next(k for k in PLACEHOLDER.findall(_text(unit)) if "." in k)
    list_name = key.split(".", 1)[0]
    if list_name not in lists:
        raise ReviewError("export.template_key", template=name, key=key)
    anchor = unit
    for item in lists[list_name]:
        clone = copy.deepcopy(unit)
        row_values = {**values, **{f"{list_name}.{k}": v for k, v in item.items()}}
        for paragraph in list(clone.iter(qn("w:p"))):
            _fill_paragraph(paragraph, row_values, name)
        anchor.addnext(clone)
        anchor = clone
    unit.getparent().remove(unit)


def _inside_row(paragraph: Any) -> bool:
    parent = paragraph.getparent()
    while parent is not None:
        if parent.tag == qn("w:tr"):
            return True
        parent = parent.getparent()
    return False


def _fill_paragraph(paragraph: Any, values: Values, name: str) -> None:
    """The placeholders of one paragraph, in one pass over the template's text (a value
    holding braces is printed, never read as a placeholder)."""
    texts = list(paragraph.iter(qn("w:t")))
    original = [node.text or "" for node in texts]
    joined = "".join(original)
    wanted = len(PLACEHOLDER.findall(joined))
    if not wanted:
        return
    if sum(len(PLACEHOLDER.findall(text)) for text in original) == wanted:
        for node, text in zip(texts, original, strict=True):  # each within one run
            if "{{" in text:
                node.text = _replace(text, values, name)
    else:  # one split across runs (an editor's doing): the first run takes the line
        texts[0].text = _replace(joined, values, name)
        for node in texts[1:]:
            node.text = ""
    for node in texts:
        if node.text and "\n" in node.text:
            _break_lines(node)


def _replace(text: str, values: Values, name: str) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise ReviewError("export.template_key", template=name, key=key)
        return str(values[key])

    return PLACEHOLDER.sub(value, text)


def _break_lines(node: Any) -> None:
    """A ``w:t`` holding "\\n" as ``w:t``, ``w:br``, ``w:t`` … in the same run."""
    lines = (node.text or "").split("\n")
    node.text = lines[0]
    node.set(qn("xml:space"), "preserve")
    anchor = node
    for line in lines[1:]:
        br = node.makeelement(qn("w:br"), {})
        text = node.makeelement(qn("w:t"), {qn("xml:space"): "preserve"})
        text.text = line
        anchor.addnext(br)
        br.addnext(text)
        anchor = text
