"""Builders of real test inputs: .docx files, manifests and workspaces on disk."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from review_tui.engine.exports.docx_writer import add_title, new_document

HEADER_ZH = ["類別", "機關銜稱", "作品題目", "檔案", "作者", "職稱", "職等", "人員類別",
             "閱讀書目", "服務類別", "同意公開分享", "案例屬實", "願意發表", "收件日期"]
HEADER_EN = ["track", "agency", "title", "file", "authors", "job_titles", "grades",
             "staff_types", "book", "service_category", "consent_share", "factual",
             "will_present", "received"]
SENTENCE = "服務民眾需要耐心傾聽與真誠回應，讓每一次溝通都留下溫度。"  # 28 characters


def body_text(chars: int) -> list[str]:
    """Paragraphs of exactly ``chars`` non-whitespace characters (title not included)."""
    text = (SENTENCE * (chars // len(SENTENCE) + 1))[:chars]
    return [text[i:i + 200] for i in range(0, len(text), 200)]


def make_docx(path: Path, title: str = "測試作品", paragraphs: list[str] | None = None, *,
              formatted: bool = True, author: str = "", company: str = "") -> Path:
    """A .docx in the programme's format (or python-docx's plain default)."""
    paragraphs = body_text(1200) if paragraphs is None else paragraphs
    if formatted:
        document = new_document()
        add_title(document, title)
    else:
        document = docx.Document()
        document.core_properties.author = ""
        document.add_paragraph(title)
    for text in paragraphs:
        document.add_paragraph(text)
    document.core_properties.author = author
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    if company:
        _set_company(path, company)
    return path


def _set_company(path: Path, company: str) -> None:
    rewrite_zip(path, "docProps/app.xml", lambda xml: xml.replace(
        b"</Properties>", f"<Company>{company}</Company></Properties>".encode()))


def rewrite_zip(path: Path, member: str, change: Any) -> None:
    """Rewrite one member of a zip file in place through ``change(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in items:
            target.writestr(info, change(data) if info.filename == member else data)


def add_tracked_changes(path: Path, inserted: str, deleted: str, author: str) -> None:
    """Append a paragraph holding a tracked insertion and a tracked deletion by ``author``."""
    document = docx.Document(path)
    paragraph = document.add_paragraph()
    ins = _revision("w:ins", "1", author, "w:t", inserted)
    deletion = _revision("w:del", "2", author, "w:delText", deleted)
    paragraph._p.append(ins)
    paragraph._p.append(deletion)
    document.save(path)


def _revision(tag: str, rev_id: str, author: str, text_tag: str, text: str) -> Any:
    """A tracked-change element (``w:ins``/``w:del``) holding one run of ``text``."""
    element = OxmlElement(tag)
    element.set(qn("w:id"), rev_id)
    element.set(qn("w:author"), author)
    run = OxmlElement("w:r")
    node = OxmlElement(text_tag)
    node.text = text
    run.append(node)
    element.append(run)
    return element


def row(track: str = "心得", agency: str = "高雄市政府民政局", title: str = "作品一",
        file: str = "a.docx", authors: str = "王小明", job_titles: str = "科員",
        grades: str = "委任第5職等", staff_types: str = "編制內",
        book: str = "微笑的力量", service_category: str = "", consent_share: str = "是",
        factual: str = "", will_present: str = "", received: str = "2026-06-01") -> list[str]:
    """One manifest row in the column order of HEADER_ZH / HEADER_EN."""
    return [track, agency, title, file, authors, job_titles, grades, staff_types, book,
            service_category, consent_share, factual, will_present, received]


def case_row(**kw: str) -> list[str]:
    values = {"track": "案例", "book": "", "service_category": "便民服務", "factual": "是",
              "will_present": "是"}
    values.update(kw)
    return row(**values)


def write_manifest(path: Path, rows: list[list[str]], *, encoding: str = "utf-8-sig",
                   header: list[str] | None = None) -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header or HEADER_ZH, *rows])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    return write_manifest(path, rows, header=header)


def exif_jpeg(artist: str) -> bytes:
    """JPEG bytes whose EXIF segment names ``artist`` (enough for a grep, not for a viewer)."""
    value = artist.encode("utf-8") + b"\0"
    entry = (0x013B).to_bytes(2, "little") + (2).to_bytes(2, "little")  # Artist, ASCII
    entry += len(value).to_bytes(4, "little") + (26).to_bytes(4, "little")
    tiff = b"II*\0" + (8).to_bytes(4, "little") + (1).to_bytes(2, "little") + entry
    tiff += (0).to_bytes(4, "little") + value
    app1 = b"Exif\0\0" + tiff
    return b"\xff\xd8\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1 + b"\xff\xd9"


def make_leaky_docx(path: Path, *, title: str, name: str, job_title: str, agency: str,
                    paragraphs: list[str]) -> Path:
    """A .docx that names its writer in every part a .docx has: core, app and custom
    properties, a comment, tracked insertion and deletion, the header, and an image's EXIF."""
    document = new_document()
    add_title(document, title)
    for text in paragraphs:
        document.add_paragraph(text)
    commented = document.add_paragraph("本文經同仁審閱。")
    document.add_comment(commented.runs, text=f"{name}的意見", author=name, initials=name[:1])
    document.sections[0].header.paragraphs[0].text = f"{agency} {job_title} {name}"
    document.core_properties.author = name
    document.core_properties.last_modified_by = name
    document.core_properties.title = f"{agency}作品"
    document.save(path)
    add_tracked_changes(path, inserted=f"（補充：{name}撰寫）", deleted=f"{agency}{name}",
                        author=name)
    _set_company(path, agency)
    custom = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
        'docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" '
        f'name="Writer"><vt:lpwstr>{name}</vt:lpwstr></property></Properties>').encode()
    with zipfile.ZipFile(path, "a") as package:
        package.writestr("docProps/custom.xml", custom)
        package.writestr("word/media/photo.jpg", exif_jpeg(name))
    return path
