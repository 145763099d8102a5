"""Scan throughput: a full scan (every detector, a policy, decisions and cases) beside ingest alone.

Generates a deterministic JSONL file of ``--posts`` generic records in a temporary directory —
English, Urdu, Roman Urdu and Pashto, a little Arabic and French (on which the stance classifier
abstains); everyday chatter drawn from word lists, statements from the labelled stance corpus
(news, counter-speech, propaganda …), posts naming designated groups; some with an image (a
local file generated with Pillow, or a platform SHA-256 digest only), some pure shares and
replies — and a bank of known content (PDQ hashes of some of the images, some of the digests,
some statements), then measures in one run, on the same file:

* **ingest** — ``Ingestor.ingest_paths`` into a fresh, migrated SQLite store (what
  ``nigehban ingest`` does): the floor, since a scan ingests first;
* **scan** — ``Scanner.scan_paths`` with ``build_detectors(settings, BanksWorkflow(…))`` under
  the ``pk`` policy into another fresh store (what ``nigehban scan`` does), with the stance
  classifier's semantic tier as shipped (on), and again with ``stance_semantic = false``.

It checks that every post and account was decided, and every image (alone or with the post
that carries it), and prints the mix, posts/s of each, the ratio scan/ingest, where the scan's
time went (``ScanReport.seconds`` per stage: reading items back, each detector, the policy,
storing decisions; the rest is ingest itself), the share of texts the semantic tier saw, items
by action, the machine and the date. There is no floor.

    .venv/bin/python bench/scan.py [--posts 20000] [--semantic-posts N] [--fast-only] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

from nigehban.audit.digests import Digester
from nigehban.banks.model import Labels, SignalType
from nigehban.groups.registry import load_registry
from nigehban.hashing.media import hash_file
from nigehban.model.refs import ItemKind
from nigehban.model.taxonomy import Category
from nigehban.policy.loader import find_policy, load_policies
from nigehban.settings import Settings, load_settings
from nigehban.stance.classifier import Classification, Classifier
from nigehban.store.database import Database
from nigehban.store.store import Store
from nigehban.workflows.banks import BanksWorkflow
from nigehban.workflows.detectors import build_detectors
from nigehban.workflows.ingest import Ingestor
from nigehban.workflows.scan import Scanner, ScanRow

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groups import WORDS as CHATTER  # bench/groups.py: Pashto and Arabic word lists
from ingest import (  # bench/ingest.py: lengths, authors, platforms, word lists, machine
    AUDIT_KEY,
    EMOJI,
    ENGLISH_WORDS,
    HASHTAGS,
    ROMAN_URDU_WORDS,
    T0,
    TENANT,
    URDU_WORDS,
    draw_length,
    machine,
    make_authors,
)

DEFAULT_POSTS = 20_000
SEED = 20261129
AUTHORS = 3_000
POLICY = "pk"
BANK = "bench-known"
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "stance" / "train"

# The stated mix. Language of a post's text (shares carry none of their own):
LANGUAGES: tuple[tuple[str, float], ...] = (
    ("en", 0.35),
    ("ur", 0.30),
    ("ur-Latn", 0.18),
    ("ps", 0.14),
    ("other", 0.03),  # Arabic and French: the classifier abstains
)
CORPUS_SHARE = 0.17
"""Posts that are a statement from the labelled stance corpus (in the post's language)."""
GROUP_SHARE = 0.04
"""Chatter posts that name a designated group by one of its registry names."""
KNOWN_TEXT_SHARE = 0.005
"""Posts that repeat a statement held in the text bank."""
SHARE_SHARE = 0.06
REPLY_SHARE = 0.05
MEDIA_SHARE = 0.10
"""Posts (not shares) with one image; half a local file, half a platform digest only."""
IMAGES = 24
DIGESTS = 200
BANKED_DIGESTS = 10
BANKED_TEXTS = 6

# fmt: off
FRENCH: tuple[str, ...] = (
    "la", "police", "a", "dit", "mardi", "que", "circulation", "était", "lente", "après", "les",
    "fortes", "pluies", "et", "écoles", "resteront", "fermées", "pendant", "familles",
    "attendent", "des", "nouvelles", "du", "match", "ce", "soir", "marché", "prix", "ville",
)
# fmt: on
WORD_LISTS: dict[str, Sequence[str]] = {
    "en": ENGLISH_WORDS,
    "ur": URDU_WORDS,
    "ur-Latn": ROMAN_URDU_WORDS,
    "ps": CHATTER["ps"],
    "ar": CHATTER["ar"],
    "fr": FRENCH,
}


# -- the data set -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Statement:
    text: str
    label: str
    category: str


@dataclass(slots=True)
class DataSet:
    path: Path
    posts: int
    media: int
    authors: int
    bytes: int
    mix: Counter[str] = field(default_factory=Counter)
    images: list[Path] = field(default_factory=list)
    banked_images: list[Path] = field(default_factory=list)
    banked_file_digest: Path | None = None
    banked_digests: list[str] = field(default_factory=list)
    banked_texts: list[Statement] = field(default_factory=list)


def corpus(langs: Sequence[str]) -> dict[str, list[Statement]]:
    """The labelled statements of each language (training split and its supplement)."""
    out: dict[str, list[Statement]] = {}
    for lang in langs:
        rows: list[Statement] = []
        for path in (CORPUS / f"{lang}.jsonl", CORPUS / f"{lang}-supplement.jsonl"):
            if path.is_file():
                for line in path.read_text(encoding="utf-8").splitlines():
                    if line.strip():
                        r = json.loads(line)
                        rows.append(Statement(r["text"], r["label"], r["category"]))
        if not rows:
            raise SystemExit(f"no corpus statements for {lang} under {CORPUS}")
        out[lang] = rows
    return out


def group_names() -> list[str]:
    registry = load_registry()
    return sorted(
        {a.text for g in registry.groups() if g.origin == "curated" for a in g.aliases if a.match}
        | {g.name for g in registry.groups() if g.origin == "curated"}
    )


def chatter(rng: random.Random, lang: str, length: int) -> str:
    words = WORD_LISTS[lang]
    parts: list[str] = []
    size = -1
    while size < length:
        r = rng.random()
        if r < 0.02:
            word = rng.choice(HASHTAGS)
        elif r < 0.04:
            word = rng.choice(EMOJI)
        else:
            word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:length].rstrip() or parts[0]


