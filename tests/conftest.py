"""Shared fixtures: a fresh COACH committee in tmp_path, and an intake folder beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.engine.workspace import Workspace, init_workspace


@pytest.fixture(autouse=True)
def _english_and_actor(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEW_TUI_LANG", "en")
    monkeypatch.setenv("REVIEW_TUI_ACTOR", "tester")


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return init_workspace(tmp_path / "ws", "coach", year=2026)


@pytest.fixture
def intake(tmp_path: Path) -> Path:
    folder = tmp_path / "intake"
    folder.mkdir()
    return folder


@pytest.fixture
def store_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the store files parsed from disk from now on, in order, one per parse
    (a file taken from what was read ahead is not parsed again)."""
    from review_tui.engine.storage import store

    parsed: list[str] = []
    read = store._load_json_document

    def counted(path: Path) -> object:
        parsed.append(path.name)
        return read(path)

    monkeypatch.setattr(store, "_load_json_document", counted)
    return parsed
