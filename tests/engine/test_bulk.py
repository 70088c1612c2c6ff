"""Bulk steps pause the cyclic collector and always leave it as they found it."""

from __future__ import annotations

import gc

import pytest

from review_tui.engine.bulk import bulk_step, collector_paused


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