def make_images(directory: Path, rng: random.Random) -> list[Path]:
    """``IMAGES`` small images with structure enough for a good PDQ quality; the last two are
    the first one rotated and the second one shrunk and re-encoded (near duplicates)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for n in range(IMAGES - 2):
        image = Image.new("RGB", (256, 256), tuple(rng.randrange(256) for _ in range(3)))
        draw = ImageDraw.Draw(image)
        for _ in range(24):
            x0, y0 = rng.randrange(224), rng.randrange(224)
            box = (x0, y0, x0 + rng.randrange(16, 128), y0 + rng.randrange(16, 128))
            colour = tuple(rng.randrange(256) for _ in range(3))
            if rng.random() < 0.5:
                draw.rectangle(box, fill=colour)
            else:
                draw.ellipse(box, fill=colour)
        path = directory / (f"img{n:02d}.jpg" if n % 2 == 0 else f"img{n:02d}.png")
        if path.suffix == ".jpg":
            image.save(path, quality=90)
        else:
            image.save(path)
        paths.append(path)
    with Image.open(paths[0]) as first:
        first.rotate(90).save(directory / "img-rotated.jpg", quality=90)
    with Image.open(paths[1]) as second:
        second.convert("RGB").resize((200, 200)).save(directory / "img-small.jpg", quality=60)
    return [*paths, directory / "img-rotated.jpg", directory / "img-small.jpg"]


def generate(root: Path, posts: int, seed: int = SEED) -> DataSet:
    """Write ``posts`` generic records (and the images they name) under ``root``.

    Deterministic for a seed, and record ``n`` does not depend on ``posts``: the first ``k``
    lines of a larger data set are the data set of ``k`` posts."""
    rng = random.Random(seed)
    images = make_images(root / "media", random.Random(seed + 1))
    digest_rng = random.Random(seed + 2)
    digests = [f"{digest_rng.getrandbits(256):064x}" for _ in range(DIGESTS)]
    supported = [lang for lang, _ in LANGUAGES if lang != "other"]
    statements = corpus(supported)
    violating = sorted(
        (s for lang in supported for s in statements[lang] if s.label == "violating"),
        key=lambda s: s.text,
    )
    banked_texts = random.Random(seed + 3).sample(violating, BANKED_TEXTS)
    names = group_names()
    pool = make_authors(random.Random(seed + 4), AUTHORS)
    langs = [lang for lang, _ in LANGUAGES]
    weights = [w for _, w in LANGUAGES]
    mix: Counter[str] = Counter()
    recent: dict[str, list[str]] = {}
    counters: Counter[str] = Counter()
    media_count = 0
    used: set[int] = set()
    path = root / "posts.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(posts):
            a = rng.randrange(len(pool))
            used.add(a)
            plat, surface, author = pool[a]
            counters[plat] += 1
            seq = counters[plat]
            if plat == "telegram":
                post_id = f"-100{1_000_000_000 + a}/{seq}"
            elif plat == "whatsapp":
                post_id = f"1055500{a:05d}/wamid.SCAN{seq:08d}"
            else:
                post_id = str(1_900_000_000_000_000_000 + n)
            record: dict[str, Any] = {
                "platform": plat,
                "id": post_id,
                "surface": surface,
                "author": author,
                "created_at": (T0 + timedelta(seconds=7 * n)).isoformat().replace("+00:00", "Z"),
            }
            if surface in ("channel", "group"):
                record["container"] = post_id.split("/", 1)[0]
            earlier = recent.setdefault(plat, [])
            roll = rng.random()
            if earlier and roll < SHARE_SHARE:
                record["share_of"] = rng.choice(earlier)
                mix["share (no text of its own)"] += 1
            else:
                lang = rng.choices(langs, weights)[0]
                kind = rng.random()
                if lang == "other":
                    other = "ar" if rng.random() < 0.67 else "fr"
                    record["text"] = chatter(rng, other, draw_length(rng))
                    mix[f"text: {other} chatter (classifier abstains)"] += 1
                elif kind < KNOWN_TEXT_SHARE:
                    statement = rng.choice(banked_texts)
                    record["text"] = f"{statement.text} {rng.choice(HASHTAGS)}"
                    mix["text: a statement held in the text bank"] += 1
                elif kind < KNOWN_TEXT_SHARE + CORPUS_SHARE:
                    statement = rng.choice(statements[lang])
                    record["text"] = statement.text
                    mix[f"text: {lang} corpus statement ({statement.label})"] += 1
                else:
                    text = chatter(rng, lang, draw_length(rng))
                    if rng.random() < GROUP_SHARE / (1 - CORPUS_SHARE - KNOWN_TEXT_SHARE):
                        words = text.split(" ")
                        words.insert(rng.randrange(len(words) + 1), rng.choice(names))
                        text = " ".join(words)
                        mix[f"text: {lang} chatter naming a group"] += 1
                    else:
                        mix[f"text: {lang} chatter"] += 1
                    record["text"] = text
                if earlier and rng.random() < REPLY_SHARE:
                    record["reply_to"] = rng.choice(earlier)
                    mix["reply"] += 1
                if rng.random() < MEDIA_SHARE:
                    media_count += 1
                    medium: dict[str, Any] = {"id": f"m{n}", "kind": "image"}
                    if rng.random() < 0.5:
                        medium["path"] = str(rng.choice(images))
                        mix["image: local file"] += 1
                    else:
                        medium["sha256"] = rng.choice(digests)
                        mix["image: platform SHA-256 only"] += 1
                    record["media"] = [medium]
            earlier.append(post_id)
            if len(earlier) > 200:
                del earlier[:100]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return DataSet(
        path=path,
        posts=posts,
        media=media_count,
        authors=len(used),
        bytes=path.stat().st_size,
        mix=mix,
        images=images,
        banked_images=images[:3],  # PDQ; the rotated and shrunk copies match these too
        banked_file_digest=images[3],  # SHA-256 of the file
        banked_digests=random.Random(seed + 5).sample(digests, BANKED_DIGESTS),
        banked_texts=banked_texts,
    )


def prefix(data: DataSet, posts: int, path: Path) -> DataSet:
    """The first ``posts`` records of ``data`` (same images and bank)."""
    media = 0
    authors: set[str] = set()
    with data.path.open(encoding="utf-8") as src, path.open("w", encoding="utf-8") as dst:
        for _, line in zip(range(posts), src, strict=False):
            record = json.loads(line)
            media += len(record.get("media", []))
            authors.add(record["author"]["id"])  # an author posts on one platform
            dst.write(line)
    return DataSet(
        path=path,
        posts=posts,
        media=media,
        authors=len(authors),
        bytes=path.stat().st_size,
        mix=Counter(),
        images=data.images,
        banked_images=data.banked_images,
        banked_file_digest=data.banked_file_digest,
        banked_digests=data.banked_digests,
        banked_texts=data.banked_texts,
    )


# -- the measurements ---------------------------------------------------------------------------


class TallyingClassifier(Classifier):
    """The shipped classifier, counting which tier decided each text (or that it abstained)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tiers: Counter[str] = Counter()

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        results = super().classify(texts, langs)
        self.tiers.update("abstained" if r.abstained else r.tier for r in results)
        return results


