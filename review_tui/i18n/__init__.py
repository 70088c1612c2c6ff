"""One message catalogue for every user-facing text, in Traditional Chinese and English.

The messages are gettext catalogues, ``locale/<lang>/LC_MESSAGES/review_tui.po`` (the
source; each msgid is a message key such as ``tally.provisional``), compiled to ``.mo``
by ``python -m review_tui.i18n.build`` and read with the standard library's :mod:`gettext`.
A message with plural forms is counted by its ``count`` parameter (``ngettext``).

``Messages(lang)("key", **params)`` renders a message; a missing key or parameter never
raises (it shows the key), so a typo cannot crash a meeting.
"""

from __future__ import annotations

import gettext
import locale
import os
from collections.abc import Callable
from functools import cache, partial
from pathlib import Path
from typing import Any

LANGUAGES = ("zh-TW", "en")
LOCALES = {"zh-TW": "zh_TW", "en": "en"}  # language → gettext locale folder
LOCALE_DIR = Path(__file__).with_name("locale")

# Parameters whose values are ids with a name of their own in the catalogue: the value
# ``deal`` of ``step`` in ``pipeline.needs`` is shown as ``step.deal`` says (分派).
LOCALISED_PARAMS: dict[str, dict[str, str]] = {
    "audit.bad": {"problem": "audit.problem."},
    "rule.photo.invalid": {"reason": "photo.reason."},
    "credential.reset_unset": {"role": "role."},
    "credential.needed": {"role": "role."},
    "credential.unset": {"role": "role."},
    "credential.wrong": {"role": "role."},
    "credential.empty": {"role": "role."},
    "credential.key_mismatch": {"role": "role."},
    "credential.unset_scripted": {"role": "role."},
    "credential.needed_scripted": {"role": "role."},
    "credential.prompt_new": {"role": "role."},
    "credential.prompt": {"role": "role."},
    "credential.first_use": {"role": "role."},
    "credential.set": {"role": "role."},
    "credential.later": {"role": "role."},
    "tui.credential.question": {"role": "role."},
    "tui.credential.set_heading": {"role": "role."},
    "tui.credential.current": {"role": "role."},
    "tui.credential.new_heading": {"role": "role."},
    "pipeline.needs": {"step": "step.", "needed": "step."},
    "reason.tie_pending": {"cause": "cause."},
    "problem.tie_pending": {"cause": "cause."},
}


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalogue of ``lang`` (read once per process)."""
    path = LOCALE_DIR / LOCALES[lang] / "LC_MESSAGES" / "review_tui.mo"
    try:
        with path.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    except OSError:  # an install without its catalogues still runs, showing keys
        return gettext.NullTranslations()


def template(key: str, lang: str, count: object = None) -> str | None:
    """The text of ``key`` in ``lang`` (its plural form for ``count``), None if unknown."""
    catalogue = translations(lang if lang in LOCALES else "en")
    if isinstance(count, int) and not isinstance(count, bool):
        text = catalogue.ngettext(key, key, count)
        if text != key:
            return text
    text = catalogue.gettext(key)
    if text != key:
        return text
    text = catalogue.ngettext(key, key, 2)  # a plural message given no number
    return text if text != key else None


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
    text = template(key, lang, params.get("count"))
    if text is None:
        details = ", ".join(f"{k}={v}" for k, v in params.items())
        return f"{key} ({details})" if details else key
    for name, prefix in LOCALISED_PARAMS.get(key, {}).items():
        if template(f"{prefix}{params.get(name)}", lang) is not None:
            params[name] = translate(f"{prefix}{params[name]}", lang)
    for name, value in params.items():
        if isinstance(value, dict):
            params[name] = _localised(value, lang)
    return text.format_map(_SafeParams(params))


def _localised(value: dict[str, Any], lang: str) -> str:
    """A parameter the engine could not word without a language: a message of its own
    (``{"key": …, "params": …}``) or one text per language (``{"zh-TW": …, "en": …}``)."""
    if "key" in value:
        return translate(str(value["key"]), lang, **dict(value.get("params") or {}))
    return str(value.get(lang, value.get("en", "")))


class Messages:
    """A translator bound to one language."""

    def __init__(self, lang: str | None = None) -> None:
        self.lang = detect_language(lang)

    def __call__(self, key: str, /, **params: Any) -> str:
        return translate(key, self.lang, **params)

    def formatter(self, key: str, /) -> Callable[..., str]:
        """Render ``key`` as :meth:`__call__` does, its template looked up once: for a
        message worded thousands of times in a row (a ranking's lines). A plural or
        localised message, or a parameter worded per language (a dict), is rendered the
        full way."""
        text = template(key, self.lang)
        plural = template(key, self.lang, 1) != template(key, self.lang, 2)
        if text is None or plural or key in LOCALISED_PARAMS:
            return partial(self, key)

        def render(**params: Any) -> str:
            if any(isinstance(value, dict) for value in params.values()):
                return self(key, **params)
            return text.format_map(_SafeParams(params))

        return render

    def has(self, key: str) -> bool:
        return template(key, self.lang) is not None
