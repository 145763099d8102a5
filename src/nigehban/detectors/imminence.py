"""The imminence detector: does a post set a near time for what it threatens?

"The lions will visit you tonight", "اگلے چند گھنٹوں میں", "aaj raat", "نن شپه": a threat with a
time in the next hours or days is what EU 2021/784 Art. 14(5) calls an *imminent* threat to
life, which the policy escalates to the authorities. A claim of responsibility that ends "our
operations will continue" sets no time. This detector emits one ``imminence`` signal (label
``time``, evidence: the marker as normalised) when the text carries such a marker in English,
Roman Urdu, Urdu or Pashto; it says nothing about stance, and the policy reads it only together
with a violating stance and a high threat score, so "today" in a news report changes nothing.

The markers are a fixed, reviewed list (``MARKERS``), matched on the lightly normalised text
(zero-width characters, tatweel and diacritics gone; Arabic letter forms folded to Urdu ones).
"""

from __future__ import annotations

import hashlib
import re

from nigehban.model.items import Item, Post
from nigehban.model.signals import Signal, SignalKind
from nigehban.text.folding import SHAPE
from nigehban.text.normaliser import Level, normalise_text

NAME = "imminence"
VERSION = "1"

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


def find_imminence(text: str) -> str | None:
    """The first near-time marker in ``text`` (normalised), or ``None``."""
    light = normalise_text(text, Level.LIGHT).translate(SHAPE)
    light = " ".join(light.split())
    found = [m for m in (_LATIN_RE.search(light), _ARABIC_RE.search(light)) if m is not None]
    if not found:
        return None
    first = min(found, key=lambda m: m.start())
    return first.group(0).lower()[:40]


class ImminenceDetector:
    """Stateless; safe to share between threads."""

    def __init__(self) -> None:
        self._hash = hashlib.sha256("\n".join((VERSION, *MARKERS)).encode("utf-8")).hexdigest()

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
