"""Group tags added to a share of the training posts, evenly across labels.

Supporters tag their posts with the group's name (``#TTP``, ``#MajeedBrigade``,
``#ٹی_ٹی_پی``); reporters, critics and moderators tag theirs too. A model trained only on the
posts as written learns who names groups rather than what a post says: in the corpus,
reporters and critics name the group ("TTP") far more often than supporters, who say
"mujahideen". Tagged that way, a supporter's post reads as news (the ``group_hashtag`` trick
of :mod:`nigehban.stance.perturb` measures it).

With ``nigehban train --group-tags`` (off in the shipped recipe: measured and not shipped,
see docs/model-card.md, Limitations) training rewrites one post in :data:`SHARE` of every
event about a group, chosen by a hash
of the post's id (never by its label, so violating and protected posts are tagged alike), with
a hashtag of the group its event is about, in the post's script, at the end or the start.
Deterministic: the same corpus gives the same texts. The held-out sets are never rewritten.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nigehban.errors import InputError
from nigehban.privacy.masking import preview
from nigehban.stance.corpus import Post

SHARE = 4
"""One post in ``SHARE`` of an event about a group is tagged."""

TAGS: dict[str, dict[str, tuple[str, ...]]] = {
    "ttp": {
        "latin": ("#TTP", "#TehreekeTaliban", "#TTP_Pakistan", "#UmarMedia"),
        "urdu": ("#ٹی_ٹی_پی", "#تحریک_طالبان_پاکستان", "#عمر_میڈیا"),
        "pashto": ("#ټي_ټي_پي", "#تحریک_طالبان_پاکستان", "#عمر_میډیا"),
    },
    "bla": {
        "latin": ("#BLA", "#MajeedBrigade", "#BalochLiberationArmy", "#Hakkal"),
        "urdu": ("#بی_ایل_اے", "#مجید_بریگیڈ", "#بلوچ_لبریشن_آرمی"),
        "pashto": ("#بي_ايل_اې", "#مجید_بریګیډ", "#بلوڅ_لبریشن_آرمي"),
    },
    "blf": {
        "latin": ("#BLF", "#BalochistanLiberationFront"),
        "urdu": ("#بی_ایل_ایف", "#بلوچستان_لبریشن_فرنٹ"),
        "pashto": ("#بي_ايل_اېف", "#بلوچستان_لبریشن_فرنټ"),
    },
    "iskp": {
        "latin": ("#ISKP", "#IslamicStateKhorasan", "#ISK"),
        "urdu": ("#داعش_خراسان", "#دولت_اسلامیہ_خراسان"),
        "pashto": ("#داعش_خراسان", "#اسلامي_دولت_خراسان"),
    },
    "lej": {
        "latin": ("#LeJ", "#LashkareJhangvi"),
        "urdu": ("#لشکر_جھنگوی",),
        "pashto": ("#لشکر_جهنګوي",),
    },
    "jua": {
        "latin": ("#JuA", "#JamaatulAhrar"),
        "urdu": ("#جماعت_الاحرار",),
        "pashto": ("#جماعت_الاحرار",),
    },
    "tjp": {
        "latin": ("#TJP", "#TehreekeJihadPakistan"),
        "urdu": ("#تحریک_جہاد_پاکستان",),
        "pashto": ("#تحریک_جهاد_پاکستان",),
    },
}

# The group an event is about, from its description: the first rule that matches.
_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bla", re.compile(r"\bBLA\b|Majeed Brigade|Baloch Liberation Army|Hakkal")),
    ("blf", re.compile(r"\bBLF\b")),
    ("iskp", re.compile(r"\bISKP\b|Islamic State")),
    ("lej", re.compile(r"\bLeJ\b|Lashkar-e-Jhangvi")),
    ("jua", re.compile(r"Jamaat-ul-Ahrar|Ahrar-ul-Hind")),
    ("tjp", re.compile(r"Tehreek-e-Jihad")),
    ("ttp", re.compile(r"\bTTP\b|Taliban")),
)
_SCRIPT = {"en": "latin", "ur-Latn": "latin", "ur": "urdu", "ps": "pashto"}


@dataclass(frozen=True, slots=True)
class Augmented:
    texts: list[str]
    tagged: int
    by_label: dict[str, int]


def event_group(event: str, description: str) -> str | None:
    """The group an event is about: named in its description; an attack or campaign event
    (``E…``, ``N…``) that names none is taken as the TTP's; a general theme (``G…``: sport,
    gaming, everyday speech, history, films, politics) has none."""
    for group, pattern in _RULES:
        if pattern.search(description):
            return group
    return None if event.startswith("G") else "ttp"


def read_event_groups(path: Path) -> dict[str, str | None]:
    """``event → group`` for every line of ``events.jsonl``."""
    if not path.is_file():
        raise InputError(str(path), "no events file (the events the corpus was written about)")
    groups: dict[str, str | None] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            event, description = str(row["event"]), str(row["description"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{path}:{n}", f"not an event line {preview(line)}: {exc}") from exc
        groups[event] = event_group(event, description)
    return groups


def _hash(text: str) -> int:
    return zlib.crc32(text.encode())


def tagged(post: Post, group: str) -> str:
    """The post's text with one of its group's tags, chosen by the post's id."""
    h = _hash(post.id)
    choices = TAGS[group][_SCRIPT[post.lang]]
    tag = choices[(h // SHARE) % len(choices)]
    return f"{tag} {post.text}" if (h // 64) % 3 == 0 else f"{post.text} {tag}"


def augment(posts: Sequence[Post], groups: dict[str, str | None]) -> Augmented:
    """The training texts, one post in :data:`SHARE` of each group's events tagged."""
    texts: list[str] = []
    by_label: dict[str, int] = {}
    for post in posts:
        group = groups.get(post.event)
        if group is None or _hash(post.id) % SHARE:
            texts.append(post.text)
            continue
        texts.append(tagged(post, group))
        by_label[post.label] = by_label.get(post.label, 0) + 1
    return Augmented(texts, sum(by_label.values()), dict(sorted(by_label.items())))
