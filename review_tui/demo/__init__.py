"""``review-tui demo``: a realistic committee to explore, with a few entries that break rules.

Kaohsiung-style agencies with subordinates, five reviewers (two affiliated with agencies),
about forty .docx/.txt submissions in both tracks, and manifests in UTF-8 with BOM and in
CP950 as Excel writes them. The intake material is kept in ``<workspace>/intake/``.
"""

from __future__ import annotations

import csv
import io
import random
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..engine.exports.docx_writer import COACH_FORMAT, add_title, new_document
from ..engine.intake.imports import import_manifest
from ..engine.intake.roster import import_agencies, import_reviewers
from ..engine.workspace import Workspace, init_workspace
from .pictures import png
from .text import CASE_TITLES, READING_TITLES, case_text, reading_text

CITY = "高雄市政府"
AGENCIES: list[tuple[str, str, str]] = [
    (f"{CITY}民政局", "", "一級機關"),
    ("高雄市三民區戶政事務所", f"{CITY}民政局", ""),  # a subordinate is in its parent's group
    ("高雄市鳳山區戶政事務所", f"{CITY}民政局", ""),
    (f"{CITY}社會局", "", "一級機關"),
    (f"{CITY}社會局長青綜合服務中心", f"{CITY}社會局", ""),
    (f"{CITY}衛生局", "", "一級機關"),
    ("高雄市三民區衛生所", f"{CITY}衛生局", ""),
    (f"{CITY}消防局", "", "一級機關"),
    (f"{CITY}地政局", "", "一級機關"),
    (f"{CITY}地政局鳳山地政事務所", f"{CITY}地政局", ""),
    (f"{CITY}勞工局", "", "一級機關"),
    (f"{CITY}人事處", "", "一級機關"),
    ("高雄市三民區公所", "", "區公所"),
    ("高雄市鳳山區公所", "", "區公所"),
    ("高雄市左營區公所", "", "區公所"),
    ("高雄市美濃區公所", "", "區公所"),
]
REVIEWERS = [  # three outside scholars (外聘) and two of the city's own staff
    ("J01", "陳雅琪", "國立中山大學公共事務管理研究所", "是"),
    ("J02", "林志明", "國立高雄師範大學國文學系", "是"),
    ("J03", "黃淑芬", f"{CITY}人事處", "否"),
    ("J04", "吳建宏", f"{CITY}社會局", "否"),
    ("J05", "張美玲", "義守大學大眾傳播學系", "是"),
]
SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周葉蘇莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙"
GIVEN = [
    "淑惠",
    "志偉",
    "雅婷",
    "俊傑",
    "美玲",
    "家豪",
    "怡君",
    "建宏",
    "佩君",
    "宗翰",
    "惠如",
    "冠廷",
    "詩涵",
    "明哲",
    "玉芳",
    "承恩",
    "欣怡",
    "正雄",
    "秀蘭",
    "柏翰",
]
JOBS = [
    ("科員", "委任第5職等"),
    ("專員", "薦任第7職等"),
    ("辦事員", "委任第3職等"),
    ("課員", "委任第5職等"),
    ("社會工作師", "薦任第6職等"),
    ("技士", "薦任第6職等"),
    ("約聘社工員", "比照薦任第6職等"),
    ("約僱助理員", "比照委任第3職等"),
]
BOOKS = ["微笑的力量", "工作與生活的雙贏智慧"]
# The case track is awarded by group, as 木棉獎 was: the city's bureaux and its districts.
GROUPED_CASES = """max_photos = 3
group_by = "agency_group"

[[tracks.groups]]
name = "一級機關"
quota = 8

[[tracks.groups]]
name = "區公所"
quota = 4
"""
CATEGORIES = list(CASE_TITLES)


@dataclass
class DemoEntry:
    """One row of a demo manifest plus how to write its file."""

    track: str
    agency: str
    authors: list[tuple[str, str, str, str]]  # name, job title, grade, staff type
    title: str
    paragraphs: list[str]
    book: str = ""
    category: str = ""
    consent: str = "是"
    factual: str = "是"
    received: str = ""
    file_kind: str = "docx"
    docx_options: dict[str, Any] = field(default_factory=dict)
    note: str = ""
    photos: int = 0  # case photos (實例照片) sent with it
    broken_photo: bool = False  # one of them is not a picture at all


class _People:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def author(self, staff_type: str = "") -> tuple[str, str, str, str]:
        while True:
            name = self.rng.choice(SURNAMES) + self.rng.choice(GIVEN)
            if name not in self.used:
                self.used.add(name)
                break
        job, grade = self.rng.choice(JOBS)
        kind = staff_type or (
            "約聘" if job.startswith("約聘") else "約僱" if job.startswith("約僱") else "編制內"
        )
        return name, job, grade, kind


