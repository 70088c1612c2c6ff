"""Every intake rule of SPEC.md §3–4, through a real import of real files."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.engine.intake.imports import check, import_manifest, load_entries
from review_tui.engine.intake.roster import import_agencies
from review_tui.engine.workspace import Workspace
from tests.builders import body_text, case_row, make_docx, row, write_csv, write_manifest


def rules_of(workspace: Workspace, title: str) -> set[str]:
    entry = next(e for e in load_entries(workspace) if e["title"] == title)
    return {f.rule for f in check(workspace).for_entry(entry["id"])}


def status_of(workspace: Workspace, title: str) -> str:
    entry = next(e for e in load_entries(workspace) if e["title"] == title)
    return check(workspace).status[entry["id"]]


def import_rows(workspace: Workspace, intake: Path, rows: list[list[str]],
                chars: int = 1200, **kw: str) -> None:
    for r in rows:
        if not (intake / r[3]).exists() and r[3]:
            make_docx(intake / r[3], r[2], body_text(chars))
    import_manifest(workspace, write_manifest(intake / "m.csv", rows, **kw))


def test_a_compliant_entry_is_accepted_without_findings(workspace, intake):
    import_rows(workspace, intake, [row(title="好作品")])
    assert rules_of(workspace, "好作品") == set()
    assert status_of(workspace, "好作品") == "accepted"


@pytest.mark.parametrize("book, expected", [
    ("微笑的力量", set()), ("《微笑的力量》", set()), ("微笑的力量（天下雜誌出版）", set()),
    ("原子習慣", {"book.not_designated"}), ("", {"book.missing"}),
])
def test_designated_book(workspace, intake, book, expected):
    import_rows(workspace, intake, [row(title="書", book=book)])
    assert rules_of(workspace, "書") == expected


@pytest.mark.parametrize("chars, ok", [(999, False), (1000, True), (1500, True), (1501, False)])
def test_reading_length_bounds_count_non_whitespace_after_the_title(workspace, intake,
                                                                   chars, ok):
    import_rows(workspace, intake, [row(title="長度")], chars=chars)
    assert ("length.out_of_range" not in rules_of(workspace, "長度")) is ok


def test_case_length_bounds(workspace, intake):
    make_docx(intake / "short.docx", "短", body_text(499))
    make_docx(intake / "fine.docx", "剛好", body_text(800))
    import_manifest(workspace, write_manifest(intake / "m.csv", [
        case_row(title="短", file="short.docx"), case_row(title="剛好", file="fine.docx")]))
    assert "length.out_of_range" in rules_of(workspace, "短")
    assert "length.out_of_range" not in rules_of(workspace, "剛好")


def test_reading_needs_exactly_one_author(workspace, intake):
    import_rows(workspace, intake, [row(title="合寫", authors="王小明、李大華",
                                        job_titles="科員、科員", grades="5、5",
                                        staff_types="編制內、編制內")])
    assert "authors.count" in rules_of(workspace, "合寫")


@pytest.mark.parametrize("staff, rule", [
    ("編制內", None), ("約聘", None), ("約僱", None), ("約雇人員", None),
    ("教師", "staff_type.ineligible"), ("職工", "staff_type.ineligible"),
    ("臨時人員", "staff_type.ineligible"), ("志工", "staff_type.unknown"),
])
def test_every_author_must_be_eligible_staff(workspace, intake, staff, rule):
    make_docx(intake / "c.docx", "案", body_text(600))
    import_manifest(workspace, write_manifest(intake / "m.csv", [case_row(
        title="案", file="c.docx", authors="王小明、李大華", job_titles="科員、科員",
        grades="5、5", staff_types=f"編制內、{staff}")]))
    found = rules_of(workspace, "案")
    assert (rule in found) if rule else not {r for r in found if r.startswith("staff_type")}


@pytest.mark.parametrize("value, ok", [("是", True), ("Y", True), ("✓", True), ("true", True),
                                       ("否", False), ("N", False), ("", False)])
def test_consent_to_share_is_required(workspace, intake, value, ok):
    import_rows(workspace, intake, [row(title="同意", consent_share=value)])
    assert ("consent.share" not in rules_of(workspace, "同意")) is ok


def test_unreadable_yes_no_is_a_finding(workspace, intake):
    import_rows(workspace, intake, [row(title="同意", consent_share="也許")])
    assert {"field.invalid", "consent.share"} <= rules_of(workspace, "同意")


def test_case_must_be_factual_and_in_a_listed_category(workspace, intake):
    make_docx(intake / "a.docx", "a", body_text(600))
    make_docx(intake / "b.docx", "b", body_text(600))
    import_manifest(workspace, write_manifest(intake / "m.csv", [
        case_row(title="不實", file="a.docx", factual="否"),
        case_row(title="類別錯", file="b.docx", service_category="環境教育",
                 agency="高雄市政府民政局")]))
    assert "consent.factual" in rules_of(workspace, "不實")
    assert "category.invalid" in rules_of(workspace, "類別錯")


@pytest.mark.parametrize("received, late", [
    ("2026-06-30", False), ("2026/7/1", True), ("115/06/30", False), ("115/07/01", True),
    ("民國115年6月30日", False), ("1150701", True),
])
def test_deadline_in_iso_and_roc_dates(workspace, intake, received, late):
    import_rows(workspace, intake, [row(title="日期", received=received)])
    assert ("deadline.late" in rules_of(workspace, "日期")) is late


def test_unreadable_date_is_a_finding_not_a_crash(workspace, intake):
    import_rows(workspace, intake, [row(title="日期", received="六月底")])
    assert "field.invalid" in rules_of(workspace, "日期")
    assert "deadline.no_date" not in rules_of(workspace, "日期")


def test_parallel_lists_of_different_lengths(workspace, intake):
    make_docx(intake / "c.docx", "案", body_text(600))
    import_manifest(workspace, write_manifest(intake / "m.csv", [case_row(
        title="案", file="c.docx", authors="王小明、李大華", job_titles="科員",
        grades="5、5", staff_types="編制內、編制內")]))
    assert "authors.lists_mismatch" in rules_of(workspace, "案")


def test_required_fields_missing(workspace, intake):
    import_rows(workspace, intake, [row(title="缺", authors="", job_titles="", grades="",
                                        staff_types="")])
    assert "field.missing" in rules_of(workspace, "缺")
    assert status_of(workspace, "缺") == "rejected"


def test_unknown_track(workspace, intake):
    import_rows(workspace, intake, [row(title="類別", track="詩歌")])
    assert "track.unknown" in rules_of(workspace, "類別")


def roster(workspace: Workspace, intake: Path) -> None:
    header = ["機關名稱", "上級機關", "組別"]
    import_agencies(workspace, write_csv(intake / "agencies.csv", header, [
        ["高雄市政府民政局", "", "一級機關"],
        ["高雄市三民區戶政事務所", "高雄市政府民政局", "所屬機關"],
        ["高雄市政府社會局", "", "一級機關"],
    ]))


def test_over_the_agency_maximum_rejects_the_later_rows_counting_subordinates(
        workspace, intake):
    roster(workspace, intake)
    rows = [row(title=f"篇{i}", file=f"{i}.docx",
                agency="高雄市三民區戶政事務所" if i % 2 else "高雄市政府民政局")
            for i in range(1, 5)]
    import_rows(workspace, intake, rows)
    assert [status_of(workspace, f"篇{i}") for i in range(1, 5)] == \
        ["accepted", "accepted", "accepted", "rejected"]
    assert "agency.over_max" in rules_of(workspace, "篇4")


def test_an_entry_rejected_for_another_reason_does_not_use_up_the_quota(workspace, intake):
    rows = [row(title=f"篇{i}", file=f"{i}.docx", book="原子習慣" if i == 1 else "微笑的力量")
            for i in range(1, 5)]
    import_rows(workspace, intake, rows)
    assert [status_of(workspace, f"篇{i}") for i in range(1, 5)] == \
        ["rejected", "accepted", "accepted", "accepted"]


def test_under_the_agency_minimum_is_a_warning(workspace, intake):
    make_docx(intake / "c.docx", "案", body_text(600))
    import_manifest(workspace, write_manifest(intake / "m.csv", [case_row(title="案",
                                                                          file="c.docx")]))
    assert "agency.under_min" in rules_of(workspace, "案")
    assert status_of(workspace, "案") == "accepted"


def test_agency_not_in_the_roster(workspace, intake):
    roster(workspace, intake)
    import_rows(workspace, intake, [row(title="外", agency="高雄市政府觀光局")])
    assert "agency.not_in_roster" in rules_of(workspace, "外")


def test_without_a_roster_no_agency_is_unknown(workspace, intake):
    import_rows(workspace, intake, [row(title="外", agency="高雄市政府觀光局")])
    assert "agency.not_in_roster" not in rules_of(workspace, "外")


def test_format_rules_are_warnings_by_default(workspace, intake):
    make_docx(intake / "plain.docx", "格式", body_text(1200), formatted=False)
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title="格式",
                                                                     file="plain.docx")]))
    found = rules_of(workspace, "格式")
    assert {"format.font", "format.size", "format.line_spacing", "format.alignment",
            "format.paper", "format.page_number"} <= found
    assert "format.margins" not in found  # Word's default 1"/1.25" margins are 2.54/3.17 cm
    assert status_of(workspace, "格式") == "accepted"


def test_margins_and_orientation(workspace, intake):
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    path = make_docx(intake / "m.docx", "邊界", body_text(1200))
    document = docx.Document(path)
    document.sections[0].left_margin = Cm(2)
    document.sections[0].orientation = WD_ORIENT.LANDSCAPE
    document.save(path)
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title="邊界",
                                                                     file="m.docx")]))
    assert {"format.margins", "format.orientation"} <= rules_of(workspace, "邊界")


def test_severity_is_configurable(workspace, intake):
    config = workspace.config_path.read_text(encoding="utf-8")
    workspace.config_path.write_text(config.replace('"format.font" = "warn"',
                                                    '"format.font" = "reject"'), "utf-8")
    make_docx(intake / "plain.docx", "格式", body_text(1200), formatted=False)
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title="格式",
                                                                     file="plain.docx")]))
    assert status_of(Workspace(workspace.root), "格式") == "rejected"


def test_identity_leaks_in_text_and_metadata(workspace, intake):
    roster(workspace, intake)
    paragraphs = ["王小明（高雄市政府民政局科員）", *body_text(1100), "感謝民政局同仁。"]
    make_docx(intake / "leak.docx", "洩漏", paragraphs, author="王小明",
              company="高雄市政府民政局")
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title="洩漏",
                                                                     file="leak.docx")]))
    found = rules_of(workspace, "洩漏")
    assert {"identity.name_in_text", "identity.job_title_in_text", "identity.agency_in_text",
            "identity.metadata"} <= found
    metadata = next(f for f in check(workspace).findings if f.rule == "identity.metadata")
    assert "creator" in metadata.params["fields"] and "company" in metadata.params["fields"]
    assert "王小明" not in str(metadata.params)


def test_txt_entries_are_read_in_any_supported_encoding(workspace, intake):
    text = "\n".join(["純文字", *body_text(1200)])
    (intake / "a.txt").write_bytes(text.encode("cp950"))
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title="純文字",
                                                                     file="a.txt")]))
    entry = load_entries(workspace)[0]
    assert entry["facts"]["char_count"] == 1200
    assert rules_of(workspace, "純文字") == set()
