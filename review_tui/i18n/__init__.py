"""One message catalogue for every user-facing text, in Traditional Chinese and English.

``Messages(lang)("key", **params)`` renders a message; a missing key or parameter never
raises (it shows the key), so a typo cannot crash a meeting.
"""

from __future__ import annotations

import locale
import os
from typing import Any

from .catalogue import CATALOGUE, LOCALISED_PARAMS

LANGUAGES = ("zh-TW", "en")


def detect_language(explicit: str | None = None) -> str:
    """``--lang`` if given, else ``REVIEW_TUI_LANG``, else the locale (zh* → zh-TW), else en."""
    for candidate in (explicit, os.environ.get("REVIEW_TUI_LANG")):
        if candidate:
            return normalise_language(candidate)
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return "zh-TW" if value.lower().startswith("zh") else "en"
    try:
        current = locale.getlocale()[0] or ""
    except ValueError:
        current = ""
    return "zh-TW" if current.lower().startswith("zh") else "en"


def normalise_language(value: str) -> str:
    """Accept zh-TW, zh_TW, zh, tw, en, en_US …; anything unknown falls back to English."""
    text = value.strip().lower().replace("_", "-")
    return "zh-TW" if text.startswith("zh") or text == "tw" else "en"


class _SafeParams(dict):  # type: ignore[type-arg]
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def translate(key: str, lang: str, /, **params: Any) -> str:
    """Render ``key`` in ``lang`` with ``params``."""
    pair = CATALOGUE.get(key)
    if pair is None:
        details = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{key} ({details})" if details else key
    template = pair[0] if lang == "zh-TW" else pair[1]
    for name, prefix in LOCALISED_PARAMS.get(key, {}).items():
        if f"{prefix}{params.get(name)}" in CATALOGUE:
            params[name] = translate(f"{prefix}{params[name]}", lang)
    return template.format_map(_SafeParams(params))


class Messages:
    """A translator bound to one language."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = detect_language(lang)

    def __call__(self, key: str, /, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def has(self, key: str) -> bool:
        return key in CATALOGUE