def _entries(rng: random.Random, year: int) -> list[DemoEntry]:
    people = _People(rng)
    roc = year - 1911

    def date(month: int, day: int) -> str:  # agencies write both ISO and 民國 dates
        return (
            f"{roc}/{month:02d}/{day:02d}"
            if rng.random() < 0.5
            else f"{year}-{month:02d}-{day:02d}"
        )

    reading_agencies = [
        f"{CITY}民政局",
        "高雄市三民區戶政事務所",
        f"{CITY}社會局",
        f"{CITY}社會局",
        f"{CITY}社會局長青綜合服務中心",
        f"{CITY}衛生局",
        f"{CITY}消防局",
        f"{CITY}地政局",
        f"{CITY}勞工局",
        "高雄市三民區公所",
        "高雄市鳳山區公所",
        "高雄市左營區公所",
        "高雄市美濃區公所",
        f"{CITY}人事處",
    ]
    out: list[DemoEntry] = []
    titles = READING_TITLES[:]
    rng.shuffle(titles)
    for i, agency in enumerate(reading_agencies):
        book = BOOKS[i % 2]
        out.append(
            DemoEntry(
                "心得",
                agency,
                [people.author()],
                f"《{book}》讀後：{titles[i]}",
                reading_text(rng, book, rng.randint(1080, 1380)),
                book=book,
                received=date(rng.randint(5, 6), rng.randint(1, 28)),
            )
        )
    # reading entries that break rules, one rule each
    out.append(
        DemoEntry(
            "心得",
            f"{CITY}社會局",
            [people.author()],
            "社會局第四篇：多一份理解",
            reading_text(rng, BOOKS[0], 1200),
            book=BOOKS[0],
            received=date(6, 20),
            note="over the per-agency limit",
        )
    )
    out.append(
        DemoEntry(
            "心得",
            f"{CITY}衛生局",
            [people.author()],
            "《原子習慣》讀後感",
            reading_text(rng, "原子習慣", 1150),
            book="原子習慣",
            received=date(6, 2),
            note="not a designated book",
        )
    )
    out.append(
        DemoEntry(
            "心得",
            f"{CITY}消防局",
            [people.author()],
            "短短的心得",
            reading_text(rng, BOOKS[1], 560),
            book=BOOKS[1],
            received=date(6, 3),
            note="too short",
        )
    )
    out.append(
        DemoEntry(
            "心得",
            f"{CITY}地政局",
            [people.author(), people.author()],
            "兩個人一起讀的書",
            reading_text(rng, BOOKS[0], 1150),
            book=BOOKS[0],
            received=date(6, 4),
            note="two authors in an individual track",
        )
    )
    out.append(
        DemoEntry(
            "心得",
            f"{CITY}勞工局",
            [people.author()],
            "不想公開的心得",
            reading_text(rng, BOOKS[1], 1150),
            book=BOOKS[1],
            consent="否",
            received=date(6, 5),
            note="no consent to share",
        )
    )
    leak = people.author()
    out.append(
        DemoEntry(
            "心得",
            f"{CITY}民政局",
            [leak],
            "我在民政局的服務日記",
            [
                f"{leak[0]}（{CITY}民政局{leak[1]}）",
                *reading_text(rng, BOOKS[0], 1150)[1:],
                f"{CITY}民政局的同仁都很支持這次讀書會。",
            ],
            book=BOOKS[0],
            received=date(6, 6),
            docx_options={"author": leak[0]},
            note="identity leaks",
        )
    )
    out.append(
        DemoEntry(
            "心得",
            "高雄市左營區公所",
            [people.author()],
            "不照格式的心得",
            reading_text(rng, BOOKS[1], 1150),
            book=BOOKS[1],
            received=date(6, 7),
            docx_options={"plain": True},
            note="wrong format",
        )
    )
    out.append(
        DemoEntry(
            "心得",
            "高雄市美濃區公所",
            [people.author()],
            "純文字的心得",
            reading_text(rng, BOOKS[0], 1200),
            book=BOOKS[0],
            received=date(6, 8),
            file_kind="txt",
        )
    )
    # case studies: two or three per agency, some co-written
    case_agencies = [
        f"{CITY}民政局",
        "高雄市鳳山區戶政事務所",
        f"{CITY}社會局",
        f"{CITY}社會局",
        f"{CITY}衛生局",
        "高雄市三民區衛生所",
        f"{CITY}消防局",
        f"{CITY}消防局",
        f"{CITY}地政局",
        f"{CITY}地政局鳳山地政事務所",
        "高雄市三民區公所",
        "高雄市三民區公所",
        "高雄市鳳山區公所",
        "高雄市鳳山區公所",
        "高雄市左營區公所",
        "高雄市左營區公所",
        f"{CITY}勞工局",
    ]
    for number, agency in enumerate(case_agencies):
        category = rng.choice(CATEGORIES)
        authors = [people.author() for _ in range(rng.choice([1, 1, 2, 3]))]
        out.append(
            DemoEntry(
                "案例",
                agency,
                authors,
                rng.choice(CASE_TITLES[category]),
                [rng.choice(CASE_TITLES[category]), *case_text(rng, rng.randint(560, 760))],
                category=category,
                received=date(rng.randint(4, 6), rng.randint(1, 28)),
                photos=(1, 0, 2, 0, 3)[number % 5],  # some cases send photos, some none
                broken_photo=number == 7,
            )
        )
    out.append(
        DemoEntry(
            "案例",
            f"{CITY}人事處",
            [people.author(), people.author("教師")],
            "與學校合作的服務案例",
            ["與學校合作", *case_text(rng, 650)],
            category="跨域整合",
            received=date(6, 10),
            note="a teacher co-author",
        )
    )
    out.append(
        DemoEntry(
            "案例",
            f"{CITY}人事處",
            [people.author()],
            "尚待查證的案例",
            ["尚待查證", *case_text(rng, 650)],
            category="便民服務",
            factual="否",
            received=date(6, 11),
            note="not confirmed factual",
        )
    )
    out.append(
        DemoEntry(
            "案例",
            "高雄市美濃區公所",
            [people.author()],
            "環境教育推廣",
            ["環境教育推廣", *case_text(rng, 650)],
            category="環境教育",
            received=date(6, 12),
            note="unknown service category",
        )
    )
    out.append(
        DemoEntry(
            "案例",
            "高雄市美濃區公所",
            [people.author()],
            "逾期送件的案例",
            ["逾期送件", *case_text(rng, 650)],
            category="便民服務",
            received=date(7, 5),
            note="after the deadline",
        )
    )
    out.append(
        DemoEntry(
            "案例",
            f"{CITY}觀光局",
            [people.author(), people.author()],
            "觀光局的旅客服務",
            ["旅客服務", *case_text(rng, 650)],
            category="便民服務",
            received=date(6, 13),
            note="agency not in the roster",
        )
    )
    out.append(
        DemoEntry(
            "案例",
            f"{CITY}衛生局",
            [people.author()],
            "檔案損毀的案例",
            [],
            category="即時救護",
            received=date(6, 14),
            file_kind="broken",
            note="a damaged file",
        )
    )
    return out


