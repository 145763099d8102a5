"""The imminence detector: does a post set a near time for what it threatens?

"The lions will visit you tonight", "اگلے چند گھنٹوں میں", "aaj raat", "نن شپه": a threat with a
time in the next hours or days is what EU 2021/784 Art. 14(5) calls an *imminent* threat to
life, which the policy escalates to the authorities. A claim of responsibility that ends "our
operations will continue" sets no time. This detector emits one ``imminence`` signal (label
``time``, evidence: the marker as normalised) when the text carries such a marker in English,
Roman Urdu, Urdu or Pashto; it says nothing about stance, and the policy reads it only together
with a violating stance and a high threat score, so "today" in a news report changes nothing.
A marker in a clause that reports the past ("struck the camp on Tuesday", "آج حملہ ہوا") is
not one: the clause has a past-tense word (``_PAST``) outside any relative clause
(``_RELATIVE``: "who killed our brothers") and nothing about what is to come or speaks to
someone (``_FUTURE``: "will", "die", "you", "-enge", "karo", "tum", "گے", "اڑاؤ", "تم",
"به", and a condition: "agar", "اگر"). Urdu, Roman Urdu and Pashto put the verb last, so a
past verb there ends what it tells: a second time after it, with no punctuation between, is
judged apart ("Kal raat hamla hua | aaj raat phir hamla"). Where in doubt the marker counts: a
missed imminent threat costs more than a reviewer's look at an escalation.

The markers are a fixed, reviewed list (``MARKERS``), matched on the lightly normalised text
(zero-width characters, tatweel and diacritics gone; Arabic letter forms folded to Urdu ones).
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_left

from nigehban.model.items import Item, Post
from nigehban.model.signals import Signal, SignalKind
from nigehban.text.folding import SHAPE
from nigehban.text.normaliser import Level, normalise_text

NAME = "imminence"
VERSION = "3"

_NUMBER = r"(?:\d{1,3}|a few|few|an?|one|two|three|four|five|six|twelve|twenty[- ]four)"
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|jumm?a|juma)"
_LATIN = (
    # English
    r"today|tonight|tomorrow|tmrw|this (?:morning|afternoon|evening|night|weekend)",
    rf"(?:within|in) (?:the )?(?:next |coming )?{_NUMBER} (?:hours?|hrs?|minutes?|mins?)",
    r"right now|any (?:moment|minute) now|the countdown (?:has )?beg[au]n",
    r"at (?:\d{1,2}(?::\d{2})? ?(?:am|pm)|dawn|midnight)",
    rf"(?:this|next|coming|on) {_DAYS}",
    # Roman Urdu
    r"aa?j(?! ?kal)(?: raat| sham| shaam| subah)?",
    r"(?:kal|kl) (?:subah|raat|sham|shaam)",
    r"(?:agle|aglay|agly|chand|kuch) (?:\d{1,3} )?(?:ghante|ghanton|ghantay|ghanto)"
    r"(?! pehle| pehly)",
    r"isi waqt|is waqt|abhi isi waqt",
    rf"{_DAYS} (?:ko|ke din|ki namaz ke baad)",
)
_ARABIC_SCRIPT = (
    # Urdu
    r"آج(?! ?کل)",
    r"کل (?:صبح|رات|شام)",
    r"(?:اگلے (?:چند |کچھ |\d{1,3} )?|چند |کچھ )(?:گھنٹوں|گھنٹے)(?! پہلے)",
    r"ابھی اسی وقت|اسی وقت",
    r"جمعہ کو|جمعے کو|جمعہ کے دن",
    # Pashto
    r"نن(?: شپه| ماښام| سهار)?",
    r"سبا",
    r"همدا اوس",
    r"په راتلونکو (?:څو |\d{1,3} )?ساعتونو کې",
    r"د جمعې په ورځ",
)
MARKERS: tuple[str, ...] = _LATIN + _ARABIC_SCRIPT
"""Every marker pattern, for review and for the detector's snapshot hash."""

_LATIN_RE = re.compile(r"(?<![\w'])(?:" + "|".join(_LATIN) + r")(?![\w'])", re.IGNORECASE)
_ARABIC_RE = re.compile(
    (r"(?<!\S)(?:" + "|".join(_ARABIC_SCRIPT) + r")(?![^\s.,!؟،۔:;\"'»)])").translate(SHAPE)
)


