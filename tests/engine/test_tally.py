"""Tally in the workspace: discrepancies, the chair's decisions, lottery, commit guards."""

from __future__ import annotations

import json

import pytest

from review_tui.engine.decisions.commit import commit
from review_tui.engine.decisions.ranking import lottery_order
from review_tui.engine.decisions.records import Draw, problem_to_json
from review_tui.engine.decisions.tally import (
    draw_tie,
    record_tie_order,
    resolve_discrepancy,
    tally,
    verify_draws,
)
from review_tui.engine.errors import ReviewError
from review_tui.engine.scoring.deal import load_deal
from review_tui.engine.scoring.scores import ScoreSheet, reopen_sheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from review_tui.i18n import Messages
from tests.cli.test_cli import cli
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    scored_committee,
    tie_reading_entries,
    tree_digest,
)


@pytest.fixture
def scored(tmp_path) -> Workspace:
    return scored_committee(tmp_path)


def lower(workspace: Workspace, reviewer: str, points_off: int) -> str:
    """Reopen a sheet and cut its first entry's heaviest criterion; returns the code."""
    reopen_sheet(workspace, reviewer, "test")
    sheet = ScoreSheet(workspace, reviewer)
    code = sheet.queue[0].code
    criterion = sheet.criteria_of(code)[0]
    value = int(sheet.scores()[code]["scores"][criterion.id])
    sheet.save(code, criterion.id, str(max(0, value - points_off)))
    sheet.save_comment(code, "再讀一次後調低")  # a total under 60 needs one
    sheet.submit()
    return code


def row_of(result, code):
    return next(r for rows in result.document["tracks"].values() for r in rows
                if r["code"] == code)


def test_tally_json_has_the_public_shape(scored):
    code, out, _ = cli("tally", "--json", "--workspace", scored.root)
    data = json.loads(out)
    assert code == 0 and set(data["tracks"]) == {"reading", "case"}
    for track, rows in data["tracks"].items():
        for row in rows:
            assert {"code", "rank", "score", "status", "reason", "tie"} <= set(row)
            assert row["status"] in {"winner", "capped", "below_minimum", "not_selected"}
            assert len(row["score"].split(".")[1]) == 2 and row["reason"]
            assert row["tie"] is None or row["tie"] in data["ties"][track]
    assert set(data["ties"]) == {"reading", "case"}
    assert data["problems"] == []


def test_a_discrepancy_blocks_commit_until_the_chair_handles_it(scored):
    code = lower(scored, "J01", 25)
    result = tally(scored)
    assert [p.kind for p in result.problems] == ["discrepancy"]
    assert row_of(result, code)["discrepancy"] == {"flagged": True, "outcome": None}
    with pytest.raises(ReviewError) as blocked:
        commit(scored)
    assert blocked.value.key == "commit.blocked"
    with pytest.raises(ReviewError) as needs_reviewer:
        resolve_discrepancy(scored, code, "drop")
    assert needs_reviewer.value.key == "tally.drop_needs_reviewer"
    resolve_discrepancy(scored, code, "drop", reviewer="J01", note="委員自承誤評")
    row = row_of(tally(scored), code)
    assert row["discrepancy"]["outcome"] == {"action": "drop", "reviewer": "J01",
                                             "note": "委員自承誤評"}
    assert [r["counted"] for r in row["reviews"] if r["reviewer"] == "J01"] == [False]
    assert row["mean"] == max(r["total"] for r in row["reviews"]) + "0"  # J03's alone
    commit(scored)
    details = scored.audit.records()[-1]["details"]
    assert details["overridden"] == [] and details["override_reason"] is None


def test_rescore_reopens_and_keeps_the_flag_until_decided(scored):
    code = lower(scored, "J01", 25)
    resolve_discrepancy(scored, code, "rescore", reviewer="J01")
    assert ScoreSheet(scored, "J01").status() == "draft"
    problems = [problem_to_json(p) for p in tally(scored).problems]
    assert {p["problem"] for p in problems} == {"discrepancy", "sheet_unsubmitted"}
    assert next(p for p in problems if p["problem"] == "discrepancy")["rescoring"] is True
    resolve_discrepancy(scored, code, "no_award")
    ScoreSheet(scored, "J01").submit()
    assert row_of(tally(scored), code)["reason"] == "reason.no_award"


