"""The keyword baseline the model card compares against: flag any text that names a
designated group or uses a violent word, in any of the four languages.

It is what many platforms' first filters do, and what a stance classifier must beat: on a
set where news and condemnation name the same groups and use the same words as propaganda,
it flags most protected posts. If it scores above 0.6 macro-F1 on a set, the set is too easy.
"""

from __future__ import annotations

from collections.abc import Sequence

from nigehban.groups.matcher import GroupMatcher
from nigehban.stance.classifier import Classification
from nigehban.text.normaliser import Level, normalise_text

VIOLENT_WORDS = (
    "attack",
    "attacks",
    "attacked",
    "bomb",
    "bombs",
    "bombing",
    "blast",
    "blasts",
    "explosion",
    "kill",
    "killed",
    "killing",
    "kills",
    "martyr",
    "martyrs",
    "martyrdom",
    "shaheed",
    "shahid",
    "jihad",
    "mujahid",
    "mujahideen",
    "fidayeen",
    "suicide",
    "terrorist",
    "terrorists",
    "militant",
    "militants",
    "gun",
    "guns",
    "rifle",
    "weapon",
    "weapons",
    "massacre",
    "slaughter",
    "behead",
    "revenge",
    "strike",
    "strikes",
    "war",
    "hamla",
    "hamlay",
    "hamle",
    "dhamaka",
    "dhamakay",
    "dhamake",
    "qatl",
    "maar",
    "maro",
    "marna",
    "shaheedon",
    "jang",
    "badla",
    "dehshatgard",
    "dehshatgardi",
    "khudkush",
    "fidai",
    "bandooq",
    "حملہ",
    "حملے",
    "حملوں",
    "دھماکہ",
    "دھماکے",
    "قتل",
    "شہید",
    "شہدا",
    "جہاد",
    "مجاہد",
    "مجاہدین",
    "فدائی",
    "خودکش",
    "دہشتگرد",
    "بدلہ",
    "جنگ",
    "بندوق",
    "اسلحہ",
    "برید",
    "بریدونه",
    "چاودنه",
    "چاودنې",
    "وژل",
    "وژنه",
    "شهید",
    "شهیدان",
    "جهاد",
    "مجاهد",
    "مجاهدین",
    "فدایي",
    "ځانمرګی",
    "ترهګر",
    "ترهګرو",
    "انتقام",
    "جګړه",
    "ټوپک",
    "وسله",
    "دہشت گرد",
)


class KeywordBaseline:
    """Same interface as :class:`~nigehban.stance.classifier.Classifier` for evaluation."""

    training_prior = 0.5
    threshold = 0.5
    snapshot_hash = "keyword-baseline"
    description = "keyword baseline: any group name or violent word"

    def __init__(self, matcher: GroupMatcher) -> None:
        self._matcher = matcher
        self._words = frozenset(
            w for w in (normalise_text(v, Level.AGGRESSIVE) for v in VIOLENT_WORDS) if w
        )

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        hints = list(langs) if langs is not None else [None] * len(texts)
        out = []
        for text, lang in zip(texts, hints, strict=True):
            groups = tuple(dict.fromkeys(h.entry_id for h in self._matcher.match(text)))
            words = normalise_text(text, Level.AGGRESSIVE).split()
            flagged = bool(groups) or not self._words.isdisjoint(words)
            out.append(
                Classification(
                    lang=lang or "und",
                    abstained=False,
                    reason="group named" if groups else "violent word" if flagged else "none",
                    label="violating" if flagged else "protected",
                    score=1.0 if flagged else 0.0,
                    probability=1.0 if flagged else 0.0,
                    category="glorification" if flagged else "other",
                    groups=groups,
                    tier="keywords",
                )
            )
        return out
