"""What a step reads first, parsed while its role's credential is checked.

Signing in derives the credential's key (Argon2id, 0.2-0.3 s), and the derivation leaves
the interpreter free: a thread beside it parses the store files the step reads first (a
tally's 2,000 sheets and the sealed entries at 20,000 entries took as long). The step
still runs only once the credential is accepted, and in the order it always did; nothing
read ahead is shown or written, and a file written since it was read ahead is read again
(:meth:`.Store.read_ahead`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from review_tui.engine.model import ENTRIES_STORE
from review_tui.engine.scoring.deal import SCORES_DIR
from review_tui.engine.workspace import Workspace

ReadFirst = Callable[[Workspace], list[str]]

# Read more than once by a step: the sealed entries, to see they are sealed, then to use
# them (a commit's second parse at 20,000 entries took 0.03 s of its 1.4 s).
SHARED = (ENTRIES_STORE,)


def tally_inputs(workspace: Workspace) -> list[str]:
    """Every reviewer's sheet and the sealed entries: what a tally (and a commit) reads
    first."""
    return [*workspace.store.names_in(SCORES_DIR), ENTRIES_STORE]


def deal_inputs(workspace: Workspace) -> list[str]:
    """The sealed entries, which the deal reads first."""
    return [ENTRIES_STORE]


@contextmanager
def reading_ahead(workspace: Workspace, read_first: ReadFirst | None) -> Iterator[None]:
    """Parse what ``read_first`` names in a thread while the block runs; the block's end
    waits for it (its files are then ready for the step to take)."""
    if read_first is None or not workspace.exists():
        yield
        return
    thread = threading.Thread(
        target=lambda: workspace.store.read_ahead(read_first(workspace), shared=SHARED),
        name="read-ahead", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()
