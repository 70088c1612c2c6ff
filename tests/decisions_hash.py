"""The demo committee run end to end, printing its frozen decisions' hash.

``python -m tests.decisions_hash`` in two checkouts (before and after a change that must not
move any decision, such as a refactor) prints the same hash when no decision moved. The codes
and pseudonym key are drawn from a fixed seed, the deal and the scores too; the commit takes
an override so open ties and discrepancies are frozen as they stand.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
from hashlib import sha256
from pathlib import Path

import pytest

from review_tui.demo import build_demo
from review_tui.engine.decisions.commit import commit
from review_tui.engine.exports import run_export
from review_tui.engine.sealing import pseudonyms
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.unseal import unseal
from review_tui.engine.workspace import Workspace
from tests.engine.seal_fixtures import score_everything


def decisions_hash(root: Path) -> str:
    """Build, seal, deal, score, commit, unseal and export the demo in ``root``: the
    decisions' SHA-256, then each exported .csv and .json file's (dated today)."""
    build_demo(root, year=2026)
    fixed = random.Random(2026)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pseudonyms.secrets, "choice", fixed.choice)
        patch.setattr(pseudonyms.secrets, "token_bytes", fixed.randbytes)
        workspace = Workspace(root)
        seal(workspace, passphrase="correct horse battery staple 2026")
        score_everything(workspace, seed=3, spread=5)
        digest = commit(workspace, override_reason="end-to-end comparison").decisions_sha256
        unseal(workspace, passphrase="correct horse battery staple 2026")
        report = run_export(workspace, root / "exports", convert=False)
        files = sorted(p for p in report.files if p.suffix in (".csv", ".json"))
        return "\n".join([digest] + [f"{sha256(_without_id(p)).hexdigest()}  {p.name}"
                                      for p in files])


def _without_id(path: Path) -> bytes:
    """A file's bytes, the committee's random id in decisions.json blanked."""
    data = path.read_bytes()
    if path.suffix == ".json":
        committee = json.loads(data)["committee"]
        data = data.replace(f'"committee": "{committee}"'.encode(), b'"committee": ""')
    return data


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as folder:
        print(decisions_hash(Path(folder) / "ws"))
    sys.exit(0)
