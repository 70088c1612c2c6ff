"""Case photos: checked from their bytes, stripped of metadata, sealed, printed after unseal;
and the presenters' list and the groups in every export."""

from __future__ import annotations

import csv
import io
import json
import struct
import zlib
from pathlib import Path

import docx
import pytest

from review_tui.demo.pictures import png
from review_tui.engine.decisions.commit import commit
from review_tui.engine.exports import run_export
from review_tui.engine.exports.data import gather
from review_tui.engine.intake.imports import check, load_entries
from review_tui.engine.intake.paths import FileProblem
from review_tui.engine.intake.photos import MAX_PIXELS, clean_photo
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.unseal import read_archived, unseal
from tests.builders import row
from tests.engine.seal_fixtures import PASSPHRASE, files_holding
from tests.engine.test_groups import grouped_committee, score_by_title

WRITER = "甲一作者"  # the EXIF and the PNG text chunk name the writer


def jpeg(width: int = 640, height: int = 480, *, artist: str = WRITER) -> bytes:
    """A JPEG's structure with an EXIF segment naming ``artist`` (headers, no picture)."""
    value = artist.encode("utf-8") + b"\0"
    entry = struct.pack("<HHII", 0x013B, 2, len(value), 26)  # Artist, ASCII, at offset 26
    tiff = b"II*\0" + struct.pack("<IH", 8, 1) + entry + b"\0\0\0\0" + value
    app1 = b"Exif\0\0" + tiff
    frame = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x11\x00\x02\x11\x01\x03\x11\x01"
    scan = b"\x03\x01\x00\x02\x11\x03\x11\x00\x3f\x00"
    return (b"\xff\xd8" + b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
            + b"\xff\xfe" + struct.pack(">H", len(value) + 2) + value  # a comment too
            + b"\xff\xc0" + struct.pack(">H", len(frame) + 2) + frame
            + b"\xff\xda" + struct.pack(">H", len(scan) + 2) + scan + b"\x00" * 16 + b"\xff\xd9")


def png_with_text(text: str = WRITER) -> bytes:
    """A real PNG with a tEXt chunk naming the writer before its picture."""
    data = png(40, 30, 1)
    body = b"Author\0" + text.encode("utf-8")
    chunk = (struct.pack(">I", len(body)) + b"tEXt" + body
             + struct.pack(">I", zlib.crc32(b"tEXt" + body)))
    return data[:33] + chunk + data[33:]  # after the signature and IHDR


def test_metadata_is_stripped_and_the_picture_kept():
    photo = clean_photo(jpeg(), ".JPG")
    assert WRITER.encode() not in photo.data
    assert (photo.width, photo.height, photo.suffix) == (640, 480, ".jpg")
    assert photo.data[2:4] == b"\xff\xe0" and b"JFIF" in photo.data[:12]  # readers know it
    cleaned = clean_photo(png_with_text(), ".png")
    assert WRITER.encode() not in cleaned.data and b"tEXt" not in cleaned.data
    assert cleaned.data == png(40, 30, 1)  # the picture chunks exactly as they were
    docx.Document().add_picture(io.BytesIO(cleaned.data))  # python-docx places it


