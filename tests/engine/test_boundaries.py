"""Architecture and catalogue checks: the engine stays free of Textual; rules and steps have
their messages (the catalogues themselves: tests/test_catalogue.py)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import review_tui.engine
from review_tui.engine.intake.rule_ids import RULES
from review_tui.i18n import Messages, detect_language, translate


def test_the_engine_never_imports_textual():
    modules = [m.name for m in pkgutil.walk_packages(review_tui.engine.__path__,
                                                     "review_tui.engine.")]
    code = ("import sys\n" + "".join(f"import {m}\n" for m in modules) +
            "bad = [m for m in sys.modules if m.split('.')[0] == 'textual']\n"
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(modules) > 40


def test_every_rule_has_a_message():
    known = Messages("en").has
    assert [r for r in RULES if not known(f"rule.{r}")] == []


def test_step_ids_are_named_in_the_users_language():
    assert translate("pipeline.needs", "zh-TW", step="deal", needed="seal") == \
        "「分派」須先完成「彌封」。"
    assert translate("pipeline.needs", "en", step="unseal", needed="commit") == \
        "“unseal” needs “commit” first."
    assert "「新步驟」" in translate("pipeline.needs", "zh-TW", step="新步驟", needed="seal")


def test_every_step_the_engine_names_has_a_name():
    import re
    from pathlib import Path

    engine = Path(review_tui.engine.__file__).parent
    named = {name for path in engine.rglob("*.py") for pair in re.findall(
        r'"pipeline\.needs", step="(\w+)", needed="(\w+)"', path.read_text()) for name in pair}
    known = Messages("en").has
    assert named and [n for n in sorted(named) if not known(f"step.{n}")] == []


def test_missing_keys_and_parameters_never_raise():
    assert translate("no.such.key", "en", a=1) == "no.such.key (a=1)"
    assert "{path}" in translate("store.corrupt", "en")


def test_language_detection(monkeypatch):
    monkeypatch.delenv("REVIEW_TUI_LANG")
    monkeypatch.setenv("LANG", "zh_TW.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert detect_language() == "zh-TW"
    assert detect_language("en") == "en"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert detect_language() == "en"


def test_the_faces_never_touch_the_store_themselves():
    """The app, the CLI and their shared wording read and write through engine functions
    only: no `.store` attribute is used outside the engine (issue 24)."""
    import ast
    from pathlib import Path

    import review_tui

    package = Path(review_tui.__file__).parent
    faces = [*package.joinpath("tui").rglob("*.py"), *package.joinpath("cli").rglob("*.py"),
             package / "present.py"]
    touching = [f"{path.relative_to(package)}:{node.lineno}"
                for path in faces for node in ast.walk(ast.parse(path.read_text("utf-8")))
                if isinstance(node, ast.Attribute) and node.attr == "store"]
    assert len(faces) > 20 and touching == []
