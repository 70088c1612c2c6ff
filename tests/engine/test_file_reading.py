"""Files are read the same in worker processes as in this one, into packs nothing leaks from."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_tui.engine.intake.imports import EntryFiles, import_manifest, load_entries
from review_tui.engine.intake.read_files import FileJob, FileReader, Limits, worker_count
from review_tui.engine.workspace import Workspace, init_workspace
from tests.builders import body_text, make_docx, row, write_manifest

LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_unpacked=100 * 1024 * 1024)


def committee(folder: Path, intake: Path) -> tuple[Workspace, Path]:
    """Nine entries: .docx, .txt, one missing and one in an unknown encoding."""
    rows = []
    for i in range(6):
        make_docx(intake / f"{i}.docx", f"作品{i}", body_text(1100 + i))
        rows.append(row(title=f"作品{i}", file=f"{i}.docx", agency=f"高雄市政府第{i}局"))
    (intake / "t.txt").write_text("\n".join(["心得", *body_text(1200)]), encoding="utf-8")
    (intake / "bad.txt").write_bytes(bytes(range(128, 256)) * 20)
    rows += [row(title="文字", file="t.txt"), row(title="亂碼", file="bad.txt"),
             row(title="無檔", file="nothing.docx")]
    return init_workspace(folder, "coach", year=2026), write_manifest(intake / "m.csv", rows)


def comparable(workspace: Workspace) -> list[tuple]:
    with EntryFiles(workspace) as files:
        return [(e["title"], e["content_hash"], e["facts"], e["problems"],
                 files.read(e, "original"), files.read(e, "text"))
                for e in sorted(load_entries(workspace), key=lambda e: e["title"])]


def test_worker_processes_read_exactly_what_this_process_reads(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_TUI_READERS", "0")
    alone, manifest = committee(tmp_path / "alone", tmp_path / "intake")
    import_manifest(alone, manifest)
    monkeypatch.setenv("REVIEW_TUI_READERS", "2")
    workers = init_workspace(tmp_path / "workers", "coach", year=2026)
    seen = []
    import_manifest(workers, manifest, progress=lambda *step: seen.append(step))
    assert comparable(workers) == comparable(alone)
    assert seen[-1] == ("import", 9, 9) and len(seen) > 1  # a step per batch
    assert len(list(workers.submissions_dir.glob("*.pack"))) > 1  # a pack per batch


def test_reimporting_unchanged_rows_leaves_no_new_pack(tmp_path, monkeypatch):
    monkeypatch.setenv("REVIEW_TUI_READERS", "2")
    workspace, manifest = committee(tmp_path / "ws", tmp_path / "intake")
    import_manifest(workspace, manifest)
    packs = sorted(workspace.submissions_dir.glob("*.pack"))
    report = import_manifest(workspace, manifest)
    assert len(report.unchanged) == 9 and not report.added
    assert sorted(workspace.submissions_dir.glob("*.pack")) == packs


def test_an_error_while_reading_removes_every_pack_written(tmp_path):
    intake = tmp_path / "intake"
    make_docx(intake / "a.docx", "作品", body_text(1200))
    packs = tmp_path / "ws" / "submissions"
    with pytest.raises(RuntimeError), FileReader(tmp_path / "ws", packs, intake, LIMITS,
                                                 ["a.docx"]) as reader:
        reader.add(FileJob("a.docx", [{"name": "王小明", "job_title": "科員"}], []))
        reader.results()
        assert list(packs.glob("*.pack"))
        raise RuntimeError("the store could not be written")
    assert not list(packs.glob("*.pack"))


def test_workers_start_only_when_the_reading_is_worth_their_start_up(monkeypatch):
    monkeypatch.delenv("REVIEW_TUI_READERS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 4)
    assert worker_count(["a.txt"] * 200) == 0  # a few milliseconds of work
    assert worker_count(["a.docx"] * 20) == 0
    assert worker_count(["a.docx"] * 1000) == 4
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert worker_count(["a.docx"] * 1000) == 0
    monkeypatch.setenv("REVIEW_TUI_READERS", "3")
    assert worker_count(["a.txt"] * 2) == 2
