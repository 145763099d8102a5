"""Seeded near-duplicates of a statement, as re-posts change them: for evaluating text matching.

A re-posted statement keeps its meaning but not its bytes. :func:`perturb` makes such a copy the
way people and evasion tools do: punctuation changed, zero-width characters inserted, Arabic
keyboard letters (ي ك ه) for Urdu ones, diacritics and tatweel, Eastern and Western digits
swapped, Roman Urdu spelling variants, Latin look-alike letters from Cyrillic and Greek, case
changes, a share of the words replaced, deleted or inserted, and hashtags, emoji, a channel
link or a forwarding header added. The same ``(text, seed)`` always gives the same copy, so an
evaluation built on it reports the same numbers in every run.

It is a test instrument, not an evasion model: it never changes what the statement says beyond
``word_change`` of its words, and inserted words come from a small list of fillers.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from nigehban.errors import UsageError

LANGUAGES = ("en", "ur", "ur-Latn", "ps")
DEFAULT_WORD_CHANGE = 0.10

_ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff")
_ARABIC_KEYBOARD = {"ی": "ي", "ک": "ك", "ہ": "ه", "ے": "ي", "ۃ": "ة"}
_DIACRITICS = ("\u064e", "\u064f", "\u0650", "\u0651")
_TATWEEL = "\u0640"
_EASTERN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_WESTERN = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_HOMOGLYPHS = {
    "a": "а",
    "e": "е",
    "o": "о",
    "p": "р",
    "c": "с",
    "x": "х",
    "i": "і",
    "y": "у",
    "A": "Α",
    "B": "Β",
    "E": "Ε",
    "K": "Κ",
    "M": "Μ",
    "T": "Τ",
}
_ROMAN_URDU = {
    "hai": ("hay", "he", "hae"),
    "hain": ("hen", "hein", "hain"),
    "ki": ("ky", "kee", "ke"),
    "ke": ("kay", "k", "kai"),
    "ko": ("ku", "koo"),
    "ne": ("nay", "nai"),
    "se": ("say", "sey", "sy"),
    "mein": ("main", "me", "mai", "men"),
    "aur": ("or", "aor", "awr"),
    "ye": ("yeh", "yah", "yai"),
    "wo": ("woh", "vo", "voh"),
    "kiya": ("kia", "kya"),
    "kiye": ("kie", "kye"),
    "gaya": ("gya", "giya"),
    "gaye": ("gae", "gye", "gay"),
    "hue": ("huay", "hoye", "huye"),
    "nahi": ("nahin", "nai", "nhi"),
    "liye": ("liay", "lye", "lie"),
    "hamla": ("hamlah", "humla"),
    "hamle": ("hamlay", "hamley"),
    "zimmedari": ("zimmadari", "zimedari", "zumedari"),
    "qabool": ("qubool", "kabool", "qabul"),
    "mujahideen": ("mujahidin", "mujahedeen", "mujahideen"),
    "shaheed": ("shahid", "shaheedh"),
    "jari": ("jaari", "jaree"),
    "dushman": ("dushmun", "dushmn"),
    "fauj": ("fouj", "foj"),
    "elaan": ("ailan", "elan", "ailaan"),
    "awam": ("awaam", "avam"),
    "khabardar": ("khabrdar", "khbardar"),
    "tamam": ("tamaam", "tmam"),
    "ahalkar": ("ahelkar", "ehalkar"),
    "halak": ("halaak", "hlak"),
    "bhaiyon": ("bhaion", "bhaiyo"),
    "apne": ("apnay", "apny"),
    "hamare": ("hamaray", "humare", "hmare"),
    "karte": ("karty", "kartay"),
    "karen": ("karein", "kren"),
    "jayega": ("jaega", "jaayega"),
    "qareeb": ("qarib", "kareeb"),
}
_FILLERS = {
    "en": (
        "indeed",
        "brothers",
        "today",
        "again",
        "breaking",
        "all",
        "now",
        "also",
        "truly",
        "urgent",
        "news",
        "update",
        "alhamdulillah",
        "very",
        "our",
        "dear",
    ),
    "ur": (
        "بھی",
        "آج",
        "الحمدللہ",
        "فوری",
        "خبر",
        "تمام",
        "بھائیو",
        "ضرور",
        "اہم",
        "یقیناً",
        "اب",
        "سب",
        "بریکنگ",
    ),
    "ur-Latn": (
        "bhi",
        "aaj",
        "alhamdulillah",
        "fori",
        "khabar",
        "tamam",
        "bhaiyo",
        "zaroor",
        "aham",
        "yaqeenan",
        "ab",
        "sab",
        "breaking",
    ),
    "ps": (
        "هم",
        "نن",
        "الحمدلله",
        "بیړني",
        "خبر",
        "ټول",
        "ورونو",
        "ضرور",
        "مهم",
        "اوس",
        "تازه",
        "یقینا",
    ),
}
_HASHTAGS = {
    "en": ("#Khorasan", "#Mujahideen", "#Breaking", "#Balochistan", "#Caliphate", "#Jihad"),
    "ur": ("#خراسان", "#مجاہدین", "#بریکنگ", "#بلوچستان", "#خلافت", "#جہاد"),
    "ur-Latn": ("#Khorasan", "#Mujahideen", "#Breaking", "#Balochistan", "#Khilafat"),
    "ps": ("#خراسان", "#مجاهدین", "#تازه", "#بلوچستان", "#خلافت"),
}
_EMOJI = ("🔥", "⚔️", "🏴", "💪", "🤲", "‼️", "📢", "🩸", "✊")
_HEADERS = {
    "en": ("Forwarded from Sada-e-Khorasan", "⏩ Forwarded", "Fwd:", "Forwarded many times"),
    "ur": ("فارورڈ شدہ", "⏩ فارورڈ کیا گیا", "آگے بھیجا گیا"),
    "ur-Latn": ("Forwarded from Sada-e-Khorasan", "⏩ Forwarded", "Fwd:", "Aage bheja gaya"),
    "ps": ("مخکې لېږل شوی", "⏩ Forwarded", "Fwd:"),
}
_CHANNELS = ("https://t.me/sada_khorasan", "https://t.me/s/caravan_media", "www.example.org/n")
_PUNCTUATION = re.compile(r"[.,:;!?،۔؟]")
_PUNCT_CHOICES = (".", ",", "!", "!!", "...", "،", "۔", " -", "", "؟")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def perturb(
    text: str,
    seed: int | str,
    *,
    lang: str,
    word_change: float = DEFAULT_WORD_CHANGE,
) -> str:
    """A near-duplicate of ``text`` in language ``lang`` (one of :data:`LANGUAGES`).

    Exactly ``int(word_change * words)`` words are replaced, deleted or inserted (at least one
    when ``word_change`` > 0), and a seeded choice of the surface changes listed in the module
    docstring is applied on top."""
    if lang not in LANGUAGES:
        raise UsageError(f"{lang!r} is not a language perturb knows ({', '.join(LANGUAGES)})")
    if not 0.0 <= word_change <= 0.5:
        raise UsageError(f"word_change {word_change!r} is outside 0..0.5")
    rng = random.Random(f"{seed}\x00{text}")  # noqa: S311 - reproducible, not secret
    out = _edit_words(text, rng, lang, word_change)
    steps: list[Callable[[str, random.Random, str], str]] = [
        _punctuation,
        _zero_width,
        _case,
        _spacing,
    ]
    if lang in ("ur", "ps"):
        steps += [_arabic_keyboard, _diacritics, _digits]
    if lang == "ur-Latn":
        steps.append(_roman_urdu)
    if lang in ("en", "ur-Latn"):
        steps.append(_homoglyphs)
    chosen = [step for step in steps if rng.random() < 0.6] or [rng.choice(steps)]
    for step in chosen:
        out = step(out, rng, lang)
    return _decorate(out, rng, lang)


def _edit_words(text: str, rng: random.Random, lang: str, word_change: float) -> str:
    words = text.split()
    edits = int(word_change * len(words))
    if word_change > 0 and edits == 0:
        edits = 1
    fillers = _FILLERS[lang]
    for _ in range(edits):
        kind = rng.choice(("replace", "delete", "insert"))
        if kind == "insert" or len(words) < 2:
            words.insert(rng.randrange(len(words) + 1), rng.choice(fillers))
            continue
        at = rng.randrange(len(words))
        if kind == "delete":
            del words[at]
            continue
        trailing = _PUNCTUATION.findall(words[at][-1:])
        words[at] = rng.choice(fillers) + (trailing[0] if trailing else "")
    return " ".join(words)


def _punctuation(text: str, rng: random.Random, lang: str) -> str:
    def swap(match: re.Match[str]) -> str:
        return rng.choice(_PUNCT_CHOICES) if rng.random() < 0.5 else match.group()

    return _PUNCTUATION.sub(swap, text)


def _zero_width(text: str, rng: random.Random, lang: str) -> str:
    chars = list(text)
    for _ in range(max(1, len(chars) // 40)):
        at = rng.randrange(1, len(chars)) if len(chars) > 1 else 0
        if chars[at - 1].isalpha() and chars[at].isalpha():
            chars.insert(at, rng.choice(_ZERO_WIDTH))
    return "".join(chars)


def _case(text: str, rng: random.Random, lang: str) -> str:
    if rng.random() < 0.3:
        return text.upper()
    words = text.split(" ")
    for at in rng.sample(range(len(words)), k=max(1, len(words) // 8)):
        words[at] = words[at].upper() if rng.random() < 0.5 else words[at].lower()
    return " ".join(words)


def _spacing(text: str, rng: random.Random, lang: str) -> str:
    words = text.split(" ")
    return "".join(
        w + (rng.choice(("  ", "\n", " \u00a0", "\t")) if rng.random() < 0.1 else " ")
        for w in words
    ).strip()


def _arabic_keyboard(text: str, rng: random.Random, lang: str) -> str:
    rate = rng.choice((0.3, 1.0))
    return "".join(
        _ARABIC_KEYBOARD[ch] if ch in _ARABIC_KEYBOARD and rng.random() < rate else ch
        for ch in text
    )


def _diacritics(text: str, rng: random.Random, lang: str) -> str:
    out = []
    for ch in text:
        out.append(ch)
        if "\u0621" <= ch <= "\u06d3":
            roll = rng.random()
            if roll < 0.05:
                out.append(rng.choice(_DIACRITICS))
            elif roll < 0.07:
                out.append(_TATWEEL)
    return "".join(out)


def _digits(text: str, rng: random.Random, lang: str) -> str:
    return text.translate(_EASTERN if rng.random() < 0.5 else _WESTERN)


def _roman_urdu(text: str, rng: random.Random, lang: str) -> str:
    def respell(match: re.Match[str]) -> str:
        word = match.group()
        variants = _ROMAN_URDU.get(word.lower())
        if variants is None or rng.random() < 0.5:
            return word
        return rng.choice(variants)

    return _LATIN_WORD.sub(respell, text)


def _homoglyphs(text: str, rng: random.Random, lang: str) -> str:
    rate = rng.choice((0.05, 0.2))
    return "".join(
        _HOMOGLYPHS[ch] if ch in _HOMOGLYPHS and rng.random() < rate else ch for ch in text
    )


def _decorate(text: str, rng: random.Random, lang: str) -> str:
    if rng.random() < 0.5:
        tags = rng.sample(_HASHTAGS[lang], k=rng.randint(1, 3))
        text = f"{text}\n{' '.join(tags)}"
    if rng.random() < 0.5:
        text = f"{text} {''.join(rng.choices(_EMOJI, k=rng.randint(1, 4)))}"
    if rng.random() < 0.3:
        text = f"{text}\n{rng.choice(_CHANNELS)}"
    if rng.random() < 0.3:
        text = f"{rng.choice(_HEADERS[lang])}\n{text}"
    return text
