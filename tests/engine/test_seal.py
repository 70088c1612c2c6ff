"""Sealing: nothing identifying stays in the clear; codes, pseudonyms, conflicts, redaction."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.intake.imports import import_manifest, load_entries
from review_tui.engine.intake.roster import import_agencies, import_reviewers
from review_tui.engine.pipeline import stage
from review_tui.engine.sealing import seal as seal_module
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import is_sealed, load_sealed_entries, seal_record
from review_tui.engine.storage.textpack import entry_text
from review_tui.engine.workspace import Workspace
from tests.builders import write_csv
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import (
    AGENCIES,
    PASSPHRASE,
    REVIEWERS,
    build_committee,
    files_holding,
    identity_strings,
    tree_digest,
)

CODE = re.compile(r"^[RC]-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$")


@pytest.fixture
def committee(tmp_path: Path) -> Workspace:
    return build_committee(tmp_path / "ws", tmp_path / "intake")


@pytest.fixture
def sealed(committee: Workspace, tmp_path: Path) -> tuple[Workspace, list[str]]:
    names = identity_strings(committee)
    seal(committee, passphrase=PASSPHRASE, shares=(5, 3), share_dir=tmp_path / "shares")
    return committee, names


def test_no_name_and_no_agency_link_left_in_the_clear(sealed):
    workspace, names = sealed
    assert files_holding(workspace.root, names) == []
    agencies = [a[0] for a in AGENCIES] + ["民政局", "衛生局", "戶政事務所"]
    # The roster lists agencies (public), but nothing may tie an entry to one.
    assert files_holding(workspace.root, agencies, skip=("roster.json",)) == []
    assert not (workspace.root / "submissions").exists()
    assert sorted(p.name for p in workspace.root.iterdir() if not p.name.startswith(".")) == [
        "audit.jsonl", "committee.toml", "credentials.json", "entries.json", "originals.bin",
        "roster.json", "rules.json", "state.json", "texts.pack", "vault.bin"]


def test_grep_helper_finds_names_before_sealing(committee):
    """The grep must be able to fail: before sealing it finds the names in every form."""
    hits = files_holding(committee.root, identity_strings(committee))
    assert any(h.startswith("entries.json") for h in hits)
    assert any(h.startswith("submissions/") for h in hits)  # the import's pack


def test_every_accepted_entry_gets_a_random_speakable_code(committee, tmp_path):
    twin = sign_in_roles(Workspace(shutil.copytree(committee.root, tmp_path / "twin")))
    seal(committee, passphrase=PASSPHRASE)
    seal(twin, passphrase=PASSPHRASE)
    codes = [e["code"] for e in load_sealed_entries(committee)]
    assert len(codes) == 3 and all(CODE.match(c) for c in codes)
    assert codes == sorted(codes)  # stored in code order, not import order
    assert {c[0] for c in codes} == {"R", "C"}
    assert codes != [e["code"] for e in load_sealed_entries(twin)]


def test_pseudonyms_conflicts_and_redaction_counts(sealed):
    workspace, _ = sealed
    entries = {e["title"]: e for e in load_sealed_entries(workspace)}
    diary, case, health = (entries["我在○○○的服務日記"], entries["戶政所的一天"],
                           entries["衛生所紀事"])
    # 戶政事務所 rolls up to 民政局: same agency pseudonym as the diary, not as health.
    assert case["agency"] == diary["agency"] != health["agency"]
    assert re.match(r"^A\d\d$", diary["agency"])
    assert len(case["authors"]) == 2 and all(re.match(r"^P\d{3}$", p) for p in case["authors"])
    # Same name in another top agency is another person.
    assert case["authors"][1] != health["authors"][0]
    assert diary["excluded_reviewers"] == ["J02"] == case["excluded_reviewers"]
    assert health["excluded_reviewers"] == ["J03"]
    assert diary["redactions"] == 7 and case["redactions"] == 2 and health["redactions"] == 0
    text = entry_text(workspace.root, diary)
    assert "○○○" in text and "（補充：○○○撰寫）" in text
    assert "本文經同仁審閱。" in text  # the comment's anchor text stays, the comment does not


def test_rejected_entries_are_sealed_too_and_counted(sealed):
    workspace, _ = sealed
    record = seal_record(workspace)
    assert record["entries"] == 3 and record["rejected"] == {"reading": 1}
    assert all("id" not in e and "seq" not in e for e in load_sealed_entries(workspace))


def test_the_status_counts_the_same_findings_before_and_after_the_seal(committee, tmp_path):
    from review_tui.engine.status import committee_status

    before = committee_status(committee).findings
    assert before["reject"] >= 1 and before["warn"] >= 1
    seal(committee, passphrase=PASSPHRASE)
    assert committee_status(committee).findings == before


def test_seal_twice_and_changes_after_seal_are_refused(sealed, tmp_path):
    workspace, _ = sealed
    with pytest.raises(ReviewError) as twice:
        seal(workspace, passphrase=PASSPHRASE)
    assert twice.value.key == "seal.already"
    with pytest.raises(ReviewError) as again:
        import_manifest(workspace, tmp_path / "intake" / "manifest.csv")
    assert again.value.key == "intake.closed"
    with pytest.raises(ReviewError):
        import_agencies(workspace, tmp_path / "intake" / "agencies.csv")
    changed = write_csv(tmp_path / "r2.csv", ["代號", "姓名", "服務機關"],
                        [["J01", "林教授", "高雄市政府衛生局"]])
    with pytest.raises(ReviewError) as affiliation:
        import_reviewers(workspace, changed)
    assert affiliation.value.key == "reviewers.affiliation_after_seal"
    scholars = write_csv(tmp_path / "r3.csv", ["代號", "姓名", "服務機關"],
                         [["J01", "林教授", ""], ["J09", "新委員", ""]])
    assert import_reviewers(workspace, scholars) == 2


@pytest.mark.parametrize(("kwargs", "key"), [
    ({}, "seal.no_key_method"),
    ({"passphrase": ""}, "seal.passphrase_empty"),
    ({"passphrase": "short1"}, "seal.passphrase_short"),
    ({"passphrase": "password"}, "seal.passphrase_short"),
    ({"passphrase": "aaaaaaaaaaaaaaaa"}, "seal.passphrase_weak"),
    ({"passphrase": "qwertyuiop"}, "seal.passphrase_weak"),
    ({"shares": (5, 1), "share_dir": "x"}, "seal.bad_shares"),
    ({"shares": (3, 4), "share_dir": "x"}, "seal.bad_shares"),
    ({"shares": (5, 3)}, "seal.share_dir_missing"),
    ({"passphrase": PASSPHRASE, "originals": "shred"}, "seal.bad_originals"),
])
def test_weak_or_incomplete_key_settings_are_refused_before_anything_changes(
        committee, tmp_path, kwargs, key):
    before = tree_digest(committee.root)
    if "share_dir" in kwargs:
        kwargs["share_dir"] = tmp_path / kwargs["share_dir"]
    with pytest.raises(ReviewError) as refused:
        seal(committee, **kwargs)
    assert refused.value.key == key
    assert tree_digest(committee.root) == before and not is_sealed(committee)


def test_shares_are_never_written_into_the_workspace(committee):
    with pytest.raises(ReviewError) as refused:
        seal(committee, shares=(3, 2), share_dir=committee.root / "keys")
    assert refused.value.key == "seal.key_inside_workspace"


def test_existing_share_files_are_not_overwritten(committee, tmp_path):
    (tmp_path / "shares").mkdir()
    (tmp_path / "shares" / "share-2-of-3.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(ReviewError) as refused:
        seal(committee, shares=(3, 2), share_dir=tmp_path / "shares")
    assert refused.value.key == "seal.share_files_exist"
    assert (tmp_path / "shares" / "share-2-of-3.txt").read_text(encoding="utf-8") == "mine"


def test_sealing_needs_reviewers_and_accepted_entries(tmp_path):
    from review_tui.engine.workspace import init_workspace

    empty = init_workspace(tmp_path / "empty", "coach", year=2026)
    with pytest.raises(ReviewError) as nothing:
        seal(empty, passphrase=PASSPHRASE)
    assert nothing.value.key == "seal.nothing"


def test_a_crash_before_the_commit_point_leaves_intake_as_it_was(committee, monkeypatch):
    entries = load_entries(committee)

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(seal_module, "write_archive", fail)
    with pytest.raises(OSError):
        seal(committee, passphrase=PASSPHRASE)
    assert not is_sealed(committee) and load_entries(committee) == entries
    monkeypatch.undo()
    assert seal(committee, passphrase=PASSPHRASE).sealed == 3


def test_a_kdf_that_fails_beside_the_blinding_stops_the_seal_before_any_write(
        committee, monkeypatch):
    from review_tui.engine.sealing import vault

    entries, before = load_entries(committee), tree_digest(committee.root)

    def no_argon2(*args, **kwargs):
        raise ReviewError("vault.kdf_unavailable", kdf="Argon2id")

    monkeypatch.setattr(vault, "derive_passphrase_key", no_argon2)  # runs in a thread
    with pytest.raises(ReviewError) as failed:
        seal(committee, passphrase=PASSPHRASE)
    assert failed.value.key == "vault.kdf_unavailable"
    assert tree_digest(committee.root) == before and load_entries(committee) == entries
    monkeypatch.undo()
    assert seal(committee, passphrase=PASSPHRASE).sealed == 3


def test_an_interrupted_seal_changes_nothing_and_the_next_seal_works(committee, monkeypatch):
    """Interrupted after the vault, texts and store were written (in its step, not yet on
    disk), the seal leaves every file as it was and no temp file behind."""
    names = identity_strings(committee)
    before = tree_digest(committee.root)

    def crash(*_args):
        raise KeyboardInterrupt

    monkeypatch.setattr(seal_module, "_finish", crash)
    with pytest.raises(KeyboardInterrupt):
        seal(committee, passphrase=PASSPHRASE)
    assert tree_digest(committee.root) == before
    assert not is_sealed(committee) and stage(committee) == "intake"
    monkeypatch.undo()
    report = seal(committee, passphrase=PASSPHRASE)
    assert not report.resumed and stage(committee) == "sealed"
    assert files_holding(committee.root, names) == []


def test_an_import_packs_its_files_once_and_a_cut_pack_stops_the_seal(committee):
    entries = [e for e in load_entries(committee) if e.get("stored_file")]
    packs = {e["stored_file"] for e in entries}
    assert len(packs) <= 2 and all(p.startswith("submissions/import-") for p in packs)
    assert not (committee.root / "texts").exists()  # no file per entry any more
    from review_tui.engine.intake.imports import read_entry_file

    first = entries[0]
    original = read_entry_file(committee, first, "original")
    assert original is not None and len(original) == first["stored_at"][1]
    assert first["stored_suffix"] in (".docx", ".txt")
    pack = committee.root / first["stored_file"]
    pack.write_bytes(pack.read_bytes()[: first["text_at"][0] + 3])  # cut inside a text
    before = tree_digest(committee.root)
    with pytest.raises(ReviewError) as cut:
        seal(committee, passphrase=PASSPHRASE)
    assert cut.value.key == "seal.text_missing" and not is_sealed(committee)
    assert tree_digest(committee.root) == before  # refused before anything changed


def _with_conflicts(committee: Workspace, tmp_path: Path, conflicts: dict[str, str]) -> Path:
    rows = [[*r, conflicts.get(r[0], "")] for r in REVIEWERS]
    header = ["代號", "姓名", "服務機關", "外聘", "利益迴避"]
    path = write_csv(tmp_path / "conflicts.csv", header, rows)
    import_reviewers(committee, path)
    return path


def test_a_reviewer_named_conflict_keeps_them_off_the_writers_entries(committee, tmp_path):
    """J01 (no agency) names a writer and J03 names an agency below 民政局: person-level
    conflicts listed in the roster are applied at seal, and the names leave the clear."""
    _with_conflicts(committee, tmp_path, {"J01": "張志強", "J03": "高雄市鳳山區戶政事務所"})
    seal(committee, passphrase=PASSPHRASE)
    entries = {e["title"]: e for e in load_sealed_entries(committee)}
    assert entries["戶政所的一天"]["excluded_reviewers"] == ["J01", "J02", "J03"]  # 張志強 co-wrote
    assert entries["衛生所紀事"]["excluded_reviewers"] == ["J01", "J03"]  # 張志強 wrote it
    assert entries["我在○○○的服務日記"]["excluded_reviewers"] == ["J02"]
    assert files_holding(committee.root, ["張志強"]) == []
    assert "conflicts_with" not in (committee.root / "roster.json").read_text(encoding="utf-8")


def test_after_seal_the_same_conflicts_may_be_imported_again_but_not_new_ones(committee,
                                                                               tmp_path):
    path = _with_conflicts(committee, tmp_path, {"J01": "張志強"})
    seal(committee, passphrase=PASSPHRASE)
    assert import_reviewers(committee, path) == 3  # the same list again: accepted
    assert "張志強" not in (committee.root / "roster.json").read_text(encoding="utf-8")
    changed = write_csv(tmp_path / "changed.csv", ["代號", "姓名", "服務機關", "外聘", "利益迴避"],
                        [[*r, "王小明" if r[0] == "J01" else ""] for r in REVIEWERS])
    with pytest.raises(ReviewError) as error:
        import_reviewers(committee, changed)
    assert error.value.key == "reviewers.conflict_after_seal"
    assert error.value.params["id"] == "J01"
