"""The meeting's agenda: every open matter in order, decided with the engine's own actions
and ticked, with the meeting's notes (SPEC §12)."""

from __future__ import annotations

import json

import pytest

from review_tui.engine.decisions.frozen_rules import amend_rules
from review_tui.engine.decisions.tally import draw_tie, record_tie_order, resolve_discrepancy
from review_tui.engine.errors import ReviewError
from review_tui.engine.meeting.agenda import agenda, note_matter
from review_tui.engine.scoring.scores import reopen_sheet
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from review_tui.i18n import Messages
from review_tui.present import agenda_lines
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    scored_committee,
    tie_reading_entries,
)
from tests.engine.test_tally import lower


def _ids(workspace: Workspace) -> dict[str, bool]:
    return {m.id: m.open for m in agenda(workspace)}


def _one_reading_place(workspace: Workspace, margin: int) -> Workspace:
    """One place for the two reading entries (a cut-off between them), and the margin."""
    settings = workspace.config_path
    text = settings.read_text(encoding="utf-8").replace("quota = 10\n", "quota = 1\n", 1)
    settings.write_text(text.replace("cutoff_margin = 1.0", f"cutoff_margin = {margin}"),
                        encoding="utf-8")
    amend_rules(workspace, "one place, and the meeting looks at the cut-off")
    return Workspace(workspace.root)


def _tied(tmp_path, **rules) -> tuple[Workspace, list[str]]:
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    reading = tie_reading_entries(workspace, quota=1, **rules)
    return Workspace(workspace.root), reading


def test_a_discrepancy_and_a_late_sheet_come_first_and_are_ticked_when_decided(tmp_path):
    workspace = scored_committee(tmp_path)
    assert _ids(workspace) == {}
    code = lower(workspace, "J01", 25)
    reopen_sheet(workspace, "J03", "late")
    assert _ids(workspace) == {f"discrepancy:{code}": True, "sheet:J03": True}
    resolve_discrepancy(workspace, code, "keep", note="兩位委員觀點不同，維持")
    matters = agenda(workspace)
    assert [(m.id, m.open) for m in matters] == [(f"discrepancy:{code}", False),
                                                 ("sheet:J03", True)]
    assert matters[0].decision == {"action": "keep", "reviewer": None}
    assert matters[0].note == "兩位委員觀點不同，維持"
    lines = agenda_lines(Messages("zh-TW"), matters, workspace.config)
    assert lines[0] == "議程：未決 1 項，已決 1 項"
    assert lines[1].startswith(" 1. [x] 作品 ")
    assert lines[1].endswith(f"維持原評分。　備註：兩位委員觀點不同，維持  (discrepancy:{code})")
    assert lines[2] == " 2. [ ] 委員 J03 的評分表尚未送出。  (sheet:J03)"


def test_a_sheet_changed_since_its_submission_is_a_matter_of_its_own(tmp_path):
    from tests.engine.test_tally import edit_submitted_sheet

    workspace = scored_committee(tmp_path)
    edit_submitted_sheet(workspace, "J02")
    matters = agenda(workspace)
    assert [(m.id, m.open) for m in matters] == [("sheet:J02:changed", True)]
    line = agenda_lines(Messages("zh-TW"), matters, workspace.config)[1]
    assert line.startswith(" 1. [ ] 委員 J02 的評分表在送出後被更動")
    assert line.endswith("(sheet:J02:changed)")


def test_a_tie_that_decides_an_award_is_on_the_agenda_until_ordered_or_drawn(tmp_path):
    workspace, reading = _tied(tmp_path, ladder=["criteria", "chair"])
    tie_id = f"tie:reading:{','.join(sorted(reading))}"
    matter = next(m for m in agenda(workspace) if m.kind == "tie")
    assert (matter.id, matter.open, matter.params) == (tie_id, True, {"cause": "quota"})
    record_tie_order(workspace, "reading", list(reversed(sorted(reading))), note="會議表決")
    matter = next(m for m in agenda(workspace) if m.id == tie_id)
    assert not matter.open and matter.note == "會議表決"
    assert matter.decision == {"action": "chair", "order": list(reversed(sorted(reading))),
                               "seed": None}
    text = agenda_lines(Messages("en"), [matter], workspace.config)[1]
    assert "tied: the meeting's order" in text and "Note: 會議表決" in text


def test_a_drawn_tie_is_ticked_with_its_seed(tmp_path):
    workspace, reading = _tied(tmp_path)
    drawn = draw_tie(workspace, "reading", reading, seed=4711)
    matter = next(m for m in agenda(workspace) if m.kind == "tie")
    assert not matter.open
    assert matter.decision == {"action": "lottery", "order": list(drawn.order), "seed": 4711}
    text = agenda_lines(Messages("zh-TW"), [matter], workspace.config)[1]
    assert "抽籤，種子碼 4711" in text


def test_entries_near_the_cut_off_are_decided_by_the_meetings_note(tmp_path):
    workspace = _one_reading_place(scored_committee(tmp_path), 100)
    near = [m for m in agenda(workspace) if m.kind == "cutoff"]
    assert [(m.track, m.params["winner"], m.open) for m in near] == [
        ("reading", True, True), ("reading", False, True)]  # the case track has no cut-off
    winner, left_out = near
    assert winner.params["other"] == left_out.params["mean"]
    assert left_out.params["other"] == winner.params["mean"]
    for bad in ("", "   "):
        with pytest.raises(ReviewError) as error:
            note_matter(workspace, winner.id, bad)
        assert error.value.key == "meeting.note_empty"
    with pytest.raises(ReviewError) as error:
        note_matter(workspace, "cutoff:R-NONE", "討論")
    assert error.value.key == "meeting.unknown_matter"
    noted = note_matter(workspace, left_out.id, "全體委員同意維持")
    assert not noted.open and noted.decision == {"action": "discussed"}
    again = next(m for m in agenda(workspace) if m.id == left_out.id)
    assert not again.open and again.note == "全體委員同意維持"
    logged = workspace.audit.records()[-1]
    assert logged["action"] == "meeting.note" and logged["role"] == "chair"
    assert logged["details"] == {"matter": left_out.id, "note": "全體委員同意維持"}
    text = agenda_lines(Messages("zh-TW"), [again], workspace.config)[1]
    assert "未入選，只比最後一件入選的" in text and "[x]" in text
    _a_note_is_what_its_record_says(workspace, winner.id)


def _a_note_is_what_its_record_says(workspace, undiscussed: str) -> None:
    """A note edited or added by hand in meeting.json (it decides a matter near the
    cut-off, and the minutes print it) is named before anything is frozen."""
    from review_tui.engine.decisions.logged_inputs import changed_input

    assert changed_input(workspace, workspace.audit.records()) is None
    path = workspace.root / "meeting.json"
    original = path.read_text(encoding="utf-8")
    for change in ("edit", "add"):
        data = json.loads(original)
        if change == "edit":
            next(iter(data["notes"].values()))["note"] = "全體委員同意改列入選"
        else:
            data["notes"]["99"] = {"matter": undiscussed, "note": "討論過",
                                   "at": "2026-07-15T09:00:00+00:00"}
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert changed_input(workspace, workspace.audit.records()) == path, change
    path.write_text(original, encoding="utf-8")


def test_a_margin_of_nothing_leaves_the_cut_off_off_the_agenda(tmp_path):
    workspace = _one_reading_place(scored_committee(tmp_path), 0)
    assert [m for m in agenda(workspace) if m.kind == "cutoff"] == []
