"""Roman Urdu written in Urdu script, so that the stance embedder reads it as Urdu.

multilingual-e5-small, the semantic tier's embedder, has read a great deal of Urdu in Urdu
script and very little Urdu typed in Latin letters ("police ke mutabiq 5 ahlkar shaheed").
:func:`roman_urdu_to_urdu` rewrites such a post word by word into Urdu script ("پولیس کے مطابق
5 اہلکار شہید") before it is embedded.

How a word is rewritten, in order:

1. **Lexicon** (:mod:`nigehban.text.data.roman_urdu_lexicon`): about three thousand Roman
   spellings of common words, with their usual variants as separate keys (*hai*, *hy*, *he*,
   *hay* are all ہے), this domain's vocabulary, place names, and the English words that posts
   mix in, spelt as Urdu spells them (پولیس, آپریشن). Acronyms in capitals (*TTP*, *ISPR*) are
   read letter by letter (ٹی ٹی پی), as Urdu news writes them.
2. **Rules** for any other word: digraphs first (*kh* خ, *sh* ش, *th* تھ, ...), a doubled
   consonant written once, short vowels dropped inside a word, long ones written (*aa* ا,
   *ee* ی, *oo* و), and the vowel at the end of a word written as Urdu ends words (*-a* ا,
   *-e* ے, *-i* ی, *-o* و); a final *n* after a long vowel is ں.

Everything that is not a Latin word stays where it was: digits, punctuation, emoji, URLs,
@mentions and text already in another script. A hashtag keeps its ``#`` and its words are
rewritten, joined with ``_`` as Urdu hashtags are (``#LakkiMarwat`` -> ``#لکی_مروت``). The
izafat of compound names is dropped (*Tehrik-e-Taliban* -> تحریک طالبان), *-o-* becomes و and
*-ul-* the article ال.

Limits. Roman Urdu has no standard spelling and drops what Urdu script keeps: short vowels,
the difference between ت and ٹ, د and ڈ, ر and ڑ, س ص and ث, ز ذ ض and ظ, ہ and ح, and the
letter ع. The rules therefore often give a spelling no Urdu writer would use (*bayan* outside
the lexicon would come out بین), and a Roman spelling with two Urdu senses gets the one the
lexicon holds. English words outside the lexicon are spelt as if they were Urdu. The output is
meant for an embedding model, which tolerates such noise, not for people to read.

The function is pure and deterministic: one dictionary look-up per known word, and the rules,
memoised, for the rest.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from types import MappingProxyType

from nigehban.errors import InputError
from nigehban.privacy.masking import preview
from nigehban.text.data.roman_urdu_lexicon import ENTRIES

LEXICON_SOURCE = "nigehban.text.data.roman_urdu_lexicon"

# Urdu names of the Latin letters, for acronyms read letter by letter
LETTER_NAMES: Mapping[str, str] = MappingProxyType(
    {
        "A": "اے",
        "B": "بی",
        "C": "سی",
        "D": "ڈی",
        "E": "ای",
        "F": "ایف",
        "G": "جی",
        "H": "ایچ",
        "I": "آئی",
        "J": "جے",
        "K": "کے",
        "L": "ایل",
        "M": "ایم",
        "N": "این",
        "O": "او",
        "P": "پی",
        "Q": "کیو",
        "R": "آر",
        "S": "ایس",
        "T": "ٹی",
        "U": "یو",
        "V": "وی",
        "W": "ڈبلیو",
        "X": "ایکس",
        "Y": "وائی",
        "Z": "زیڈ",
    }
)

_KEY = re.compile(r"[a-z]+(?:'[a-z]+)*|[A-Z]{2,}")


def parse_lexicon(text: str, source: str = LEXICON_SOURCE) -> dict[str, str]:
    """Read lexicon entries (``spelling spelling ... = اردو`` a line) into a dictionary.

    Raises :class:`InputError` naming the line for a line without `` = ``, a key that is not
    a lower-case Latin word or an acronym in capitals, a value with Latin letters, or a key
    given twice.
    """
    lexicon: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}:{number}"
        keys, sep, value = line.partition(" = ")
        value = value.strip()
        if not sep or not keys.strip() or not value:
            raise InputError(where, f"{preview(line)} is not 'spelling ... = اردو'")
        if re.search(r"[A-Za-z]", value):
            raise InputError(where, f"{preview(value)} is not in Urdu script")
        for key in keys.split():
            if not _KEY.fullmatch(key):
                raise InputError(
                    where, f"{preview(key)} is not a lower-case Latin word or an acronym"
                )
            if key in lexicon:
                raise InputError(where, f"{preview(key)} is already in the lexicon")
            lexicon[key] = value
    return lexicon


@functools.cache
def lexicon() -> Mapping[str, str]:
    """The shipped lexicon, read once: Roman spelling -> Urdu script."""
    return MappingProxyType(parse_lexicon(ENTRIES))


# One token at a time, left to right. Everything between tokens is copied unchanged.
_TOKENS = re.compile(
    r"(?P<url>(?:https?://|www\.)\S+"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|\b(?:[A-Za-z0-9-]+\.)+(?:com|org|net|pk|me|io|ly|co|tv|gg|info|app)\b(?:/\S*)?)"
    r"|(?P<mention>@\w+)"
    r"|\#(?P<tag>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<izafat>(?<=[A-Za-z])-(?i:e|i|o|ul|al|ud|ur)-(?=[A-Za-z])"
    r"|(?<=[A-Za-z]) [eE] (?=[A-Za-z]))"
    r"|(?P<word>[A-Za-z]+(?:['’][A-Za-z]+)*)"
)
_HASHTAG_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_RUNS = re.compile(r"([a-z])\1{2,}")
_UPPER = re.compile(r"[A-Z]")
_LOWER = re.compile(r"[a-z]")
_IZAFAT = {"e": " ", "i": " ", "o": " و ", "ul": " ال", "al": " ال", "ud": " ال", "ur": " ال"}


def roman_urdu_to_urdu(text: str) -> str:
    """Rewrite the Latin-letter words of ``text`` in Urdu script; keep everything else.

    Deterministic and total: any string is accepted, and every word made of ASCII letters
    comes out in Urdu script.
    """
    # In a text mostly in capitals, "KE" and "HAI" are words; elsewhere a short word in
    # capitals is an acronym ("KU", "IG") even where the same letters spell an Urdu word.
    shouting = len(_UPPER.findall(text)) > len(_LOWER.findall(text))
    return _TOKENS.sub(_replace_shouting if shouting else _replace, text)


def lexicon_coverage(text: str) -> tuple[int, int]:
    """How many of the Latin words of ``text`` the lexicon knows, and how many there are.

    Words are counted as :func:`roman_urdu_to_urdu` sees them (hashtags split into their
    words; URLs and @mentions not counted).
    """
    found = total = 0
    for match in _TOKENS.finditer(text):
        if match["word"] is not None:
            words = [match["word"]]
        elif match["tag"] is not None:
            words = [w for w in _HASHTAG_PARTS.findall(match["tag"]) if not w.isdigit()]
        else:
            continue
        for word in words:
            total += 1
            found += _known(word) is not None
    return found, total


def _replace_shouting(match: re.Match[str]) -> str:
    return _replace(match, acronyms=False)


def _replace(match: re.Match[str], acronyms: bool = True) -> str:
    word = match["word"]
    if word is not None:
        return _word(word, acronyms)
    tag = match["tag"]
    if tag is not None:
        parts = _HASHTAG_PARTS.findall(tag)
        return "#" + "_".join(p if p.isdigit() else _word(p).replace(" ", "_") for p in parts)
    izafat = match["izafat"]
    if izafat is not None:
        return _IZAFAT[izafat.strip(" -").lower()]
    return match[0]


def _word(word: str, acronyms: bool = True) -> str:
    if acronyms and 2 <= len(word) <= 4 and word.isupper():
        return lexicon().get(word) or _letters(word)
    known = _known(word)
    if known is not None:
        return known
    inflected = _inflected(word.lower())
    if inflected is not None:
        return inflected
    if 2 <= len(word) <= 4 and word.isupper():
        return _letters(word)
    return _spell(_RUNS.sub(r"\1", word.lower().replace("’", "").replace("'", "")))


def _letters(acronym: str) -> str:
    """An acronym read letter by letter ("IG" → "آئی جی"); an apostrophe in it ("A'C") is
    not read."""
    return " ".join(LETTER_NAMES[c] for c in acronym if c in LETTER_NAMES)


def _known(word: str) -> str | None:
    """The lexicon's spelling of ``word``, trying its usual disguises; ``None`` if unknown."""
    table = lexicon()
    if word.isupper() and word in table:
        return table[word]
    lower = word.lower().replace("’", "'")
    found = table.get(lower)
    if found is None:
        found = table.get(word.upper())
    if found is None and "'" in lower:
        found = table.get(lower.replace("'", ""))
    if found is None and _RUNS.search(lower):
        # stretched for emphasis: "nahiiii", "shaheeed"
        found = table.get(_RUNS.sub(r"\1", lower)) or table.get(_RUNS.sub(r"\1\1", lower))
    return found


