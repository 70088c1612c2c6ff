"""The .docx writer: a valid package python-docx and zipfile read back, the same bytes for
the same document, unchanged parts compressed once, a streamed main part, a clear refusal
past ZIP's 4 GB."""

from __future__ import annotations

import zipfile

import docx
import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import docx_package
from review_tui.engine.exports.docx_package import MAIN_PART, PartCache, members, write_package


def _document(text: str):
    document = docx.Document()
    document.add_paragraph(text)
    document.core_properties.title = text[:100]
    return document


def test_the_package_reads_back_as_python_docx_saved_it(tmp_path):
    document = _document("高雄市政府 函（稿）")
    ours, theirs = tmp_path / "ours.docx", tmp_path / "theirs.docx"
    write_package(document, ours)
    document.save(str(theirs))
    with zipfile.ZipFile(ours) as mine, zipfile.ZipFile(theirs) as reference:
        assert mine.testzip() is None
        assert set(mine.namelist()) == set(reference.namelist())
        for name in reference.namelist():
            if name != "[Content_Types].xml":  # ours names each part, theirs by extension
                assert mine.read(name) == reference.read(name), name
    again = docx.Document(str(ours))
    assert [p.text for p in again.paragraphs] == ["高雄市政府 函（稿）"]
    assert again.core_properties.title == "高雄市政府 函（稿）"


def test_the_same_document_gives_the_same_bytes(tmp_path):
    document = _document("同一份")
    write_package(document, tmp_path / "a.docx")
    write_package(document, tmp_path / "b.docx", PartCache())
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes()


def test_an_unchanged_part_is_compressed_once(tmp_path, monkeypatch):
    cache, compressed = PartCache(), []
    deflate = docx_package._deflate
    monkeypatch.setattr(docx_package, "_deflate",
                        lambda chunks: compressed.append(1) or deflate(chunks))
    first = _document("第一封")
    write_package(first, tmp_path / "1.docx", cache)
    once = len(compressed)
    assert once == len(members(first))
    first.paragraphs[0].text = "第二封"  # the body changes, the styles and theme do not
    write_package(first, tmp_path / "2.docx", cache)
    assert len(compressed) - once == 1  # the main part only
    assert docx.Document(str(tmp_path / "2.docx")).paragraphs[0].text == "第二封"


def test_a_streamed_main_part_is_written_as_given(tmp_path):
    document = _document("marker")
    text = dict(members(document))[MAIN_PART].decode("utf-8")
    head, tail = text.split("marker")
    chunks = [head.encode(), "逐列寫入".encode() * 50_000, tail.encode()]
    write_package(document, tmp_path / "s.docx", main=iter(chunks))
    with zipfile.ZipFile(tmp_path / "s.docx") as package:
        assert package.testzip() is None
        assert package.read(MAIN_PART) == b"".join(chunks)
    assert docx.Document(str(tmp_path / "s.docx")).paragraphs[0].text.startswith("逐列寫入")


def test_a_package_past_zips_limit_is_refused_by_name(tmp_path, monkeypatch):
    monkeypatch.setattr(docx_package, "LIMIT", 1000)
    with pytest.raises(ReviewError) as refused:
        write_package(_document("大" * 2000), tmp_path / "big.docx")
    assert refused.value.key == "export.too_large"