def settings_for(data_dir: Path, semantic: bool) -> Settings:
    return load_settings(
        environ={},
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'nigehban.db'}",
        secret_key=AUDIT_KEY,
        default_tenant=TENANT,
        stance_semantic=semantic,
    )


def fresh_store(work: Path, semantic: bool) -> tuple[Settings, Store]:
    work.mkdir(parents=True)
    settings = settings_for(work, semantic)
    db = Database(settings.effective_database_url)
    db.upgrade()
    store = Store(db, Digester(settings.audit_key()))
    store.ensure_tenant(TENANT)
    return settings, store


@dataclass(slots=True)
class IngestRun:
    posts: int
    seconds: float
    cpu_seconds: float
    posts_per_s: float
    stored_posts: int
    errors: int


@dataclass(slots=True)
class ScanRun:
    variant: str
    posts: int
    media: int
    setup_seconds: float
    seconds: float
    cpu_seconds: float
    posts_per_s: float
    items_per_s: float
    ratio_to_ingest: float
    stages: dict[str, float]
    decisions: int
    """Decisions made (an account met again in a later batch is decided once, then found)."""
    decided: dict[str, int]
    """Distinct items decided, by kind."""
    expected: dict[str, int]
    media_with_post: int
    """Media items decided with the post that carries them (not on their own)."""
    not_decided: dict[str, int]
    by_action: dict[str, int]
    by_category: dict[str, int]
    by_language: dict[str, int]
    abstentions: int
    cases_opened: int
    notify_authorities: int
    absent_detectors: dict[str, str]
    tiers: dict[str, int]
    semantic_share: float
    classifier: str
    errors: int

    @property
    def ok(self) -> bool:
        d, e = self.decided, self.expected
        return (
            d.get("post", 0) == e["post"]
            and d.get("account", 0) == e["account"]
            and d.get("media", 0) + self.media_with_post == e["media"]
            and self.errors == 0
        )


