"""How an export says where its files went: each file at the top by its path, a folder of
files (a 函稿 per agency, a 評分表 per reviewer) once, with how many, in both languages."""

from __future__ import annotations

import os
from pathlib import Path

from review_tui.i18n import Messages
from review_tui.present import file_lines


def test_a_folder_of_files_is_said_once_with_how_many(tmp_path: Path):
    out = tmp_path / "exports"
    files = [out / "成績總表.docx", *(out / "評分表" / f"評分表_J{n:04}.docx" for n in range(200)),
             out / "入選名單.csv", *(out / "函稿" / f"函稿_{n}.docx" for n in range(3)),
             out / "獨一" / "only.docx", out / "decisions.json"]
    assert file_lines(Messages("en"), out, files) == [
        str(out / "成績總表.docx"), f"{out / '評分表'}{os.sep}  (200 files)",
        str(out / "入選名單.csv"), f"{out / '函稿'}{os.sep}  (3 files)",
        str(out / "獨一" / "only.docx"), str(out / "decisions.json")]
    said = file_lines(Messages("zh-TW"), out, files)
    assert said[1] == f"{out / '評分表'}{os.sep}（200 個檔案）"
    assert len(said) == 6


def test_a_file_outside_the_folder_is_said_by_its_path(tmp_path: Path):
    elsewhere = tmp_path / "elsewhere" / "x.docx"
    assert file_lines(Messages("en"), tmp_path / "exports", [elsewhere]) == [str(elsewhere)]
