"""The meeting's attendance and the quorum a commit needs (SPEC §12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from review_tui.engine.config import parse_config, parse_toml, template_text
from review_tui.engine.decisions.commit import commit
from review_tui.engine.errors import ConfigError, ReviewError
from review_tui.engine.meeting.attendance import quorum, record_attendance
from review_tui.engine.pipeline import completed_steps
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import tree_digest


@pytest.fixture
def demo_scored(tmp_path: Path) -> Workspace:
    """The demo (five members, J01, J02 and J05 external), sealed and scored, with no
    attendance recorded yet."""
    from review_tui.demo import build_demo
    from review_tui.engine.sealing.seal import seal
    from tests.credentials import sign_in_roles
    from tests.engine.seal_fixtures import PASSPHRASE, score_everything

    build_demo(tmp_path / "ws", year=2026)
    workspace = sign_in_roles(Workspace(tmp_path / "ws"))
    seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace, attend=False)
    return workspace


def test_commit_waits_for_attendance_then_for_a_quorum(demo_scored):
    workspace = demo_scored
    before = tree_digest(workspace.root)
    with pytest.raises(ReviewError) as error:
        commit(workspace)
    assert error.value.key == "quorum.not_recorded"
    assert tree_digest(workspace.root) == before
    # Two present of five: short of half (3), and one external where two are needed.
    record_attendance(workspace, ["J01", "J03"], ["J04"])
    with pytest.raises(ReviewError) as error:
        commit(workspace)
    assert error.value.key == "quorum.not_met"
    assert error.value.params == {"present": 2, "members": 5, "needed_present": 3,
                                  "external": 1, "needed_external": 2}
    # Three present, but only one external: a third of three is one, the minimum is two.
    record_attendance(workspace, ["J04"])
    with pytest.raises(ReviewError) as error:
        commit(workspace, override_reason="the chair may not waive a quorum")
    assert error.value.params["present"] == 3 and error.value.params["external"] == 1
    assert "committed" not in completed_steps(workspace)
    record_attendance(workspace, ["J02"])
    result = commit(workspace)
    record = [r for r in workspace.audit.records() if r["action"] == "commit"][-1]
    assert record["details"]["decisions_sha256"] == result.decisions_sha256
    assert record["details"]["quorum"] == {
        "present": 4, "members": 5, "needed_present": 3, "external": 2, "needed_external": 2,
        "required": True, "met": True, "present_ids": ["J01", "J02", "J03", "J04"],
        "absent_ids": ["J05"]}


def test_the_external_share_grows_with_those_present(demo_scored):
    """Five present with the three external: 3 ≥ ⌈5/3⌉ = 2. With a rule of one half,
    ⌈5/2⌉ = 3 external are needed, and two are not enough."""
    workspace = demo_scored
    found = record_attendance(workspace, ["J01", "J02", "J03", "J04", "J05"])
    assert found.met and found.needed_external == 2
    found = record_attendance(workspace, absent=["J05"])
    assert found.needed_external == 2 and found.external_present == 2 and found.met


def test_attendance_is_checked_logged_and_closed_after_commit(demo_scored):
    workspace = demo_scored
    for present, absent, key in ((["J09"], [], "meeting.unknown_member"),
                                 (["J01"], ["J01"], "meeting.both_ways"),
                                 ([], [], "meeting.attend_nobody")):
        with pytest.raises(ReviewError) as error:
            record_attendance(workspace, present, absent)
        assert error.value.key == key
    assert not quorum(workspace).recorded
    record_attendance(workspace, ["J01", "J02", "J03"], ["J05"])
    logged = [r for r in workspace.audit.records() if r["action"] == "meeting.attend"][-1]
    details = logged["details"]
    assert logged["role"] == "chair" and details["marked_present"] == ["J01", "J02", "J03"]
    assert details["marked_absent"] == ["J05"] and details["quorum"]["met"] is True
    states = {m.id: m.present for m in quorum(workspace).members}
    assert states == {"J01": True, "J02": True, "J03": True, "J04": None, "J05": False}
    commit(workspace)
    with pytest.raises(ReviewError) as error:
        record_attendance(workspace, ["J04"])
    assert error.value.key == "commit.already"


def _settings(meeting: str) -> str:
    text = template_text("coach", year=2026)
    start = text.index("[meeting]")
    end = text.index("[limits]")
    return text[:start] + meeting + "\n" + text[end:]


def test_quorum_rules_are_settings_and_a_committee_without_them_needs_none():
    rules = parse_config(parse_toml(template_text("coach", year=2026), Path("c.toml"))).meeting
    assert rules.quorum and rules.min_external == 2
    assert (rules.present_share.numerator, rules.present_share.denominator) == (1, 2)
    old = parse_config(parse_toml(_settings(""), Path("c.toml"))).meeting
    assert old.quorum is False
    own = parse_config(parse_toml(_settings(
        '[meeting]\npresent_share = "2/3"\nmin_external = 0\nexternal_share = "0"'),
        Path("c.toml"))).meeting
    assert own.quorum and own.min_external == 0 and float(own.present_share) == 2 / 3


@pytest.mark.parametrize("meeting, key", [
    ('[meeting]\npresent_share = "3/2"', "meeting.present_share"),
    ('[meeting]\nexternal_share = "a third"', "meeting.external_share"),
    ("[meeting]\nmin_external = -1", "meeting.min_external"),
    ('[meeting]\nquorum = "yes"', "meeting.quorum"),
    ("[meeting]\ncutoff_margin = 500", "meeting.cutoff_margin"),
    ("[meeting]\nquroum = true", "meeting.quroum"),
])
def test_bad_meeting_settings_are_refused_naming_the_key(meeting, key):
    with pytest.raises(ConfigError) as error:
        parse_config(parse_toml(_settings(meeting), Path("c.toml")))
    assert error.value.params["key"] == key
    assert json.dumps(error.value.params, ensure_ascii=False)
