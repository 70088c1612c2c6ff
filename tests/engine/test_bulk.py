"""Bulk steps pause the cyclic collector and always leave it as they found it."""

from __future__ import annotations

import gc

import pytest

from review_tui.engine.storage.gc_pause import bulk_step, collector_paused


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_a_step_pauses_the_collector_and_turns_it_back_on():
    seen = []

    @bulk_step
    def step(value: int) -> int:
        seen.append(gc.isenabled())
        return value * 2

    assert step(21) == 42
    assert seen == [False]
    assert gc.isenabled()


def test_nested_steps_turn_it_on_only_at_the_outermost_end():
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_step_still_turns_it_back_on():
    @bulk_step
    def step() -> None:
        raise ValueError("bad input")

    with pytest.raises(ValueError):
        step()
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off():
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()


def test_code_that_leaves_cycles_runs_with_the_collector_inside_a_paused_step():
    from review_tui.engine.storage.gc_pause import collector_running

    with collector_paused():
        with collector_running():
            assert gc.isenabled()
        assert not gc.isenabled()
    with collector_running():
        assert gc.isenabled()
    assert gc.isenabled()


def test_reading_word_files_in_a_bulk_step_does_not_keep_their_object_graphs(tmp_path):
    """python-docx's graphs are cyclic: with the collector paused for the whole import,
    every document read stayed in memory (400 files: 2 GB)."""
    import weakref

    import docx

    from review_tui.engine.intake.docx_reader import read_docx
    from tests.builders import make_docx

    data = make_docx(tmp_path / "a.docx").read_bytes()
    seen: list[weakref.ref] = []
    original = docx.Document

    def tracked(*args, **kwargs):
        document = original(*args, **kwargs)
        seen.append(weakref.ref(document.part))
        return document

    docx.Document = tracked
    try:
        with collector_paused():
            for _ in range(30):
                read_docx(data, 100 * 1024 * 1024)
            alive = sum(ref() is not None for ref in seen)
    finally:
        docx.Document = original
    assert len(seen) == 30 and alive <= 10  # a few wait for the next collection


def test_a_pause_ends_once_when_told():
    from review_tui.engine.storage.gc_pause import CollectorPause

    pause = CollectorPause()
    assert not gc.isenabled()
    with collector_paused():  # a bulk step inside the pause leaves it paused
        pass
    assert not gc.isenabled()
    pause.end()
    assert gc.isenabled()
    gc.disable()  # someone else's pause: a second end must not undo it
    pause.end()
    assert not gc.isenabled()


def test_a_pause_begun_with_the_collector_off_leaves_it_off():
    from review_tui.engine.storage.gc_pause import CollectorPause

    gc.disable()
    pause = CollectorPause()
    pause.end()
    assert not gc.isenabled()


def test_a_startup_pause_freezes_what_was_built_until_released():
    from review_tui.engine.storage.gc_pause import StartupPause

    pause = StartupPause()
    built = [[] for _ in range(1000)]  # tracked containers, alive for the app's life
    pause.end()
    try:
        assert gc.isenabled()
        assert gc.get_freeze_count() >= len(built)
    finally:
        pause.release()
    assert gc.get_freeze_count() == 0
    assert gc.isenabled()


def test_an_app_closed_before_its_first_frame_still_unfreezes():
    from review_tui.engine.storage.gc_pause import StartupPause

    pause = StartupPause()
    pause.release()
    assert gc.isenabled() and gc.get_freeze_count() == 0
