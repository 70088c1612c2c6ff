"""Write .docx files in the programme's format: A4, margins 2.54/3.17 cm, 標楷體 14 pt,
1.5 line spacing, justified, page number centred in the footer.

python-docx sets only the Latin font name; East Asian text needs ``w:eastAsia`` on the
run fonts, which :func:`set_east_asian_font` writes.
"""

from __future__ import annotations

from typing import Any

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

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
    add_page_number(section)
    properties = document.core_properties
    properties.author = properties.last_modified_by = properties.comments = ""
    properties.title = properties.subject = properties.keywords = ""
    return document


def add_page_number(section: Any) -> None:
    """A centred PAGE field in the section's footer."""
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            node = OxmlElement("w:fldChar")
            node.set(qn("w:fldCharType"), kind)
        else:
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = text
        run._r.append(node)


def add_title(document: Any, text: str, size_pt: float = 16) -> Any:
    """A centred, bold title paragraph."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(size_pt)
    return paragraph
