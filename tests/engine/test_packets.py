"""Reviewer packets: what travels, the laptop round trip, and every forged return refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.deal import deal
from review_tui.engine.scoring.packets import (
    export_packet,
    import_signed_sheet,
    open_packet,
    return_sheet,
)
from review_tui.engine.scoring.scores import SUBMITTED, ScoreSheet
from review_tui.engine.sealing.keys import b64, unb64
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import load_sealed_entries
from review_tui.engine.storage.audit import canonical
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    files_holding,
    identity_strings,
)


@pytest.fixture
def chair(tmp_path) -> tuple[Workspace, list[str]]:
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    names = identity_strings(workspace)
    seal(workspace, passphrase=PASSPHRASE)
    deal(workspace, seed=3)
    return workspace, names


def score_everything(laptop: Workspace, reviewer: str) -> None:
    sheet = ScoreSheet(laptop, reviewer)
    for item in sheet.queue:
        for criterion in sheet.criteria_of(item.code):
            sheet.save(item.code, criterion.id, str(criterion.points - 3))
    sheet.submit()


def test_a_packet_holds_only_that_reviewers_blinded_entries(chair, tmp_path):
    workspace, names = chair
    path = tmp_path / "p.json"
    export_packet(workspace, "J02", path)
    packet = json.loads(path.read_text(encoding="utf-8"))
    dealt = {q.code for q in ScoreSheet(workspace, "J02").queue}
    assert {item["code"] for item in packet["queue"]} == dealt
    assert files_holding(tmp_path, names, skip=("manifest.csv", "王小明_心得.docx",
                                                "case.txt", "health.txt", "short.txt",
                                                "agencies.csv", "reviewers.csv")) == []
    text = path.read_text(encoding="utf-8")
    pseudonyms = {p for e in load_sealed_entries(workspace) for p in [e["agency"], *e["authors"]]}
    assert not any(f'"{p}"' in text for p in pseudonyms)
    assert all(set(item) == {"code", "track", "title", "char_count", "text"}
               for item in packet["queue"])
    assert set(packet) == {"format", "version", "packet_id", "committee", "created", "config",
                           "reviewer", "queue", "signing_key"}


def test_laptop_round_trip(chair, tmp_path):
    workspace, _ = chair
    export_packet(workspace, "J01", tmp_path / "p.json")
    laptop = open_packet(tmp_path / "p.json", tmp_path / "laptop")
    score_everything(laptop, "J01")
    sheet_path = return_sheet(laptop, tmp_path / "sheet.json")
    report = import_signed_sheet(workspace, sheet_path)
    assert report.submitted == ["J01"]
    chair_sheet = ScoreSheet(workspace, "J01")
    assert chair_sheet.status() == SUBMITTED and chair_sheet.unscored() == []
    assert chair_sheet.scores() and all(
        row["scores"] for row in chair_sheet.scores().values())


@pytest.fixture
def returned(chair, tmp_path) -> tuple[Workspace, Workspace, Path]:
    workspace, _ = chair
    export_packet(workspace, "J01", tmp_path / "p.json")
    laptop = open_packet(tmp_path / "p.json", tmp_path / "laptop")
    sheet = ScoreSheet(laptop, "J01")
    code = sheet.queue[0].code
    sheet.save(code, sheet.criteria_of(code)[0].id, "12")
    return workspace, laptop, return_sheet(laptop, tmp_path / "sheet.json")


def _resign(path: Path, laptop: Workspace, change) -> None:
    signed = json.loads(path.read_text(encoding="utf-8"))
    body = {k: v for k, v in signed.items() if k != "signature"}
    change(body)
    key_b64 = laptop.store.table_rows("packet")[0]["signing_key"]
    key = Ed25519PrivateKey.from_private_bytes(unb64(key_b64, "k"))
    path.write_text(json.dumps(dict(body, signature=b64(key.sign(canonical(body))))),
                    encoding="utf-8")


def refused(workspace: Workspace, path: Path, key: str) -> None:
    before = ScoreSheet(workspace, "J01").scores()
    with pytest.raises(ReviewError) as error:
        import_signed_sheet(workspace, path)
    assert error.value.key == key
    assert ScoreSheet(workspace, "J01").scores() == before


def test_a_modified_sheet_is_refused(returned):
    workspace, _, path = returned
    signed = json.loads(path.read_text(encoding="utf-8"))
    signed["scores"][0]["scores"] = {k: "40" for k in signed["scores"][0]["scores"]}
    path.write_text(json.dumps(signed), encoding="utf-8")
    refused(workspace, path, "packet.bad_signature")


def test_a_replayed_sheet_is_refused(returned):
    workspace, _, path = returned
    import_signed_sheet(workspace, path)
    refused(workspace, path, "packet.replayed")


def test_a_sheet_claiming_another_reviewer_is_refused(returned):
    workspace, laptop, path = returned
    _resign(path, laptop, lambda body: body.update(reviewer="J02"))
    refused(workspace, path, "packet.wrong_reviewer")


def test_a_sheet_from_a_replaced_packet_is_refused(returned, tmp_path):
    workspace, _, path = returned
    export_packet(workspace, "J01", tmp_path / "newer.json")
    refused(workspace, path, "packet.superseded")


def test_a_sheet_of_another_committee_or_packet_is_refused(returned):
    workspace, laptop, path = returned
    _resign(path, laptop, lambda body: body.update(packet_id="0" * 16))
    refused(workspace, path, "packet.unknown")
    _resign(path, laptop, lambda body: body.update(committee="someone-else"))
    refused(workspace, path, "packet.foreign")


@pytest.mark.parametrize("content", [b"", b"{", b"[]", b'{"format": "other"}', b"\xff\xfe"])
def test_garbage_is_not_a_sheet(chair, tmp_path, content):
    workspace, _ = chair
    path = tmp_path / "junk.json"
    path.write_bytes(content)
    with pytest.raises(ReviewError) as error:
        import_signed_sheet(workspace, path)
    assert error.value.key == "packet.sheet_corrupt"


def test_opening_a_packet_twice_or_garbage_is_refused(chair, tmp_path):
    workspace, _ = chair
    export_packet(workspace, "J03", tmp_path / "p.json")
    open_packet(tmp_path / "p.json", tmp_path / "laptop")
    with pytest.raises(ReviewError):
        open_packet(tmp_path / "p.json", tmp_path / "laptop")
    (tmp_path / "bad.json").write_text('{"format": "review-tui-packet", "version": 1}',
                                       encoding="utf-8")
    with pytest.raises(ReviewError) as error:
        open_packet(tmp_path / "bad.json", tmp_path / "laptop2")
    assert error.value.key == "packet.packet_corrupt"


@pytest.mark.parametrize("where", ["folder", "under_a_file", "no_such_place"])
def test_a_sheet_written_where_no_file_can_be_is_refused_and_the_laptop_goes_on(
        returned, tmp_path, where):
    """Before, a folder given as the file was committed and then failed at the rename: every
    later command on the laptop replayed the step and failed again; /proc/… was a traceback."""
    _, laptop, first = returned
    out = {"folder": tmp_path, "under_a_file": first / "sheet.json",
           "no_such_place": Path("/proc/no-such-folder/sheet.json")}[where]
    counter = laptop.store.table_rows("packet")[0]["counter"]
    with pytest.raises(ReviewError) as error:
        return_sheet(laptop, out)
    assert error.value.key == "store.unwritable"
    assert laptop.store.table_rows("packet")[0]["counter"] == counter  # nothing happened
    again = return_sheet(laptop, tmp_path / "again.json")  # the laptop is not wedged
    assert json.loads(again.read_text(encoding="utf-8"))["counter"] == counter + 1
    assert laptop.audit.verify()