def test_an_unsubmitted_sheet_blocks_unless_the_chair_overrides(scored):
    reopen_sheet(scored, "J02", "late")
    with pytest.raises(ReviewError):
        commit(scored)
    commit(scored, override_reason="J02 left the meeting; scores as they stand")
    details = scored.audit.records()[-1]["details"]
    assert details["overridden"] == [{"problem": "sheet_unsubmitted", "reviewer": "J02"}]
    assert details["override_reason"].startswith("J02 left")


def edit_submitted_sheet(workspace: Workspace, reviewer: str) -> str:
    """Raise the first stored score of a submitted sheet by hand, as someone with the files
    might; returns the entry's code."""
    path = workspace.root / "scores" / f"{reviewer}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(r for r in data["_default"].values() if r.get("scores"))
    criterion = next(iter(row["scores"]))
    row["scores"][criterion] = str(int(float(row["scores"][criterion])) + 1)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(row["code"])


def test_a_sheet_changed_after_it_was_submitted_is_not_counted_and_blocks_the_commit(scored):
    """A submitted sheet is kept as its submission logged it (its hash): a score raised by
    hand since is named, none of that sheet is counted, and no override commits it."""
    before = tally(scored, record=False)
    code = edit_submitted_sheet(scored, "J02")
    result = tally(scored, record=False)
    assert problem_to_json(result.problems[0]) == {"problem": "sheet_changed",
                                                    "reviewer": "J02"}
    reviews = {r["reviewer"] for r in row_of(result, code)["reviews"]}
    assert "J02" in {r["reviewer"] for r in row_of(before, code)["reviews"]}
    assert "J02" not in reviews  # not counted, changed or not
    said = Messages("en")("problem.sheet_changed", reviewer="J02")
    assert "changed after it was submitted" in said and "scores/J02.json" in said
    for reason in (None, "the meeting accepts the sheets as they are"):
        with pytest.raises(ReviewError) as refused:
            commit(scored, override_reason=reason)
        assert refused.value.key == "commit.blocked_sheet_changed"
    reopen_sheet(scored, "J02", "the file was changed: the reviewer checks it")
    ScoreSheet(scored, "J02").submit()  # submitted again, as the reviewer now has it
    assert not tally(scored, record=False).problems
    commit(scored)


def test_a_restored_sheet_counts_again_and_drafts_are_the_reviewers_own(scored):
    path = scored.root / "scores" / "J03.json"
    kept = path.read_bytes()
    edit_submitted_sheet(scored, "J03")
    assert [p.kind for p in tally(scored, record=False).problems] == ["sheet_changed"]
    path.write_bytes(kept)  # restored from a backup
    assert not tally(scored, record=False).problems
    reopen_sheet(scored, "J03", "late")
    edit_submitted_sheet(scored, "J03")  # a draft: the reviewer's to change, not checked
    assert [p.kind for p in tally(scored, record=False).problems] == ["sheet_unsubmitted"]


def test_a_recusal_recorded_on_a_submitted_sheet_logs_the_sheets_new_hash(scored):
    from review_tui.engine.scoring.recusal import record_recusal

    code = ScoreSheet(scored, "J01").queue[0].code
    record_recusal(scored, "J01", code, "同單位，會後才發現")
    record = scored.audit.records()[-1]
    assert record["action"] == "recusal.record" and record["details"]["sheet_sha256"]
    assert not [p for p in tally(scored, record=False).problems if p.kind == "sheet_changed"]
    edit_submitted_sheet(scored, "J01")
    assert [p.kind for p in tally(scored, record=False).problems] == ["sheet_changed"]


