"""Shared by the export tests: the demo committee scored, committed, unsealed and exported
once per test session (building it is the slow part)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from review_tui.demo import build_demo
from review_tui.engine.decisions.commit import commit
from review_tui.engine.exports import run_export
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.unseal import unseal
from review_tui.engine.workspace import Workspace
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, fixed_codes, score_everything


@pytest.fixture(scope="session")
def committee(tmp_path_factory) -> Workspace:
    """The demo committee, scored without discrepancies and committed (not unsealed)."""
    root = tmp_path_factory.mktemp("export") / "ws"
    build_demo(root, year=2026)
    workspace = Workspace(root)
    with pytest.MonkeyPatch.context() as patch:  # the same codes, so the same winners, each run
        fixed_codes(patch, 2026)
        seal(workspace, passphrase=PASSPHRASE)
    score_everything(workspace)
    commit(workspace)
    return workspace


@pytest.fixture(scope="session")
def unsealed(committee, tmp_path_factory) -> Workspace:
    copy = sign_in_roles(Workspace(shutil.copytree(committee.root,
                                                  tmp_path_factory.mktemp("u") / "ws")))
    unseal(copy, passphrase=PASSPHRASE)
    return copy


@pytest.fixture(scope="session")
def exported(unsealed, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("out") / "exports"
    report = run_export(unsealed, folder, convert=False)
    assert report.folder == folder and not report.blind_only
    return folder


