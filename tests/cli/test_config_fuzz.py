"""Any committee.toml, however broken, gets one clear message: never a traceback.

Hypothesis mutates the COACH template as a person editing it might (drop, rename, retype,
add or repeat a key; break a table header) and runs the commands a secretariat would, before
the seal (the file is the rules) and after it (the frozen copy is the rules).
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review_tui.engine.sealing.seal import seal
from review_tui.engine.workspace import Workspace
from tests.cli.test_cli import cli
from tests.credentials import sign_in_roles
from tests.engine.seal_fixtures import PASSPHRASE, build_committee

KEY_LINE = re.compile(r'^(\s*)("?[A-Za-z_.]+"?)(\s*=\s*)(.*)$')
VALUES = ['"text"', "1", "-5", "0", "1.5", "inf", "nan", "true", "[]", "[1, \"a\"]",
          "{ a = 1 }", "2026-01-01", "1979-05-27T07:32:00Z", '""', "[[1]]", "99999999999999999"]


def template_text(root: Path) -> str:
    return (root / "committee.toml").read_text(encoding="utf-8")


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 3))):
        keyed = [i for i, line in enumerate(lines) if KEY_LINE.match(line)]
        headers = [i for i, line in enumerate(lines) if line.startswith("[")]
        kind = draw(st.sampled_from(["drop", "rename", "retype", "add", "repeat", "header"]))
        if kind in ("drop", "rename", "retype", "repeat") and keyed:
            i = draw(st.sampled_from(keyed))
            indent, key, equals, value = KEY_LINE.match(lines[i]).groups()  # type: ignore[union-attr]
            if kind == "drop":
                del lines[i]
            elif kind == "rename":
                suffix = draw(st.sampled_from(["x", "_2", "s"]))
                lines[i] = f"{indent}{key.strip(chr(34))}{suffix}{equals}{value}"
            elif kind == "retype":
                lines[i] = f"{indent}{key}{equals}{draw(st.sampled_from(VALUES))}"
            else:
                lines.insert(i, lines[i])
        elif kind == "add" and headers:
            i = draw(st.sampled_from(headers))
            lines.insert(i + 1, f"{draw(st.sampled_from(['bogus', 'quota', 'id']))} = "
                                f"{draw(st.sampled_from(VALUES))}")
        elif kind == "header" and headers:
            i = draw(st.sampled_from(headers))
            lines[i] = draw(st.sampled_from(["[committe]", "[[tracks]", "[tracks]",
                                             "[[committee]]", "[tally.extra]"]))
    return "\n".join(lines) + "\n"


@contextlib.contextmanager
def settings_file(root: Path, text: str) -> Iterator[None]:
    """``committee.toml`` holds ``text`` for the block, then its own text again."""
    path = root / "committee.toml"
    original = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    try:
        yield
    finally:
        path.write_text(original, encoding="utf-8")


def no_crash(*args: object) -> tuple[int, str, str]:
    """Run a command; a crash (the last line of defence) fails the test with its traceback."""
    def crashed() -> Path:
        raise AssertionError("the command crashed")

    with mock.patch("review_tui.cli.main._write_crash_log", side_effect=crashed):
        return cli(*args)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("fresh") / "ws"
    assert cli("init", "--template", "coach", "--workspace", root)[0] == 0
    sign_in_roles(Workspace(root))  # the credentials asked once, not on every example
    return root


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("sealed")
    workspace = build_committee(base / "ws", base / "intake")
    seal(workspace, passphrase=PASSPHRASE)
    return workspace.root


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mangled_committee_toml_before_the_seal_gets_a_message(fresh, data):
    with settings_file(fresh, data.draw(mutated(template_text(fresh)))):
        for command in (["status"], ["check"], ["tally"]):
            for lang in ("en", "zh-TW"):
                code, out, err = no_crash(*command, "--lang", lang, "--workspace", fresh)
                assert code in (0, 1), (command, err)
                assert "Traceback" not in out + err
                if code == 1:
                    assert err.strip() and len(err.strip().splitlines()) == 1, err


@settings(max_examples=80, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mangled_committee_toml_after_the_seal_is_refused_with_its_keys(sealed, data):
    with settings_file(sealed, data.draw(mutated(template_text(sealed)))):
        for command in (["status"], ["tally"], ["config", "diff"]):
            code, out, err = no_crash(*command, "--workspace", sealed)
            assert code in (0, 1), (command, err)
            assert "Traceback" not in out + err
        code, _, err = no_crash("status", "--workspace", sealed)
        if code == 1:  # [documents] is read from the file after the seal: checked as such
            assert ("changed after the seal" in err or "syntax error" in err
                    or "documents" in err), err


@pytest.mark.parametrize("key", ["max_file_mb", "size_pt", "margin_top_cm", "quota",
                                 "min_score", "year", "deadline", "discrepancy_threshold"])
@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "1e400", "99999999999999999999"])
def test_numbers_out_of_any_range_are_refused_by_name(fresh, key, value):
    original = template_text(fresh)
    text = re.sub(rf"^{key} = .*$", f"{key} = {value}", original, count=1, flags=re.M)
    assert text != original
    with settings_file(fresh, text):
        code, _, err = no_crash("status", "--workspace", fresh)
        assert code == 1 and key in err, err
