"""The 簽, the 函稿 to each agency and the 獎狀 (issue 21), and the template filler they use:
built from editable .docx templates, a committee's own templates taking their place."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from review_tui.engine.decisions.records import Status
from review_tui.engine.errors import ReviewError
from review_tui.engine.exports import run_export
from review_tui.engine.exports.data import gather
from review_tui.engine.exports.templating import fill, fill_pages, placeholders, template_path
from review_tui.engine.workspace import Workspace
from tests.credentials import sign_in_roles
from tests.engine.test_exports import doc_text


def all_text(path: Path) -> str:
    """Body, tables, headers and footers: everything a page shows."""
    document = docx.Document(str(path))
    parts = [doc_text(path)]
    for section in document.sections:
        parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    return "\n".join(parts)


def agency_of(entry) -> str:
    return entry.top_agency or entry.agency or ""


def test_every_agency_gets_a_letter_with_each_of_its_entries(exported, unsealed):
    data = gather(unsealed)
    letters = sorted((exported / "函稿").glob("*.docx"))
    agencies = {agency_of(e) for e in data.entries} | set(data.rejected_by_agency())
    assert {p.stem.removeprefix("函稿_") for p in letters} == agencies
    for entry in data.entries:
        lines = all_text(exported / "函稿" / f"函稿_{agency_of(entry)}.docx").splitlines()
        row = lines.index(entry.title)  # a row of the table: category, title, writers, result
        assert lines[row + 1] == "、".join(entry.writers)
        won = "入選" + (f"（{entry.group}）" if entry.group else "")  # a group's winner
        assert lines[row + 2] == (won if entry.decision.status == Status.WINNER else "未入選")
    for agency, refused in data.rejected_by_agency().items():
        lines = all_text(exported / "函稿" / f"函稿_{agency}.docx").splitlines()
        for row in refused:
            assert lines[lines.index(row["title"]) + 2] == "不予受理"
        assert any("附件：" in line and "不予受理名單" in line for line in lines)
    for letter in letters:
        text = all_text(letter)
        assert "{{" not in text and "受文者：" + letter.stem.removeprefix("函稿_") in text
        assert "高雄市政府" in text and "115年度" in text
        assert "決議雜湊值（SHA-256）：" + str(data.decisions_sha256) in text


def test_a_letter_counts_what_became_of_the_agencys_entries(exported, unsealed):
    data = gather(unsealed)
    with_winners = sorted({agency_of(e) for e in data.winners()})
    agency = next((a for a in with_winners if a in data.rejected_by_agency()), with_winners[0])
    mine = [e for e in data.entries if agency_of(e) == agency]
    refused = data.rejected_by_agency().get(agency, [])
    won = [e for e in mine if e.decision.status == Status.WINNER]
    text = all_text(exported / "函稿" / f"函稿_{agency}.docx")
    assert (f"推薦作品計 {len(mine) + len(refused)} 件：入選 {len(won)} 件、"
            f"未入選 {len(mine) - len(won)} 件、不予受理 {len(refused)} 件") in text
    assert f"撰寫人員計 {sum(len(e.commended) for e in won)} 人" in text


def test_the_memo_sums_up_the_review_for_the_head(exported, unsealed):
    data = gather(unsealed)
    text = all_text(exported / "簽.docx")
    assert "簽　　於人事處" in text and "主旨：陳報115年度「溝通服務COACH旗艦專案」評審結果" in text
    assert f"推薦作品計 {len(data.entries) + len(data.rejected)} 件" in text
    assert f"不予受理 {len(data.rejected)} 件" in text
    commended = sum(len(e.commended) for e in data.winners())
    assert f"製發獎狀 {commended} 張" in text and "敬陳\n市長" in text
    for track in data.committee.tracks:
        assert (f"{track.name}：受理 {len(data.by_track(track.id))} 件，名額 {track.quota} 件，"
                f"入選 {len(data.winners(track.id))} 件") in text
    assert str(data.decisions_sha256) in text and "草案" not in text


def test_one_certificate_page_per_commended_writer(exported, unsealed):
    writers = [(w["name"], e.title) for e in gather(unsealed).winners() for w in e.commended]
    document = docx.Document(str(exported / "獎狀.docx"))
    pages = 1 + sum(1 for _ in document.element.body.iter(qn("w:pageBreakBefore")))
    assert pages == len(writers)
    text = all_text(exported / "獎狀.docx")
    for name, title in writers:
        assert name in text and f"〈{title}〉" in text
    assert text.count("特頒此狀") == len(writers) and "{{" not in text
    assert "高雄市政府市長" in text


def test_the_blind_export_has_no_letters(committee, tmp_path):
    report = run_export(committee, tmp_path / "blind", convert=False)
    assert not [p for p in report.files if p.name in ("簽.docx", "獎狀.docx")
                or p.parent.name == "函稿"]


# The template filler, on small templates made here.


def template(tmp_path: Path, *paragraphs: str, table: list[str] | None = None) -> Path:
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=1, cols=len(table))
        for cell, text in zip(grid.rows[0].cells, table, strict=True):
            cell.text = text
    path = tmp_path / "t.docx"
    document.save(str(path))
    return path


def test_values_are_printed_never_read_as_placeholders(tmp_path):
    document = docx.Document(str(template(tmp_path, "題目：{{題目}}", "{{清單.項}}")))
    fill(document, {"題目": "{{日期}} 與 {{題目}}"}, {"清單": [{"項": "{{x}}"}, {"項": "二"}]})
    assert [p.text for p in document.paragraphs] == ["題目：{{日期}} 與 {{題目}}", "{{x}}", "二"]


def test_a_placeholder_split_across_runs_is_filled(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("機關：{{主辦")
    paragraph.add_run("機關}}。").bold = True
    fill(document, {"主辦機關": "高雄市政府"})
    assert document.paragraphs[0].text == "機關：高雄市政府。"


def test_list_rows_repeat_and_vanish_when_empty(tmp_path):
    path = template(tmp_path, "前", table=["{{明細.甲}}", "{{明細.乙}}"])
    filled = fill(docx.Document(str(path)), {}, {"明細": [{"甲": "1", "乙": "a\nb"},
                                                          {"甲": "2", "乙": "c"}]})
    rows = [[c.text for c in row.cells] for row in filled.tables[0].rows]
    assert rows == [["1", "a\nb"], ["2", "c"]]
    empty = fill(docx.Document(str(path)), {}, {"明細": []})
    assert len(empty.tables[0].rows) == 0


def test_an_unknown_placeholder_is_refused_by_name(tmp_path):
    document = docx.Document(str(template(tmp_path, "{{不存在}}")))
    with pytest.raises(ReviewError) as error:
        fill(document, {"題目": "x"}, name="letter.docx")
    assert error.value.key == "export.template_key"
    assert error.value.params == {"template": "letter.docx", "key": "不存在"}


def test_pages_repeat_the_body_each_on_its_own_page(tmp_path):
    document = docx.Document(str(template(tmp_path, "獎狀", "{{姓名}}")))
    fill_pages(document, [{"姓名": "王小明"}, {"姓名": "李大華"}], {})
    assert [p.text for p in document.paragraphs] == ["獎狀", "王小明", "獎狀", "李大華"]
    assert [p.paragraph_format.page_break_before for p in document.paragraphs] == [
        None, None, True, None]


def test_the_packaged_templates_use_only_known_fields():
    """Every field of the shipped templates is one the export fills (a typo would be
    refused at export; this says which, before any committee meets it)."""
    expected = {
        "memo.docx": {"主辦單位", "日期", "年度", "計畫", "收件數", "受理數", "不予受理數",
                      "委員數", "類別.結果", "決議日期", "決議雜湊", "機關數", "敘獎人數",
                      "首長職稱", "草案"},
        "certificate.docx": {"草案", "字號", "服務單位", "職稱", "姓名", "主辦機關", "年度",
                             "計畫", "類別", "作品題目", "獎次", "首長職稱", "首長姓名", "日期"},
    }
    for name, fields in expected.items():
        assert placeholders(docx.Document(str(template_path(name)))) == fields
    head = {"機關計畫", "文件名稱", "暫定說明", "日期", "決議"}
    tables = {
        "award_list.docx": head | {"節.標題", "節.附註"} | {f"明細.{k}" for k in (
            "序號", "名次", "編號", "作品題目", "推薦機關", "服務單位", "敘獎人員", "共同作者",
            "平均分數", "獎勵", "同分比序", "願意發表")},
        "roster.docx": head | {"合計"} | {f"明細.{k}" for k in (
            "機關單位", "職稱", "姓名", "獎度", "事由")},
        "rejected.docx": head | {"合計"} | {f"明細.{k}" for k in (
            "類別", "作品題目", "作者", "服務單位", "名冊列", "理由")},
        "presenters.docx": head | {"合計"} | {f"明細.{k}" for k in (
            "序號", "類別", "組別", "編號", "作品題目", "服務類別", "推薦機關", "服務單位",
            "撰寫人", "聯絡電話")},
    }
    for name, fields in tables.items():
        assert placeholders(docx.Document(str(template_path(name)))) == fields, name
    letter = placeholders(docx.Document(str(template_path("letter.docx"))))
    assert {"受文者", "附件", "明細.作品題目", "明細.結果", "敘獎說明", "不予受理說明"} <= letter


# A committee's own templates.


def own_templates(unsealed: Workspace, tmp_path: Path, text: str) -> Workspace:
    root = Path(shutil.copytree(unsealed.root, tmp_path / "ws"))
    (root / "範本").mkdir()
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(root / "範本" / "letter.docx"))
    config = (root / "committee.toml").read_text(encoding="utf-8")
    (root / "committee.toml").write_text(config.replace('templates = ""',
                                                        'templates = "範本"'), encoding="utf-8")
    return sign_in_roles(Workspace(root))


def test_a_committees_own_template_replaces_the_packaged_one(unsealed, tmp_path):
    """[documents] is presentation: set after the seal without an amendment."""
    workspace = own_templates(unsealed, tmp_path, "本府函知 {{受文者}}：{{明細.作品題目}}")
    assert tomllib.loads(workspace.config_path.read_text(encoding="utf-8"))[
        "documents"]["templates"] == "範本"
    report = run_export(workspace, tmp_path / "out", convert=False)
    data = gather(workspace)
    for agency, entries in [(a, [e for e in data.entries if agency_of(e) == a])
                            for a in {agency_of(e) for e in data.entries}]:
        lines = all_text(report.folder / "函稿" / f"函稿_{agency}.docx").splitlines()
        assert lines[:len(entries)] == [f"本府函知 {agency}：{e.title}" for e in entries]
    assert "主旨：陳報" in all_text(report.folder / "簽.docx")  # the packaged memo still


def test_a_wrong_field_in_an_own_template_stops_the_export_and_writes_nothing(unsealed,
                                                                               tmp_path):
    workspace = own_templates(unsealed, tmp_path, "{{收文者}}")
    with pytest.raises(ReviewError) as error:
        run_export(workspace, tmp_path / "out", convert=False)
    assert error.value.key == "export.template_key" and error.value.params["key"] == "收文者"
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_broken_or_missing_template_folder_is_named(unsealed, tmp_path):
    workspace = own_templates(unsealed, tmp_path, "x")
    (workspace.root / "範本" / "letter.docx").write_bytes(b"PK\x03\x04 not a docx")
    with pytest.raises(ReviewError) as error:
        run_export(workspace, tmp_path / "out", convert=False)
    assert error.value.key == "export.template_broken"
    assert error.value.params["path"].endswith("letter.docx")
    shutil.rmtree(workspace.root / "範本")
    with pytest.raises(ReviewError) as error:
        run_export(workspace, tmp_path / "out2", convert=False)
    assert error.value.key == "export.templates_missing"


def test_a_committees_own_base_template_gives_every_table_document_its_look(unsealed,
                                                                            tmp_path):
    """The look of the 成績總表, 入選名單 … is base.docx: a committee's own (another font,
    other margins, even without the table style) is used, the styles it lacks added."""
    from docx.shared import Cm

    from review_tui.engine.exports.docx_writer import set_east_asian_font

    workspace = own_templates(unsealed, tmp_path, "{{受文者}}")
    base = docx.Document()
    base.sections[0].top_margin = Cm(2.0)
    set_east_asian_font(base.styles["Normal"].element, "新細明體")
    styles = base.styles.element
    styles.remove(base.styles["Table Grid"].element)
    base.save(str(workspace.root / "範本" / "base.docx"))
    report = run_export(workspace, tmp_path / "out", convert=False)
    for name in ("成績總表.docx", "優良作品集.docx", "入選名單_溝通服務個案案例.docx"):
        document = docx.Document(str(report.folder / name))
        fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "新細明體", name
        assert round(document.sections[0].top_margin.cm, 1) == 2.0, name
        assert all(t.style.name == "Table Grid" for t in document.tables), name
    compilation = docx.Document(str(report.folder / "優良作品集.docx"))
    assert [p for p in compilation.paragraphs if p.style.name == "Heading 1"]


def test_a_committees_own_table_template_renames_a_column_and_rewords_the_total(unsealed,
                                                                              tmp_path):
    """The 敘獎名冊's look is templates/roster.docx: a committee's copy, edited as in Word
    (a heading renamed, the total reworded, a field split across runs by the editor), is
    used whole; a column left out of its pattern row is left out of every row."""
    workspace = own_templates(unsealed, tmp_path, "{{受文者}}")
    roster = docx.Document(str(template_path("roster.docx")))
    table = roster.tables[0]
    table.rows[0].cells[3].paragraphs[0].runs[0].text = "獎勵種類"
    pattern = table.rows[1].cells[4].paragraphs[0]
    pattern.runs[0].text = "{{明細."
    pattern.add_run("事由}}")  # as Word saves a field typed in two goes
    for paragraph in roster.paragraphs:
        if "合計" in paragraph.text:
            paragraph.runs[0].text = "以上共 {{合計}} 員。"
    roster.save(str(workspace.root / "範本" / "roster.docx"))
    report = run_export(workspace, tmp_path / "out", convert=False)
    files = sorted((report.folder / "敘獎名冊").glob("*.docx"))
    assert files
    for path in files:
        document = docx.Document(str(path))
        heading = [c.text for c in document.tables[0].rows[0].cells]
        assert heading == ["機關／單位", "職稱", "姓名", "獎勵種類", "事由"]
        rows = document.tables[0].rows[1:]
        assert rows and all(r.cells[4].text.startswith("撰寫") for r in rows)
        assert "{{" not in all_text(path)
        assert f"以上共 {len(rows)} 員。" in all_text(path)


def test_a_committees_own_score_summary_repeats_its_criterion_column_per_criterion(
        unsealed, tmp_path):
    """成績總表's look is templates/score_summary.docx: the column whose pattern cell is
    {{明細.項目}} becomes one column per criterion of the track (headed from {{項目.名稱}}
    and {{項目.配分}}, sharing the template column's width); a committee's copy that
    rewords that heading and takes out the 差距 column is used whole."""
    workspace = own_templates(unsealed, tmp_path, "{{受文者}}")
    template = docx.Document(str(template_path("score_summary.docx")))
    table = template.tables[0]
    heading = [c.text for c in table.rows[0].cells]
    criterion, spread = heading.index("{{項目.名稱}}（{{項目.配分}}）"), heading.index("差距")
    cell = table.rows[0].cells[criterion].paragraphs[0]
    for run in cell.runs[1:]:
        run.text = ""
    cell.runs[0].text = "{{項目.名稱}}（配分 {{項目.配分}}）"
    for row in table.rows:
        row._tr.remove(row.cells[spread]._tc)
    table._tbl.tblGrid.remove(table._tbl.tblGrid.findall(qn("w:gridCol"))[spread])
    template.save(str(workspace.root / "範本" / "score_summary.docx"))
    width = int(table._tbl.tblGrid.findall(qn("w:gridCol"))[criterion].get(qn("w:w")))
    report = run_export(workspace, tmp_path / "out", convert=False)
    document = docx.Document(str(report.folder / "成績總表.docx"))
    track = workspace.config.tracks[0]
    first = document.tables[0]
    names = [f"{c.name}（配分 {c.points}）" for c in track.criteria]
    heading = [c.text for c in first.rows[0].cells]
    assert heading[criterion:criterion + len(names)] == names and "差距" not in heading
    grid = [int(c.get(qn("w:w"))) for c in first._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == len(heading)
    assert abs(sum(grid[criterion:criterion + len(names)]) - width) < len(names)
    scores = [c.text for c in first.rows[1].cells[criterion:criterion + len(names)]]
    assert all(score.isdigit() for score in scores), scores
    assert "{{" not in all_text(report.folder / "成績總表.docx")


def test_a_committees_own_cover_is_the_compilations_cover(unsealed, tmp_path):
    """優良作品集's cover is templates/compilation.docx: a committee's copy (its own wording
    with the fields it wants) opens the book; the contents and works follow as before."""
    workspace = own_templates(unsealed, tmp_path, "{{受文者}}")
    cover = docx.Document()
    cover.add_paragraph("{{主辦機關}} 編印")
    cover.add_paragraph("{{書名}}（{{日期}}）")
    cover.save(str(workspace.root / "範本" / "compilation.docx"))
    report = run_export(workspace, tmp_path / "out", convert=False)
    text = all_text(report.folder / "優良作品集.docx")
    assert text.index("高雄市政府 編印") < text.index("優良作品集（中華民國") < text.index("目　錄")
    assert "{{" not in text


def test_a_column_the_manifest_never_asked_is_dropped_and_its_width_shared(unsealed,
                                                                           tmp_path):
    from review_tui.engine.exports.docx_tables import save
    from review_tui.engine.exports.table_template import Section, fill_table_document

    head = {"機關計畫": "高雄市政府", "文件名稱": "入選名單", "暫定說明": "", "日期": "",
            "決議": ""}
    row = {k: k for k in ("序號", "名次", "編號", "作品題目", "推薦機關", "服務單位",
                          "敘獎人員", "共同作者", "平均分數", "獎勵", "同分比序", "願意發表")}
    document = fill_table_document("award_list.docx", None, head,
                                   [Section({"標題": "", "附註": "附註"}, [row, row])],
                                   drop=("願意發表",))
    path = save(document, tmp_path / "list.docx")
    table = docx.Document(str(path)).tables[0]
    assert [c.text for c in table.rows[0].cells][-1] == "同分比序" and len(table.rows) == 3
    grid = [int(c.get(qn("w:w"))) for c in table._tbl.tblGrid.findall(qn("w:gridCol"))]
    whole = docx.Document(str(template_path("award_list.docx"))).tables[0]
    before = [int(c.get(qn("w:w"))) for c in whole._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert len(grid) == 11 and abs(sum(grid) - sum(before)) <= 11
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert "" not in texts[:3] and texts[0] == "高雄市政府"  # the empty lines left out


def test_a_repeated_columns_heading_prints_braces_in_a_criterion_name(tmp_path):
    """A criterion named with a field's braces is printed as named in its column's heading
    (filled last, never read again); no criteria, no criterion column."""
    from review_tui.engine.exports.docx_tables import save
    from review_tui.engine.exports.table_template import Section, fill_table_document

    head = {"機關計畫": "x", "文件名稱": "y", "暫定說明": "", "日期": "115年", "決議": "",
            "修訂標題": "", "修訂": "", "簽名": ""}
    section = {"標題": "t", "同分比序標題": "", "同分比序": "", "不予受理標題": ""}
    row = {k: "1" for k in ("名次", "編號", "作品題目", "委員", "總分", "平均", "差距",
                            "評分差異處理", "結果", "理由")}
    for columns, scores, expected in (
            ([{"名稱": "{{日期}} & <見解>", "配分": "40"}, {"名稱": "結構", "配分": "60"}],
             ["38", "55"], ["{{日期}} & <見解>（40）", "結構（60）"]),
            ([], [], [])):
        document = fill_table_document("score_summary.docx", None, head, [Section(
            section, [{**row, "項目": scores}], {"不予受理": []}, columns)])
        path = save(document, tmp_path / f"s{len(columns)}.docx")
        table = docx.Document(str(path)).tables[0]
        heading = [c.text for c in table.rows[0].cells]
        assert heading[4:4 + len(expected)] == expected and heading[4 + len(expected)] == "總分"
        assert [c.text for c in table.rows[1].cells][4:4 + len(scores)] == scores


def test_values_in_a_templated_row_are_text_never_markup_or_fields(tmp_path):
    from review_tui.engine.exports.docx_tables import save
    from review_tui.engine.exports.table_template import Section, fill_table_document

    head = {"機關計畫": "x", "文件名稱": "y", "暫定說明": "", "日期": "", "決議": ""}
    hostile = {"機關單位": "</w:t></w:r><w:r><w:t>破壞", "職稱": "{{合計}}", "姓名": "A & B",
               "獎度": "一\n二", "事由": "<script>"}
    document = fill_table_document("roster.docx", None, {**head, "合計": "1"},
                                   [Section(rows=[hostile])])
    path = save(document, tmp_path / "r.docx")
    cells = [c.text for c in docx.Document(str(path)).tables[0].rows[1].cells]
    assert cells == ["</w:t></w:r><w:r><w:t>破壞", "{{合計}}", "A & B", "一\n二", "<script>"]


def test_a_score_sheet_prints_braces_in_a_name_and_keeps_each_reviewers_rows(unsealed,
                                                                             tmp_path):
    """評分表 are one built document per set of tracks, filled by joining text: a name
    holding a field's braces is printed as typed, and each sheet has its own rows."""
    from review_tui.engine.exports.documents import ScoreSheets

    data = gather(unsealed)
    reviewers = sorted(data.queues)[:2]
    data.reviewer_names[reviewers[0]] = "{{總表代號}} & <委員>"
    sheets = ScoreSheets(data)
    for reviewer in reviewers:
        document = docx.Document(str(sheets.write(reviewer, tmp_path / f"{reviewer}.docx")))
        text = "\n".join(p.text for p in document.paragraphs)
        name = data.reviewer_names[reviewer]
        assert f"評審委員：{name}（{reviewer}，總表代號 {data.reviewer_codes[reviewer]}）" in text
        codes = [row.cells[0].text for table in document.tables for row in table.rows[1:]]
        queue = [c for c in data.queues[reviewer] if c in data.by_code]
        assert codes == [c for track in data.committee.tracks for c in queue
                         if data.by_code[c].track.id == track.id]  # a table per track
