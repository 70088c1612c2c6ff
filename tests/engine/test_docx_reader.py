"""Reading .docx text and facts the way a reader sees the document."""

from __future__ import annotations

from review_tui.engine.intake.docx_reader import read_docx
from tests.builders import add_tracked_changes, body_text, make_docx

LIMIT = 100 * 1024 * 1024


def test_tracked_insertions_count_and_deletions_do_not(tmp_path):
    path = make_docx(tmp_path / "a.docx", "題", body_text(100))
    add_tracked_changes(path, "新增的字", "刪除的字", author="李審稿")
    content = read_docx(path.read_bytes(), LIMIT)
    assert content.paragraphs[-1] == "新增的字"
    assert content.has_revisions
    assert content.metadata["revision_authors"] == ["李審稿"]


def test_compliant_document_facts(tmp_path):
    content = read_docx(make_docx(tmp_path / "a.docx", "題", body_text(600)).read_bytes(), LIMIT)
    facts = content.format
    assert set(facts["font_chars"]) == {"標楷體"}
    assert set(facts["size_chars"]) == {"14"}
    assert set(facts["line_spacing"]) == {"auto:360"}
    assert set(facts["alignment"]) == {"both"}
    assert facts["page_number"] == "centre"
    assert facts["margins_cm"] == [2.54, 2.54, 3.17, 3.17]
    assert facts["page_cm"] == [21.0, 29.7]


def test_metadata_is_read(tmp_path):
    path = make_docx(tmp_path / "a.docx", author="王小明", company="某機關")
    metadata = read_docx(path.read_bytes(), LIMIT).metadata
    assert metadata["creator"] == ["王小明"] and metadata["company"] == ["某機關"]


def test_a_tracked_change_in_a_part_nothing_else_reads_is_still_found(tmp_path):
    import io
    import zipfile

    source = make_docx(tmp_path / "a.docx", "題目", body_text(1200)).read_bytes()
    change = ('<w:rPrChange w:id="9" w:author="王小明" w:date="2026-06-01T00:00:00Z">'
              '<w:rPr/></w:rPrChange></w:styles>')
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        names = old.namelist()
        assert "word/stylesWithEffects.xml" in names  # python-docx's template has one
        for name in names:
            data = old.read(name)
            if name == "word/stylesWithEffects.xml":
                data = data.replace(b"</w:styles>", change.encode("utf-8"))
            new.writestr(name, data)
    content = read_docx(out.getvalue(), 100 * 1024 * 1024)
    assert content.has_revisions
    assert content.metadata["revision_authors"] == ["王小明"]


def test_revision_marks_are_seen_with_any_prefix_and_not_in_look_alikes():
    from review_tui.engine.intake.docx_reader import may_hold_revisions

    assert may_hold_revisions(b'<w:ins w:id="1" w:author="a">')
    assert may_hold_revisions(b'<ins id="1">')  # the default namespace, no prefix
    assert may_hold_revisions(b"<x:pPrChange/>")
    assert not may_hold_revisions(b'<w:insideH w:val="single"/><w:delText/><w:rPr/>')