def test_a_recusal_logged_without_the_sheets_hash_leaves_that_sheet_unchecked(scored,
                                                                              monkeypatch):
    """A recusal recorded on a submitted sheet by an earlier version logged no hash: the
    log cannot say what the sheet should hold, so it is not refused for it."""
    from review_tui.engine.scoring.recusal import record_recusal

    append = scored.audit.append

    def older(action, details=None, **kwargs):
        details = {k: v for k, v in (details or {}).items() if k != "sheet_sha256"}
        return append(action, details, **kwargs)

    monkeypatch.setattr(scored.audit, "append", older)
    record_recusal(scored, "J01", ScoreSheet(scored, "J01").queue[0].code, "同單位")
    monkeypatch.undo()
    assert not [p for p in tally(scored, record=False).problems if p.kind == "sheet_changed"]


def test_a_commit_on_an_edited_log_is_refused_first_and_writes_nothing(scored):
    """The log is checked beside the tally: its refusal still comes first (ahead of a
    sheet that blocks), and neither the log nor the decisions change."""
    from review_tui.engine.errors import AuditError

    reopen_sheet(scored, "J02", "late")  # would block the commit on its own
    log = scored.root / "audit.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    lines[2] = lines[2].replace(b'"actor":"', b'"actor":"x', 1)
    log.write_bytes(b"".join(lines))
    before = {p.name: p.read_bytes() for p in scored.root.glob("*.json*")}
    with pytest.raises(AuditError) as refused:
        commit(scored)
    assert refused.value.key == "audit.bad" and refused.value.params["line"] == 3
    assert {p.name: p.read_bytes() for p in scored.root.glob("*.json*")} == before


def test_after_commit_the_tally_is_frozen_and_sheets_stay_shut(scored):
    commit(scored)
    frozen = tally(scored)
    assert frozen.frozen
    with pytest.raises(ReviewError):
        reopen_sheet(scored, "J01", "too late")
    with pytest.raises(ReviewError):
        resolve_discrepancy(scored, frozen.document["tracks"]["reading"][0]["code"], "keep")
    assert tally(scored).document == frozen.document


