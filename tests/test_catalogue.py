"""The gettext catalogues: both languages hold every message with the same placeholders
(in every plural form), and the compiled .mo files the app reads are the .po files now."""

from __future__ import annotations

import gettext
import io

import pytest

from review_tui.i18n import LOCALES, Messages, translate
from review_tui.i18n.build import compiled, mo_path, problems, read_catalogue


def test_every_message_has_both_languages_and_the_same_placeholders():
    assert problems() == []


def texts(catalogue: gettext.GNUTranslations, keys: list[str]) -> list[tuple[str, ...]]:
    return [(catalogue.gettext(k), catalogue.ngettext(k, k, 1), catalogue.ngettext(k, k, 2))
            for k in keys]


@pytest.mark.parametrize("locale", sorted(LOCALES.values()))
def test_the_compiled_catalogue_is_the_po_file(locale):
    """Compared by what each message reads as (not byte for byte: Babel versions lay a
    .mo file out differently)."""
    keys = [m.id[0] if isinstance(m.id, tuple) else m.id
            for m in read_catalogue(locale) if m.id]
    shipped = gettext.GNUTranslations(io.BytesIO(mo_path(locale).read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(compiled(locale)))
    assert texts(shipped, keys) == texts(fresh, keys), "run: python -m review_tui.i18n.build"


def test_counts_take_their_plural_form():
    assert translate("agencies.imported", "en", count=1) == "1 agency imported."
    assert translate("agencies.imported", "en", count=2) == "2 agencies imported."
    assert translate("agencies.imported", "en", count=0) == "0 agencies imported."
    assert translate("agencies.imported", "zh-TW", count=1) == "已匯入 1 個機關。"
    assert translate("score.incomplete", "en", count=1, codes="R-1") == \
        "1 entry is not fully scored: R-1"


@pytest.mark.parametrize("lang", ["zh-TW", "en"])
def test_a_formatter_words_a_message_as_a_call_does(lang):
    t = Messages(lang)
    line = t.formatter("tally.line")
    params = {"rank": 3, "code": "R-1", "score": "88.50", "status": "x", "reason": "y"}
    assert line(**params) == t("tally.line", **params)
    counted = t.formatter("agencies.imported")  # plural forms: by its count
    assert [counted(count=n) for n in (1, 2)] == [t("agencies.imported", count=n)
                                                   for n in (1, 2)]
    localised = t.formatter("credential.wrong")  # the role named in the language
    assert localised(role="chair", failures=1) == t("credential.wrong", role="chair",
                                                    failures=1)
    assert "chair" not in localised(role="chair", failures=1) or lang == "en"
    assert t.formatter("no.such.key")(a=1) == "no.such.key (a=1)"
    worded = {"zh-TW": "甲", "en": "A"}  # a parameter worded per language, as a call takes it
    assert line(**dict(params, reason=worded)) == t("tally.line", **dict(params, reason=worded))
    assert ("甲" if lang == "zh-TW" else "A") in line(**dict(params, reason=worded))


def test_plural_messages_are_counted_by_count():
    """ngettext needs the number: every message with plural forms takes {count}."""
    for message in read_catalogue("en"):
        if message.pluralizable:
            assert all("{count}" in text for text in message.string), message.id


def test_a_problem_is_reported(tmp_path, monkeypatch):
    from review_tui import i18n
    from review_tui.i18n import build

    for locale in LOCALES.values():
        folder = tmp_path / locale / "LC_MESSAGES"
        folder.mkdir(parents=True)
        text = build.po_path(locale).read_text(encoding="utf-8")
        if locale == "en":
            text = text.replace('msgstr "Cannot read data file {path}: {reason}"',
                                'msgstr "Cannot read data file {file}: {reason}"')
        (folder / "review_tui.po").write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(build, "LOCALE_DIR", tmp_path)
    assert problems() == ["store.unreadable: placeholders differ: file,reason / path,reason"]


# One zh-TW term per concept (issue 23, point 11): the term used, and the variants a reader
# would take for another thing.
GLOSSARY = {
    "分派": ("分配",),  # deal: entries to reviewers
    "拆封": ("解封", "開封"),  # unseal the identities
    "種子碼": ("亂數種子", "隨機種子"),  # the deal's and the lottery's seed
    "彌封": ("密封", "封存身分"),  # seal
    "評審委員": ("審查委員", "評委"),  # reviewer
    "推薦機關": ("送件機關", "報名機關"),  # recommending agency
}


def test_zh_tw_keeps_one_term_per_concept():
    used = []
    for message in read_catalogue("zh_TW"):
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            used += [(message.id, variant, term) for term, variants in GLOSSARY.items()
                     for variant in variants if variant in text]
    assert used == []
    assert all(any(term in (m.string if isinstance(m.string, str) else m.string[0])
                   for m in read_catalogue("zh_TW") if m.id) for term in GLOSSARY)


def test_every_message_naming_a_role_names_it_in_the_language():
    """A {role} is an id (chair, secretariat): each message that takes one words it from
    the catalogue, or zh-TW would read 「chair的通行碼」. (An unknown role is quoted as
    typed.)"""
    from review_tui.i18n import LOCALISED_PARAMS

    for message in read_catalogue("zh_TW"):
        texts = message.string if message.pluralizable else [message.string]
        if message.id not in ("", "credential.unknown_role") and any(
                "{role}" in text for text in texts):
            assert LOCALISED_PARAMS.get(message.id, {}).get("role") == "role.", message.id
