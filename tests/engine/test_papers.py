"""The meeting's papers: the minutes hold every matter with its decision, the roll and the
quorum, the robustness and the commit hash; the sign-in sheet lists every member."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import docx
import pytest

from review_tui.engine.decisions.commit import commit
from review_tui.engine.decisions.robustness import robustness
from review_tui.engine.decisions.tally import resolve_discrepancy
from review_tui.engine.errors import ReviewError
from review_tui.engine.meeting.agenda import agenda, note_matter
from review_tui.engine.meeting.attendance import record_attendance
from review_tui.engine.meeting.papers import write_minutes, write_sign_in
from review_tui.engine.meeting.wording import scenario_words
from review_tui.engine.workspace import Workspace
from review_tui.i18n import Messages
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import tree_digest
from tests.engine.test_exports import doc_text
from tests.engine.test_robustness import spread_demo  # noqa: F401 - a demo with disputes

DAY = date(2026, 7, 15)


@pytest.fixture
def met(spread_demo, tmp_path) -> Workspace:  # noqa: F811
    """The disputed demo with four present, every discrepancy kept, a cut-off noted."""
    workspace = sign_in_roles(Workspace(shutil.copytree(spread_demo.root, tmp_path / "ws")))
    record_attendance(workspace, ["J01", "J02", "J03", "J05"], ["J04"])
    for matter in agenda(workspace):
        if matter.kind == "discrepancy":
            resolve_discrepancy(workspace, matter.codes[0], "keep", note="觀點不同，維持")
    near = next(m for m in agenda(workspace) if m.kind == "cutoff")
    note_matter(workspace, near.id, "委員一致同意依分數排序")
    return workspace


def test_the_minutes_before_commit_are_a_draft_with_every_matter(met, tmp_path):
    report = write_minutes(met, tmp_path / "out", place="第 1 會議室", day=DAY, convert=False)
    assert [p.name for p in report.files] == ["會議紀錄.docx"]
    text = doc_text(report.files[0])
    assert "時間：中華民國115年7月15日" in text and "地點：第 1 會議室" in text
    assert "出席：陳雅琪（J01，外聘）、林志明（J02，外聘）、黃淑芬（J03，機關內）" in text
    assert "缺席：吳建宏（J04，機關內）" in text
    assert "出席 4／5 位，其中外聘 3 位：已達法定人數。" in text
    matters = agenda(met)
    for matter in matters:
        for code in matter.codes:
            assert code in text
    assert text.count("維持原評分") == sum(1 for m in matters if m.kind == "discrepancy")
    assert "委員一致同意依分數排序" in text and "經會議討論（見說明）" in text
    assert "決定的穩健性" in text
    for report_ in robustness(met):
        for code in report_.fragile:
            for _, _, scenarios in report_.changes_of(code):
                assert f"{code}\n" in text
                assert scenario_words(Messages("zh-TW"), scenarios) in text
    assert text.count("未決") == sum(1 for m in matters if m.open)
    assert "尚未定案，本紀錄為草案。" in text
    header = docx.Document(str(report.files[0])).sections[0].header
    assert "草案（未定案）" in "".join(p.text for p in header.paragraphs)
    logged = met.audit.records()[-1]
    assert logged["action"] == "meeting.minutes" and logged["role"] == "chair"
    assert logged["details"]["sha256"] == report.sha256
    assert logged["details"]["open"] == sum(1 for m in matters if m.open) > 0


def test_after_commit_the_minutes_carry_the_hash_and_signature_lines(met, tmp_path):
    result = commit(met)
    report = write_minutes(met, tmp_path / "out", day=DAY, convert=False)
    text = doc_text(report.files[0])
    assert f"決議雜湊（SHA-256）：\n{result.decisions_sha256}\n" in text
    assert "尚未定案" not in text
    signatures = docx.Document(str(report.files[0])).tables[-1]
    assert [row.cells[0].text for row in signatures.rows] == ["代號", "J01", "J02", "J03",
                                                             "J05"]
    assert met.audit.records()[-1]["details"]["decisions_sha256"] == result.decisions_sha256


def test_drawing_the_minutes_again_replaces_them_and_a_refusal_writes_nothing(met, tmp_path):
    out = tmp_path / "out"
    first = write_minutes(met, out, day=DAY, convert=False)
    again = write_minutes(met, out, day=date(2026, 7, 16), convert=False)
    assert sorted(p.name for p in out.iterdir()) == ["會議紀錄.docx"]
    assert first.sha256 != again.sha256
    assert "中華民國115年7月16日" in doc_text(out / "會議紀錄.docx")
    before = tree_digest(met.root)
    (tmp_path / "a-file").write_text("x", encoding="utf-8")
    for where, key in ((tmp_path / "a-file", "export.out_not_folder"),
                       (tmp_path / "a-file" / "below", "export.out_unwritable")):
        with pytest.raises(ReviewError) as error:
            write_minutes(met, where, day=DAY, convert=False)
        assert error.value.key == key and error.value.params["path"] == str(where)
    assert tree_digest(met.root) == before


def test_the_sign_in_sheet_lists_every_member_with_room_to_sign(met, tmp_path):
    report = write_sign_in(met, tmp_path / "out", place="第 1 會議室", day=DAY, convert=False)
    table = docx.Document(str(report.files[0])).tables[0]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["代號", "姓名", "服務機關", "類別", "簽名"]
    assert [r[0] for r in rows[1:]] == ["J01", "J02", "J03", "J04", "J05"]
    assert rows[1][3] == "外聘" and rows[3][3] == "機關內"
    assert met.audit.records()[-1]["role"] == "secretariat"


@pytest.mark.skipif(shutil.which("soffice") is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice and poppler-utils render the minutes")
def test_the_minutes_render_with_the_hash_and_every_page_numbered(met, tmp_path):
    result = commit(met)
    report = write_minutes(met, tmp_path / "out", day=DAY)
    pdf = Path(tmp_path / "out" / "會議紀錄.pdf")
    assert pdf in report.files and (tmp_path / "out" / "會議紀錄.odt") in report.files
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    pages = text.split("\f")[:-1]
    joined = "".join(text.split())
    assert result.decisions_sha256 in joined
    assert all(f"第{n}頁，共{len(pages)}頁" in "".join(page.split())
               for n, page in enumerate(pages, start=1))
