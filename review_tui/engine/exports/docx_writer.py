"""Write .docx files in the programme's format: A4, margins 2.54/3.17 cm, 標楷體 14 pt,
1.5 line spacing, justified, 「第 x 頁，共 y 頁」 centred in the footer.

python-docx sets only the Latin font name; East Asian text needs ``w:eastAsia`` on the
run fonts, which :func:`set_east_asian_font` writes. Its default template declares East
Asian text as en-US (and ja-JP for theme fonts), so a converter picks Japanese glyph forms
and punctuation: :func:`new_document` declares zh-TW throughout.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

from review_tui.engine.config import FormatRules

COACH_FORMAT = FormatRules(font="標楷體", font_aliases=("DFKai-SB",), size_pt=14,
                           line_spacing=1.5, margin_top_cm=2.54, margin_bottom_cm=2.54,
                           margin_left_cm=3.17, margin_right_cm=3.17, paper="A4")
LATIN_FALLBACK = "Times New Roman"


def set_east_asian_font(element: Any, font: str) -> None:
    """Set the East Asian (and Latin) font on a style or run element's ``w:rPr``."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font)
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), LATIN_FALLBACK)
    for theme in ("w:eastAsiaTheme", "w:asciiTheme", "w:hAnsiTheme"):
        fonts.attrib.pop(qn(theme), None)


def new_document(rules: FormatRules = COACH_FORMAT) -> Any:
    """A blank document whose Normal style and page follow ``rules``."""
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = ((Cm(21.0), Cm(29.7)) if rules.paper == "A4"
                                               else (Cm(21.59), Cm(27.94)))
    section.top_margin = Cm(rules.margin_top_cm)
    section.bottom_margin = Cm(rules.margin_bottom_cm)
    section.left_margin = Cm(rules.margin_left_cm)
    section.right_margin = Cm(rules.margin_right_cm)
    normal = document.styles["Normal"]
    normal.font.size = Pt(rules.size_pt)
    set_east_asian_font(normal.element, rules.font)
    normal.paragraph_format.line_spacing = rules.line_spacing
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    declare_zh_tw(document)
    add_page_number(section)
    properties = document.core_properties
    properties.author = properties.last_modified_by = properties.comments = ""
    properties.title = properties.subject = properties.keywords = ""
    return document


ZH_TW = "zh-TW"


def declare_zh_tw(document: Any) -> None:
    """East Asian text is Traditional Chinese (Taiwan): in the defaults every style inherits
    and in the theme's font language."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr")) if defaults is not None else None
    if rpr is not None:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        lang.set(qn("w:eastAsia"), ZH_TW)
    theme_lang = document.settings.element.find(qn("w:themeFontLang"))
    if theme_lang is not None:
        theme_lang.set(qn("w:eastAsia"), ZH_TW)


def add_field(paragraph: Any, instruction: str, shown: str = "1") -> None:
    """A field (PAGE, NUMPAGES …) with ``shown`` as its last-computed text."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None),
                       ("text", shown), ("end", None)):
        if kind == "text":
            node = OxmlElement("w:t")
            node.text = text
        elif kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = f" {text} "
        run._r.append(node)


def add_page_number(section: Any) -> None:
    """「第 x 頁，共 y 頁」 centred in the section's footer (PAGE and NUMPAGES fields)."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("第 ")
    add_field(paragraph, "PAGE")
    paragraph.add_run(" 頁，共 ")
    add_field(paragraph, "NUMPAGES")
    paragraph.add_run(" 頁")


def mark_draft(section: Any, text: str) -> None:
    """``text`` (草案（未定案）) at the top of every page of the section, in its header."""
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = True


def add_title(document: Any, text: str, size_pt: float = 16) -> Any:
    """A centred, bold title paragraph."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True  # never alone at a page's foot
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size_pt)
    return paragraph


def stamp_properties(document: Any, title: str, stamp: str) -> None:
    """The file's title, and the decisions' date (``stamp``, ISO) as created and modified,
    not "now": the same data gives the same documents; no template's author carried over."""
    properties = document.core_properties
    properties.title = title
    properties.author = properties.last_modified_by = ""
    if stamp:
        properties.created = properties.modified = datetime.fromisoformat(stamp)
    properties.revision = 1


def add_bookmark(paragraph: Any, name: str, text: str, number: int) -> None:
    """``text`` in ``paragraph`` as the bookmark ``name`` with id ``number`` (unique in the
    document): what a PAGEREF points at."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.append(start)
    paragraph.add_run(text)
    paragraph._p.append(end)


def add_contents_line(document: Any, text: str, bookmark: str, page: str) -> Any:
    """A line of the contents: ``text``, dot leaders, and the page of ``bookmark`` as a
    PAGEREF field (laid out by Word and LibreOffice; ``page`` until then)."""
    section = document.sections[-1]
    width = Emu(section.page_width - section.left_margin - section.right_margin)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.line_spacing = 1.0
    paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT,
                                                      WD_TAB_LEADER.DOTS)
    paragraph.add_run(f"{text}\t")
    add_field(paragraph, f"PAGEREF {bookmark} \\h", page)
    return paragraph


def update_fields_on_open(document: Any) -> None:
    """Ask Word to recompute the fields (contents' page numbers) when the file is opened."""
    settings = document.settings.element
    if settings.find(qn("w:updateFields")) is not None:
        return
    flag = OxmlElement("w:updateFields")
    flag.set(qn("w:val"), "true")
    later = next((child for child in settings if child.tag in _AFTER_UPDATE_FIELDS), None)
    if later is not None:  # the schema's order: Word refuses a settings part out of it
        later.addprevious(flag)
    else:
        settings.append(flag)


_AFTER_UPDATE_FIELDS = {qn(f"w:{name}") for name in (
    "hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids",
    "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
    "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
    "smartTagType", "shapeDefaults", "doNotEmbedSmartTags", "decimalSymbol", "listSeparator")
} | {"{http://schemas.openxmlformats.org/officeDocument/2006/math}mathPr"}