def measure_ingest(data: DataSet, work: Path) -> IngestRun:
    settings, store = fresh_store(work, semantic=False)
    try:
        ingestor = Ingestor(store, settings)
        start, cpu = time.perf_counter(), time.process_time()
        report = ingestor.ingest_paths([data.path])
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
        with store.reading(TENANT) as s:
            stored = s.items.count(ItemKind.POST)
    finally:
        store.close()
    for source, problem in report.errors[:5]:
        print(f"  error: {source}: {problem}", file=sys.stderr)
    return IngestRun(
        data.posts, seconds, cpu_seconds, data.posts / seconds, stored, len(report.errors)
    )


def fill_bank(banks: BanksWorkflow, data: DataSet) -> int:
    """The bank of known content: PDQ of some images, a file's SHA-256, digests, statements."""
    banks.create(BANK, "bench", description="known content for the scan benchmark")
    labels = Labels(group="ttp", category=Category.PROPAGANDA, source="bench", added_by="bench")
    values: list[tuple[str | SignalType, str]] = []
    for path in data.banked_images:
        pdq = hash_file(path).pdq
        if pdq is not None:
            values.append((SignalType.PDQ, pdq))
    if data.banked_file_digest is not None:
        values.append((SignalType.SHA256, hash_file(data.banked_file_digest).sha256))
    values += [(SignalType.SHA256, d) for d in data.banked_digests]
    values += [(SignalType.TEXT, s.text) for s in data.banked_texts]
    return len(banks.add(BANK, values, "bench", labels=labels).added)


