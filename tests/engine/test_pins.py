"""Reviewer PINs: stored only as a salted hash, checked, replaced, cleared, and set from the
CLI (typed, or one line on standard input)."""

from __future__ import annotations

import io
import json

import pytest

from review_tui.demo import build_demo
from review_tui.engine.access.pins import has_pin, set_pin, verify_pin
from review_tui.engine.errors import ReviewError
from review_tui.engine.workspace import Workspace
from tests.cli.test_cli import cli
from tests.credentials import readable_texts


@pytest.fixture
def demo(tmp_path) -> Workspace:
    build_demo(tmp_path / "ws", year=2026)
    return Workspace(tmp_path / "ws")


def test_a_pin_is_checked_and_never_stored_in_clear(demo):
    assert not has_pin(demo, "J01") and verify_pin(demo, "J01", "anything")
    set_pin(demo, "J01", " 4321 ")
    assert has_pin(demo, "J01") and not has_pin(demo, "J02")
    assert verify_pin(demo, "J01", "4321") and not verify_pin(demo, "J01", "1234")
    for empty in ("", "  "):  # Enter before typing: asked for, not a wrong try
        with pytest.raises(ReviewError) as asked:
            verify_pin(demo, "J01", empty)
        assert asked.value.key == "pin.empty"
    failed = [r for r in demo.audit.records() if r["action"] == "attempt.failed"]
    assert len(failed) == 1  # the 1234 only
    stored = json.loads((demo.root / "pins.json").read_text(encoding="utf-8"))["pins"]
    assert [sorted(row) for row in stored.values()] == [["hash", "n", "reviewer", "salt"]]
    logged = [r["details"] for r in demo.audit.records() if r["action"] == "reviewer.pin"]
    assert logged == [{"reviewer": "J01", "set": True}]  # that it was set, never the PIN
    set_pin(demo, "J01", "98765")  # a new PIN replaces the old one
    assert verify_pin(demo, "J01", "98765") and not verify_pin(demo, "J01", "4321")
    set_pin(demo, "J01", None)
    assert not has_pin(demo, "J01")
    actions = [r["details"] for r in demo.audit.records() if r["action"] == "reviewer.pin"]
    assert actions[-1] == {"reviewer": "J01", "set": False}


@pytest.mark.parametrize("pin", ["123", "12345678901234", "12a4", "１２３４", ""])
def test_bad_pins_and_unknown_reviewers_are_refused(demo, pin):
    with pytest.raises(ReviewError) as bad:
        set_pin(demo, "J01", pin)
    assert bad.value.key == "pin.bad_format"
    with pytest.raises(ReviewError) as unknown:
        set_pin(demo, "J99", "1234")
    assert unknown.value.key == "pin.unknown_reviewer"
    assert not (demo.root / "pins.json").exists() or not json.loads(
        (demo.root / "pins.json").read_text(encoding="utf-8")).get("pins")


def test_the_cli_sets_a_pin_from_stdin_and_clears_it(demo, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("5555\n"))
    code, out, _ = cli("reviewers", "pin", "J03", "--workspace", demo.root)
    assert code == 0 and "J03" in out and verify_pin(demo, "J03", "5555")
    monkeypatch.setattr("sys.stdin", io.StringIO("55\n"))
    code, _, err = cli("reviewers", "pin", "J03", "--workspace", demo.root)
    assert code == 1 and "4–12 digits" in err and verify_pin(demo, "J03", "5555")
    code, out, _ = cli("reviewers", "pin", "J03", "--clear", "--workspace", demo.root)
    assert code == 0 and not has_pin(demo, "J03")


def test_five_wrong_pins_make_each_next_try_wait_even_after_a_restart(demo, monkeypatch):
    from datetime import timedelta

    from review_tui.engine.access import attempts

    set_pin(demo, "J01", "2468")
    start = attempts._now()
    monkeypatch.setattr(attempts, "_now", lambda: start)
    for _ in range(attempts.FREE_ATTEMPTS):
        assert not verify_pin(demo, "J01", "1111")
    restarted = Workspace(demo.root)  # a new app: the count is in the store, not in memory
    with pytest.raises(ReviewError) as waiting:
        verify_pin(restarted, "J01", "2468")  # even the right PIN waits
    assert waiting.value.key == "attempts.wait" and waiting.value.params["seconds"] == 30
    set_pin(restarted, "J02", "1357")
    assert verify_pin(restarted, "J02", "1357")  # other reviewers are not held
    failed = [r for r in restarted.audit.records() if r["action"] == "attempt.failed"]
    assert [r["details"]["failures"] for r in failed] == [1, 2, 3, 4, 5]
    assert not any("1111" in text for record in demo.audit.records()
                   for text in readable_texts(record))
    monkeypatch.setattr(attempts, "_now", lambda: start + timedelta(seconds=30))
    assert not verify_pin(restarted, "J01", "1111")  # the sixth failure doubles the wait
    with pytest.raises(ReviewError) as waiting:
        verify_pin(restarted, "J01", "2468")
    assert waiting.value.params["seconds"] == 60
    monkeypatch.setattr(attempts, "_now", lambda: start + timedelta(seconds=30 + 60))
    assert verify_pin(restarted, "J01", "2468")  # right at last: the count is cleared
    assert attempts._row(restarted, "reviewer:J01") is None


def test_the_wait_grows_to_an_hour_and_no_further():
    from review_tui.engine.access.attempts import MAX_WAIT_SECONDS, wait_seconds

    assert [wait_seconds(n) for n in range(4, 9)] == [0, 30, 60, 120, 240]
    assert wait_seconds(40) == MAX_WAIT_SECONDS == 3600
