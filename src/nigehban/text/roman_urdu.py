"""Roman Urdu spelling variants and izafat connectors, folded for matching.

Roman Urdu has no standard spelling: *Tehreek*, *Tehrik* and *Tahrik* are the same word, and
the izafat that links *Tehrik-e-Taliban* is written ``-e-``, ``-i-``, ``e``, glued (*Tehreeke*)
or left out. Aggressive normalisation maps each known variant token to one canonical spelling
and drops connector tokens, so an alias written one way matches a post written another.

The table covers the words that occur in the names of designated groups and the state labels
that refer to them; it is data, not a general transliterator. Canonical spellings are fixed
points of the whole aggressive pipeline (a test checks it), which keeps normalisation
idempotent.
"""

from __future__ import annotations

import re

_RUNS = re.compile(r"(.)\1{2,}")

# canonical spelling: the variants that fold to it (after lower-casing and after runs of three
# or more identical letters are collapsed to one)
_VARIANTS: dict[str, tuple[str, ...]] = {
    "tehrik": (
        "tehreek",
        "tahrik",
        "tahreek",
        "tehrek",
        "tahrek",
        "tehriq",
        "tehreeq",
        "tahriq",
        "tahreeq",
        "tehrique",
        "tehrick",
        "tahreek",
        "tehreek",
        "tehrikh",
    ),
    "taliban": ("talibaan", "taleban", "talebaan", "talibans"),
    "pakistan": ("pakstan", "pakistaan", "pakisthan", "pakiztan"),
    "lashkar": ("lashker", "lashkr", "lashkir", "lashkaar", "lashkr"),
    "taiba": (
        "tayyaba",
        "tayyiba",
        "tayyibah",
        "toiba",
        "tayiba",
        "tayaba",
        "taibah",
        "tayba",
        "tayyeba",
        "taeba",
        "tayyabah",
        "tayibah",
        "taibat",
    ),
    "jhangvi": ("jhangavi", "jhangwi", "jhangvee", "jangvi", "jhangwee", "jhangavee"),
    "jaish": ("jaysh", "jaesh", "jaishh", "jeish", "jaish"),
    "muhammad": (
        "mohammad",
        "mohammed",
        "muhammed",
        "mohamed",
        "mohamad",
        "muhamad",
        "mohd",
        "muhammet",
        "mohammod",
    ),
    "sipah": ("sepah", "sipa", "sipaah", "sipaa", "sepaah"),
    "sahaba": ("sahabah", "sahaaba", "sahaabah"),
    "baloch": ("baluch", "biloch", "bloch", "balouch", "balooch", "baloach", "balauch"),
    "balochistan": (
        "baluchistan",
        "baluchestan",
        "balochestan",
        "balouchistan",
        "baloochistan",
        "bluchistan",
    ),
    "jamaat": ("jamat", "jamaa", "jamaah", "jammat", "jamaath", "jamath", "jamaa"),
    "ahrar": ("ahraar", "ahrarr", "ehrar", "ahrarr"),
    "dawa": ("dawah", "daawa", "dawat", "dawaa", "daawah", "dawwa"),
    "insaniat": ("insaniyat", "insaniyyat", "insaaniyat", "insaniyet", "insaniyah", "insaaniat"),
    "falah": ("falaah", "falahi"),
    "labaik": ("labbaik", "labbayk", "labaek", "labbaek", "labayk", "labbaik"),
    "tahafuz": ("tahaffuz", "tahafuzz", "tahafoz", "tahaffoz", "tahafoz", "tuhaffuz"),
    "pashtun": ("pashtoon", "pakhtun", "pukhtun", "pakhtoon", "pukhtoon", "pushtun", "pashton"),
    "khorasan": (
        "khurasan",
        "khorassan",
        "khurasaan",
        "khorasaan",
        "khursan",
        "khurasan",
        "khorasaan",
        "khorassaan",
    ),
    "daesh": ("daish", "daaish", "daeesh", "daiesh", "daash"),
    "qaida": (
        "qaeda",
        "qaedah",
        "qaidah",
        "qaeeda",
        "qaaida",
        "qaaeda",
        "qayda",
        "qaidat",
        "kaida",
        "kayda",
    ),
    "khawarij": ("khwarij", "khawaarij", "khawarej", "khwaarij", "khawaarej"),
    "khariji": ("khaariji", "kharji", "khaarji", "khareji"),
    "fitna": ("fitnah", "fitnay", "fitnae", "fitne", "fitnaa"),
    "hindustan": ("hindostan", "hindustaan", "hindoostan"),
    "majeed": ("majid", "majied"),
    "brigade": ("brigaid", "bregade", "brigad", "brigaed"),
    "mujahidin": ("mujahideen", "mujahedin", "mujahedeen", "mujaheddin", "mujahidden"),
    "harkat": ("harakat", "harkaat"),
    "sunnat": ("sunnah", "sunna", "sunnath"),
    "ahl": ("ahle", "ahlay", "ahley", "ahlus", "ahlu", "ahal"),
    "nifaz": ("nafaz", "nifaaz", "nafaaz", "nefaz"),
    "shariat": ("shariah", "sharia", "shariyat", "shareeat", "shariyah", "shariyat"),
    "tanzim": ("tanzeem", "tanzeam", "tanzem"),
    "jundulah": ("jundullah", "jundallah", "jundalah"),
    "haqani": ("haqqani", "haqaani", "haqqaani"),
    "bahadur": ("bahadar", "bahaadur", "bahaduur"),
    "zainabiyun": ("zainabiyoun", "zeinabiyoun", "zainabiyoon", "zaynabiyoun", "zainabiyyun"),
    "raji": ("raaji", "raajee", "rajee"),
    "ajoi": ("aajoi", "ajoee", "aajoee", "ajoyi"),
    "hakal": ("hakkal", "hakkaal"),
    "difa": ("difaa", "defa", "difah"),
    "musalah": ("musallah", "musalla", "musala", "musallah"),
    "wilayat": ("wilayah", "vilayat", "wilaya", "velayat"),
    "khuddam": ("khudam", "khoddam"),
    "islami": ("islamee", "islamy"),
    "alami": ("aalami", "almi", "aalmi", "alaami"),
}

