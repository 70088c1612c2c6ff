"""The demo committee run end to end, printing its frozen decisions' hash.

``python -m tests.decisions_hash`` in two checkouts (before and after a change that must not
move any decision, such as a refactor) prints the same hash when no decision moved. The codes
and pseudonym key are drawn from a fixed seed, the deal and the scores too; the commit takes
an override so open ties and discrepancies are frozen as they stand.
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path

import pytest

from review_tui.demo import build_demo
from review_tui.engine.decisions.commit import commit
from review_tui.engine.sealing import pseudonyms
from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import score_everything


def decisions_hash(root: Path) -> str:
    """Build, seal, deal, score and commit the demo in ``root``; the decisions' SHA-256."""
    build_demo(root, year=2026)
    fixed = random.Random(2026)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pseudonyms.secrets, "choice", fixed.choice)
        patch.setattr(pseudonyms.secrets, "token_bytes", fixed.randbytes)
        workspace = Workspace(root)
        seal(workspace, passphrase="correct horse battery staple 2026")
        score_everything(workspace, seed=3, spread=5)
        return commit(workspace, override_reason="end-to-end comparison").decisions_sha256


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        print(decisions_hash(Path(folder) / "ws"))
    sys.exit(0)