@pytest.mark.parametrize(("data", "suffix", "reason"), [
    (b"not a picture at all", ".jpg", "type"),
    (png(8, 8, 1), ".jpg", "type"),  # a PNG named .jpg
    (jpeg(), ".gif", "type"),
    (png(8, 8, 1)[:-8], ".png", "corrupt"),  # cut short: no IEND
    (png(8, 8, 1)[:40] + b"\0" + png(8, 8, 1)[41:], ".png", "corrupt"),  # a CRC fails
    (jpeg()[:30], ".jpg", "corrupt"),
    (jpeg(50_000, 50_000), ".jpg", "bomb"),  # a few hundred bytes, 2.5 gigapixels
    (jpeg(MAX_PIXELS // 1000 + 1, 1000), ".jpg", "bomb"),  # one row over the limit
])
def test_a_photo_that_cannot_be_used_is_refused_with_its_reason(data, suffix, reason):
    with pytest.raises(FileProblem) as caught:
        clean_photo(data, suffix)
    assert caught.value.params == {"reason": reason}


@pytest.fixture
def with_photos(tmp_path: Path):
    intake = tmp_path / "intake"
    (intake / "photos").mkdir(parents=True)
    (intake / "photos" / "一.jpg").write_bytes(jpeg())
    (intake / "photos" / "二.png").write_bytes(png_with_text())
    (intake / "photos" / "壞.jpg").write_bytes("這不是照片".encode())
    for n in range(4):
        (intake / f"p{n}.png").write_bytes(png(20, 20, n))
    photos = {"甲一": "photos/一.jpg、photos/二.png", "乙一": "photos/壞.jpg；photos/沒有.png",
              "丙一": "p0.png、p1.png、p2.png、p3.png"}
    reading = [[*row(agency="甲局", title="心得", file="case.txt", authors="讀者"),
                "p0.png"]]  # a reading report takes none
    return grouped_committee(tmp_path / "ws", intake, photos=photos, extra_rows=reading)


def test_intake_keeps_good_photos_and_reports_the_rest(with_photos):
    entries = {e["title"]: e for e in load_entries(with_photos)}
    assert [p["file"] for p in entries["甲一"]["photos"]] == ["photos/一.jpg", "photos/二.png"]
    assert entries["乙一"]["photos"] == []
    assert len(entries["丙一"]["photos"]) == 4  # all read; the rules say how many count
    findings = [(f.rule, f.severity, f.params) for f in check(with_photos).findings
                if f.rule.startswith("photo.")]
    assert findings == [
        ("photo.invalid", "warn", {"file": "photos/壞.jpg", "reason": "type"}),
        ("photo.invalid", "warn", {"file": "photos/沒有.png", "reason": "missing"}),
        ("photo.too_many", "warn", {"count": 4, "max": 3}),
        ("photo.not_taken", "warn", {"count": 1})]
    evaluation = check(with_photos)
    assert all(evaluation.status[e["id"]] == "accepted" for e in entries.values()
               if e["track"] == "case")  # a photo's finding only warns
    from review_tui.i18n import Messages
    from review_tui.present import _entry_details

    lines = _entry_details(Messages("zh-TW"), entries["甲一"])
    assert lines[-1] == "相片 2 張（保存，不評分）：photos/一.jpg、photos/二.png"


def test_photos_are_sealed_unseen_and_printed_after_the_unseal(with_photos, tmp_path):
    seal(with_photos, passphrase=PASSPHRASE)
    root = with_photos.root
    assert not (root / "intake").exists() or not list((root / "intake").rglob("*.jpg"))
    assert files_holding(root, [WRITER]) == []  # the EXIF name is nowhere in the clear
    score_by_title(with_photos)
    commit(with_photos)
    unseal(with_photos, passphrase=PASSPHRASE)
    by_title = {e.title: e.code for e in gather(with_photos).entries}
    photos = {code: archived.photos for code, archived in
              read_archived(with_photos, {by_title["甲一"], by_title["丙一"]}).items()}
    assert [suffix for suffix, _ in photos[by_title["甲一"]]] == [".jpg", ".png"]
    assert all(WRITER.encode() not in data for _, data in photos[by_title["甲一"]])
    report = run_export(with_photos, tmp_path / "out", convert=False)
    compilation = docx.Document(str(tmp_path / "out" / "優良作品集.docx"))
    # 甲一's two and three of 丙一's four (the track takes at most three)
    assert len(compilation.inline_shapes) == 5
    assert "溝通服務個案實例照片" in {c.text for t in compilation.tables for r in t.rows
                                     for c in r.cells}
    names = {p.name for p in report.files}
    assert {"發表名單.docx", "發表名單.csv"} <= names


def test_every_export_shows_the_group_and_who_will_present(with_photos, tmp_path):
    seal(with_photos, passphrase=PASSPHRASE)
    score_by_title(with_photos)
    commit(with_photos)
    unseal(with_photos, passphrase=PASSPHRASE)
    out = tmp_path / "out"
    run_export(with_photos, out, convert=False)
    decisions = json.loads((out / "decisions.json").read_text(encoding="utf-8"))
    case = {e["title"]: e for e in decisions["tracks"]["case"]}
    assert (case["甲一"]["group"], case["甲一"]["rank"], case["甲一"]["will_present"]) \
        == ("第一組", 1, True)
    assert (case["丁一"]["group"], case["丁一"]["rank"]) == ("第二組", 1)
    assert case["甲二"]["will_present"] is False
    award = list(csv.reader(io.StringIO(
        (out / "入選名單_溝通服務個案案例.csv").read_text(encoding="utf-8-sig"))))
    assert award[0][0] == "組別" and award[0][-1] == "願意發表"
    assert [(r[0], r[1], r[3], r[-1]) for r in award[1:]] == [
        ("第一組", "1", "甲一", "是"), ("第一組", "2", "甲二", "否"),
        ("第二組", "1", "丁一", "是"), ("第二組", "2", "丙一", "是")]
    presenters = list(csv.reader(io.StringIO(
        (out / "發表名單.csv").read_text(encoding="utf-8-sig"))))
    assert [r[3] for r in presenters[1:]] == ["甲一", "丁一", "丙一"]  # winners who agreed
    listing = docx.Document(str(out / "入選名單_溝通服務個案案例.docx"))
    headings = [p.text for p in listing.paragraphs if p.text.startswith("組別")]
    assert headings == ["組別：第一組", "組別：第二組"]
    notes = [p.text for p in listing.paragraphs if p.text.startswith("附註")]
    assert notes[0].startswith("附註：本組入選名額 2 件") and "平均分數須達 80 分" in notes[1]
    summary = docx.Document(str(out / "成績總表.docx"))
    assert "溝通服務個案案例　組別：第二組" in [p.text for p in summary.paragraphs]
