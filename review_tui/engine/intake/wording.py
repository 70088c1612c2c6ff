"""A rule's finding in words, for the faces and the documents alike (the translator is
passed in: the engine never picks the reader's language)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Translate = Callable[..., str]  # a catalogue key and its parameters → text


def finding_text(t: Translate, rule: str, params: Mapping[str, Any]) -> str:
    """What the rule found, with a manifest column named in the reader's language."""
    shown = dict(params)
    column = shown.get("column")
    if column is not None:
        named = t(f"col.{column}")
        if not named.startswith("col."):
            shown["column"] = named
    return t(f"rule.{rule}", **shown)
