"""Roman Urdu to Urdu script: golden words and sentences, variants, what must stay, laws."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nigehban.errors import InputError
from nigehban.text.data.roman_urdu_lexicon import ENTRIES
from nigehban.text.transliterate import (
    LETTER_NAMES,
    lexicon,
    lexicon_coverage,
    parse_lexicon,
    roman_urdu_to_urdu,
)

LATIN = re.compile(r"[A-Za-z]")

WORDS = {
    "hai": "ہے",
    "nahi": "نہیں",
    "kya": "کیا",
    "mein": "میں",
    "ke": "کے",
    "ki": "کی",
    "ka": "کا",
    "ko": "کو",
    "se": "سے",
    "aur": "اور",
    "ne": "نے",
    "tha": "تھا",
    "thi": "تھی",
    "the": "تھے",
    "hain": "ہیں",
    "kar": "کر",
    "raha": "رہا",
    "shaheed": "شہید",
    "shuhada": "شہدا",
    "mujahideen": "مجاہدین",
    "jihad": "جہاد",
    "hamla": "حملہ",
    "hamle": "حملے",
    "dhamaka": "دھماکہ",
    "khudkush": "خودکش",
    "fidayeen": "فدائین",
    "fauj": "فوج",
    "police": "پولیس",
    "ahlkar": "اہلکار",
    "jawan": "جوان",
    "dehshatgard": "دہشت گرد",
    "tanzeem": "تنظیم",
    "kalaadam": "کالعدم",
    "zimmedari": "ذمہ داری",
    "qubool": "قبول",
    "bayan": "بیان",
    "tehreek": "تحریک",
    "taliban": "طالبان",
    "khawarij": "خوارج",
    "fitna": "فتنہ",
    "sarmachar": "سرمچار",
    "azadi": "آزادی",
    "lapata": "لاپتہ",
    "ehtijaj": "احتجاج",
    "ummat": "امت",
    "kafir": "کافر",
    "murtad": "مرتد",
    "inteqam": "انتقام",
    "jannat": "جنت",
    "shahadat": "شہادت",
    "ghazi": "غازی",
    "chanda": "چندہ",
    "khuda": "خدا",
    "allah": "اللہ",
    "quran": "قرآن",
    "masjid": "مسجد",
    "madrasa": "مدرسہ",
    "hukumat": "حکومت",
    "riyasat": "ریاست",
    "adalat": "عدالت",
    "operation": "آپریشن",
    "zakhmi": "زخمی",
    "janbahaq": "جاں بحق",
    "balochistan": "بلوچستان",
    "waziristan": "وزیرستان",
    "peshawar": "پشاور",
    "quetta": "کوئٹہ",
    "karachi": "کراچی",
    "lahore": "لاہور",
    "islamabad": "اسلام آباد",
    "pakistan": "پاکستان",
    "afghanistan": "افغانستان",
    "baloch": "بلوچ",
    "pashtun": "پشتون",
    "report": "رپورٹ",
    "army": "آرمی",
}

SENTENCES = {
    "police ke mutabiq": "پولیس کے مطابق",
    "TTP ne hamle ki zimmedari qubool kar li hai, police ke mutabiq 5 ahlkar shaheed": (
        "ٹی ٹی پی نے حملے کی ذمہ داری قبول کر لی ہے, پولیس کے مطابق 5 اہلکار شہید"
    ),
    "Allah shuhada ko jannat mein jagah de": "اللہ شہدا کو جنت میں جگہ دے",
    "ye kya ho raha hai?": "یہ کیا ہو رہا ہے?",
    "hamare jawan sarhad pe khade hain": "ہمارے جوان سرحد پہ کھڑے ہیں",
    "dhamake mein 3 log janbahaq aur 12 zakhmi": "دھماکے میں 3 لوگ جاں بحق اور 12 زخمی",
    "hum dehshatgardi ke khilaf hain": "ہم دہشت گردی کے خلاف ہیں",
    "Tehrik-e-Taliban Pakistan kalaadam tanzeem hai": "تحریک طالبان پاکستان کالعدم تنظیم ہے",
    "mera bhai lapata hai, hukumat jawab de": "میرا بھائی لاپتہ ہے, حکومت جواب دے",
    "Quetta aur Peshawar mein ehtijaj jari": "کوئٹہ اور پشاور میں احتجاج جاری",
    "inshallah sab theek ho jayega": "ان شاء اللہ سب ٹھیک ہو جائے گا",
    "ISPR ne operation ki tasdeeq ki": "آئی ایس پی آر نے آپریشن کی تصدیق کی",
    "Shoba-e-Nashr-o-Ishaat ka bayan": "شعبہ نشر و اشاعت کا بیان",
}

VARIANTS = [
    ("hai", "hy", "he", "hay"),
    ("nahi", "nahin", "nhi", "nai"),
    ("kya", "kia"),
    ("mein", "main", "me", "mai"),
    ("ke", "k"),
    ("se", "sy"),
    ("aur", "or", "aor"),
    ("kar", "kr"),
    ("raha", "rha"),
    ("rahi", "rhi"),
    ("rahe", "rhe"),
    ("hamla", "hamlah"),
    ("shaheed", "shahid"),
    ("mujahideen", "mujahidin"),
    ("fauj", "foj"),
    ("police", "polis"),
    ("dehshatgard", "dahshatgard"),
    ("kalaadam", "kalaadum", "kaladam"),
    ("zimmedari", "zimmadari"),
    ("tehreek", "tehrik"),
    ("fidai", "fidayi"),
]


@pytest.mark.parametrize(("roman", "urdu"), WORDS.items())
def test_golden_words(roman: str, urdu: str) -> None:
    assert roman_urdu_to_urdu(roman) == urdu


@pytest.mark.parametrize(("roman", "urdu"), SENTENCES.items())
def test_golden_sentences(roman: str, urdu: str) -> None:
    assert roman_urdu_to_urdu(roman) == urdu


@pytest.mark.parametrize("spellings", VARIANTS, ids=lambda v: v[0])
def test_spelling_variants_give_one_word(spellings: tuple[str, ...]) -> None:
    assert len({roman_urdu_to_urdu(s) for s in spellings}) == 1


def test_case_is_folded_except_for_acronyms() -> None:
    assert roman_urdu_to_urdu("SHAHEED Shaheed shaheed") == "شہید شہید شہید"
    assert roman_urdu_to_urdu("BLA") == "بی ایل اے"
    assert roman_urdu_to_urdu("bla") == "بی ایل اے"
    # an acronym the lexicon does not know is read letter by letter
    assert roman_urdu_to_urdu("XQZ") == "ایکس کیو زیڈ"
    # "isi" is Urdu for "this very"; in capitals it is the agency
    assert roman_urdu_to_urdu("isi") == "اسی"
    assert roman_urdu_to_urdu("ISI") == "آئی ایس آئی"


def test_capitals_mean_acronyms_unless_the_text_shouts() -> None:
    assert roman_urdu_to_urdu("KU ke gate pe aao") == "کے یو کے گیٹ پہ آؤ"
    assert roman_urdu_to_urdu("YE KYA HO RAHA HAI") == "یہ کیا ہو رہا ہے"


def test_stretched_words_are_found() -> None:
    assert roman_urdu_to_urdu("nahiiii") == "نہیں"
    assert roman_urdu_to_urdu("shaheeeed") == "شہید"


def test_plurals_of_lexicon_words() -> None:
    assert roman_urdu_to_urdu("jalson") == "جلسوں"
    assert roman_urdu_to_urdu("goliyan") == "گولیاں"
    assert roman_urdu_to_urdu("kitabon") == "کتابوں"
    # a stem ending in a vowel letter is not glued to the plural ending
    assert "ٰوں" not in roman_urdu_to_urdu("dawaon")


def test_rules_for_unknown_words() -> None:
    # digraphs, a dropped short vowel, long vowels, the final vowel, final nun ghunna
    assert roman_urdu_to_urdu("khabardaar") == "خبردار"
    assert roman_urdu_to_urdu("shikaar") == "شکار"
    assert roman_urdu_to_urdu("chaabi") == "چابی"
    assert roman_urdu_to_urdu("thaila") == "تھیلا"
    assert roman_urdu_to_urdu("aasmaan") == "آسماں"
    assert roman_urdu_to_urdu("bhooka") == "بھوکا"
    assert roman_urdu_to_urdu("ghusse") == "غسے"
    assert roman_urdu_to_urdu("sipahiyaan") == "سپہیاں"


def test_punctuation_digits_emoji_and_urls_are_kept() -> None:
    text = "Breaking: 5 ahlkar shaheed!! 🤲🇵🇰 https://t.co/AbC?x=1 www.example.com t.me/channel"
    out = roman_urdu_to_urdu(text)
    assert out == ("بریکنگ: 5 اہلکار شہید!! 🤲🇵🇰 https://t.co/AbC?x=1 www.example.com t.me/channel")


def test_mentions_and_emails_are_kept_and_hashtags_rewritten() -> None:
    out = roman_urdu_to_urdu("@BalochYakjehti #LakkiMarwat #TTP #shaheed_police a@b.pk")
    assert out == "@BalochYakjehti #لکی_مروت #ٹی_ٹی_پی #شہید_پولیس a@b.pk"


def test_izafat_connectors() -> None:
    assert roman_urdu_to_urdu("namaz-e-janaza") == "نماز جنازہ"
    assert roman_urdu_to_urdu("Tehrik e Taliban") == "تحریک طالبان"
    assert roman_urdu_to_urdu("Hizb-ul-Mujahideen") == "حزب المجاہدین"


def test_text_in_other_scripts_is_untouched() -> None:
    text = "پولیس کے مطابق 5 اہلکار شہید — ٹی ٹی پی"
    assert roman_urdu_to_urdu(text) == text


def test_no_latin_letters_left_in_roman_urdu() -> None:
    for roman in [*WORDS, *SENTENCES]:
        assert not LATIN.search(roman_urdu_to_urdu(roman)), roman


def test_empty_and_blank() -> None:
    assert roman_urdu_to_urdu("") == ""
    assert roman_urdu_to_urdu(" \n\t") == " \n\t"


def test_deterministic() -> None:
    text = " ".join(SENTENCES)
    assert len({roman_urdu_to_urdu(text) for _ in range(5)}) == 1


def test_lexicon_size_and_spelling() -> None:
    table = lexicon()
    assert len(table) >= 1500
    # Urdu letters, not the Arabic look-alikes: kaf, yeh, heh, alef maksura, teh marbuta
    for key, value in table.items():
        assert not set(value) & set("كيهىة"), key
        assert all(ch == " " or "\u0600" <= ch <= "\u06ff" or ch == "ﷺ" for ch in value), key


def test_lexicon_has_no_repeated_spelling() -> None:
    # parse_lexicon refuses a key given twice, so reading the shipped text proves it
    assert parse_lexicon(ENTRIES) == dict(lexicon())


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hai ہے", "is not 'spelling"),
        ("hai = hy", "not in Urdu script"),
        ("Hai = ہے", "not a lower-case Latin word"),
        ("hai = ہے\nhy hai = ہے", "already in the lexicon"),
    ],
)
def test_bad_lexicon_lines_are_refused(text: str, problem: str) -> None:
    with pytest.raises(InputError, match=problem) as caught:
        parse_lexicon(text, source="test")
    assert caught.value.source.startswith("test:")


def test_letter_names_cover_the_alphabet() -> None:
    assert len(LETTER_NAMES) == 26


def test_coverage_counts_words() -> None:
    assert lexicon_coverage("") == (0, 0)
    assert lexicon_coverage("police ke mutabiq xqzvb 5 https://x.com @ali") == (3, 4)
    assert lexicon_coverage("#LakkiMarwat") == (2, 2)


def test_fast_enough() -> None:
    # the requirement is 100,000 words a second; the bound here is lower so that a busy
    # machine does not fail it
    text = " ".join(SENTENCES) + " khabardaar aasmaan sipahiyaan"
    words = len(text.split()) * 200
    start = time.perf_counter()
    for _ in range(200):
        roman_urdu_to_urdu(text)
    assert words / (time.perf_counter() - start) > 30_000


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("A'C")
@example("IG’S")
def test_never_raises_on_any_text(text: str) -> None:
    assert isinstance(roman_urdu_to_urdu(text), str)


@pytest.mark.parametrize("text", ["A'C", "A’C bhi", "IG'S ka hukm", "KE'S"])
def test_an_acronym_with_an_apostrophe_is_read_letter_by_letter(text: str) -> None:
    out = roman_urdu_to_urdu(text)
    assert not LATIN.search(out) and "'" not in out.split()[0], out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True), min_size=1, max_size=12))
def test_ascii_words_come_out_without_ascii_letters(words: list[str]) -> None:
    assert not LATIN.search(roman_urdu_to_urdu(" ".join(words)))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"])).filter(bool))
def test_only_latin_words_change(text: str) -> None:
    # what the function does not treat as a word is left exactly as it was
    stripped = re.sub(r"[A-Za-z]", "", text)
    if stripped == text:
        assert roman_urdu_to_urdu(text) == text