def _inflected(word: str) -> str | None:
    """An inflected form of a lexicon word (*jalson* from *jalsa*, *kitabein* from *kitab*)."""
    table = lexicon()
    if word.endswith("yon") and (stem := table.get(word[:-3])) and stem.endswith("ی"):
        return stem + "وں"  # sipahiyon
    if word.endswith("yan") and (stem := table.get(word[:-3])) and stem.endswith("ی"):
        return stem + "اں"  # goliyan
    if word.endswith("on") and len(word) > 4:
        if (stem := table.get(word[:-2])) and stem[-1] not in "اہیےوٰ" and " " not in stem:
            return stem + "وں"  # kitabon
        if (stem := table.get(word[:-2] + "a")) and stem[-1] in "اہ" and " " not in stem:
            return stem[:-1] + "وں"  # jalson, larkon
    if word.endswith("ein") and (stem := table.get(word[:-3])) and " " not in stem:
        return stem + "یں"  # kitabein
    if word[-1:] in ("e", "i") and len(word) > 3:
        stem = table.get(word[:-1] + "a")
        if stem and stem.endswith("ا") and " " not in stem:
            return stem[:-1] + ("ے" if word[-1] == "e" else "ی")  # larke, bari
    return None


# The rules. Latin letters to Urdu ones; vowels depend on where in the word they stand.
_DIGRAPHS = {
    "chh": "چھ",
    "cch": "چ",
    "kh": "خ",
    "gh": "غ",
    "sh": "ش",
    "ch": "چ",
    "th": "تھ",
    "ph": "پھ",
    "bh": "بھ",
    "dh": "دھ",
    "jh": "جھ",
    "zh": "ژ",
    "rh": "ڑھ",
    "ck": "ک",
}
_CONSONANTS = {
    "b": "ب",
    "c": "ک",
    "d": "د",
    "f": "ف",
    "g": "گ",
    "h": "ہ",
    "j": "ج",
    "k": "ک",
    "l": "ل",
    "m": "م",
    "n": "ن",
    "p": "پ",
    "q": "ق",
    "r": "ر",
    "s": "س",
    "t": "ت",
    "v": "و",
    "w": "و",
    "x": "کس",
    "y": "ی",
    "z": "ز",
}
_VOWELS = frozenset("aeiou")
_LONG = {"a": "ا", "e": "ی", "i": "ی", "o": "و", "u": "و"}
# vowel groups inside a word; a group not listed is written letter by letter, each long
_MEDIAL = {
    "a": "",
    "i": "",
    "u": "",
    "e": "ی",
    "o": "و",
    "aa": "ا",
    "ee": "ی",
    "ii": "ی",
    "oo": "و",
    "uu": "و",
    "ai": "ی",
    "ei": "ی",
    "ey": "ی",
    "au": "و",
    "ou": "و",
    "ie": "ی",
}
# vowel groups at the end of a word
_FINAL = {
    "a": "ا",
    "aa": "ا",
    "ah": "ہ",
    "e": "ے",
    "ee": "ی",
    "i": "ی",
    "ii": "ی",
    "ie": "ی",
    "o": "و",
    "oo": "و",
    "u": "و",
    "uu": "و",
    "ai": "ے",
    "ay": "ے",
    "ey": "ے",
    "ei": "ے",
    "ae": "ے",
    "au": "و",
    "ou": "و",
}
# vowel groups at the start of a word (the alif that carries them is added here)
_INITIAL = {
    "a": "ا",
    "i": "ا",
    "u": "ا",
    "e": "ا",
    "o": "او",
    "aa": "آ",
    "ee": "ای",
    "ii": "ای",
    "oo": "او",
    "uu": "او",
    "ai": "ای",
    "ei": "ای",
    "au": "او",
    "ou": "او",
}


