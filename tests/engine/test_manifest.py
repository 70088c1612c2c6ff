"""Manifests in every encoding and shape an office produces."""

from __future__ import annotations

import openpyxl
import pytest

from review_tui.engine.intake.imports import import_manifest, load_entries
from review_tui.engine.intake.manifest import read_manifest
from tests.builders import HEADER_EN, HEADER_ZH, body_text, make_docx, row, write_manifest


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp950", "big5", "utf-16"])
def test_csv_encodings_are_detected(intake, encoding):
    path = write_manifest(intake / "m.csv", [row(title="溝通的橋樑", authors="王小明")],
                          encoding=encoding)
    table = read_manifest(path)
    assert table.rows[0].values["title"] == "溝通的橋樑"
    assert table.rows[0].values["authors"] == "王小明"


def test_english_headers_and_tab_separated_utf16(intake):
    text = "\t".join(HEADER_EN) + "\r\n" + "\t".join(row(title="題目")) + "\r\n"
    path = intake / "m.txt"
    path.write_bytes(text.encode("utf-16"))
    assert read_manifest(path).rows[0].values["title"] == "題目"


def test_xlsx_manifest_with_dates_and_numbers(workspace, intake):
    make_docx(intake / "a.docx", "表", body_text(1200))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER_ZH)
    values = row(title="表")
    values[13] = None
    sheet.append(values)
    sheet.cell(row=2, column=14).value = __import__("datetime").datetime(2026, 6, 1)
    sheet.append([None] * len(HEADER_ZH))
    book.save(intake / "m.xlsx")
    report = import_manifest(workspace, intake / "m.xlsx")
    assert report.encoding == "xlsx" and len(report.added) == 1
    assert load_entries(workspace)[0]["received"] == "2026-06-01"


def test_headers_with_notes_in_brackets(intake):
    header = [h + "（以、分隔）" if h == "作者" else h for h in HEADER_ZH]
    table = read_manifest(write_manifest(intake / "m.csv", [row()], header=header))
    assert table.rows[0].values["authors"] == "王小明"