_PAST = (
    # English: verbs that only report what happened, and words that place it before now (no
    # auxiliaries or reporting verbs: "the bomb that was planted goes off tonight", "our emir
    # said we attack tonight" are threats; a participle after "is", "are", "be" or "get" is a
    # passive threat: "tonight you get killed"; "martyred" is mostly an adjective)
    r"attacked|struck|stormed|died|exploded|happened|occurred|claimed|carried out|blew up",
    r"(?<!is )(?<!are )(?<!be )(?<!get )(?<!gets )(?:killed|bombed|buried|injured|wounded)",
    r"ago|yesterday",
    # Roman Urdu (not "kiya"/"kia", also written for "kya", nor "pehle", also "first")
    r"hua|huwa|hue|huay|hui|gaya|gaye|gayi|gai|tha|thi|thay|thy",
)
_PAST_ARABIC = (
    r"ہوا|ہوئے|ہوئی|گیا|گئے|گئی|تھا|تھے|تھی|گزشتہ",  # Urdu
    r"وو|وه|شو|شول|شوه|شوې|وشو|وشوه|وشول|وکړ|وواژه",  # Pashto
)
_FUTURE = (
    # English: the future, warnings, present-tense verbs a threat uses for what is coming, and
    # the second person (a threat speaks to its target: "tonight you are buried")
    r"will|shall|gonna|going to|wo?n'?t|be ready|wait|beware|stay away|prepare",
    r"die|dies|burn|burns|begins?|go(?:es)? off|comes? for|(?:is|are) coming|pays?|avenges?",
    r"you|your|yours|yourselves|yourself",
    # Roman Urdu: futures, imperatives, the present perfect ("aa gaya hai"), the second person
    r"\w+(?:enge|ange|ega|egi|oge|ogi|unga|ungi|ain ge|en ge)|ge|ga|gi|hoga|hogi|honge",
    r"karo|maro|udao|urao|jao|aao|utho|niklo|chalo|pohncho|raho|jalao|uda do|mita do|hai|hain",
    r"waqt aa gaya",  # "the time has come"
    r"agar|agr",  # a condition speaks of what may come: "agar aaj raat police aayi"
    r"tum|tumhe|tumhein|tumhari|tumhara|tumhare|tera|teri|tere|tujhe",
)
_FUTURE_ARABIC = (
    # Urdu: futures (apart and joined), imperatives, the present perfect, the second person
    r"گے|گا|گی|ہوگا|ہوگی|ہوں گے|\S+(?:ینگے|ےگا|ےگی|وںگا|وںگی|یںگے)",
    r"بناؤ|اڑاؤ|جاؤ|آؤ|اٹھاؤ|چلاؤ|جلاؤ|مارو|نکلو|پہنچو|رہو|اڑا دو|ختم کرو|ہے|ہیں|وقت آ گیا",
    r"تم|تمہیں|تمہارا|تمہاری|تمہارے|تیرا|تیری|تیرے|تجھے|اگر",
    r"به|ته|تاسو|ستا|ستاسو|تا|ووژنئ|وژنئ|وسوځوئ|وخت راغی|وخت راورسېد",  # Pashto: the future
    # particle, the second person, imperatives, "the time has come"
)
_RELATIVE = (r"who|whom|whose|which|that|what|when|where|jo|jis|jin|jinhon|jinhein|jaise|jese|jab",)
_RELATIVE_ARABIC = (r"جو|جس|جن|جنہوں|جنہیں|جیسے|جب|چې|کوم|لکه",)