def test_a_tally_never_draws_and_a_draw_touches_one_group_only(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    workspace = Workspace(workspace.root)
    first = tally(workspace)
    assert {row_of(first, c)["status"] for c in reading} == {"tie_pending"}
    assert [p.kind for p in first.problems] == ["tie_pending"]
    assert not [r for r in workspace.audit.records() if "draw" in r["action"]
                or "lottery" in r["action"]]
    with pytest.raises(ReviewError) as blocked:
        commit(workspace, override_reason="we are in a hurry")
    assert blocked.value.key == "commit.blocked_tie_pending"
    for lang, words in (("zh-TW", "「溝通服務專書閱讀心得報告」"), ("en", "Book-reading report:")):
        said = Messages(lang)(blocked.value.key, **blocked.value.params)
        assert words in said and "tie_pending" not in said and " reading R-" not in said
        assert ("、" if lang == "zh-TW" else ", ").join(sorted(reading)) in said
    drawn = draw_tie(workspace, "reading", list(reversed(reading)), seed=4242)
    assert drawn == Draw(4242, tuple(lottery_order(4242, "reading", sorted(reading))))
    after = tally(workspace)
    assert [row_of(after, c)["status"] for c in drawn.order] == ["winner", "not_selected"]
    assert after.document["tracks"]["case"] == first.document["tracks"]["case"]
    [record] = [r for r in workspace.audit.records() if r["action"] == "tally.draw"]
    assert record["details"]["seed"] == 4242 and record["details"]["order"] == list(drawn.order)
    assert [d.ok for d in verify_draws(workspace)] == [True]
    with pytest.raises(ReviewError) as again:
        draw_tie(workspace, "reading", reading)
    assert again.value.key == "tally.already_drawn"
    with pytest.raises(ReviewError) as reorder:
        record_tie_order(workspace, "reading", reading)
    assert reorder.value.key == "tally.already_drawn"
    commit(workspace)


def test_verify_names_a_draw_whose_kept_order_was_edited(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    draw_tie(Workspace(workspace.root), "reading", reading, seed=7)
    path = workspace.root / "tally.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(iter(data["draws"].values()))
    row["order"] = list(reversed(row["order"]))
    path.write_text(json.dumps(data), encoding="utf-8")
    assert [d.ok for d in verify_draws(workspace)] == [False]
    code, out, _ = cli("tally", "draw", "--verify", "--workspace", workspace.root)
    assert code == 1 and "✗" in out


def test_chair_inputs_are_checked(scored):
    with pytest.raises(ReviewError) as bad:
        resolve_discrepancy(scored, "R-NONE", "keep")
    assert bad.value.key == "tally.unknown_code"
    with pytest.raises(ReviewError):
        resolve_discrepancy(scored, "R-NONE", "shrug")
    with pytest.raises(ReviewError) as order:
        record_tie_order(scored, "reading", ["R-AAAA", "R-AAAA"])
    assert order.value.key == "tally.bad_order"
    with pytest.raises(ReviewError) as not_a_tie:
        record_tie_order(scored, "reading", ["R-AAAA", "R-BBBB"])
    assert not_a_tie.value.key == "tally.not_a_tie"
    with pytest.raises(ReviewError) as track:
        record_tie_order(scored, "poetry", ["R-AAAA", "R-BBBB"])
    assert track.value.key == "tally.unknown_track"


def test_an_outcome_for_an_entry_that_is_not_flagged_is_refused(scored):
    code = tally(scored).document["tracks"]["reading"][0]["code"]
    before = tree_digest(scored.root)
    with pytest.raises(ReviewError) as refused:
        resolve_discrepancy(scored, code, "no_award")
    assert refused.value.key == "tally.not_flagged"
    assert tree_digest(scored.root) == before
    assert row_of(tally(scored), code)["reason"] != "reason.no_award"


def test_an_order_must_name_exactly_one_tied_group_of_that_track(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "chair"], quota=1)
    workspace = Workspace(workspace.root)
    case_code = tally(workspace).document["tracks"]["case"][0]["code"]
    before = tree_digest(workspace.root)
    for track, codes in (("reading", [reading[0], case_code]), ("case", reading),
                         ("reading", reading[:1])):
        with pytest.raises(ReviewError) as refused:
            record_tie_order(workspace, track, codes)
        assert refused.value.key == "tally.not_a_tie", (track, codes)
        assert " ".join(sorted(reading)) in refused.value.params["expected"] or track == "case"
    assert tree_digest(workspace.root) == before
    code, _, err = cli("tally", "order", "--track", "reading", reading[0], case_code,
                       "--workspace", workspace.root)
    assert code == 1 and "not one undecided tied group" in err
    record_tie_order(workspace, "reading", list(reversed(reading)))
    record_tie_order(workspace, "reading", reading)  # the meeting may correct its order
    assert [row_of(tally(workspace), c)["status"] for c in reading] == ["winner",
                                                                        "not_selected"]


def test_the_chair_is_led_to_discrepancies_in_ranking_order_until_handled(scored):
    assert tally(scored, record=False).waiting("discrepancy") == []
    reviewers = sorted(load_deal(scored).queues, reverse=True)
    firsts = {ScoreSheet(scored, r).queue[0].code: r for r in reviewers}
    assert len(firsts) >= 2
    codes = {lower(scored, reviewer, 25) for reviewer in list(firsts.values())[:2]}
    preview = tally(scored, record=False)
    waiting = preview.waiting("discrepancy")
    assert {code for _, code in waiting} == codes
    shown = [(track, row["code"]) for track, rows in preview.document["tracks"].items()
             for row in rows]
    assert waiting == [key for key in shown if key in waiting]  # in the order shown
    handled = waiting[0][1]
    resolve_discrepancy(scored, handled, "keep", note="agreed")
    assert [code for _, code in tally(scored, record=False).waiting("discrepancy")] == [
        code for _, code in waiting[1:]]
    assert preview.waiting("tie") == []


def test_an_undrawn_tie_that_decides_waits_once_per_group_until_drawn(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1)
    workspace = Workspace(workspace.root)
    preview = tally(workspace, record=False)
    assert preview.waiting("tie") == [("reading", preview.document["tracks"]["reading"][0]
                                       ["code"])]
    tie_id = row_of(preview, reading[0])["tie"]
    assert {row_of(preview, c)["tie"] for c in reading} == {tie_id}  # one record, named
    assert set(preview.document["ties"]["reading"][tie_id]["steps"][-1]["group"]) == set(reading)
    assert set(preview.row("reading", reading[0]).tie.steps[-1].group) == set(reading)
    assert tally(workspace).waiting("tie") == [("reading", preview.document["tracks"]
                                                ["reading"][0]["code"])]  # not drawn
    draw_tie(workspace, "reading", reading)
    assert tally(workspace, record=False).waiting("tie") == []


def test_a_tie_that_decides_nothing_waits_for_nobody(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace)  # quota 10: both win whatever the order
    result = tally(workspace)
    assert {row_of(result, c)["status"] for c in reading} == {"winner"}
    assert {row_of(result, c)["rank"] for c in reading} == {1}
    assert result.waiting("tie") == [] and result.problems == []


def test_a_tie_for_the_meeting_waits_until_its_order_is_recorded(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "chair"], quota=1)
    workspace = Workspace(workspace.root)
    waiting = tally(workspace, record=False).waiting("tie")
    assert len(waiting) == 1 and waiting[0][1] in reading
    record_tie_order(workspace, "reading", reading)
    assert tally(workspace, record=False).waiting("tie") == []


