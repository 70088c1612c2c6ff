"""Redaction patterns and the key helpers (passphrase strength, KDF floor, share files)."""

from __future__ import annotations

import threading

import pytest

from review_tui.engine.errors import ReviewError
from review_tui.engine.sealing.keys import (
    ARGON2_FLOOR,
    check_kdf_params,
    check_passphrase,
    derive_passphrase_key,
    new_kdf_params,
    passphrase_bits,
    read_passphrase_file,
    split_new_key,
)
from review_tui.engine.sealing.redact import MASK, Redactor


@pytest.fixture
def redactor() -> Redactor:
    return Redactor.for_entry(["王小明", "Lin Mei"], ["科員"], ["高雄市鳳山區戶政事務所",
                                                           "高雄市政府民政局"])


@pytest.mark.parametrize(("text", "expected", "count"), [
    ("我是王小明。", f"我是{MASK}。", 1),
    ("王 小 明 與 王　小　明", f"{MASK} 與 {MASK}", 2),
    ("科員王小明", MASK, 1),
    ("科員 王小明說", f"{MASK}說", 1),
    ("LIN MEI 與 Ｌｉｎ Ｍｅｉ", f"{MASK} 與 {MASK}", 2),
    ("高雄市政府民政局與民政局", f"{MASK}與{MASK}", 2),
    ("鳳山區戶政事務所", MASK, 1),
    ("高雄市鳳山區戶政事務所", MASK, 1),
    ("王小華不是作者", "王小華不是作者", 0),
    ("身為科員的一天", "身為科員的一天", 0),  # a job title alone stays in the body
])
def test_redaction_forgives_spacing_width_and_case(redactor, text, expected, count):
    assert redactor.text(text) == (expected, count)


def test_taiwan_variants_are_one_name():
    redactor = Redactor.for_entry([], [], ["臺南市政府"])
    assert redactor.text("台南市政府與臺南市政府") == (f"{MASK}與{MASK}", 2)


def test_job_titles_alone_are_redacted_on_the_cover_only(redactor):
    paragraphs = ["題目", "", "科員", "第二段", "正文提到科員的工作"]
    out, count = redactor.document("\n".join(paragraphs))
    assert out.split("\n") == ["題目", "", MASK, "第二段", "正文提到科員的工作"] and count == 1


def test_single_characters_are_never_patterns():
    assert Redactor.for_entry(["王"], ["員"], []).text("王員") == ("王員", 0)


@pytest.mark.parametrize(("phrase", "strong"), [
    ("correct horse battery staple 2026", True),
    ("委員會的祕密口令八字", True),
    ("Tr0ub4dor&3x!", True),
    ("password", False),
    ("aaaaaaaaaaaaaaaaaaaaaaaa", False),
    ("1234567890", False),
])
def test_passphrase_strength(phrase, strong):
    assert (passphrase_bits(phrase) >= 60) is strong
    if strong:
        assert check_passphrase(phrase)
    else:
        with pytest.raises(ReviewError):
            check_passphrase(phrase)


def test_passphrase_file_drops_one_newline_and_bom(tmp_path):
    path = tmp_path / "p.txt"
    path.write_bytes("\ufeff  spaced phrase kept  \r\n".encode())
    assert read_passphrase_file(path) == "  spaced phrase kept  "
    path.write_bytes(b"\n")
    with pytest.raises(ReviewError) as empty:
        read_passphrase_file(path)
    assert empty.value.key == "seal.passphrase_empty"


def test_kdf_parameters_are_fresh_and_floor_checked():
    first, second = new_kdf_params(), new_kdf_params()
    assert first["salt"] != second["salt"] and check_kdf_params(first) == first
    weak = dict(first, **{k: v - 1 for k, v in ARGON2_FLOOR.items() if k != "lanes"})
    with pytest.raises(ReviewError) as error:
        check_kdf_params(weak)
    assert error.value.key == "vault.kdf_out_of_range"
    with pytest.raises(ReviewError):
        check_kdf_params(dict(first, memory_kib=True))


