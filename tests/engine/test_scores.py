"""Score sheets: validation at the field, durable saves, submit/lock/reopen, paper sheets."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from review_tui.engine.config import Criterion
from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.paper import ScoreImportError, import_paper_sheet, template_csv
from review_tui.engine.scoring.scores import SUBMITTED, ScoreSheet, parse_score, reopen_sheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import PASSPHRASE, build_committee

INSIGHT = Criterion("insight", "啟示與創見", "Insight", 40)


@pytest.mark.parametrize(("typed", "value"), [
    ("12", Decimal("12")), ("12.5", Decimal("12.5")), ("１２．５", Decimal("12.5")),
    (" 40 ", Decimal("40")), ("40.0", Decimal("40.0")), ("0", Decimal("0")),
    ("007", Decimal("7")), ("٣", Decimal("3")), ("²", Decimal("2")),  # as Unicode reads them
])
def test_scores_people_type_are_read_exactly(typed, value):
    assert parse_score(typed, INSIGHT) == value
    assert str(parse_score(typed, INSIGHT)) == str(value)  # "12" stays "12", "40.0" "40.0"


@pytest.mark.parametrize(("typed", "key"), [
    ("41", "score.out_of_range"), ("40.1", "score.out_of_range"), ("-1", "score.out_of_range"),
    ("12.55", "score.one_decimal"), ("nan", "score.not_a_number"), ("inf", "score.not_a_number"),
    ("1e1", "score.not_a_number"), ("", "score.not_a_number"), ("十", "score.not_a_number"),
    ("12,5", "score.not_a_number"), ("+5", "score.not_a_number"),
])
def test_bad_scores_are_refused_with_their_reason(typed, key):
    with pytest.raises(ReviewError) as error:
        parse_score(typed, INSIGHT)
    assert error.value.key == key


@pytest.mark.parametrize("pasted", ["字" * 3000, "9" * 3000])
def test_a_long_paste_is_quoted_short_in_the_refusal(pasted):
    """Issue 23: a 3,000-character paste was echoed whole, pushing the total off screen."""
    with pytest.raises(ReviewError) as error:
        parse_score(pasted, INSIGHT)
    assert len(error.value.params["value"]) == 21 and error.value.params["value"].endswith("…")


@pytest.fixture
def dealt(tmp_path) -> Workspace:
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=5)
    return workspace


def fill(sheet: ScoreSheet, code: str, values: list[str]) -> None:
    for criterion, value in zip(sheet.criteria_of(code), values, strict=True):
        sheet.save(code, criterion.id, value)


def test_save_total_submit_lock_and_reopen(dealt):
    sheet = ScoreSheet(dealt, "J01")
    assert [q.code for q in sheet.queue] and sheet.status() == "draft"
    first = sheet.queue[0].code
    fill(sheet, first, ["30", "20.5", "10"][:len(sheet.criteria_of(first))])
    sheet.save_comment(first, "  結構清楚  ")
    again = ScoreSheet(dealt, "J01")  # a fresh process sees what was saved
    assert again.scores()[first]["comment"] == "結構清楚"
    assert again.total(first) == sum(Decimal(v) for v in
                                     again.scores()[first]["scores"].values())
    with pytest.raises(ReviewError) as incomplete:
        again.submit()
    assert incomplete.value.key == "score.incomplete"
    for item in again.queue[1:]:
        fill(again, item.code, [str(c.points * 7 // 10) for c in again.criteria_of(item.code)])
    assert again.submit() == [] and again.status() == SUBMITTED
    with pytest.raises(ReviewError) as locked:
        again.save(first, again.criteria_of(first)[0].id, "1")
    assert locked.value.key == "score.locked"
    with pytest.raises(ReviewError):
        reopen_sheet(dealt, "J01", "   ")
    reopen_sheet(dealt, "J01", "委員誤植")
    again.save(first, again.criteria_of(first)[0].id, "1")
    actions = [r["action"] for r in dealt.audit.records()]
    assert actions[-2:] == ["sheet.submit", "sheet.reopen"]
    assert dealt.audit.records()[-1]["details"]["reason"] == "委員誤植"


def test_what_a_reviewer_may_not_score(dealt):
    sheet = ScoreSheet(dealt, "J02")
    mine = {q.code for q in sheet.queue}
    other = next(q.code for q in ScoreSheet(dealt, "J01").queue if q.code not in mine)
    with pytest.raises(ReviewError) as not_dealt:
        sheet.save(other, "insight", "5")
    assert not_dealt.value.key == "score.not_dealt"
    code = sheet.queue[0].code
    with pytest.raises(ReviewError) as unknown:
        sheet.save(code, "charm", "5")
    assert unknown.value.key == "score.unknown_criterion"
    with pytest.raises(ReviewError) as nobody:
        ScoreSheet(dealt, "J99")
    assert nobody.value.key == "score.unknown_reviewer"
    assert sheet.scores() == {}  # nothing was written by the refusals


def test_a_save_rewrites_only_that_reviewers_file(dealt):
    before = {p.name: p.stat().st_mtime_ns for p in dealt.root.rglob("*.json")}
    time.sleep(0.01)
    sheet = ScoreSheet(dealt, "J03")
    sheet.save(sheet.queue[0].code, "insight", "7")
    after = {p.name: p.stat().st_mtime_ns for p in dealt.root.rglob("*.json")}
    changed = {name for name in after if before.get(name) != after[name]}
    assert changed == {"J03.json"}


SAVER = """
import sys
from review_tui.engine.scoring.scores import ScoreSheet
from review_tui.engine.workspace import Workspace
sheet = ScoreSheet(Workspace(sys.argv[1]), "J01")
code = sheet.queue[0].code
n = 0
while True:
    n = n % 30 + 1
    sheet.save(code, "insight", str(n))
    print(n, flush=True)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_a_reviewer_killed_mid_save_keeps_every_acknowledged_score(dealt):
    """Kill a saving process at random moments: the last score it reported saved is there."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    code = ScoreSheet(dealt, "J01").queue[0].code
    for attempt in range(10):
        process = subprocess.Popen([sys.executable, "-c", SAVER, str(dealt.root)],
                                   stdout=subprocess.PIPE, env=env, text=True)
        assert process.stdout is not None
        acknowledged = [process.stdout.readline()]
        time.sleep(0.003 * attempt)
        process.send_signal(signal.SIGKILL)
        rest = process.stdout.read()
        process.wait()
        acknowledged += rest.split()
        last = int(acknowledged[-1])
        stored = ScoreSheet(dealt, "J01").scores()[code]["scores"]["insight"]
        # The save in flight may or may not have landed; nothing older may be lost.
        assert int(stored) in {last, last % 30 + 1}


def write_sheet(path: Path, rows: list[list[str]], header: list[str] | None = None) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header or ["reviewer", "code", "title", "insight",
                                                 "interpretation", "structure", "comment"],
                                      *rows])
    return path


def full_rows(sheet: ScoreSheet) -> list[list[str]]:
    rows = []
    for item in sheet.queue:
        own = {c.id for c in sheet.criteria_of(item.code)}
        rows.append([sheet.reviewer, item.code, item.title,
                     *[("20" if c in own else "") for c in ("insight", "interpretation",
                                                            "structure")], "好"])
    return rows


def test_template_lists_the_dealt_order_with_blank_criteria(dealt):
    sheet = ScoreSheet(dealt, "J01")
    lines = list(csv.reader(template_csv(dealt, "J01").lstrip("\ufeff").splitlines()))
    assert lines[0] == ["reviewer", "code", "title", "insight", "interpretation", "structure",
                        "comment"]
    assert [r[1] for r in lines[1:]] == [q.code for q in sheet.queue]


def test_a_complete_paper_sheet_is_submitted_and_a_second_import_changes_nothing(
        dealt, tmp_path):
    sheet = ScoreSheet(dealt, "J01")
    path = write_sheet(tmp_path / "j01.csv", full_rows(sheet))
    report = import_paper_sheet(dealt, path)
    assert report.written == {"J01": len(sheet.queue)} and report.submitted == ["J01"]
    assert sheet.status() == SUBMITTED and sheet.unscored() == []
    audit_lines = len(dealt.audit.records())
    again = import_paper_sheet(dealt, path)
    assert again.written == {} and again.unchanged == ["J01"]
    assert len(dealt.audit.records()) == audit_lines


def test_a_partial_sheet_stays_a_draft(dealt, tmp_path):
    sheet = ScoreSheet(dealt, "J01")
    path = write_sheet(tmp_path / "part.csv", full_rows(sheet)[:1])
    assert import_paper_sheet(dealt, path).submitted == []
    assert sheet.status() == "draft" and len(sheet.unscored()) == len(sheet.queue) - 1


def test_a_bad_sheet_is_refused_whole_with_every_line_named(dealt, tmp_path):
    sheet = ScoreSheet(dealt, "J01")
    rows = full_rows(sheet)
    rows[0][3] = "99"
    rows.append(["J01", "R-ZZZZ", "", "1", "", "", ""])
    rows.append(["J77", rows[1][1], "", "1", "", "", ""])
    rows.append(list(rows[1]))
    path = write_sheet(tmp_path / "bad.csv", rows)
    with pytest.raises(ScoreImportError) as error:
        import_paper_sheet(dealt, path)
    problems = {(line, key) for line, key, _ in error.value.problems}
    assert problems == {(2, "score.out_of_range"), (len(rows) - 1, "score.not_dealt"),
                        (len(rows), "score.unknown_reviewer"),
                        (len(rows) + 1, "scores.duplicate_row")}
    assert sheet.scores() == {}


def test_a_sheet_changing_submitted_scores_is_refused_until_reopened(dealt, tmp_path):
    sheet = ScoreSheet(dealt, "J01")
    rows = full_rows(sheet)
    import_paper_sheet(dealt, write_sheet(tmp_path / "a.csv", rows))
    rows[0][3] = "21"
    changed = write_sheet(tmp_path / "b.csv", rows)
    with pytest.raises(ScoreImportError) as error:
        import_paper_sheet(dealt, changed)
    assert [key for _, key, _ in error.value.problems] == ["score.locked"]
    reopen_sheet(dealt, "J01", "紙本更正")
    with pytest.raises(ScoreImportError) as draft:  # the reopened draft still holds scores
        import_paper_sheet(dealt, changed)
    assert [key for _, key, _ in draft.value.problems] == ["scores.would_replace"]
    assert import_paper_sheet(dealt, changed, replace=True).submitted == ["J01"]
    assert sheet.scores()[rows[0][1]]["scores"]["insight"] == "21"


def test_chinese_headers_and_criterion_names_are_understood(dealt, tmp_path):
    sheet = ScoreSheet(dealt, "J01")
    rows = full_rows(sheet)
    names = {c.id: c.name for t in dealt.config.tracks for c in t.criteria}
    header = ["評審委員", "作品編號", "作品題目", names["insight"], names["interpretation"],
              names["structure"], "評語"]
    import_paper_sheet(dealt, write_sheet(tmp_path / "zh.csv", rows, header))
    assert sheet.status() == SUBMITTED


def test_a_sheet_opens_from_the_queue_pack_and_ignores_a_stale_or_broken_one(tmp_path):
    from review_tui.engine.scoring.deal import QUEUE_PACK, load_deal, load_queue_index

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=3)
    pack = workspace.root / QUEUE_PACK
    assert load_queue_index(workspace, "J01") is not None
    via_index = ScoreSheet(workspace, "J01").queue
    assert [i.code for i in via_index] == load_deal(workspace).queues["J01"]
    original = pack.read_bytes()
    header_end = original.index(b"\n") + 1
    for damage in (b"{not json", b"[1]\n", b'{"deal_sha256":"x","at":{"J01":["a",-1]}}\n',
                   original.replace(b'"deal_sha256":"', b'"deal_sha256":"0'),
                   original[:header_end + 5],  # cut short after its first line
                   original.replace(b"\n", b" ", 1),  # no first line
                   original[:header_end] + b"\xff" * (len(original) - header_end)):
        pack.write_bytes(damage)
        assert load_queue_index(workspace, "J01") is None
        assert ScoreSheet(workspace, "J01").queue == via_index  # the long way, same sheet
    pack.unlink()
    assert ScoreSheet(workspace, "J01").queue == via_index
    deal(workspace, seed=4)  # a new deal writes a new pack
    assert [i["code"] for i in load_queue_index(workspace, "J01")] == \
        load_deal(workspace).queues["J01"]


def test_a_pack_of_keyed_items_still_opens_and_an_item_short_of_a_field_is_ignored(
        tmp_path):
    """The pack writes an item as an array of its fields; a pack written before (each item
    with its keys) is read as it is, and an array missing a field sends the sheet the long
    way."""
    from review_tui.engine.scoring.deal import QUEUE_FIELDS, QUEUE_PACK, load_queue_index
    from review_tui.engine.storage.json_codec import compact

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=3)
    pack = workspace.root / QUEUE_PACK
    queue = load_queue_index(workspace, "J01")
    via_index = ScoreSheet(workspace, "J01").queue
    stamp = workspace.store.table_rows("deal", "meta")[0]["sha256"]

    def write_pack(items: object, **header: object) -> None:
        body = compact(items)
        pack.write_bytes(compact({"deal_sha256": stamp, **header,
                                  "at": {"J01": [0, len(body)]}}) + b"\n" + body)

    write_pack(queue)  # keyed items, no "fields"
    assert load_queue_index(workspace, "J01") == queue
    write_pack([[item["code"], item["track"]] for item in queue], fields=list(QUEUE_FIELDS))
    assert load_queue_index(workspace, "J01") is None
    assert ScoreSheet(workspace, "J01").queue == via_index  # the long way
    write_pack([list(item.values()) for item in queue], fields=["code", "title"])
    assert load_queue_index(workspace, "J01") is None


def test_a_deal_writes_one_pack_the_same_each_time_and_reads_an_older_deals_files(
        tmp_path):
    """The same seed gives the same pack byte for byte; a committee dealt before the pack
    (a file per reviewer in ``queues/``) opens its sheets from those files until it is
    dealt again, which removes them."""
    from review_tui.engine.scoring.deal import (
        QUEUE_PACK,
        QUEUES_DIR,
        load_deal,
        load_queue_index,
    )
    from review_tui.engine.storage.json_codec import compact

    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=5)
    pack = workspace.root / QUEUE_PACK
    first = pack.read_bytes()
    deal(workspace, seed=5)
    assert pack.read_bytes() == first
    queue = load_queue_index(workspace, "J01")
    stamp = workspace.store.table_rows("deal", "meta")[0]["sha256"]
    pack.unlink()
    older = workspace.root / QUEUES_DIR
    older.mkdir()
    (older / "J01.json").write_bytes(compact({"deal_sha256": stamp, "items": queue}))
    assert load_queue_index(workspace, "J01") == queue
    assert load_queue_index(workspace, "J02") is None  # no file: the long way
    assert ScoreSheet(workspace, "J02").queue  # which still opens the sheet
    deal(workspace, seed=6)
    assert not older.exists() and pack.exists()
    assert [i["code"] for i in load_queue_index(workspace, "J01")] == \
        load_deal(workspace).queues["J01"]