def _write_entry_file(folder: Path, index: int, entry: DemoEntry) -> str:
    name = f"{index:02d}.{'txt' if entry.file_kind == 'txt' else 'docx'}"
    path = folder / name
    if entry.file_kind == "broken":
        path.write_bytes(b"PK\x03\x04 this is not really a Word document")
    elif entry.file_kind == "txt":
        path.write_text("\n".join([entry.title, *entry.paragraphs]), encoding="utf-8")
    else:
        _write_docx(path, entry)
    return f"files/{name}"


def _write_photos(folder: Path, index: int, entry: DemoEntry) -> str:
    """The entry's photos beside its file; their names as the manifest lists them."""
    names = []
    for number in range(1, entry.photos + 1):
        name = f"{index:02d}-{number}.png"
        (folder / name).write_bytes(png(360, 240, index * 10 + number))
        names.append(f"files/{name}")
    if entry.broken_photo:  # a "photo" that is a renamed text file: refused, not kept
        name = f"{index:02d}-x.jpg"
        (folder / name).write_bytes("這不是照片".encode())
        names.append(f"files/{name}")
    return "、".join(names)


def _write_docx(path: Path, entry: DemoEntry) -> None:
    if entry.docx_options.get("plain"):
        import docx

        document = docx.Document()
        document.core_properties.author = ""
        for text in [entry.title, *entry.paragraphs]:
            document.add_paragraph(text)
    else:
        document = new_document(COACH_FORMAT)
        add_title(document, entry.title)
        for text in entry.paragraphs:
            document.add_paragraph(text)
    if entry.docx_options.get("author"):
        document.core_properties.author = entry.docx_options["author"]
        document.core_properties.last_modified_by = entry.docx_options["author"]
    document.save(str(path))