def _words(latin: tuple[str, ...], arabic: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(
        r"(?<![\w'])(?:"
        + "|".join(latin)
        + r")(?![\w'])|(?<!\S)(?:"
        + "|".join(arabic).translate(SHAPE)
        + r")(?!\w)",
        re.IGNORECASE,
    )


_PAST_RE = _words(_PAST, _PAST_ARABIC)
_FUTURE_RE = _words(_FUTURE, _FUTURE_ARABIC)
_RELATIVE_RE = _words(_RELATIVE, _RELATIVE_ARABIC)
_CLAUSE_END = re.compile(
    (
        r"[.!?;,:\n،۔؟]"
        r"|\s(?:and|but|aur|lekin|magar|اور|لیکن|مگر|او|خو)(?=\s)"  # "killed them and tonight …"
    ).translate(SHAPE),
    re.IGNORECASE,
)
_VERB_LAST = re.compile(
    (
        r"(?<![\w'])(?:hua|huwa|hue|huay|hui|gaya|gaye|gayi|gai|tha|thi|thay)"
        r"(?: (?:tha|thi|thay|hai|hain))*(?![\w'])(?! (?:to|tou)(?![\w']))"
        r"|(?<!\S)(?:ہوا|ہوئے|ہوئی|گیا|گئے|گئی|تھا|تھے|تھی|وشو|وشوه|وشول|شو|شول|شوه|وکړ|وواژه|وو|وه)"
        r"(?: (?:تھا|تھے|تھی|ہے|ہیں|وو|وه))*(?!\w)(?! تو(?!\w))"
    ).translate(SHAPE),
    re.IGNORECASE,
)
"""A past verb, with its auxiliaries, in the languages that put the verb last (Urdu, Roman Urdu,
Pashto): it ends what it tells, so a second time after it starts a new clause ("Kal raat hamla
hua aaj raat phir hamla"). Not before "to" / "تو" ("then"): "hamla hua to" is a condition."""
_FAR = 200
"""Characters of a clause beyond its marker that surely hold more than one word."""


def _clause(
    text: str, bounds: list[tuple[int, int]], stops: list[int], start: int, end: int
) -> tuple[int, int]:
    """Where the clause around ``text[start:end]`` begins and ends (``bounds``: the clause
    boundaries of the text, punctuation or a conjunction; ``stops``: where each begins); a
    marker standing alone before a comma ("On Friday, a bomber struck …") takes the next
    clause with it."""
    i = bisect_left(stops, start)
    begin = bounds[i - 1][1] if i else 0
    j = bisect_left(stops, end)
    stop = stops[j] if j < len(stops) else len(text)
    alone = (start - begin) + (stop - end) <= _FAR and (
        len((text[begin:start] + text[end:stop]).split()) <= 1
    )
    if j < len(stops) and alone:
        stop = stops[j + 1] if j + 1 < len(stops) else len(text)
    return begin, stop


def _reports_the_past(clause: str) -> bool:
    """Whether the clause tells what happened ("attacked … on Tuesday", "آج حملہ ہوا"): a
    past-tense word in its main part (a relative or comparative clause — "the soldiers who
    killed our brothers", "جیسے پچھلے سال کیا تھا" — does not count) and nothing that speaks of
    what is to come."""
    if _FUTURE_RE.search(clause):
        return False
    relative = _RELATIVE_RE.search(clause)
    return _PAST_RE.search(clause, 0, relative.start() if relative else len(clause)) is not None


def find_imminence(text: str) -> str | None:
    """The first near-time marker in ``text`` (normalised) that is not in a clause reporting
    the past, or ``None``. Linear in the text: each clause is judged once, however many
    markers it holds."""
    light = normalise_text(text, Level.LIGHT).translate(SHAPE)
    light = " ".join(light.split())
    found = sorted(
        [*_LATIN_RE.finditer(light), *_ARABIC_RE.finditer(light)], key=lambda m: m.start()
    )
    if not found:
        return None
    bounds = [m.span() for m in _CLAUSE_END.finditer(light)]
    stops = [b[0] for b in bounds]
    verbs = [m.end() for m in _VERB_LAST.finditer(light)]
    starts = [m.start() for m in found]
    judged: dict[tuple[int, int], bool] = {}
    for match in found:
        clause = _clause(light, bounds, stops, match.start(), match.end())
        later = _after_a_told_time(found, starts, verbs, clause, match.start())
        for part in (clause,) if later is None else (clause, later):
            if part not in judged:
                judged[part] = _reports_the_past(light[part[0] : part[1]])
            if not judged[part]:
                return match.group(0).lower()[:40]
    return None


def _after_a_told_time(
    found: list[re.Match[str]],
    starts: list[int],
    verbs: list[int],
    clause: tuple[int, int],
    at: int,
) -> tuple[int, int] | None:
    """The part of the clause from the last verb-final past verb before ``at`` to the next
    one (or the clause's end), where the clause holds a marker before that verb ("**Kal
    raat** hamla hua | aaj raat phir hamla"): a time told, then another. None where there is
    no such verb (one time after a past verb is what the verb tells: "dhamaka hua aaj
    subah"). Parts end at the next verb, so each stretch of text is judged once."""
    i = bisect_left(verbs, at + 1) - 1
    if i < 0 or verbs[i] <= clause[0]:
        return None
    first = bisect_left(starts, clause[0])
    if first >= len(found) or found[first].end() > verbs[i]:
        return None
    end = verbs[i + 1] if i + 1 < len(verbs) else clause[1]
    return verbs[i], min(end, clause[1])


class ImminenceDetector:
    """Stateless; safe to share between threads."""

    def __init__(self) -> None:
        parts = (VERSION, *MARKERS, *_PAST, *_PAST_ARABIC, *_FUTURE, *_FUTURE_ARABIC, *_RELATIVE,
                 *_RELATIVE_ARABIC, _CLAUSE_END.pattern, _VERB_LAST.pattern)  # fmt: skip
        self._hash = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return VERSION

    @property
    def snapshot_hash(self) -> str:
        return self._hash

    def detect(self, item: Item) -> list[Signal]:
        if not isinstance(item, Post) or not item.text:
            return []
        cue = find_imminence(item.text)
        if cue is None:
            return []
        return [
            Signal(
                kind=SignalKind.IMMINENCE,
                score=1.0,
                label="time",
                detector=NAME,
                detector_version=VERSION,
                explanation=f"sets a near time: {cue}",
                evidence={"cue": cue},
            )
        ]
