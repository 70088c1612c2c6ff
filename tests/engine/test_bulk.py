"""Bulk steps pause the cyclic collector and always leave it as they found it."""

from __future__ import annotations

import gc
import weakref

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


class _Node:
    def __init__(self) -> None:
        self.other: _Node | None = None


def test_what_a_pause_built_is_old_when_it_ends_and_a_cycle_among_it_is_still_freed():
    from review_tui.engine.storage.gc_pause import CollectorPause

    gc.collect()
    pause = CollectorPause()
    built = [[] for _ in range(1000)]  # tracked containers that outlive the pause
    first, second = _Node(), _Node()
    first.other, second.other = second, first
    probe = weakref.ref(first)
    pause.end()
    assert gc.isenabled() and gc.get_freeze_count() == 0  # nothing is left out for good
    oldest = {id(item) for item in gc.get_objects(generation=2)}
    assert all(id(item) in oldest for item in built)  # a young collection skips them
    del first, second
    assert probe() is not None  # a cycle: reference counting alone cannot free it
    gc.collect()
    assert probe() is None
