"""Exports opened and read back: every winner and writer, fonts, page setup, safety."""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import run_export, safe_name
from tests.engine.seal_fixtures import build_committee


def decisions(folder: Path) -> dict:
    return json.loads((folder / "decisions.json").read_text(encoding="utf-8"))


def doc_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_blind_export_before_unseal_has_no_names(committee, tmp_path):
    report = run_export(committee, tmp_path / "blind", convert=False)
    names = {p.name for p in report.files}
    assert report.blind_only and "成績總表.docx" in names and "decisions.json" not in names
    assert all(p.name == "成績總表.csv" or p.suffix == ".docx" for p in report.files)
    text = doc_text(tmp_path / "blind" / "成績總表.docx")
    assert "R1" in text and "R-" in text


def test_decisions_json_has_the_public_shape(exported, unsealed):
    data = decisions(exported)
    assert set(data["tracks"]) == {"reading", "case"}
    winners = [r for rows in data["tracks"].values() for r in rows if r["status"] == "winner"]
    assert winners and all(r["commended"] and r["title"] and r["agency"] for r in winners)
    for rows in data["tracks"].values():
        for row in rows:
            assert {"code", "rank", "score", "status", "reason", "tie", "title", "agency",
                    "commended", "co_authors"} <= set(row)
    frozen = unsealed.store.table_rows("decisions")[0]["document"]["tracks"]
    assert [r["status"] for r in data["tracks"]["case"]] == [r["status"] for r in frozen["case"]]


