"""Which group names that count without context are everyday words? A frequency audit.

Every name the matcher counts with no context (not ``ambiguous``), of one word once
normalised ("ISIS", "Hamas", "داعش"), is looked up in the word-frequency lists of the
``wordfreq`` package (for Latin-script names English and twelve other languages written in
Latin letters; Arabic, Urdu and Persian for the others; the highest) as written and as
normalised. Names at or above
``--min-zipf`` are printed, most frequent first: each is a name whose everyday sense, if it has
one, the hard negatives should test (``tests/data/groups/hard_negatives``). A Zipf value of 3 is
about once per million words. Names of several words are not looked up as phrases:
``wordfreq`` estimates a phrase from its words, which says nothing about the phrase. With
``--phrases`` they are listed for a reader instead: each name of several words counted without
context whose every word is at or above ``--min-zipf`` (its weakest word printed), since a
name made only of everyday words ("Defenders of the Faith", "Al Kawthar Company") may be an
everyday phrase or the name of many schools, trusts and shops. Roman Urdu words are not in the
lists; such names are read by eye.

The frequency lists are not a dependency of the product or the tests:

    make audit-names            # installs requirements-audit.txt (wordfreq, pinned), runs this
    .venv/bin/python bench/group_name_frequency.py [--min-zipf Z] [--phrases] [--json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from nigehban.groups.matcher import _is_arabic
from nigehban.groups.model import Alias, AliasType
from nigehban.groups.registry import Registry, load_registry
from nigehban.text.normaliser import Level, normalise_text

LATIN = ("en", "es", "fr", "de", "pt", "it", "nl", "tr", "id", "ms", "fil", "pl", "sv")
"""Languages written in Latin letters that wordfreq knows: a name that is an everyday word in
any of them is flagged in posts written in it."""
ARABIC_SCRIPT = ("ar", "ur", "fa")

Frequency = Callable[[str, str], float]
"""``(word, language) -> Zipf frequency`` (0 where unknown)."""


@dataclass(frozen=True, slots=True)
class Name:
    group: str
    text: str
    key: str
    """The name as the matcher reads it (normalised aggressively)."""


def unconditional_words(registry: Registry, *, several: bool = False) -> list[Name]:
    """The names counted with no context that normalise to one word (with ``several``: to
    several), the group's own name included where no alias reads the same."""
    out: dict[tuple[str, str], Name] = {}
    for group in registry.groups():
        aliases = list(group.aliases)
        own = normalise_text(group.name, Level.AGGRESSIVE)
        if not any(normalise_text(a.text, Level.AGGRESSIVE) == own for a in aliases):
            aliases.append(Alias(group.name, "en", AliasType.NAME))
        for alias in aliases:
            if not alias.match or alias.ambiguous:
                continue
            key = normalise_text(alias.text, Level.AGGRESSIVE)
            if key and (" " in key) == several:
                out.setdefault((group.id, key), Name(group.id, alias.text, key))
    return list(out.values())


def audit_phrases(
    names: list[Name], frequency: Frequency, min_zipf: float
) -> list[dict[str, object]]:
    """The names of several words whose every word is at or above ``min_zipf`` in some language
    of their script, with their weakest word, most frequent first."""
    rows: list[dict[str, object]] = []
    for name in names:
        languages = ARABIC_SCRIPT if _is_arabic(name.text) else LATIN
        weakest, low = "", float("inf")
        for word in name.key.split(" "):
            best = max(frequency(word, language) for language in languages)
            if best < low:
                weakest, low = word, best
        if low >= min_zipf:
            rows.append({"group": name.group, "name": name.text, "zipf": low, "weakest": weakest})
    rows.sort(key=lambda r: (-float(str(r["zipf"])), str(r["name"])))
    return rows


def audit(names: list[Name], frequency: Frequency, min_zipf: float) -> list[dict[str, object]]:
    """The names at or above ``min_zipf`` in some language of their script, most frequent
    first."""
    rows: list[dict[str, object]] = []
    for name in names:
        languages = ARABIC_SCRIPT if _is_arabic(name.text) else LATIN
        best, where = 0.0, ""
        for language in languages:
            # a name written in parts ("ب ك ك", read "بکک") is looked up as read only:
            # wordfreq would estimate it from its letters
            for form in (name.key,) if " " in name.text else (name.text, name.key):
                value = frequency(form, language)
                if value > best:
                    best, where = value, language
        if best >= min_zipf:
            rows.append({"group": name.group, "name": name.text, "zipf": best, "language": where})
    rows.sort(key=lambda r: (-float(str(r["zipf"])), str(r["name"])))
    return rows


def _wordfreq() -> Frequency:
    try:
        module = importlib.import_module("wordfreq")
    except ImportError:
        sys.exit("wordfreq is not installed: run `make audit-names` (requirements-audit.txt)")
    zipf: Frequency = module.zipf_frequency
    return zipf


def main(argv: list[str] | None = None, frequency: Frequency | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min-zipf", type=float, default=1.5, help="lowest Zipf printed")
    parser.add_argument(
        "--phrases", action="store_true", help="names of several words, every word this frequent"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    names = unconditional_words(load_registry(), several=args.phrases)
    lookup = frequency or _wordfreq()
    rows = (audit_phrases if args.phrases else audit)(names, lookup, args.min_zipf)
    kind = "several words" if args.phrases else "one word"
    report = {
        "machine": platform.processor() or platform.machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        f"names_of_{kind.replace(' ', '_')}": len(names),
        "min_zipf": args.min_zipf,
        "names": rows,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=1))
        return 0
    every = "every word " if args.phrases else ""
    print(f"{len(names)} names of {kind} counted without context; {every}Zipf >= {args.min_zipf}:")
    for row in rows:
        where = f"weakest {row['weakest']!r}" if args.phrases else f"{row['language']:<3}"
        print(f"  {row['zipf']:5.2f}  {where} {row['name']}  ({row['group']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
