"""The project's stance corpus: labelled posts written from scenarios, split by event.

Layout of ``corpus/stance`` (see ``docs/annotation.md``):

* ``events.jsonl`` and ``blind-events.jsonl``: the events posts were written about;
* ``train/<lang>.jsonl``: the corpus, one post a line; ``train/<lang>-supplement.jsonl`` and
  ``train/<lang>-supplement-<n>.jsonl``: posts added after the split was fixed, about train
  events only (checked);
* each post: ``id``, ``lang``, ``event``, ``scenario``, ``speaker``, ``text``, ``label``,
  ``category``, ``secondary``, ``threat_any``, ``pair``;
* ``blind/<lang>.jsonl``: the blind test set, same shape, from its own events;
* ``split.json``: the split manifest. Whole events go to ``test``, so no event, scenario or
  template family straddles the split; it records each file's SHA-256, and its own hash is
  recorded in the model card and in every model trained on it.

Every malformed line is an :class:`~nigehban.errors.InputError` naming ``file:line`` and the
field, with a truncated value.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nigehban.errors import InputError
from nigehban.model.taxonomy import VIOLATING, Category
from nigehban.privacy.masking import preview

LANGUAGES = ("en", "ur", "ur-Latn", "ps")
SPLIT_SCHEMA = 1
_CATEGORIES = frozenset(c.value for c in Category)


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    lang: str
    text: str
    label: str
    category: str
    secondary: str | None
    threat_any: int
    event: str
    scenario: str
    pair: str | None
    source: str = "project"

    @property
    def violating(self) -> bool:
        return self.label == "violating"


def _field(row: dict[str, Any], name: str, where: str, *, optional: bool = False) -> Any:
    if name not in row or row[name] is None:
        if optional:
            return None
        raise InputError(str(where), f"missing field {name!r}")
    return row[name]


def parse_post(row: dict[str, Any], where: str) -> Post:
    text = _field(row, "text", where)
    if not isinstance(text, str) or not text.strip():
        raise InputError(str(where), "'text' must be a non-empty string")
    lang = _field(row, "lang", where)
    if lang not in LANGUAGES:
        raise InputError(str(where), f"lang {preview(str(lang))} is not one of {LANGUAGES}")
    category = _field(row, "category", where)
    if category not in _CATEGORIES:
        raise InputError(str(where), f"category {preview(str(category))} is not in the taxonomy")
    label = _field(row, "label", where)
    expected = "violating" if Category(category) in VIOLATING else "protected"
    if label != expected:
        raise InputError(
            str(where),
            f"label {preview(str(label))} disagrees with category {category!r} "
            f"(expected {expected!r})",
        )
    secondary = _field(row, "secondary", where, optional=True)
    if secondary is not None and secondary not in _CATEGORIES:
        raise InputError(str(where), f"secondary {preview(str(secondary))} is not in the taxonomy")
    threat = _field(row, "threat_any", where)
    if threat not in (0, 1):
        raise InputError(str(where), f"threat_any {preview(str(threat))} must be 0 or 1")
    return Post(
        id=str(_field(row, "id", where)),
        lang=lang,
        text=text,
        label=label,
        category=category,
        secondary=secondary,
        threat_any=int(threat),
        event=str(_field(row, "event", where)),
        scenario=str(_field(row, "scenario", where)),
        pair=_field(row, "pair", where, optional=True),
    )


def read_objects(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """The JSON objects of a JSON-lines file, each with its ``file:line``; blank lines skipped,
    anything else an :class:`InputError` naming the line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    try:
        lines = data.decode("utf-8").splitlines()
    except UnicodeDecodeError as exc:
        at = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path.name}:{at}", f"not UTF-8 text (byte {exc.start})") from None
    out = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            row = json.loads(line)
        except ValueError as exc:
            raise InputError(where, f"not JSON: {preview(line)} ({exc})") from None
        if not isinstance(row, dict):
            raise InputError(where, f"expected an object, got {preview(line)}")
        out.append((where, row))
    return out


