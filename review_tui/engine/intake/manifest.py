"""Read a submissions manifest or a roster (.csv in UTF-8/BOM/UTF-16/CP950, or .xlsx).

Headers may be English or Chinese; unknown columns are reported, not guessed at. A manifest
that cannot be read at all (unknown encoding, not a table) is refused as a whole with a
:class:`ReviewError`: there is nothing to import from it.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
import stat
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.paths import OLE_MAGIC, FileProblem, decode_text, open_zip_checked

MAX_MANIFEST_BYTES = 20 * 1024 * 1024
MAX_MANIFEST_UNPACKED = 200 * 1024 * 1024
# Bounds that keep a pathological file to seconds of work: far above any real manifest
# (20,000 entries of ~20 columns), far below what makes reading it slow.
MAX_ROWS = 100_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 10_000

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "track": ("track", "類別", "徵件類別", "作品類別"),
    "agency": ("agency", "機關銜稱", "機關", "推薦機關", "機關名稱"),
    "title": ("title", "作品題目", "題目", "作品名稱"),
    "file": ("file", "檔案", "檔名", "檔案名稱"),
    "authors": ("authors", "author", "作者", "作者姓名", "姓名", "撰寫人"),
    "job_titles": ("job_titles", "job_title", "職稱"),
    "grades": ("grades", "grade", "職等", "官職等"),
    "staff_types": ("staff_types", "staff_type", "人員類別", "身分別"),
    "phones": ("phones", "phone", "電話", "聯絡電話"),
    "book": ("book", "閱讀書目", "書目", "書名"),
    "service_category": ("service_category", "服務類別", "案例類別"),
    "consent_share": ("consent_share", "同意公開分享", "同意分享"),
    "factual": ("factual", "案例屬實", "屬實"),
    "will_present": ("will_present", "願意發表", "願意於成果發表會發表"),
    "received": ("received", "收件日期", "收件日"),
    "photos": ("photos", "相片", "照片", "實例照片"),  # file names, as authors are separated
    "notes": ("notes", "備註", "附註", "說明"),  # kept for people, not read by any rule
}
REQUIRED_COLUMNS = ("track", "agency", "title", "file", "authors")


@dataclass
class TableRow:
    """One data row; ``number`` is the row as a spreadsheet shows it (header = row 1)."""

    number: int
    values: dict[str, Any]


@dataclass
class Table:
    path: Path
    encoding: str
    rows: list[TableRow]
    unknown_columns: list[str] = field(default_factory=list)
    blank_rows: list[int] = field(default_factory=list)
    data: bytes = b""  # the file as read, for hashing


def read_manifest(path: Path) -> Table:
    """Read a submissions manifest; refuse one that is unreadable as a whole."""
    return read_table(path, _HEADER_LOOKUP, REQUIRED_COLUMNS)


def header_lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Map every normalised alias to its canonical column name."""
    return {_header_key(alias): column for column, names in aliases.items() for alias in names}


def _header_key(header: Any) -> str:
    text = unicodedata.normalize("NFKC", str(header or ""))
    text = re.sub(r"[(（].*?[)）]", "", text)
    return re.sub(r"[\s_*]+", "", text).lower()


