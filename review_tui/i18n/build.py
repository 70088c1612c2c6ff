"""Compile and check the message catalogues (needs Babel: ``pip install '.[test]'``).

``python -m review_tui.i18n.build`` compiles each ``locale/<lang>/LC_MESSAGES/review_tui.po``
into the ``.mo`` file the app reads with the standard library's :mod:`gettext`, and says
what is wrong if a message lacks a language or its placeholders differ between languages.
The ``.po`` files are the source; the ``.mo`` files are committed so that running the app
needs no Babel (``tests/test_catalogue.py`` fails when they are stale).
"""

from __future__ import annotations

import io
import string
import sys
from pathlib import Path
from typing import Any

from . import LOCALE_DIR, LOCALES

DOMAIN = "review_tui"


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


def read_catalogue(locale: str) -> Any:
    """The Babel catalogue read from a language's ``.po`` file."""
    from babel.messages.pofile import read_po

    with po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def compiled(locale: str) -> bytes:
    """The ``.mo`` bytes a language's ``.po`` file compiles to."""
    from babel.messages.mofile import write_mo

    buffer = io.BytesIO()
    write_mo(buffer, read_catalogue(locale), use_fuzzy=False)
    return buffer.getvalue()


def placeholders(text: str) -> set[str]:
    """The ``{name}`` fields of a message (``str.format`` syntax)."""
    return {field.split(".")[0].split("[")[0]
            for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def problems() -> list[str]:
    """What is wrong with the catalogues: a message missing in a language, an empty or fuzzy
    translation, or placeholders that differ between languages or plural forms."""
    catalogues = {locale: read_catalogue(locale) for locale in LOCALES.values()}
    forms: dict[str, dict[str, list[str]]] = {}
    found = []
    for locale, catalogue in catalogues.items():
        for message in catalogue:
            if not message.id:
                continue
            key = message.id[0] if isinstance(message.id, tuple) else message.id
            texts = list(message.string) if isinstance(message.string, tuple) \
                else [message.string]
            if not all(texts) or message.fuzzy:
                found.append(f"{locale}: {key} is empty or fuzzy")
            forms.setdefault(key, {})[locale] = texts
    for key, by_locale in forms.items():
        missing = set(catalogues) - set(by_locale)
        if missing:
            found.append(f"{key}: missing in {', '.join(sorted(missing))}")
            continue
        shapes = {frozenset(placeholders(text)) for texts in by_locale.values()
                  for text in texts}
        if len(shapes) > 1:
            found.append(f"{key}: placeholders differ: "
                         + " / ".join(sorted(",".join(sorted(s)) for s in shapes)))
    return found


def main() -> int:
    found = problems()
    for line in found:
        print(line, file=sys.stderr)
    for locale in LOCALES.values():
        mo_path(locale).write_bytes(compiled(locale))
        print(f"compiled {mo_path(locale).relative_to(LOCALE_DIR.parent.parent.parent)}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
