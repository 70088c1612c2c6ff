"""Bulk steps run without the cyclic garbage collector's pauses.

A step over 20,000 entries builds millions of dicts and lists: a parsed store, a vault
payload, a ranking. While the heap grows, CPython's cyclic collector walks it again and
again (a third of an unseal's time, a third of a tally's), yet these structures hold no
reference cycles and reference counting frees them as usual. So a bulk step switches the
collector off and, when it ends, back on, only if it was on: steps nest (a seal runs the
intake checks) and the terminal app runs them in worker threads.

The pause is only for plain data. Code that builds cyclic object graphs (python-docx: a
document's parts and package refer to each other) runs under :func:`collector_running`,
or every .docx read in a paused step would stay in memory until the step ends (400 Word
files: 2 GB). Exports, which build documents with python-docx, are not bulk steps.

When a pause ends, what it built and still holds is treated as old (see
:func:`_age_survivors`): the next young collection does not walk it.

The terminal app's start is not one block of code, so it uses a :class:`CollectorPause`,
which ends when told (after the first frame is painted).
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def collector_running() -> Iterator[None]:
    """Run the cyclic collector for the block (if a bulk step paused it), then pause it
    again: for code that leaves cyclic garbage behind."""
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        yield
    finally:
        if not was_enabled:
            gc.disable()


class CollectorPause:
    """A pause of the collector that ends when :meth:`end` is called (later calls do
    nothing); it restores the collector only if it was on when the pause began."""

    def __init__(self) -> None:
        self._was_enabled = gc.isenabled()
        self._open = True
        gc.disable()

    def end(self) -> None:
        if self._open:
            self._open = False
            if self._was_enabled:
                _age_survivors()
                gc.enable()


def _age_survivors() -> None:
    """Move every tracked object to the oldest generation, as if it had survived two
    collections. What a pause built and still holds would otherwise sit in the youngest
    generation, and the first allocation after :func:`gc.enable` would walk all of it
    (0.5 s over 600,000 dicts; 0.1 s of a 20,000-entry tally's command), then the middle
    generation's turn would walk it again. Freezing and unfreezing splices lists and
    walks nothing; full collections still see these objects, so a cycle among them is
    freed in time."""
    gc.freeze()
    gc.unfreeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """Suspend cyclic garbage collection for the block; restore it as it was."""
    pause = CollectorPause()
    try:
        yield
    finally:
        pause.end()


def bulk_step(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with the collector paused (see the module docstring)."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with collector_paused():
            return function(*args, **kwargs)

    return run