# tokens with an izafat or Arabic article glued on: stem + suffix folds to the stem's canonical
_GLUED_SUFFIXES = ("e", "i", "ul", "ud", "ut", "un", "ur", "us", "ush", "al")
_GLUED_STEMS = (
    "tehrik",
    "lashkar",
    "jaish",
    "sipah",
    "jamaat",
    "hizb",
    "harkat",
    "ansar",
    "fitna",
    "khair",
    "jamiat",
    "falah",
    "ahl",
    "tanzim",
    "majlis",
)

# Izafat and Arabic-article tokens dropped between words ("Lashkar-e-Taiba", "Jamaat-ul-Ahrar",
# "Ahl-e-Sunnat wal Jamaat").
CONNECTORS: frozenset[str] = frozenset(
    {"e", "i", "ul", "ud", "ut", "un", "ur", "us", "ush", "uz", "al", "el", "wal"}
)


def _collapse_runs(word: str) -> str:
    """Runs of three or more identical letters become one, as the normaliser does."""
    return _RUNS.sub(r"\1", word)


def _build() -> dict[str, str]:
    table: dict[str, str] = {}
    canonical_of: dict[str, str] = {}
    for canonical, variants in _VARIANTS.items():
        for form in (canonical, *variants):
            canonical_of[_collapse_runs(form)] = canonical
    stems = {stem: canonical_of.get(stem, stem) for stem in _GLUED_STEMS}
    for variant, canonical in list(canonical_of.items()):
        if canonical in stems.values():
            stems.setdefault(variant, canonical)
    for stem, canonical in stems.items():
        for suffix in _GLUED_SUFFIXES:
            canonical_of.setdefault(stem + suffix, canonical)
    for form, canonical in canonical_of.items():
        if form != canonical:
            table[form] = canonical
    return table


SPELLINGS: dict[str, str] = _build()
"""Variant token -> canonical token (only entries that change the token)."""