def test_shared_places_that_decide_nothing_wait_for_nobody(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, ladder=["criteria", "shared"])
    result = tally(Workspace(workspace.root), record=False)
    assert result.row("reading", reading[0]).tie.steps[-1].rung == "shared"
    assert result.waiting("tie") == []


def test_a_progress_tally_is_provisional_until_every_sheet_is_in(scored):
    reopen_sheet(scored, "J02", "late")
    result = tally(scored)
    assert result.provisional and result.unsubmitted == 1
    code, out, _ = cli("tally", "--workspace", scored.root)
    assert code == 0
    assert out.splitlines()[0].startswith("PROVISIONAL: score sheets not submitted yet: 1")
    code, out, _ = cli("tally", "--json", "--workspace", scored.root)
    assert json.loads(out)["provisional"] is True
    ScoreSheet(scored, "J02").submit()
    assert not tally(scored).provisional


@pytest.mark.parametrize("value", ["55", "12.55", "abc", "-1"])  # above insight's 40 points,
def test_the_tally_rechecks_every_stored_score_against_the_rubric(scored, value):  # not tenths,
    reviewer = "J01"  # not a number, below zero: each edited into the stored sheet
    # A draft (a submitted sheet changed by hand is refused whole: see sheet_changed).
    reopen_sheet(scored, reviewer, "reopened")
    path = scored.root / "scores" / f"{reviewer}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(iter(data["_default"].values()))
    row["scores"]["insight"] = value
    path.write_text(json.dumps(data), encoding="utf-8")
    result = tally(scored)
    [problem] = [problem_to_json(p) for p in result.problems if p.kind == "score_invalid"]
    assert problem == {"problem": "score_invalid", "reviewer": reviewer, "code": row["code"],
                       "criterion": "insight", "value": value, "points": 40}
    assert reviewer not in {r["reviewer"] for r in row_of(result, row["code"])["reviews"]}
    with pytest.raises(ReviewError) as blocked:
        commit(scored, override_reason="anyway")
    assert blocked.value.key == "commit.blocked_score_invalid"