def _vowels(group: str, initial: bool, final: bool) -> str:
    if initial and final:
        if group.startswith("aa"):
            return "آ" + _FINAL.get(group[2:], "")
        return "ا" + _FINAL.get(group, "".join(_LONG[v] for v in group if v in _LONG))
    if initial:
        if group in _INITIAL:
            return _INITIAL[group]
        if group.startswith("aa"):
            return "آ" + _medial(group[2:])
        return "ا" + _medial(group[1:]) if group[0] in "aiue" else "ا" + _medial(group)
    if final:
        if group in _FINAL:
            return _FINAL[group]
        return "".join(_LONG[v] for v in group[:-1]) + _FINAL.get(group[-1], "ی")
    return _medial(group)


def _medial(group: str) -> str:
    if group in _MEDIAL:
        return _MEDIAL[group]
    return "".join(_LONG[v] for v in group if v in _LONG)


@functools.lru_cache(maxsize=65536)
def _spell(word: str) -> str:
    """Spell a lower-case ASCII word in Urdu script by rule (never empty, never Latin)."""
    out: list[str] = []
    i, n = 0, len(word)
    while i < n:
        c = word[i]
        if c in _VOWELS or (c == "y" and i == n - 1 and i > 0 and word[i - 1] in _VOWELS):
            j = i
            while j < n and (word[j] in _VOWELS or (word[j] == "y" and j == n - 1 and j > i)):
                j += 1
            group = word[i:j]
            if j == n - 1 and word[j] == "h" and group in ("a", "e", "i", "u"):
                # "-ah", "-eh": a short vowel and a final he
                out.append("ہ")
                return "".join(out) if i > 0 else "ا" + "".join(out)
            out.append(_vowels(group, initial=i == 0, final=j == n))
            i = j
            continue
        if c == "n" and i == n - 1 and i > 0 and word[i - 1] in _VOWELS and out and out[-1]:
            out.append("ں")
            i += 1
            continue
        for size in (3, 2):
            chunk = word[i : i + size]
            if chunk in _DIGRAPHS:
                out.append(_DIGRAPHS[chunk])
                i += size
                break
        else:
            out.append(_CONSONANTS.get(c, ""))
            i += 2 if i + 1 < n and word[i + 1] == c else 1
    return "".join(out)