def measure_scan(
    data: DataSet, work: Path, semantic: bool, ingest_rate: float, log: bool
) -> ScanRun:
    settings, store = fresh_store(work, semantic)
    try:
        setup = time.perf_counter()
        banks = BanksWorkflow(
            store,
            TENANT,
            max_image_pixels=settings.max_image_pixels,
            min_quality=settings.hash_min_quality,
            max_media_bytes=settings.max_media_bytes,
        )
        entries = fill_bank(banks, data)
        classifier = TallyingClassifier.from_settings(settings)
        assert isinstance(classifier, TallyingClassifier)
        detectors = build_detectors(settings, banks, classifier)
        policy = find_policy(load_policies(settings.policy_dir), POLICY)
        decided: dict[str, tuple[str, str, str]] = {}  # key: kind, action, primary category

        def keep(row: ScanRow) -> None:
            d = row.verdict.decision
            category = d.categories[0].value if d.categories else "none"
            decided[row.ref.key] = (row.ref.kind.value, d.action.value, category)

        scanner = Scanner(
            store,
            settings,
            policy,
            detectors,
            tenant=TENANT,
            actor="bench",
            on_row=keep,
        )
        setup_seconds = time.perf_counter() - setup
        if log:
            print(
                f"  setup {setup_seconds:.1f} s: bank {BANK!r} with {entries} entries, "
                f"detectors {', '.join(detectors.present)}; {classifier.description}",
                flush=True,
            )
        start, cpu = time.perf_counter(), time.process_time()
        report = scanner.scan_paths([data.path])
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu
    finally:
        store.close()
    errors = report.ingest.errors + report.errors
    for source, problem in errors[:5]:
        print(f"  error: {source}: {problem}", file=sys.stderr)
    stages = {name: report.seconds.get(name, 0.0) for name in STAGES}
    stages[REST] = max(0.0, seconds - sum(stages.values()))
    classified = classifier.tiers["fast"] + classifier.tiers["fast+semantic"]
    doc = report.to_dict()
    return ScanRun(
        variant="semantic tier on (as shipped)" if semantic else "fast tier only",
        posts=data.posts,
        media=data.media,
        setup_seconds=setup_seconds,
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        posts_per_s=data.posts / seconds,
        items_per_s=len(decided) / seconds,
        ratio_to_ingest=data.posts / seconds / ingest_rate,
        stages=stages,
        decisions=report.decided - report.repeated,
        decided=_table(kind for kind, _, _ in decided.values()),
        expected={"account": data.authors, "media": data.media, "post": data.posts},
        media_with_post=report.not_decided.get(WITH_POST, 0),
        not_decided=doc["not_decided"],
        by_action=_table(action for _, action, _ in decided.values()),
        by_category=_table(category for _, _, category in decided.values()),
        by_language=doc["by_language"],
        abstentions=report.abstentions,
        cases_opened=report.cases_opened,
        notify_authorities=report.notify_authorities,
        absent_detectors=dict(report.absent_detectors),
        tiers=dict(sorted(classifier.tiers.items())),
        semantic_share=classifier.tiers["fast+semantic"] / classified if classified else 0.0,
        classifier=classifier.description,
        errors=len(errors),
    )


