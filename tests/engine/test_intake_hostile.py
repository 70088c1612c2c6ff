"""Broken and hostile input gives a finding or a clear refusal, never a traceback, and never
loses what was already stored."""

from __future__ import annotations

import errno
import io
import os
import zipfile
from pathlib import Path

import pytest

from review_tui.engine.errors import ReviewError, StoreError
from review_tui.engine.intake.imports import check, import_manifest, load_entries
from review_tui.engine.intake.paths import FileProblem, ManifestFolder, read_limited
from review_tui.engine.workspace import Workspace
from tests.builders import HEADER_EN, body_text, make_docx, row, write_manifest
from tests.engine.seal_fixtures import tree_digest


def only_finding_rules(workspace: Workspace) -> set[str]:
    return {f.rule for f in check(workspace).findings}


def import_one(workspace: Workspace, intake: Path, file: str) -> set[str]:
    import_manifest(workspace, write_manifest(intake / "m.csv", [row(title="檔", file=file)]))
    return only_finding_rules(workspace)


def test_not_a_zip(workspace, intake):
    (intake / "a.docx").write_bytes(b"just some text pretending to be Word")
    assert "file.not_docx" in import_one(workspace, intake, "a.docx")


def test_corrupt_zip(workspace, intake):
    good = make_docx(intake / "g.docx").read_bytes()
    (intake / "a.docx").write_bytes(good[: len(good) // 2])
    assert "file.corrupt" in import_one(workspace, intake, "a.docx")


def test_zip_without_word_parts(workspace, intake):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (intake / "a.docx").write_bytes(buffer.getvalue())
    assert "file.not_docx" in import_one(workspace, intake, "a.docx")


def test_encrypted_office_file(workspace, intake):
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + \
        "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    (intake / "a.docx").write_bytes(ole)
    assert "file.encrypted" in import_one(workspace, intake, "a.docx")


def test_zip_bomb_is_refused_before_unpacking(workspace, intake):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (150 * 1024 * 1024))
    (intake / "a.docx").write_bytes(buffer.getvalue())
    assert len(buffer.getvalue()) < 1024 * 1024
    assert "file.zip_bomb" in import_one(workspace, intake, "a.docx")


def test_a_50_mb_file_is_not_read(workspace, intake):
    with open(intake / "a.docx", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    assert "file.too_large" in import_one(workspace, intake, "a.docx")


@pytest.mark.parametrize("path", ["../outside.docx", "/etc/passwd", "sub/../../outside.docx",
                                  "C:\\Windows\\win.ini", "..\\outside.docx"])
def test_paths_outside_the_manifest_folder(workspace, intake, path):
    make_docx(intake.parent / "outside.docx")
    assert "file.path_escape" in import_one(workspace, intake, path)


def test_symlink_out_of_the_folder(workspace, intake):
    target = make_docx(intake.parent / "outside.docx")
    os.symlink(target, intake / "link.docx")
    assert "file.path_escape" in import_one(workspace, intake, "link.docx")


def test_symlinks_and_dot_dot_that_stay_inside_are_fine(workspace, intake):
    make_docx(intake / "files" / "a.docx", "檔", body_text(1200))
    os.symlink(intake / "files" / "a.docx", intake / "link.docx")
    os.symlink(intake / "files", intake / "folder-link")
    for path in ("link.docx", "folder-link/a.docx", "files/../files/a.docx", "./files/a.docx"):
        assert ManifestFolder(intake).locate(path)[0] == (intake / "files" / "a.docx").resolve()


def test_a_folder_or_a_symlinked_folder_outside_is_not_a_file(workspace, intake):
    (intake / "files").mkdir()
    os.symlink(intake.parent, intake / "up")
    make_docx(intake.parent / "outside.docx")
    folder = ManifestFolder(intake)
    with pytest.raises(FileProblem, match=r"file\.missing"):
        folder.locate("files")
    with pytest.raises(FileProblem, match=r"file\.path_escape"):
        folder.locate("up/outside.docx")
    with pytest.raises(FileProblem, match=r"file\.path_escape"):
        folder.locate("files/../..")


def test_a_file_that_grows_after_it_was_measured_is_still_bounded(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"x" * 8)
    assert read_limited(path, 10, size=3) == b"x" * 8
    path.write_bytes(b"x" * 20)
    with pytest.raises(FileProblem, match=r"file\.too_large"):
        read_limited(path, 10, size=3)


def test_windows_separators_inside_the_folder_are_fine(workspace, intake):
    make_docx(intake / "files" / "a.docx", "檔", body_text(1200))
    assert import_one(workspace, intake, "files\\a.docx") == set()


def test_missing_file_and_unsupported_type(workspace, intake):
    (intake / "a.pdf").write_bytes(b"%PDF-1.4")
    import_manifest(workspace, write_manifest(intake / "m.csv", [
        row(title="無檔", file="nothing.docx"), row(title="PDF", file="a.pdf")]))
    assert {"file.missing", "file.unsupported"} <= only_finding_rules(workspace)


def test_txt_in_an_unknown_encoding(workspace, intake):
    (intake / "a.txt").write_bytes(bytes(range(128, 256)) * 20)
    assert "file.encoding" in import_one(workspace, intake, "a.txt")


def test_manifest_in_an_unknown_encoding_is_refused_whole(workspace, intake):
    path = intake / "m.csv"
    path.write_bytes(bytes(range(128, 256)) * 10)
    with pytest.raises(ReviewError) as error:
        import_manifest(workspace, path)
    assert error.value.key == "manifest.encoding"
    assert load_entries(workspace) == []


@pytest.mark.parametrize("content, key", [
    (b"", "manifest.empty"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "manifest.encrypted_or_xls"),
    ("名字,電話\n王,1\n".encode(), "manifest.missing_columns"),
])
def test_manifests_that_are_not_manifests(workspace, intake, content, key):
    suffix = ".xlsx" if key == "manifest.encrypted_or_xls" else ".csv"
    path = intake / f"m{suffix}"
    path.write_bytes(content)
    with pytest.raises(ReviewError) as error:
        import_manifest(workspace, path)
    assert error.value.key == key


def test_corrupt_xlsx_is_refused(workspace, intake):
    path = intake / "m.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ReviewError) as error:
        import_manifest(workspace, path)
    assert error.value.key == "manifest.not_table"


def test_blank_rows_and_unknown_columns_are_reported(workspace, intake):
    make_docx(intake / "a.docx", "一", body_text(1200))
    make_docx(intake / "b.docx", "二", body_text(1200))
    header = [*HEADER_EN, "mystery"]
    rows = [[*row(title="一", file="a.docx"), "x"], [""] * len(header),
            [*row(title="二", file="b.docx"), "y"], [""] * len(header)]
    import_manifest(workspace, write_manifest(intake / "m.csv", rows, header=header))
    findings = check(workspace).findings
    assert [(f.rule, f.row) for f in findings if f.rule.startswith("manifest")] == [
        ("manifest.unknown_column", 1), ("manifest.blank_row", 3)]
    assert len(load_entries(workspace)) == 2


def test_duplicate_rows_are_imported_once(workspace, intake):
    make_docx(intake / "a.docx", "一", body_text(1200))
    report = import_manifest(workspace, write_manifest(intake / "m.csv", [
        row(title="一"), row(title="一")]))
    assert report.duplicates == 1 and len(report.added) == 1
    assert "manifest.duplicate_row" in only_finding_rules(workspace)


def snapshot(workspace: Workspace) -> dict[str, bytes]:
    return {str(p.relative_to(workspace.root)): p.read_bytes()
            for p in sorted(workspace.root.rglob("*")) if p.is_file()}


def test_importing_the_same_manifest_twice_changes_nothing(workspace, intake):
    make_docx(intake / "a.docx", "一", body_text(1200))
    manifest = write_manifest(intake / "m.csv", [row(title="一"), row(title="壞", file="x")])
    first = import_manifest(workspace, manifest)
    before = snapshot(workspace)
    second = import_manifest(workspace, manifest)
    assert len(first.added) == 2
    assert second.added == [] and len(second.unchanged) == 2
    assert snapshot(workspace) == before


def test_a_changed_entry_is_reported_and_kept_until_replace(workspace, intake):
    make_docx(intake / "a.docx", "一", body_text(1200))
    manifest = write_manifest(intake / "m.csv", [row(title="一")])
    import_manifest(workspace, manifest)
    original = load_entries(workspace)[0]
    make_docx(intake / "a.docx", "一", body_text(1300))
    report = import_manifest(workspace, manifest)
    assert report.changed == [original["id"]]
    assert load_entries(workspace)[0]["content_hash"] == original["content_hash"]
    assert "import.changed" in only_finding_rules(workspace)
    report = import_manifest(workspace, manifest, replace=True)
    assert report.replaced == [original["id"]]
    replaced = load_entries(workspace)[0]
    assert replaced["id"] == original["id"]
    assert replaced["facts"]["char_count"] == 1300
    assert "import.changed" not in only_finding_rules(workspace)


def test_a_second_manifest_adds_to_the_first(workspace, intake):
    make_docx(intake / "a.docx", "一", body_text(1200))
    import_manifest(workspace, write_manifest(intake / "m1.csv", [row(title="一")]))
    import_manifest(workspace, write_manifest(intake / "m2.csv", [row(title="二")]))
    assert [e["title"] for e in load_entries(workspace)] == ["一", "二"]
    assert [e["id"] for e in load_entries(workspace)] == ["E00001", "E00002"]


def test_an_interrupted_import_leaves_the_store_as_it_was(workspace, intake, monkeypatch):
    make_docx(intake / "a.docx", "一", body_text(1200))
    import_manifest(workspace, write_manifest(intake / "m1.csv", [row(title="一")]))
    before = (workspace.root / "entries.json").read_bytes()

    manifest = write_manifest(intake / "m2.csv", [row(title="二")])
    files_before = tree_digest(workspace.root)

    def disk_full(_fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr("review_tui.engine.storage.journal.os.fsync", disk_full)
    with pytest.raises(StoreError) as refused:  # said as a refusal, with the file and reason
        import_manifest(workspace, manifest)
    assert refused.value.key == "store.unwritable"
    assert os.strerror(errno.ENOSPC) in str(refused.value.params)
    assert (workspace.root / "entries.json").read_bytes() == before
    assert tree_digest(workspace.root) == files_before


def test_two_imports_at_once_never_share_an_id(workspace, intake):
    """Two processes import different manifests concurrently; every entry gets its own id."""
    import subprocess
    import sys

    manifests = []
    for name in ("a", "b"):
        rows = [row(title=f"{name}{i}", file=f"{name}{i}.docx") for i in range(3)]
        for r in rows:
            make_docx(intake / r[3], r[2], body_text(1200))
        manifests.append(write_manifest(intake / f"{name}.csv", rows))
    code = ("import sys; from pathlib import Path\n"
            "from review_tui.engine.workspace import Workspace\n"
            "from review_tui.engine.intake.imports import import_manifest\n"
            "import_manifest(Workspace(sys.argv[1]), Path(sys.argv[2]))\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    processes = [subprocess.Popen([sys.executable, "-c", code, str(workspace.root), str(m)],
                                  env=env) for m in manifests]
    assert [p.wait() for p in processes] == [0, 0]
    entries = load_entries(workspace)
    assert len(entries) == 6
    assert len({e["id"] for e in entries}) == 6
    assert workspace.audit.verify().ok
