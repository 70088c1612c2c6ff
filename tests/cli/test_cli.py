"""Each subcommand end to end, as a person runs it: exit status, stdout, stderr."""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from review_tui.cli import run
from tests.builders import body_text, make_docx, row, write_csv, write_manifest
from tests.credentials import with_credential


def cli(*args: str | Path, credential: bool = True) -> tuple[int, str, str]:
    """Run one command line in this process: exit status, stdout, stderr. The chair's and
    secretariat's commands get the test credential unless ``credential`` is False."""
    argv = [str(a) for a in args]
    if credential:
        argv = with_credential(argv)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run(argv)
        except SystemExit as exit_:
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("demo") / "ws"
    assert cli("demo", "--workspace", root)[0] == 0
    return root


def test_init_then_refuses_a_second_init(tmp_path):
    ws = tmp_path / "ws"
    code, out, _ = cli("init", "--template", "coach", "--workspace", ws)
    assert code == 0 and (ws / "committee.toml").exists() and "Committee created" in out
    code, _, err = cli("init", "--template", "coach", "--workspace", ws)
    assert code == 1 and "already holds a committee" in err


def test_demo_status_and_check(demo):
    code, out, _ = cli("status", "--json", "--workspace", demo)
    status = json.loads(out)
    assert code == 0 and status["stage"] == "intake"
    assert status["entries"] == 45 and status["reviewers"] == 5 and status["agencies"] == 16
    assert status["findings"]["reject"] >= 10
    code, out, _ = cli("check", "--workspace", demo, "--severity", "reject")
    assert code == 0
    for fragment in ("not a designated book", "over the limit", "not eligible",
                     "after the deadline", "damaged", "No consent", "Service category"):
        assert fragment in out, fragment
    code, out, _ = cli("check", "--workspace", demo, "--lang", "zh-TW", "--rule", "format")
    assert "標楷體" in out and "[提醒]" in out
    code, words, _ = cli("check", "--workspace", demo, "--lang", "zh-TW", "--rule", "標楷體")
    assert code == 0 and "標楷體" in words  # the message's words find it too (issue 23, 13)
    assert all("標楷體" in line for line in words.splitlines()[:-1])


def test_check_json_lists_findings_with_messages(demo):
    code, out, _ = cli("check", "--json", "--workspace", demo, "--agency", "觀光局")
    data = json.loads(out)
    assert code == 0
    assert {f["rule"] for f in data["findings"]} >= {"agency.not_in_roster"}
    assert all(f["message"] for f in data["findings"])


def test_import_roster_reviewers_and_manifest(tmp_path):
    ws, intake = tmp_path / "ws", tmp_path / "in"
    cli("init", "--workspace", ws)
    agencies = write_csv(intake / "a.csv", ["name", "parent", "group"],
                         [["高雄市政府民政局", "", "一級機關"]])
    reviewers = write_csv(intake / "r.csv", ["id", "name", "agency"], [["J01", "陳", ""]])
    agencies_said = cli("agencies", "import", agencies, "--workspace", ws)[1]
    assert agencies_said.startswith("1 agency imported")  # one, not "1 agencies"
    assert cli("reviewers", "import", reviewers, "--workspace", ws)[1].startswith("1 reviewer ")
    make_docx(intake / "a.docx", "一", body_text(1200))
    manifest = write_manifest(intake / "m.csv", [row(title="一")])
    code, out, _ = cli("import", manifest, "--workspace", ws)
    assert code == 0 and "1 added" in out
    code, out, _ = cli("import", manifest, "--workspace", ws)
    assert "0 added, 1 unchanged" in out


@pytest.mark.parametrize("args, message, initialised", [
    (["import", "nowhere.csv"], "not found", True),
    (["check"], "No committee", False),
])
def test_refusals_exit_1_with_a_message_and_no_traceback(tmp_path, args, message, initialised):
    if initialised:
        cli("init", "--workspace", tmp_path / "ws")
    code, out, err = cli(*args, "--workspace", tmp_path / "ws")
    assert code == 1 and message in err and "Traceback" not in err + out


def test_a_damaged_store_file_is_named(tmp_path):
    ws = tmp_path / "ws"
    cli("init", "--workspace", ws)
    (ws / "entries.json").write_text("{torn", encoding="utf-8")
    code, _, err = cli("status", "--workspace", ws)
    assert code == 1 and "entries.json" in err and "damaged" in err


def test_audit_verify_names_the_edited_line(tmp_path):
    ws = tmp_path / "ws"
    cli("demo", "--workspace", ws)
    assert cli("audit", "verify", "--workspace", ws)[0] == 0
    log = ws / "audit.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = lines[1].replace('"count":16', '"count":17')
    log.write_text("".join(lines), encoding="utf-8")
    code, _, err = cli("audit", "verify", "--workspace", ws)
    assert code == 1 and "line 2" in err


def test_usage_errors_exit_2(tmp_path):
    assert cli("no-such-command")[0] == 2
    assert cli("import", "--workspace", tmp_path)[0] == 2


def test_python_dash_m_runs(tmp_path):
    result = subprocess.run([sys.executable, "-m", "review_tui", "status", "--workspace",
                             str(tmp_path / "none"), "--lang", "zh-TW"],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 1 and "尚無評審委員會" in result.stderr


def test_the_process_ends_at_once_with_all_its_output(demo, tmp_path):
    """The installed command ends with os._exit (review_tui.cli.ending): what it printed
    into a pipe arrives whole, and its status is the command's, refusals included."""
    buffered = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    argv = with_credential(["check", "--json", "--workspace", str(demo)])
    done = subprocess.run([sys.executable, "-m", "review_tui", *argv], env=buffered,
                          capture_output=True, text=True, encoding="utf-8")
    _, in_process, _ = cli(*argv)
    assert done.returncode == 0 and done.stdout == in_process
    assert len(json.loads(done.stdout)["findings"]) >= 10
    refused = subprocess.run([sys.executable, "-m", "review_tui", "status", "--workspace",
                              str(tmp_path / "none"), "--lang", "en"], env=buffered,
                             capture_output=True, text=True, encoding="utf-8")
    assert refused.returncode == 1 and "no committee" in refused.stderr.lower()


@pytest.mark.parametrize("argv", [["--as", "reviewer:J01"], ["tui", "--as", "reviewer:J01"],
                                  ["--as", "reviewer:J01", "tui"]])
def test_as_opens_the_app_with_or_without_tui(argv):
    """Issue 23: `review-tui --as reviewer:J01` said "invalid choice"."""
    from review_tui.cli import build_parser
    from review_tui.cli.status import cmd_tui
    from review_tui.i18n import Messages

    args = build_parser(Messages("en")).parse_args(argv)
    assert args.handler is cmd_tui and args.as_role == "reviewer:J01"