def _table(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


WITH_POST = "media decided with its post"
STAGES = ("read", "groups", "stance", "imminence", "banks", "policy", "store")
REST = "ingest and the rest"
STAGE_NOTES = {
    "read": "items read back from the store",
    "groups": "group detector",
    "stance": "stance classifier (language ID, fast tier, semantic tier)",
    "imminence": "near-time markers",
    "banks": "bank detector (text near-duplicates, digests, image files hashed)",
    "policy": "policy engine",
    "store": "decisions and cases written",
    REST: "parse, items and accounts stored, audit chain",
}


# -- the report ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    posts: int
    media: int
    authors: int
    file_bytes: int
    seed: int
    policy: str
    mix: dict[str, int]
    ingest: IngestRun
    scans: list[ScanRun]
    ok: bool
    machine: dict[str, Any]
    date: str


def print_scan(run: ScanRun) -> None:
    print(
        f"scan, {run.variant}: {run.posts:,} posts in {run.seconds:.1f} s wall, "
        f"{run.cpu_seconds:.1f} s CPU: "
        f"{run.posts_per_s:,.0f} posts/s; scan/ingest = {run.ratio_to_ingest:.3f} "
        f"({1 / run.ratio_to_ingest:.1f}x the time)"
    )
    print(
        "  decided (distinct items): "
        + ", ".join(f"{k} {v:,} of {run.expected.get(k, 0):,}" for k, v in run.decided.items())
        + f"; {run.decisions:,} decisions stored, {run.items_per_s:,.0f} items/s"
    )
    if run.not_decided:
        print(f"  not decided on their own: {run.not_decided}")
    print(f"  {'stage':<22} {'seconds':>8} {'share':>7}  what")
    for name, value in run.stages.items():
        share = value / run.seconds if run.seconds else 0.0
        print(f"  {name:<22} {value:>8.2f} {share:>7.1%}  {STAGE_NOTES[name]}")
    print(f"  {'total (wall)':<22} {run.seconds:>8.2f} {1:>7.1%}")
    print(
        f"  stance tiers {run.tiers} (semantic tier saw {run.semantic_share:.1%} of the texts "
        f"classified); abstentions {run.abstentions:,}; cases opened {run.cases_opened:,}; "
        f"to notify {run.notify_authorities}"
    )
    print(f"  items by action: {run.by_action}")
    print(f"  items by primary category: {run.by_category}")
    if run.absent_detectors:
        print(f"  detectors absent: {run.absent_detectors}")


def run(
    posts: int,
    seed: int,
    fast_only: bool,
    semantic_posts: int | None,
    log: bool = True,
) -> Result:
    def say(text: str) -> None:
        if log:
            print(text, flush=True)

    with tempfile.TemporaryDirectory(prefix="nigehban-bench-scan-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        data = generate(root, posts, seed)
        say(
            f"generated {data.posts:,} posts by {data.authors:,} authors "
            f"({data.media:,} with an image), "
            f"{data.bytes / 1e6:.1f} MB, {len(data.images)} image files, "
            f"in {time.perf_counter() - start:.1f} s; the mix:"
        )
        for name, count in sorted(data.mix.items()):
            say(f"  {name:<48} {count:>7,}  {count / posts:6.1%}")
        ingest = measure_ingest(data, root / "ingest")
        say(
            f"ingest alone: {ingest.posts_per_s:,.0f} posts/s ({ingest.seconds:.1f} s wall, "
            f"{ingest.cpu_seconds:.1f} s CPU); stored {ingest.stored_posts:,} posts, "
            f"{ingest.errors} errors"
        )
        scans = [measure_scan(data, root / "scan-fast", False, ingest.posts_per_s, log)]
        if log:
            print_scan(scans[-1])
        if not fast_only:
            subset = data
            if semantic_posts is not None and semantic_posts < posts:
                subset = prefix(data, semantic_posts, root / "posts-prefix.jsonl")
                say(f"semantic-tier scan on the first {semantic_posts:,} posts")
            scans.append(
                measure_scan(subset, root / "scan-semantic", True, ingest.posts_per_s, log)
            )
            if log:
                print_scan(scans[-1])
    return Result(
        posts=posts,
        media=data.media,
        authors=data.authors,
        file_bytes=data.bytes,
        seed=seed,
        policy=POLICY,
        mix=dict(sorted(data.mix.items())),
        ingest=ingest,
        scans=scans,
        ok=ingest.errors == 0 and all(s.ok for s in scans),
        machine=machine(),
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS, help="posts to generate")
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the generated data")
    parser.add_argument(
        "--fast-only", action="store_true", help="skip the scan with the semantic tier"
    )
    parser.add_argument(
        "--semantic-posts",
        type=int,
        help="scan only the first N posts with the semantic tier (default: all)",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON result line")
    args = parser.parse_args(argv)
    if args.posts < 1 or (args.semantic_posts is not None and args.semantic_posts < 1):
        parser.error("--posts and --semantic-posts must be at least 1")
    result = run(args.posts, args.seed, args.fast_only, args.semantic_posts)
    m = result.machine
    summary = "; ".join(
        f"{s.variant}: {s.posts_per_s:,.0f} posts/s = {s.ratio_to_ingest:.3f} of ingest"
        for s in result.scans
    )
    print(f"ingest {result.ingest.posts_per_s:,.0f} posts/s; {summary}")
    print(
        f"machine: {m['cpu_model'] or m['processor']}, {m['cpus']} CPUs, {m['system']}, "
        f"{m['implementation']} {m['python']}; date {result.date}"
    )
    if not result.ok:
        print("FAILED: a post, image or account was not decided, or a payload failed")
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, sort_keys=True))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