def test_two_key_derivations_at_once_both_finish():
    """A sign-in's key beside a seal's: Argon2id's lanes share OpenSSL's thread pool, and two
    derivations at once waited for each other for ever on two processors (now one waits)."""
    params = new_kdf_params()
    keys: dict[int, bytes] = {}

    def derive(number: int) -> None:
        keys[number] = derive_passphrase_key(f"passphrase number {number}", params)

    threads = [threading.Thread(target=derive, args=(n,), daemon=True) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(keys) == [1, 2] and keys[1] != keys[2]
    assert keys[1] == derive_passphrase_key("passphrase number 1", params)


def test_shares_are_twenty_words_with_one_identifier():
    shares = split_new_key(3, 5)
    assert len(shares.mnemonics) == 5 and len(set(shares.mnemonics)) == 5
    assert all(len(m.split()) == 20 for m in shares.mnemonics)


def _line_by_line(names: list[str], titles: list[str], agencies: list[str],
                  paragraphs: list[str]) -> tuple[list[str], int]:
    """The rule written out paragraph by paragraph: identities everywhere, job titles alone
    only in the first three non-blank paragraphs."""
    everything = Redactor.for_entry(names, titles, agencies)
    titles_alone = Redactor.for_entry(titles, [], [])
    out, total, non_blank = [], 0, 0
    for paragraph in paragraphs:
        redacted, count = everything.text(paragraph)
        if paragraph.strip():
            non_blank += 1
            if non_blank <= 3:
                redacted, more = titles_alone.text(redacted)
                count += more
        out.append(redacted)
        total += count
    return out, total


def test_a_whole_document_is_redacted_as_if_paragraph_by_paragraph():
    import random

    rng = random.Random(8)
    names, titles, agencies = ["王小明", "Lin Mei"], ["科員", "專員"], ["臺南市政府衛生局"]
    pieces = ["王小明", "王 小\u3000明", "Ｌｉｎ Mei", "科員", "專員 ", "台南市政府衛生局",
              "衛生局", "王小", "明", "科", "員", "的報告", " ", "\u3000", "。", "\t", "\r"]
    redactor = Redactor.for_entry(names, titles, agencies)
    for _ in range(400):
        paragraphs = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 6)))
                      for _ in range(rng.randrange(1, 9))]
        expected = _line_by_line(names, titles, agencies, paragraphs)
        assert redactor.document("\n".join(paragraphs)) == ("\n".join(expected[0]),
                                                            expected[1]), paragraphs


def test_a_name_broken_across_two_paragraphs_is_two_paragraphs_not_a_name(redactor):
    assert redactor.document("王小\n明") == ("王小\n明", 0)
    assert redactor.document("科員\n王小明") == (f"{MASK}\n{MASK}", 2)  # cover: title alone


@pytest.mark.parametrize(("text", "masked"), [
    ("聯絡 0912-345-678 或 0912345678", "聯絡 ○○○ 或 ○○○"),
    ("電話(07)799-5678分機123", "電話○○○"),
    ("+886 2 2345 6789，或 02-2345-6789", "○○○，或 ○○○"),
    ("信箱 wang.xm@kcg.gov.tw。", "信箱 ○○○。"),
    ("全形 ０９１２３４５６７８ 與 ｗ＠ｘ．ｔｗ", "全形 ○○○ 與 ○○○"),
    # numbers that are not phones stay: years, counts, dates, decimals, longer numbers
    ("2023-2024年服務1,200人次，民國112年3月5日，比例0.5，案號 10912345678", None),
])
def test_contacts_are_masked_and_other_numbers_kept(text, masked):
    from review_tui.engine.sealing.redact import mask_contacts

    result, count = mask_contacts(text)
    assert result == (masked or text) and (count > 0) == (masked is not None)
