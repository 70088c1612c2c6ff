"""Layout rules an office files by, checked on the generated WordprocessingML (issue 21):
「第 x 頁，共 y 頁」, zh-TW as the East Asian language, rows that never split, headings kept
with what follows, 民國 dates, the decisions' hash, and 草案 before commit."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from review_tui.engine.decisions.commit import frozen_decisions
from review_tui.engine.exports import run_export
from review_tui.engine.exports.roc import roc_date, roc_year
from review_tui.engine.scoring.deal import deal
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import PASSPHRASE, score_everything
from tests.engine.test_exports import doc_text

DECISION_DOCUMENTS = ("入選名單_溝通服務專書閱讀心得報告.docx", "入選名單_溝通服務個案案例.docx",
                      "成績總表.docx")


def documents(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.docx"))


def part(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def test_roc_dates():
    assert roc_year(2026) == 115 and roc_year(1912) == 1
    assert roc_date("2026-07-15") == "中華民國115年7月15日"
    assert roc_date(date(2027, 1, 2)) == "中華民國116年1月2日"


def test_every_page_says_page_x_of_y(exported):
    for path in documents(exported):
        if path.name == "獎狀.docx":  # each page a certificate, handed out on its own
            continue
        footer = docx.Document(str(path)).sections[0].footer.paragraphs[0]
        instructions = [n.text.strip() for n in footer._p.iter(qn("w:instrText"))]
        assert instructions == ["PAGE", "NUMPAGES"], path.name
        assert footer.text.startswith("第 ") and "頁，共" in footer.text, path.name


def test_east_asian_text_is_declared_traditional_chinese(exported):
    for path in documents(exported):
        styles, settings = part(path, "word/styles.xml"), part(path, "word/settings.xml")
        assert 'w:eastAsia="zh-TW"' in styles and 'w:eastAsia="en-US"' not in styles
        assert 'w:eastAsia="ja-JP"' not in settings, path.name


def test_rows_never_split_and_headers_repeat(exported):
    for path in documents(exported):
        for table in docx.Document(str(path)).tables:
            rows = table._tbl.findall(qn("w:tr"))
            if table.cell(0, 0).text == "溝通服務案例題目":  # a case's form: its account runs
                labels = [row.cells[0].text for row in table.rows]  # on, its photos do not
                account = labels.index("溝通服務個案實例說明") + 1
                assert all(r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
                           for number, r in enumerate(rows) if number != account)
                continue
            assert rows[0].find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
            assert all(r.find(qn("w:trPr")) is not None
                       and r.find(qn("w:trPr")).find(qn("w:cantSplit")) is not None
                       for r in rows), path.name


def test_headings_stay_with_what_follows(exported):
    document = docx.Document(str(exported / "成績總表.docx"))
    bold_titles = [p for p in document.paragraphs
                   if p.runs and all(r.bold for r in p.runs) and p.text.strip()]
    assert bold_titles and all(p.paragraph_format.keep_with_next for p in bold_titles)


def test_decision_documents_carry_the_roc_date_and_the_decisions_hash(exported, unsealed):
    digest = frozen_decisions(unsealed)["sha256"]
    year = roc_year(unsealed.config.year)
    rosters = [p.relative_to(exported) for p in (exported / "敘獎名冊").glob("*.docx")]
    for name in (*DECISION_DOCUMENTS, *rosters):
        text = doc_text(exported / name)
        assert f"{year}年度" in text and "日期：中華民國" in text, name
        assert digest in text, name
        assert "草案" not in text, name
    head = f"高雄市政府 {year}年度 溝通服務COACH旗艦專案 評審結果"  # from [documents]
    assert all(head in doc_text(exported / name) for name in DECISION_DOCUMENTS)
    cover = doc_text(exported / "優良作品集.docx")
    assert f"{year}年度 溝通服務COACH旗艦專案\n優良作品集" in cover and "高雄市政府" in cover
    assert "中華民國" in cover.split("目")[0]  # the cover's date (templates/compilation.docx)
    assert f"{unsealed.config.year} 年" not in cover


def test_before_commit_every_page_is_a_draft(tmp_path):
    from review_tui.demo import build_demo

    root = tmp_path / "ws"
    build_demo(root, year=2026)
    workspace = Workspace(root)
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=7)
    score_everything(workspace)  # scored, not committed
    report = run_export(workspace, tmp_path / "out", convert=False)
    for path in (p for p in report.files if p.suffix == ".docx"):
        header = docx.Document(str(path)).sections[0].header
        assert header.paragraphs[0].text == "草案（未定案）", path.name
    [summary] = [p for p in report.files if p.name.startswith("成績總表") and p.suffix == ".docx"]
    text = doc_text(summary)
    assert "決議雜湊" not in text and "草案（未定案）" in text


@pytest.mark.parametrize("name", ["成績總表.docx"])
def test_the_date_line_is_the_decisions_date(exported, unsealed, name):
    from review_tui.engine.pipeline import completed_steps

    committed = completed_steps(unsealed)["committed"][:10]
    assert f"日期：{roc_date(committed)}" in doc_text(exported / name)


def test_score_sheets_show_what_the_reviewer_scored(exported, unsealed):
    """The redacted titles even after the unseal, criteria headed by their points (配分 40,
    not 「（40%）」), and totals written as the scores are ("74", not "74.0")."""
    from review_tui.engine.sealing.sealed import load_sealed_entries

    sealed = {e["code"]: e["title"] for e in load_sealed_entries(unsealed)}
    sheets = sorted((exported / "評分表").glob("*.docx"))
    assert sheets
    for path in sheets:
        table = docx.Document(str(path)).tables[0]
        header = [cell.text for cell in table.rows[0].cells]
        assert any("（配分 " in h for h in header) and not any("%）" in h for h in header)
        total_column = header.index("總分")
        for row in table.rows[1:]:
            cells = [cell.text for cell in row.cells]
            assert cells[1] == sealed[cells[0]], path.name
            assert not cells[total_column].endswith(".0"), cells


def test_award_lists_number_their_rows_and_say_the_rules(exported, unsealed):
    """序號 1…n over the winners (名次 may jump where an entry above was capped), the
    recommending top-level agency beside the writer's own unit, the commended with their
    職稱, and a note with the quota, minimum, cap and commendation limit."""
    data = json.loads((exported / "decisions.json").read_text(encoding="utf-8"))
    for track in unsealed.config.tracks:
        document = docx.Document(str(exported / f"入選名單_{track.name}.docx"))
        header = [cell.text for cell in document.tables[0].rows[0].cells]
        assert header[:2] == ["序號", "名次"] and "服務單位" in header
        rows = [[cell.text for cell in row.cells] for table in document.tables  # a table
                for row in table.rows[1:]]  # per group of a grouped track
        winners = [r for r in data["tracks"][track.id] if r["status"] == "winner"]
        assert [r[0] for r in rows] == [str(n) for n in range(1, len(winners) + 1)]
        assert [r[1].split("（")[0] for r in rows] == [str(w["rank"]) for w in winners]
        assert all("（" in r[header.index("敘獎人員（職稱）")] for r in rows)  # 職稱 given
        note = doc_text(exported / f"入選名單_{track.name}.docx")
        groups = sorted({w.get("group") for w in winners}, key=str)
        for group in groups:  # the demo's cases: 一級機關 and 區公所, each its own quota
            rules = track if group is None else track.group_rules(group)
            scope = "本類" if group is None else "本組"
            assert f"{scope}入選名額 {rules.quota} 件" in note and f"{rules.min_score} 分" in note


def test_a_roster_per_top_level_agency_with_total_and_signatures(exported):
    """敘獎名冊: one .docx and one .csv per recommending top-level agency, columns 機關／單位,
    職稱, 姓名, 獎度, 事由, a total, and the 承辦人／單位主管 signature block."""
    import csv

    data = json.loads((exported / "decisions.json").read_text(encoding="utf-8"))
    commended = sorted(n for rows in data["tracks"].values() for r in rows
                       if r["status"] == "winner" for n in r["commended"])
    listed = []
    for path in sorted((exported / "敘獎名冊").glob("*.docx")):
        document = docx.Document(str(path))
        table = document.tables[0]
        assert [c.text for c in table.rows[0].cells] == ["機關／單位", "職稱", "姓名", "獎度",
                                                         "事由"]
        names = [row.cells[2].text for row in table.rows[1:]]
        listed += names
        text = doc_text(path)
        assert f"合計 {len(names)} 人" in text and "承辦人" in text and "單位主管" in text
        assert all("經評選入選績優作品" in row.cells[4].text for row in table.rows[1:])
        with open(path.with_suffix(".csv"), encoding="utf-8-sig") as handle:
            assert [r["姓名"] for r in csv.DictReader(handle)] == names
    assert sorted(listed) == commended


def test_the_score_summary_has_every_criterion_score_the_rejected_and_signatures(
        exported, unsealed):
    """成績總表: a row per reviewer with each criterion's score, the entries not accepted
    with their reasons (after the unseal), and a signature line per reviewer and the chair;
    a cap names the agency, not its pseudonym."""
    data = json.loads((exported / "decisions.json").read_text(encoding="utf-8"))
    document = docx.Document(str(exported / "成績總表.docx"))
    first = document.tables[0]
    header = [c.text for c in first.rows[0].cells]
    criteria = [c for c in unsealed.config.tracks[0].criteria]
    assert all(f"{c.name}（{c.points}）" in header for c in criteria) and "委員" in header
    assert len(first.rows) - 1 > len(data["tracks"]["reading"])  # a row per reviewer
    row = first.rows[1].cells
    assert row[header.index("委員")].text.startswith("R")
    assert row[header.index(f"{criteria[0].name}（{criteria[0].points}）")].text != ""
    text = doc_text(exported / "成績總表.docx")
    assert data["rejected"], "the demo has entries not accepted"
    for refused in data["rejected"]:
        assert refused["title"] in text and refused["reasons"]
    assert "評審委員簽名" in text and "R1：" in text and "召集人簽名" in text
    capped = [r for rows in data["tracks"].values() for r in rows if r["status"] == "capped"]
    for row in capped:
        assert "推薦機關 A" not in row["reason"], row["reason"]


def test_each_agency_is_told_what_was_not_accepted_and_why(exported):
    data = json.loads((exported / "decisions.json").read_text(encoding="utf-8"))
    lists = sorted((exported / "不予受理名單").glob("*.docx"))
    assert lists
    listed = []
    for path in lists:
        table = docx.Document(str(path)).tables[0]
        assert [c.text for c in table.rows[0].cells][-1] == "不予受理理由"
        listed += [row.cells[1].text for row in table.rows[1:]]
        assert all(row.cells[-1].text for row in table.rows[1:])  # a reason for each
    assert sorted(listed) == sorted(r["title"] for r in data["rejected"])


def test_no_score_summary_before_any_score(tmp_path):
    """Right after the deal the summary would list every entry as 未入選 for want of
    scores: it is not written, and the export says so; the blank score sheets are."""
    from review_tui.demo import build_demo
    from review_tui.engine.exports import run_export
    from review_tui.i18n import Messages
    from review_tui.present import export_summary

    root = tmp_path / "ws"
    build_demo(root, year=2026)
    workspace = Workspace(root)
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=7)
    report = run_export(workspace, tmp_path / "out", convert=False)
    assert report.no_scores and not [p for p in report.files if p.name.startswith("成績總表")]
    assert any(p.parent.name == "評分表" for p in report.files)
    assert "score summary is not written" in "\n".join(export_summary(Messages("en"), report))


def test_a_missing_format_font_is_named(monkeypatch):
    """Where 標楷體 is not installed the PDFs stand another font in: the export names it."""
    import shutil as shell

    from review_tui.engine.exports.conversion import font_substitute

    if shell.which("fc-match") is None:
        pytest.skip("fontconfig (fc-match) is not installed")
    substitute = font_substitute("標楷體", ("DFKai-SB", "BiauKai"))
    installed = substitute is None
    assert installed or substitute not in ("標楷體", "DFKai-SB", "BiauKai")
    assert font_substitute("No Such Font Family 1234") is not None


def test_the_compilation_names_every_writer_and_a_cases_category(exported):
    data = json.loads((exported / "decisions.json").read_text(encoding="utf-8"))
    text = doc_text(exported / "優良作品集.docx")
    winners = [r for rows in data["tracks"].values() for r in rows if r["status"] == "winner"]
    assert all(name in text for r in winners for name in r["writers"])  # co-authors too
    cases = [r for r in winners if r["code"].startswith("C-")]
    assert text.count("溝通服務類別") == len(cases)  # the seed's case form, one per case


def test_table_rows_are_written_in_as_the_file_is_saved(exported, tmp_path):
    """Tables hold a marker until saved (rows are streamed in, never parsed): none is
    left in any export, an empty table keeps its header, and styles nobody uses are gone."""
    from review_tui.engine.exports.docx_tables import MARKER, add_table, save
    from review_tui.engine.exports.docx_writer import new_document

    for path in documents(exported):
        assert MARKER not in part(path, "word/document.xml"), path.name
        assert "stylesWithEffects" not in part(path, "[Content_Types].xml"), path.name
    document = new_document()
    add_table(document, ["甲", "乙"], [])
    add_table(document, ["丙"], [["<&>"], ["二"]])
    saved = docx.Document(str(save(document, tmp_path / "t.docx")))
    assert [[c.text for c in r.cells] for t in saved.tables for r in t.rows] == [
        ["甲", "乙"], ["丙"], ["<&>"], ["二"]]
    assert len(saved.styles.element.findall(qn("w:style"))) < 12


def test_a_tables_last_row_keeps_with_what_follows(exported):
    """The last row of a templated table keeps with the next paragraph (a 評分表's
    signature line never alone on a page); the rows before it do not."""
    for path in [*sorted((exported / "評分表").glob("*.docx"))[:2], exported / "成績總表.docx"]:
        table = docx.Document(str(path)).tables[0]
        kept = [all(p.paragraph_format.keep_with_next for c in row.cells
                    for p in c.paragraphs) for row in table.rows[1:]]
        assert kept[-1] and not any(kept[:-1]), path.name