def test_a_rescore_keeps_the_first_round_beside_the_new_scores(scored, tmp_path):
    from review_tui.engine.exports import run_export
    from tests.engine.test_exports import doc_text

    code = lower(scored, "J01", 25)
    first = next(r for r in row_of(tally(scored), code)["reviews"] if r["reviewer"] == "J01")
    resolve_discrepancy(scored, code, "rescore", reviewer="J01", note="請再評一次")
    sheet = ScoreSheet(scored, "J01")
    criterion = sheet.criteria_of(code)[0]
    sheet.save(code, criterion.id, str(criterion.points - 2))
    sheet.submit()
    row = row_of(tally(scored), code)
    again = next(r for r in row["reviews"] if r["reviewer"] == "J01")
    assert again["first_round"] == {"total": first["total"], "criteria": first["criteria"]}
    assert again["total"] != first["total"]
    assert all("first_round" not in r for r in row["reviews"] if r["reviewer"] != "J01")
    assert all("first_round" not in r for rows in tally(scored).document["tracks"].values()
               for entry in rows if entry["code"] != code for r in entry["reviews"])
    summary = doc_text(run_export(scored, tmp_path / "out", convert=False).folder
                       / "成績總表.docx")
    assert f"（首輪 {first['criteria'][criterion.id].removesuffix('.0')}）" in summary


def test_the_first_round_a_rescore_keeps_is_logged_and_checked_at_commit(scored):
    """The kept first round (shown in the score summary's history) is what the re-score's
    record says, or the commit is refused naming tally.json; an entry re-scored before the
    kept scores were logged is left unchecked."""
    from review_tui.engine.decisions.logged_inputs import changed_input

    code = lower(scored, "J01", 25)
    first = next(r for r in row_of(tally(scored), code)["reviews"] if r["reviewer"] == "J01")
    resolve_discrepancy(scored, code, "rescore", reviewer="J01")
    record = scored.audit.records()[-1]
    logged = record["details"]["first_round"]
    assert record["action"] == "tally.discrepancy" and list(logged) == ["J01"]
    assert {c: str(v / 10) for c, v in logged["J01"].items()} == first["criteria"]
    others = {r["reviewer"] for r in row_of(tally(scored), code)["reviews"]} - {"J01"}
    resolve_discrepancy(scored, code, "rescore")  # J01's first round stays the first
    assert scored.audit.records()[-1]["details"]["first_round"].keys() == others
    assert changed_input(scored, scored.audit.records()) is None

    path = scored.root / "tally.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    row = next(r for r in data["first_rounds"].values() if r["code"] == code)
    criterion = next(iter(row["reviews"]["J01"]))
    row["reviews"]["J01"][criterion] += 1  # a better first round, typed in by hand
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert changed_input(scored, scored.audit.records()) == path
    with pytest.raises(ReviewError) as refused:
        commit(scored, override_reason="anyway")
    assert refused.value.key == "input.changed" and refused.value.params["path"] == str(path)

    older = [dict(r, details={k: v for k, v in r["details"].items() if k != "first_round"})
             if r["action"] == "tally.discrepancy" else r for r in scored.audit.records()]
    assert changed_input(scored, older) is None  # logged before: not checked, as before


def test_the_entries_a_tally_reads_are_parsed_once_and_hashed_for_its_check(scored,
                                                                           store_parses):
    """The tally reads the sealed entries once: the check of what the seal logged hashes
    the same parse (the commit's, beside its sign-in: tests/cli/test_roles_cli.py)."""
    assert not [p for p in tally(scored, record=False).problems if p.kind == "input_changed"]
    assert store_parses.count("entries.json") == 1


def test_entries_changed_right_after_a_tally_read_them_are_still_named(scored, monkeypatch):
    """The hash kept from a read belongs to the file as it was before the read: entries
    changed by hand between the read and the check are named, not taken as the read ones."""
    from review_tui.engine.decisions import logged_inputs

    path = scored.root / "entries.json"
    load = logged_inputs.load_sealed_entries

    def then_changed(workspace):
        entries = load(workspace)
        data = json.loads(path.read_text(encoding="utf-8"))
        first = next(iter(data["_default"].values()))
        first["title"] += "（改）"  # a title retyped by hand while the tally reads
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return entries

    monkeypatch.setattr(logged_inputs, "load_sealed_entries", then_changed)
    logged_inputs.read_sealed_entries(scored)
    monkeypatch.setattr(logged_inputs, "load_sealed_entries", load)
    assert logged_inputs.changed_input(scored, scored.audit.records()) == path
    with pytest.raises(ReviewError) as refused:
        commit(scored, override_reason="anyway")
    assert refused.value.key == "input.changed" and refused.value.params["path"] == str(path)