def read_posts(path: Path) -> list[Post]:
    """Every post of a corpus file, validated."""
    posts: list[Post] = []
    seen: set[str] = set()
    for where, row in read_objects(path):
        post = parse_post(row, where)
        if post.id in seen:
            raise InputError(str(where), f"duplicate id {preview(post.id)}")
        seen.add(post.id)
        posts.append(post)
    return posts


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True, slots=True)
class SplitManifest:
    """Which events are held out for the test split, and the files the split was made on."""

    test_events: frozenset[str]
    files: dict[str, str]
    digest: str

    @classmethod
    def load(cls, path: Path) -> SplitManifest:
        try:
            raw = path.read_bytes()
            data = json.loads(raw)
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"cannot read the split manifest: {exc}") from None
        if data.get("schema_version") != SPLIT_SCHEMA:
            raise InputError(
                str(path),
                f"schema_version {preview(str(data.get('schema_version')))} is not {SPLIT_SCHEMA}",
            )
        return cls(
            frozenset(data["test_events"]),
            dict(data.get("files", {})),
            hashlib.sha256(raw).hexdigest(),
        )

    def split_of(self, post: Post) -> str:
        return "test" if post.event in self.test_events else "train"


@dataclass(frozen=True, slots=True)
class Corpus:
    train: list[Post]
    test: list[Post]
    manifest: SplitManifest
    files: dict[str, str]


_NUMBERED = re.compile(r"(?P<lang>.+)-supplement-(?P<n>[1-9][0-9]*)\.jsonl")


def corpus_files(root: Path, part: str = "train") -> list[Path]:
    """``<lang>.jsonl`` per language, then ``<lang>-supplement.jsonl`` and
    ``<lang>-supplement-<n>.jsonl`` in the order of ``n`` (posts added later, about train
    events only). Any other ``.jsonl`` file in the directory is refused, by name: a file the
    corpus silently left out would train a different model than its author meant."""
    directory = root / part
    names = [f"{lang}.jsonl" for lang in LANGUAGES]
    if part == "train":
        numbers = sorted(
            {
                int(match["n"])
                for path in directory.glob("*-supplement-*.jsonl")
                if (match := _NUMBERED.fullmatch(path.name)) and match["lang"] in LANGUAGES
            }
        )
        names += [f"{lang}-supplement.jsonl" for lang in LANGUAGES]
        names += [f"{lang}-supplement-{n}.jsonl" for n in numbers for lang in LANGUAGES]
    files = [directory / name for name in names if (directory / name).is_file()]
    stray = sorted(set(path.name for path in directory.glob("*.jsonl")) - set(names))
    if stray:
        raise InputError(
            str(directory),
            f"{len(stray)} file(s) the corpus does not read, e.g. {preview(stray[0])}: "
            f"expected <lang>.jsonl{' or <lang>-supplement[-<n>].jsonl' if part == 'train' else ''}"
            f" with <lang> one of {', '.join(LANGUAGES)}",
        )
    return files


def load_corpus(root: Path) -> Corpus:
    """The corpus under ``root`` (``corpus/stance``), split by its manifest."""
    manifest = SplitManifest.load(root / "split.json")
    files = corpus_files(root)
    if not files:
        raise InputError(f"{root}/train", "no <lang>.jsonl corpus files")
    posts = []
    seen: dict[str, Path] = {}
    for path in files:
        read = read_posts(path)
        for post in read:
            other = seen.setdefault(post.id, path)
            if other is not path:
                raise InputError(str(path), f"id {preview(post.id)} is also used in {other.name}")
        if "-supplement" in path.stem:
            held = sorted({p.event for p in read if p.event in manifest.test_events})
            if held:
                raise InputError(
                    str(path), f"a supplement must not hold test events, found {', '.join(held)}"
                )
        posts += read
    return Corpus(
        train=[p for p in posts if manifest.split_of(p) == "train"],
        test=[p for p in posts if manifest.split_of(p) == "test"],
        manifest=manifest,
        files={f"train/{p.name}": sha256(p) for p in files},
    )


def load_blind(root: Path) -> list[Post]:
    files = corpus_files(root, "blind")
    if not files:
        raise InputError(f"{root}/blind", "no <lang>.jsonl blind-set files")
    return [post for path in files for post in read_posts(path)]


def write_manifest(root: Path, test_events: Iterable[str], note: str) -> Path:
    """Write ``split.json`` over the corpus files as they are now."""
    files = {f"train/{p.name}": sha256(p) for p in corpus_files(root)}
    files |= {f"blind/{p.name}": sha256(p) for p in corpus_files(root, "blind")}
    document = {
        "schema_version": SPLIT_SCHEMA,
        "unit": "event",
        "note": note,
        "test_events": sorted(set(test_events)),
        "files": files,
    }
    path = root / "split.json"
    path.write_text(json.dumps(document, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return path


def counts(posts: Sequence[Post]) -> dict[str, dict[str, int]]:
    """Posts per language and category."""
    out: dict[str, dict[str, int]] = {}
    for post in posts:
        out.setdefault(post.lang, {}).setdefault(post.category, 0)
        out[post.lang][post.category] += 1
    return out