def test_award_lists_name_every_winner_and_keep_co_authors_apart(exported):
    data = decisions(exported)
    for track, title in (("reading", "溝通服務專書閱讀心得報告"), ("case", "溝通服務個案案例")):
        text = doc_text(exported / f"入選名單_{title}.docx")
        with open(exported / f"入選名單_{title}.csv", encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        winners = [r for r in data["tracks"][track] if r["status"] == "winner"]
        assert [r["編號"] for r in rows] == [w["code"] for w in winners]
        for winner, row in zip(winners, rows, strict=True):
            assert winner["code"] in text and winner["title"] in text
            assert all(name in text for name in winner["commended"])
            assert row["敘獎人員"] == "、".join(winner["commended"])
            assert row["共同作者（不敘獎）"] == "、".join(winner["co_authors"])
    for row in (r for rows in data["tracks"].values() for r in rows):
        if row["status"] == "winner":
            assert row["commended"] + row["co_authors"] == row["writers"]
        assert row["co_authors"] == [] or row["status"] == "winner"  # not for the unselected
    assert len(data["decisions_sha256"]) == 64
    capped = [r for r in data["tracks"]["case"] if r["status"] == "winner" and r["co_authors"]]
    assert capped, "the demo has a winning case with more writers than the cap"
    assert all(len(r["commended"]) == 2 for r in capped)


def test_csvs_speak_the_offices_language(exported, unsealed, tmp_path):
    """Chinese headers and words by default (入選, 是/否, criteria by name); English with
    csv_lang="en" (``export --lang en``); decisions.json keeps the codes (SPEC §10)."""
    with open(exported / "成績總表.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    headers = {"類別", "名次", "編號", "結果", "理由", "評審委員", "計入", "啟示與創見"}
    assert headers <= set(rows[0])
    assert {r["結果"] for r in rows} <= {"入選", "未入選", "未達最低分", "達機關上限"}
    assert "入選" in {r["結果"] for r in rows} and {r["計入"] for r in rows} == {"是"}
    assert {r["評分差異過大"] for r in rows} == {"否"}
    assert not {r["結果"] for r in rows} & {"winner", "not_selected", "True", "False"}
    report = run_export(unsealed, tmp_path / "en", convert=False, csv_lang="en")
    with open(report.folder / "成績總表.csv", encoding="utf-8-sig") as handle:
        english = list(csv.DictReader(handle))
    assert {"track", "rank", "code", "status", "counted"} <= set(english[0])
    assert {r["counted"] for r in english} == {"yes"}
    assert decisions(exported)["tracks"]["reading"][0]["status"] == "winner"


def test_roster_groups_commended_staff_by_agency(exported):
    data = decisions(exported)
    rosters = sorted((exported / "敘獎名冊").glob("敘獎名冊_*.docx"))
    assert len(rosters) > 1  # one per recommending top-level agency
    text = "\n".join(doc_text(path) for path in rosters)
    for rows in data["tracks"].values():
        for row in rows:
            if row["status"] == "winner":
                assert row["agency"] in text
                assert all(name in text for name in row["commended"])
                assert all(name not in text for name in row["co_authors"]
                           if not any(name in r["commended"] for t in data["tracks"].values()
                                      for r in t))


def test_every_document_uses_the_programme_format(exported):
    for path in sorted(exported.rglob("*.docx")):
        document = docx.Document(str(path))
        fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "標楷體", path.name
        section = document.sections[0]
        if path.name == "獎狀.docx":  # a certificate: its own margins, no page number
            continue
        assert round(section.top_margin.cm, 2) == 2.54 and round(section.left_margin.cm, 2) == 3.17
        assert sorted((round(section.page_width.cm, 1), round(section.page_height.cm, 1))) == \
            [21.0, 29.7]
        footer = section.footer.paragraphs[0]._p.xml
        assert "PAGE" in footer, path.name
        for table in document.tables:
            assert (table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
                    or table.cell(0, 0).text == "溝通服務案例題目")  # a case's form


def test_the_compilation_holds_each_selected_work(exported):
    data = decisions(exported)
    document = docx.Document(str(exported / "優良作品集.docx"))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    winners = [r for rows in data["tracks"].values() for r in rows if r["status"] == "winner"]
    assert headings == [w["title"] for w in winners]
    normal = document.styles["Normal"].paragraph_format
    assert normal.line_spacing == 1.5 and normal.alignment == 3  # justified
    assert "目　錄" in doc_text(exported / "優良作品集.docx")
    # Contents: a PAGEREF to a bookmark on each work's heading, which starts a page (no
    # page-break paragraph that could leave a blank page); Word recomputes on opening.
    body = document.element.body
    marks = [m.get(qn("w:name")) for m in body.iter(qn("w:bookmarkStart"))]
    assert marks == [f"_Work{n}" for n in range(len(winners))]
    references = [t.text.strip() for t in body.iter(qn("w:instrText")) if "PAGEREF" in t.text]
    assert references == [f"PAGEREF _Work{n} \\h" for n in range(len(winners))]
    assert not [b for b in body.iter(qn("w:br")) if b.get(qn("w:type")) == "page"]
    headings = [p for p in document.paragraphs if p.style.name == "Heading 1"]
    assert all(p.paragraph_format.page_break_before for p in headings)
    assert document.settings.element.find(qn("w:updateFields")).get(qn("w:val")) == "true"


def test_an_existing_export_is_never_overwritten(unsealed, tmp_path):
    first = run_export(unsealed, tmp_path / "out", convert=False)
    stamp = (tmp_path / "out" / "decisions.json").stat().st_mtime_ns
    second = run_export(unsealed, tmp_path / "out", convert=False)
    assert second.folder.parent == first.folder and second.folder.name.startswith("export-")
    assert (tmp_path / "out" / "decisions.json").stat().st_mtime_ns == stamp
    forced = run_export(unsealed, tmp_path / "out", force=True, convert=False)
    assert forced.folder == first.folder


def test_exports_are_deterministic_apart_from_timestamps(unsealed, tmp_path):
    a = run_export(unsealed, tmp_path / "a", convert=False)
    b = run_export(unsealed, tmp_path / "b", convert=False)
    for left in a.files:
        right = b.folder / left.relative_to(a.folder)
        if left.suffix == ".docx":
            with zipfile.ZipFile(left) as x, zipfile.ZipFile(right) as y:
                assert x.namelist() == y.namelist()
                for name in x.namelist():
                    assert x.read(name) == y.read(name), (left.name, name)
        else:
            assert left.read_bytes() == right.read_bytes(), left.name


@pytest.mark.parametrize(("raw", "safe"), [
    ("../../etc/passwd", "_.._etc_passwd"), ("a:b*c?d", "a_b_c_d"), ("CON", "_CON"),
    ("評分表_J01_陳雅琪", "評分表_J01_陳雅琪"), ("  trailing. ", "trailing"), ("", "_"),
])
def test_safe_file_names(raw, safe):
    assert safe_name(raw) == safe


def test_export_needs_a_deal(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "in")
    with pytest.raises(ReviewError) as error:
        run_export(workspace, tmp_path / "out")
    assert error.value.key == "pipeline.needs"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftoppm") is None,
                    reason="LibreOffice and poppler-utils render the documents")
def test_documents_render_through_libreoffice(unsealed, tmp_path):
    """Every .docx gets its .odt and .pdf beside it, and the progress follows each file to
    the end."""
    seen: list[tuple[str, int, int]] = []
    report = run_export(unsealed, tmp_path / "render", progress=lambda *step: seen.append(step))
    assert report.converter is None
    pdfs = [p for p in report.converted if p.suffix == ".pdf"]
    odts = [p for p in report.converted if p.suffix == ".odt"]
    docx_files = [p for p in report.files if p.suffix == ".docx"]
    assert len(pdfs) == len(odts) == len(docx_files)
    assert {p.with_suffix(".pdf") for p in docx_files} == set(pdfs)  # beside its source
    assert seen[-1] == ("convert", 2 * len(docx_files), 2 * len(docx_files))
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
    for pdf in pdfs[:4]:
        subprocess.run(["pdftoppm", "-r", "30", "-png", "-f", "1", "-l", "1", str(pdf),
                        str(tmp_path / pdf.stem)], check=True, capture_output=True)
    pngs = list(tmp_path.glob("*.png"))
    assert len(pngs) == 4 and all(p.stat().st_size > 2000 for p in pngs)
    # What an office checks in the PDFs: every winner's name in its track's 入選名單, the
    # decisions' hash on each decision document, and page numbers on every page.
    data = decisions(report.folder)
    digest = data["decisions_sha256"]

    def pdf_text(path: Path) -> str:
        """The PDF's text in reading order (a table cell's lines together), pages kept."""
        return subprocess.run(["pdftotext", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout

    def joined(text: str) -> str:  # a name a cell wrapped is whole again
        return "".join(text.split())

    for track in unsealed.config.tracks:  # (names and codes are checked in the .docx:
        # pdftotext's reading order of wrapped table cells is not reliable enough for them)
        assert digest in joined(pdf_text(report.folder / f"入選名單_{track.name}.pdf"))
    for pdf in [report.folder / "成績總表.pdf", *(report.folder / "敘獎名冊").glob("*.pdf")]:
        pages = pdf_text(pdf).split("\f")[:-1] or [pdf_text(pdf)]
        assert digest in joined(pages[0]), pdf.name
        assert all(f"第{n}頁，共{len(pages)}頁" in joined(page)
                   for n, page in enumerate(pages, start=1)), pdf.name
    # The compilation's contents give the page each work starts on, as laid out.
    pages = [joined(page) for page in pdf_text(report.folder / "優良作品集.pdf").split("\f")]
    contents = joined(subprocess.run(  # -layout: each contents line read as one
        ["pdftotext", "-layout", "-f", "2", "-l", "3", str(report.folder / "優良作品集.pdf"),
         "-"], check=True, capture_output=True, text=True).stdout)
    winners = [r for rows in data["tracks"].values() for r in rows if r["status"] == "winner"]
    cursor, starts = 0, []
    for winner in winners:  # in the contents' order (titles may repeat: read on from the last)
        title = joined(winner["title"])
        # the writers, the leader dots (none when the line is full), the page number
        found = re.compile(r"\D*?(\d+)").match(contents,
                                                 contents.index(title, cursor) + len(title))
        assert found, winner["title"]
        cursor = found.end()
        starts.append(int(found.group(1)))
        assert pages[starts[-1] - 1].startswith(title), winner["title"]
    assert starts == sorted(set(starts))  # each on a page of its own


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("route", ["uno", "command line", "uno failing"])
def test_every_route_to_odf_and_pdf_converts_every_file(committee, tmp_path, monkeypatch,
                                                        route):
    """Through the UNO bridge (each file loaded once), with ``soffice --convert-to`` where
    no Python has the bridge, and the command line finishing what a failed bridge left."""
    from review_tui.engine.exports import conversion

    if route == "uno" and conversion.uno_python(shutil.which("soffice")) is None:
        pytest.skip("no Python with LibreOffice's uno bridge (python3-uno)")
    if route == "command line":
        monkeypatch.setattr(conversion, "uno_python", lambda office: None)
    if route == "uno failing":
        broken = tmp_path / "broken.py"
        broken.write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
        monkeypatch.setattr(conversion, "uno_python", lambda office: sys.executable)
        monkeypatch.setattr(conversion, "_SCRIPT", broken)
    seen: list[tuple[str, int, int]] = []
    report = run_export(committee, tmp_path / "out",
                        progress=lambda *step: seen.append(step))  # blind: 6 documents
    sources = sorted(p for p in report.files if p.suffix == ".docx")
    assert report.converter is None and len(sources) >= 2
    assert sorted(report.converted) == sorted(p.with_suffix(f".{kind}") for p in sources
                                              for kind in ("odt", "pdf"))
    assert all(p.stat().st_size > 1000 for p in report.converted)
    assert seen and seen[-1] == ("convert", 2 * len(sources), 2 * len(sources))
    assert not list(report.folder.rglob(".converted"))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_an_export_refused_after_its_offices_started_leaves_none_running(committee, tmp_path,
                                                                         monkeypatch):
    """The offices start before the documents are written; an export refused after that
    (its target is a file) ends them and removes their profiles."""
    from review_tui.engine import exports
    from review_tui.engine.exports import conversion

    if conversion.uno_python(shutil.which("soffice")) is None:
        pytest.skip("no Python with LibreOffice's uno bridge (python3-uno)")
    started: list[conversion.Offices] = []

    def watched() -> conversion.Offices | None:
        offices = conversion.start_offices()
        assert offices is not None and offices.running
        started.append(offices)
        return offices

    monkeypatch.setattr(exports, "start_offices", watched)
    target = tmp_path / "a file"
    target.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ReviewError) as refused:
        run_export(committee, target)
    assert refused.value.key == "export.out_not_folder"
    assert len(started) == 1 and started[0].running == 0
    assert not Path(started[0].profiles).exists()


def test_export_lang_en_writes_english_csvs_and_chinese_by_default(unsealed, tmp_path):
    from tests.cli.test_cli import cli

    for lang, header in (([], "名次"), (["--lang", "en"], "rank")):
        out = tmp_path / f"out{len(lang)}"
        code, _, err = cli("export", "--out", out, "--no-convert", *lang,
                           "--workspace", unsealed.root)
        assert code == 0, err
        first = (out / "成績總表.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert header in first.split(","), first


def _tied_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch | None = None):
    """A committee whose reading entries all tie (each wins), committed — with
    ``monkeypatch``, as decisions were frozen before the ties table (each member's row
    holding its group's record) — unsealed and exported."""
    from review_tui.engine.decisions import tally as tally_module
    from review_tui.engine.decisions.commit import commit
    from review_tui.engine.sealing.seal import seal
    from review_tui.engine.sealing.unseal import unseal
    from tests.engine.seal_fixtures import PASSPHRASE, tie_reading_entries

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace)
    if monkeypatch is not None:
        monkeypatch.setattr(tally_module, "share_ties", lambda rows: {})
    commit(workspace)
    if monkeypatch is not None:
        monkeypatch.undo()
    unseal(workspace, passphrase=PASSPHRASE)
    run_export(workspace, tmp_path / "out", convert=False)
    return workspace, reading, decisions(tmp_path / "out")


def test_decisions_json_writes_a_tied_group_once(tmp_path):
    workspace, reading, data = _tied_export(tmp_path)
    frozen = workspace.store.table_rows("decisions")[0]["document"]
    rows = {r["code"]: r for r in data["tracks"]["reading"]}
    [key] = {rows[code]["tie"] for code in reading}
    assert key == frozen["tracks"]["reading"][0]["tie"]
    assert set(data["ties"]) == {"reading", "case"} and list(data["ties"]["reading"]) == [key]
    assert data["ties"]["reading"][key] == frozen["ties"]["reading"][key]
    assert set(data["ties"]["reading"][key]["group"]) == set(reading)


def test_decisions_frozen_before_the_ties_table_unseal_and_export(tmp_path, monkeypatch):
    workspace, reading, data = _tied_export(tmp_path, monkeypatch)
    frozen = workspace.store.table_rows("decisions")[0]["document"]
    old_rows = {r["code"]: r for r in frozen["tracks"]["reading"]}
    assert isinstance(old_rows[reading[0]]["tie"], dict)  # the old form, verified at unseal
    rows = {r["code"]: r for r in data["tracks"]["reading"]}
    [key] = {rows[code]["tie"] for code in reading}  # one record, named by every member
    assert data["ties"]["reading"] == {key: old_rows[reading[0]]["tie"]}
    assert [(r["code"], r["status"]) for r in data["tracks"]["reading"]] == [
        (r["code"], r["status"]) for r in frozen["tracks"]["reading"]]
    group = data["ties"]["reading"][key]["group"]
    summary = docx.Document(str(tmp_path / "out" / "成績總表.docx"))
    lines = [p.text for p in summary.paragraphs if p.text.startswith("、".join(group) + "：")]
    assert len(lines) == 1  # the group once in 同分比序, not once per member's copy