def read_table(path: Path, lookup: dict[str, str], required: tuple[str, ...]) -> Table:
    """Read a .csv or .xlsx table whose headers map to columns through ``lookup``."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe would hang the read, a device never end
            raise ReviewError("manifest.not_a_file", path=str(path))
        size = info.st_size
        if size > MAX_MANIFEST_BYTES:
            raise ReviewError("manifest.too_large", path=str(path))
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise ReviewError("manifest.missing", path=str(path)) from exc
    except OSError as exc:
        raise ReviewError("manifest.unreadable", path=str(path), reason=str(exc)) from exc
    if data.startswith(b"PK") or path.suffix.lower() in (".xlsx", ".xlsm"):
        cells, encoding = _xlsx_cells(path, data), "xlsx"
    else:
        cells, encoding = _csv_cells(path, data)
    table = _rows_from_cells(path, encoding, cells, lookup, required,
                             _cell_text if encoding == "xlsx" else str.strip)  # csv: text
    table.data = data
    return table


def _csv_cells(path: Path, data: bytes) -> tuple[list[list[Any]], str]:
    if data.startswith(OLE_MAGIC):
        raise ReviewError("manifest.not_table", path=str(path))
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReviewError("manifest.encoding", path=str(path))
    try:
        text, encoding = decode_text(data)
    except UnicodeError as exc:
        raise ReviewError("manifest.encoding", path=str(path)) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _bounded(path, reader), encoding
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):  # csv's own bound (128 KB) came first
            raise ReviewError("manifest.cell_too_long", path=str(path), row=reader.line_num,
                              limit=MAX_CELL_CHARS) from exc
        raise ReviewError("manifest.not_table", path=str(path)) from exc


def _bounded(path: Path, rows: Iterable[Sequence[Any]]) -> list[list[Any]]:
    """The rows, trailing empty cells dropped; refused at the first row past a bound."""
    cells: list[list[Any]] = []
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise ReviewError("manifest.too_many_rows", path=str(path), limit=MAX_ROWS)
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        if len(values) > MAX_COLUMNS:
            raise ReviewError("manifest.too_wide", path=str(path), row=number,
                              limit=MAX_COLUMNS)
        for value in values:
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise ReviewError("manifest.cell_too_long", path=str(path), row=number,
                                  limit=MAX_CELL_CHARS)
        cells.append(values)
    return cells


def _xlsx_cells(path: Path, data: bytes) -> list[list[Any]]:
    if data.startswith(OLE_MAGIC):
        raise ReviewError("manifest.encrypted_or_xls", path=str(path))
    try:
        open_zip_checked(data, MAX_MANIFEST_UNPACKED)
        cells = _sheet_cells(data, formulas=False)
    except ReviewError:
        raise
    except FileProblem as exc:
        raise ReviewError("manifest.not_table", path=str(path)) from exc
    except Exception as exc:  # openpyxl raises many types on broken workbooks
        raise ReviewError("manifest.not_table", path=str(path)) from exc
    if _has_formula_part(data):
        _refuse_uncomputed_formulas(path, data, cells)
    return _bounded(path, cells)


def _sheet_cells(data: bytes, *, formulas: bool) -> list[list[Any]]:
    """The first sheet's cell values (with ``formulas``, a formula's text, not its value)."""
    import openpyxl  # imported here: only .xlsx tables need it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=not formulas)
    try:
        rows = itertools.islice(book.worksheets[0].iter_rows(values_only=True), MAX_ROWS + 1)
        return [list(row)[:MAX_COLUMNS + 1] for row in rows]
    finally:
        book.close()


def _has_formula_part(data: bytes) -> bool:
    """Whether any sheet of the (compressed) workbook holds a formula element."""
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                if b"<f>" in xml or b"<f " in xml:
                    return True
        return False


def _refuse_uncomputed_formulas(path: Path, data: bytes, values: list[list[Any]]) -> None:
    """A formula saved without its result (made by a script, never opened in Excel) reads
    as an empty cell: refuse it, naming the cell, instead of losing what it computes."""
    from openpyxl.utils import get_column_letter

    for row_number, row in enumerate(_sheet_cells(data, formulas=True), start=1):
        for column, cell in enumerate(row, start=1):
            if not (isinstance(cell, str) and cell.startswith("=")):
                continue
            known = values[row_number - 1] if row_number <= len(values) else []
            if column > len(known) or known[column - 1] in (None, ""):
                raise ReviewError("manifest.formula_without_value", path=str(path),
                                  cell=f"{get_column_letter(column)}{row_number}")


def _cell_text(value: Any) -> Any:
    """Trim text cells; keep dates as they are; render whole floats without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _rows_from_cells(path: Path, encoding: str, cells: list[list[Any]],
                     lookup: dict[str, str], required: tuple[str, ...],
                     cell_text: Callable[[Any], Any] = _cell_text) -> Table:
    header_index = next((i for i, row in enumerate(cells)
                         if any(_cell_text(c) != "" for c in row)), None)
    if header_index is None:
        raise ReviewError("manifest.empty", path=str(path))
    header = cells[header_index]
    columns = [lookup.get(_header_key(h)) for h in header]
    missing = [c for c in required if c not in columns]
    if missing:
        raise ReviewError("manifest.missing_columns", path=str(path), columns=", ".join(missing))
    unknown = [str(h) for h, c in zip(header, columns, strict=True) if c is None and str(h or "")]
    rows: list[TableRow] = []
    blank: list[int] = []
    for offset, raw in enumerate(cells[header_index + 1:], start=header_index + 2):
        values = {col: cell_text(raw[i]) if i < len(raw) else ""
                  for i, col in enumerate(columns) if col is not None}
        if all(v == "" for v in values.values()):
            blank.append(offset)
            continue
        rows.append(TableRow(offset, values))
    last_data_row = rows[-1].number if rows else 0
    return Table(path=path, encoding=encoding, rows=rows, unknown_columns=unknown,
                    blank_rows=[n for n in blank if n < last_data_row])


_HEADER_LOOKUP = header_lookup(COLUMN_ALIASES)
