"""Read a submitted .docx safely: package checks, body text, metadata and format facts.

Nothing here trusts the file. :func:`check_package` looks at the zip before python-docx does
(size, encryption, zip bombs, missing parts). :func:`read_docx` then extracts what the intake
rules need. Format facts are counts (characters per font, per size; paragraphs per spacing,
per alignment) so the rules can judge them against whatever the committee configured.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from review_tui.engine.intake.paths import OLE_MAGIC, FileProblem, open_zip_checked
from review_tui.engine.storage.gc_pause import collector_running

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
LONG_PARAGRAPH = 30  # shorter lines (signatures, headings) may be aligned otherwise


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def w_attr(element: Any, name: str) -> str | None:
    return element.get(w(name)) if element is not None else None


@dataclass
class DocxContent:
    """What intake needs from a .docx. ``metadata`` values are names: never persisted."""

    paragraphs: list[str]
    header_footer_text: list[str] = field(default_factory=list)
    metadata: dict[str, list[str]] = field(default_factory=dict)
    format: dict[str, Any] = field(default_factory=dict)
    has_comments: bool = False
    has_revisions: bool = False


def check_package(data: bytes, max_unpacked: int) -> None:
    """Refuse what is not a plain, reasonably sized .docx before any parser touches it."""
    if data.startswith(OLE_MAGIC):
        # An encrypted OOXML file is an OLE container holding "EncryptionInfo".
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise FileProblem("file.encrypted")
        raise FileProblem("file.not_docx", kind=".doc")
    if not data.startswith(b"PK"):
        raise FileProblem("file.not_docx", kind="?")
    members = open_zip_checked(data, max_unpacked)
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise FileProblem("file.not_docx", kind="zip")


def read_docx(data: bytes, max_unpacked: int) -> DocxContent:
    """Check the package, then extract text, metadata and format facts."""
    check_package(data, max_unpacked)
    try:
        with collector_running():  # python-docx's object graph is cyclic: see storage/gc_pause.py
            import docx  # here, not at the top: every CLI command imports this module

            return _extract(docx.Document(io.BytesIO(data)))
    except FileProblem:
        raise
    except Exception as exc:  # python-docx/lxml/zipfile raise many types on broken input
        raise FileProblem("file.corrupt", reason=f"{type(exc).__name__}: {exc}") from exc


# --- text ----------------------------------------------------------------------------------

_DELETED = {w("del"), w("moveFrom")}


def _paragraph_text(paragraph: Any) -> str:
    """Text of one paragraph as a reader sees it: tracked insertions in, deletions out.

    (python-docx's ``paragraph.text`` skips text inside ``w:ins``.)
    """
    parts: list[str] = []
    for node in paragraph.iter(w("t"), w("tab"), w("br")):
        owner = node.getparent()
        deleted = False
        while owner is not None and owner.tag != w("p"):
            if owner.tag in _DELETED:
                deleted = True
                break
            owner = owner.getparent()
        if deleted or owner is not paragraph or (node.tag != w("t") and
                                                  node.getparent().tag != w("r")):
            continue
        parts.append(node.text or "" if node.tag == w("t") else " ")
    return "".join(parts)


# Parts read by name below; any other part matters only for the revisions it may hold.
_READ_PARTS = ("/word/header", "/word/footer", "/word/comments.xml", "/word/styles.xml",
               "/word/theme/", "/docProps/")
_REVISION_MARK = re.compile(rb"[<:](?:ins|del|moveFrom|moveTo|rPrChange|pPrChange)[\s/>]")


def may_hold_revisions(blob: bytes) -> bool:
    """Whether a part's bytes may hold a tracked change (any namespace prefix, or none)."""
    return _REVISION_MARK.search(blob) is not None


def _xml_parts(document: Any) -> dict[str, Any]:
    """The package's XML parts by part name, parsed (safely) with lxml.

    A part python-docx has not parsed, that nothing here reads and whose bytes hold no
    tracked change is left out: Word 2010's stylesWithEffects.xml alone is 0.4 MB, half the
    reading time of a typical entry.
    """
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    out = {}
    for part in document.part.package.iter_parts():
        name = str(part.partname)
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        element = getattr(part, "_element", None)
        if element is None:
            blob = part.blob
            if not name.startswith(_READ_PARTS) and not may_hold_revisions(blob):
                continue
            element = etree.fromstring(blob, parser)
        out[name] = element
    return out


def _extract(document: Any) -> DocxContent:
    parts = _xml_parts(document)
    body = document.element.body
    paragraph_elements = list(body.iter(w("p")))
    paragraphs = [_paragraph_text(p) for p in paragraph_elements]
    header_footer = [
        _paragraph_text(p)
        for name, root in parts.items() if name.startswith(("/word/header", "/word/footer"))
        for p in root.iter(w("p"))
    ]
    revisions = [
        el for name, root in parts.items() if name.startswith("/word/")
        for el in root.iter(w("ins"), w("del"), w("moveFrom"), w("moveTo"),
                            w("rPrChange"), w("pPrChange"))
    ]
    comments_root = parts.get("/word/comments.xml")
    comments = list(comments_root.iter(w("comment"))) if comments_root is not None else []
    content = DocxContent(
        paragraphs=paragraphs,
        header_footer_text=[t for t in header_footer if t.strip()],
        metadata=_metadata(document, parts, comments, revisions),
        has_comments=bool(comments),
        has_revisions=bool(revisions),
    )
    content.format = _format_facts(document, parts, paragraph_elements, paragraphs)
    return content


def _metadata(document: Any, parts: dict[str, Any], comments: list[Any],
              revisions: list[Any]) -> dict[str, list[str]]:
    core = document.core_properties
    meta: dict[str, list[str]] = {
        "creator": [core.author or ""],
        "last_modified_by": [core.last_modified_by or ""],
        "title": [core.title or ""],
        "subject": [core.subject or ""],
        "keywords": [core.keywords or ""],
        "description": [core.comments or ""],
    }
    app = parts.get("/docProps/app.xml")
    if app is not None:
        for tag in ("Company", "Manager"):
            meta[tag.lower()] = [el.text or "" for el in app.iter() if
                                 isinstance(el.tag, str) and el.tag.endswith("}" + tag)]
    custom = parts.get("/docProps/custom.xml")
    if custom is not None:
        meta["custom"] = [el.text or "" for el in custom.iter() if len(el) == 0 and el.text]
    meta["comment_authors"] = [a for c in comments
                               for a in (w_attr(c, "author"), w_attr(c, "initials")) if a]
    meta["revision_authors"] = sorted({w_attr(r, "author") or "" for r in revisions})
    return {k: [v for v in vals if v.strip()] for k, vals in meta.items() if any(vals)}


# --- format facts ----------------------------------------------------------------------------


class _Styles:
    """Resolves a property through run → run style → paragraph style chain → doc defaults."""

    def __init__(self, parts: dict[str, Any]) -> None:
        root = parts.get("/word/styles.xml")
        self.by_id: dict[str, Any] = {}
        self.default_paragraph_style: str | None = None
        self.default_rpr = self.default_ppr = None
        if root is not None:
            for style in root.iter(w("style")):
                style_id = w_attr(style, "styleId")
                if style_id:
                    self.by_id[style_id] = style
                    if w_attr(style, "default") in ("1", "true") and \
                            w_attr(style, "type") == "paragraph":
                        self.default_paragraph_style = style_id
            defaults = root.find(w("docDefaults"))
            if defaults is not None:
                self.default_rpr = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
                self.default_ppr = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
        self.theme_fonts = _theme_east_asian_fonts(parts)

    def chain(self, style_id: str | None) -> list[Any]:
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(w("basedOn"))
            style_id = w_attr(based, "val")
        return out

    def run_value(self, run: Any, paragraph_style: str | None, getter: Any) -> Any:
        rpr = run.find(w("rPr"))
        value = getter(self, rpr)
        if value is not None:
            return value
        run_style = w_attr(rpr.find(w("rStyle")), "val") if rpr is not None else None
        for style in self.chain(run_style) + self.chain(paragraph_style):
            value = getter(self, style.find(w("rPr")))
            if value is not None:
                return value
        return getter(self, self.default_rpr)

    def paragraph_value(self, ppr: Any, paragraph_style: str | None, getter: Any) -> Any:
        value = getter(ppr)
        if value is not None:
            return value
        for style in self.chain(paragraph_style):
            value = getter(style.find(w("pPr")))
            if value is not None:
                return value
        return getter(self.default_ppr)


def _theme_east_asian_fonts(parts: dict[str, Any]) -> dict[str, str]:
    theme = next((root for name, root in parts.items() if name.startswith("/word/theme/")), None)
    fonts: dict[str, str] = {}
    if theme is None:
        return fonts
    for kind in ("major", "minor"):
        node = next(theme.iter(f"{{{A}}}{kind}Font"), None)
        if node is None:
            continue
        hant = next((f.get("typeface") for f in node.iter(f"{{{A}}}font")
                     if f.get("script") == "Hant"), None)
        ea = node.find(f"{{{A}}}ea")
        fonts[kind] = hant or (ea.get("typeface") if ea is not None else "") or ""
    return fonts


def _east_asian_font(styles: _Styles, rpr: Any) -> str | None:
    fonts = rpr.find(w("rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    if w_attr(fonts, "eastAsia"):
        return w_attr(fonts, "eastAsia")
    theme = w_attr(fonts, "eastAsiaTheme")
    if theme:
        return styles.theme_fonts.get("major" if theme.startswith("major") else "minor") or theme
    return None


def _size_half_points(_styles: _Styles, rpr: Any) -> int | None:
    size = rpr.find(w("sz")) if rpr is not None else None
    value = w_attr(size, "val")
    return int(float(value)) if value else None


def _line_spacing(ppr: Any) -> str | None:
    spacing = ppr.find(w("spacing")) if ppr is not None else None
    if spacing is None or w_attr(spacing, "line") is None:
        return None
    return f"{w_attr(spacing, 'lineRule') or 'auto'}:{w_attr(spacing, 'line')}"


def _alignment(ppr: Any) -> str | None:
    return w_attr(ppr.find(w("jc")), "val") if ppr is not None else None


def _format_facts(document: Any, parts: dict[str, Any], paragraph_elements: list[Any],
                  texts: list[str]) -> dict[str, Any]:
    styles = _Styles(parts)
    font_chars: Counter[str] = Counter()
    size_chars: Counter[str] = Counter()
    spacing: Counter[str] = Counter()
    alignment: Counter[str] = Counter()
    title_seen = False
    for element, text in zip(paragraph_elements, texts, strict=True):
        if not text.strip():
            continue
        is_title = not title_seen
        title_seen = True
        ppr = element.find(w("pPr"))
        pstyle = w_attr(ppr.find(w("pStyle")), "val") if ppr is not None else None
        pstyle = pstyle or styles.default_paragraph_style
        for run in element.iter(w("r")):
            chars = sum(1 for t in run.iter(w("t")) for ch in (t.text or "") if not ch.isspace())
            if not chars:
                continue
            font_chars[styles.run_value(run, pstyle, _east_asian_font) or "(default)"] += chars
            if not is_title:
                size = styles.run_value(run, pstyle, _size_half_points)
                size_chars[f"{size / 2:g}" if size else "(default)"] += chars
        if is_title:
            continue
        spacing[styles.paragraph_value(ppr, pstyle, _line_spacing) or "auto:240"] += 1
        if len(text.strip()) >= LONG_PARAGRAPH:
            alignment[styles.paragraph_value(ppr, pstyle, _alignment) or "left"] += 1
    section = document.sections[0]
    return {
        "font_chars": dict(font_chars),
        "size_chars": dict(size_chars),
        "line_spacing": dict(spacing),
        "alignment": dict(alignment),
        "margins_cm": [round(_cm(m), 2) for m in (section.top_margin, section.bottom_margin,
                                                  section.left_margin, section.right_margin)],
        "page_cm": [round(_cm(section.page_width), 2), round(_cm(section.page_height), 2)],
        "landscape": section.orientation == _landscape(),
        "vertical_text": any(w_attr(el, "val") in ("tbRl", "tbRlV", "tbLrV")
                             for el in document.element.body.iter(w("textDirection"))),
        "page_number": _page_number_position(parts, styles),
    }


def _landscape() -> Any:
    from docx.enum.section import WD_ORIENT

    return WD_ORIENT.LANDSCAPE


def _cm(length: Any) -> float:
    return length.cm if length is not None else 0.0


def _page_number_position(parts: dict[str, Any], styles: _Styles) -> str:
    """``centre``, ``other`` (a page number not centred) or ``none`` for the footers."""
    found = "none"
    for name, root in parts.items():
        if not name.startswith("/word/footer"):
            continue
        for paragraph in root.iter(w("p")):
            if not _has_page_field(paragraph):
                continue
            ppr = paragraph.find(w("pPr"))
            pstyle = w_attr(ppr.find(w("pStyle")), "val") if ppr is not None else None
            align = styles.paragraph_value(ppr, pstyle, _alignment)
            tabs = sum(1 for t in paragraph.iter(w("tab")) if t.getparent().tag == w("r"))
            if align == "center" or (align in (None, "left", "start") and tabs == 1):
                return "centre"
            found = "other"
    return found


def _has_page_field(paragraph: Any) -> bool:
    for simple in paragraph.iter(w("fldSimple")):
        if "PAGE" in (w_attr(simple, "instr") or "").split():
            return True
    return any("PAGE" in (t.text or "").split() for t in paragraph.iter(w("instrText")))