def _manifest_rows(entries: list[tuple[DemoEntry, str, str]]) -> list[list[str]]:
    header = [
        "類別",
        "機關銜稱",
        "作品題目",
        "檔案",
        "作者",
        "職稱",
        "職等",
        "人員類別",
        "電話",
        "閱讀書目",
        "服務類別",
        "同意公開分享",
        "案例屬實",
        "願意發表",
        "收件日期",
        "相片",
        "備註",
    ]
    rows = [header]
    for entry, file, photos in entries:
        rows.append(
            [
                entry.track,
                entry.agency,
                entry.title,
                file,
                "、".join(a[0] for a in entry.authors),
                "、".join(a[1] for a in entry.authors),
                "、".join(a[2] for a in entry.authors),
                "、".join(a[3] for a in entry.authors),
                "、".join(_phone(a[0]) for a in entry.authors),
                entry.book,
                entry.category,
                entry.consent,
                entry.factual if entry.track == "案例" else "",
                ("是" if len(entry.title) % 2 else "否") if entry.track == "案例" else "",
                entry.received,
                photos,
                "",
            ]
        )
    return rows


def _phone(name: str) -> str:
    """A Kaohsiung office number with an extension, the same for a name every run."""
    number = zlib.crc32(name.encode("utf-8"))
    return f"07-{3300000 + number % 700000:07d}#{100 + number % 900}"


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


def _write_small_csv(path: Path, rows: Sequence[tuple[str, ...]], header: list[str]) -> None:
    _write_csv(path, [header, *[list(r) for r in rows]], "utf-8-sig")


def build_demo(root: Path | str, *, seed: int = 115, year: int | None = None) -> dict[str, int]:
    """Create the demo committee in an empty workspace; returns entry and reviewer counts."""
    from datetime import date

    year = year or date.today().year
    workspace = init_workspace(root, "coach", year=year)
    settings = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(settings.replace("max_photos = 3\n", GROUPED_CASES, 1),
                                     encoding="utf-8")
    workspace = Workspace(workspace.root)
    intake = workspace.root / "intake"
    (intake / "files").mkdir(parents=True, exist_ok=True)
    _write_small_csv(intake / "agencies.csv", AGENCIES, ["機關名稱", "上級機關", "組別"])
    _write_small_csv(intake / "reviewers.csv", REVIEWERS, ["代號", "姓名", "服務機關", "外聘"])
    import_agencies(workspace, intake / "agencies.csv")
    import_reviewers(workspace, intake / "reviewers.csv")
    rng = random.Random(seed)
    entries = _entries(rng, year)
    written = [
        (entry, _write_entry_file(intake / "files", i, entry),
         _write_photos(intake / "files", i, entry))
        for i, entry in enumerate(entries, start=1)
    ]
    reading = [pair for pair in written if pair[0].track == "心得"]
    cases = [pair for pair in written if pair[0].track == "案例"]
    reading_rows = _manifest_rows(reading)
    case_rows = _manifest_rows(cases)
    case_rows.append(case_rows[3][:])  # an agency sent one row twice
    _write_csv(intake / "心得推薦名冊.csv", reading_rows, "utf-8-sig")
    _write_csv(intake / "案例推薦名冊.csv", case_rows, "cp950")
    for manifest in ("心得推薦名冊.csv", "案例推薦名冊.csv"):
        import_manifest(workspace, intake / manifest)
    return {"entries": len(entries), "reviewers": len(REVIEWERS)}


DEMO_STAGES = ("intake", "sealed", "dealt")
DEMO_PASSPHRASE = "示範委員會的通關密語 demo 2026"


def advance_demo(root: Path | str, stage: str, *, seed: int = 115) -> Path | None:
    """Take the demo on to ``stage``: seal it (with a passphrase written beside the workspace,
    never inside it) and deal it, 3 reviewers per entry. Returns the passphrase file."""
    from ..engine.scoring.deal import deal
    from ..engine.sealing.seal import seal

    if stage not in DEMO_STAGES:
        raise ValueError(stage)
    if stage == "intake":
        return None
    workspace = Workspace(root)
    passphrase_file = workspace.root.resolve().parent / f"{workspace.root.name}-passphrase.txt"
    passphrase_file.write_text(DEMO_PASSPHRASE + "\n", encoding="utf-8")
    seal(workspace, passphrase=DEMO_PASSPHRASE)
    if stage == "dealt":
        deal(workspace, seed=seed, per_entry=3)
    return passphrase_file


def demo_workspace(root: Path | str) -> Workspace:
    """Build the demo in ``root`` and return its workspace (for tests and benchmarks)."""
    build_demo(root)
    return Workspace(root)
