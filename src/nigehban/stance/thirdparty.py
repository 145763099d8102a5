"""Third-party labelled corpora, read where they lie and mapped honestly onto the taxonomy.

Six public data sets help the stance model and the separate ``threat_any`` score: Urdu threats,
Urdu and Roman Urdu abuse, English hate speech, a Kaggle "extremism" set and tweets from pro-ISIS
accounts. None of them was labelled with Nigehban's question ("what does this post *do* with
terrorism?"), so a source label becomes stance ground truth only where its definition supports
it, and most do not: interpersonal threats train only ``threat_any``; abuse and hate that is not
terrorist is protected ``other``; labels that mix extremism with ordinary hate or with news
(``EXTREMIST``, "posted by a pro-ISIS account") give ``label=None`` and serve reports only. The
source's own label is kept, normalised, in ``tag``. ``docs/third-party-corpora.md`` gives the
reasons source by source.

The files stay outside the repository (several are unlicensed or carry usernames): callers pass
the folder, the ``corpora_dir`` setting. Each text goes through :func:`strip_identifiers`, the
source's user, account and post ids are never read into a :class:`ThirdPartyText`, and a row's
``id`` is only ``<source>:<file>:<line>``, the line of the file on which the row starts (a header
is line 1). Rows come back in file order, then row order, so ids and limits are deterministic.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from nigehban.errors import DependencyError, InputError, UsageError, ValidationError
from nigehban.model.taxonomy import Category, Language
from nigehban.privacy.masking import preview

ENCODING = "utf-8-sig"
"""Every file is UTF-8; ``utf-8-sig`` also drops a byte-order mark if an editor added one."""


@dataclass(frozen=True, slots=True)
class ThirdPartyText:
    """One row of a third-party corpus, identifiers stripped, mapped onto the taxonomy.

    ``label`` is ``"violating"``, ``"protected"`` or ``None`` (not stance ground truth: never
    train or score the stance model on it); ``threat_any`` is 1, 0 or ``None`` (unknown).
    """

    source: str
    id: str
    text: str
    lang: str
    label: str | None
    category: str | None
    threat_any: int | None
    tag: str


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What a corpus is, which files are read, its licence, and how its labels map."""

    name: str
    title: str
    files: tuple[str, ...]
    licence: str
    mapping: str
    use: str


class SourceRows(list[ThirdPartyText]):
    """The rows :func:`read_source` returns, plus the ids of rows skipped for an empty text."""

    __slots__ = ("skipped_ids",)

    def __init__(self, rows: Iterable[ThirdPartyText], skipped_ids: Iterable[str]) -> None:
        super().__init__(rows)
        self.skipped_ids: tuple[str, ...] = tuple(skipped_ids)

    @property
    def skipped(self) -> int:
        """How many rows were skipped because their text was empty after stripping."""
        return len(self.skipped_ids)


# ---------------------------------------------------------------------------------------------
# identifiers

_RT_PREFIX = re.compile(r"^\s*(?:RT\s+@\w+:?\s*)+")
# with a scheme (also Stormfront's tokenised "https : //") or starting "www."; \S+ takes the
# whole path, which is where user names and status ids sit. A retweet cut short ends in a
# bare "https:/…", which goes too.
_URL = re.compile(r"https?\s*:\s*//\S*|www\.\S+|https?:?/{0,2}…", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_LONG_ID = re.compile(r"\+?\d{9,}")
_HANDLE = re.compile(r"(?<!\w)@\w+")


def strip_identifiers(text: str) -> str:
    """``text`` with user names, handles and ids taken out; idempotent.

    In order: leading retweet prefixes (``RT @name:``, repeated) are removed; URLs, including
    one cut short (``https:/…``), become ``<url>`` (whole, domain too: paths carry user names
    and status ids, and a domain can be a person's own site or blog subdomain); e-mail
    addresses become ``<email>``; runs of nine or more digits (tweet and user ids, phone
    numbers) become ``<id>``; ``@handles`` (an ``@`` not preceded by a letter, digit or ``_``)
    become ``@user``. Surrounding white space is trimmed.
    """
    text = _RT_PREFIX.sub("", text)
    text = _URL.sub("<url>", text)
    text = _EMAIL.sub("<email>", text)
    text = _LONG_ID.sub("<id>", text)
    text = _HANDLE.sub("@user", text)
    return text.strip()


# ---------------------------------------------------------------------------------------------
# how each source is laid out and mapped


@dataclass(frozen=True, slots=True)
class _Target:
    """What one source label maps to; ``lang`` overrides the source's language."""

    tag: str
    label: str | None = None
    category: str | None = None
    threat_any: int | None = None
    lang: str | None = None


def _protected_other(tag: str) -> _Target:
    return _Target(tag, label="protected", category=Category.OTHER.value)


@dataclass(frozen=True, slots=True)
class _Layout:
    """The columns of a source's files; ``header`` is ``False`` for headerless TSV."""

    columns: tuple[str, ...]
    text: str
    label: str | None
    targets: Mapping[str, _Target]
    lang: Callable[[str], str]
    delimiter: str = ","
    header: bool = True


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z]")


def _fixed(lang: Language) -> Callable[[str], str]:
    def lang_of(_text: str) -> str:
        return lang.value

    return lang_of


def _latin_is_english(text: str) -> str:
    """``en`` where Latin letters outnumber Arabic-script ones, else ``und``.

    The pro-ISIS tweets are mostly English with some Arabic (not a Nigehban language); the
    counts ignore ``<url>`` and ``@user``, which the text holds after stripping.
    """
    bare = text.replace("<url>", "").replace("@user", "")
    latin = len(_LATIN.findall(bare))
    return Language.EN.value if latin > len(_ARABIC_SCRIPT.findall(bare)) else Language.UND.value


_LAYOUTS: Mapping[str, _Layout] = MappingProxyType(
    {
        "urdu_threat": _Layout(
            columns=("text", "threat", "target"),
            text="text",
            label="threat",
            targets={
                "1": _Target("threat", threat_any=1),
                "0": _Target("non_threat", threat_any=0),
            },
            lang=_fixed(Language.UR),
        ),
        "ruhsold": _Layout(
            columns=("text", "label"),
            text="text",
            label="label",
            targets={
                "0": _protected_other("abusive"),
                "1": _protected_other("normal"),
            },
            lang=_fixed(Language.UR_LATN),
            delimiter="\t",
            header=False,
        ),
        "urdu_abusive": _Layout(
            columns=("text", "abusive"),
            text="text",
            label="abusive",
            targets={
                "1": _protected_other("abusive"),
                "0": _protected_other("normal"),
            },
            lang=_fixed(Language.UR),
        ),
        "stormfront": _Layout(
            columns=(
                "file_id",
                "text",
                "label",
                "split",
                "user_id",
                "subforum_id",
                "num_contexts",
            ),
            text="text",
            label="label",
            targets={
                "hate": _protected_other("hate"),
                "noHate": _protected_other("noHate"),
                "relation": _protected_other("relation"),
                "idk/skip": _Target("idk_skip", lang=Language.UND.value),
            },
            lang=_fixed(Language.EN),
        ),
        "extremism_digital": _Layout(
            columns=("text", "label"),
            text="text",
            label="label",
            targets={
                "NON_EXTREMIST": _protected_other("non_extremist"),
                "EXTREMIST": _Target("extremist"),
            },
            lang=_fixed(Language.EN),
        ),
        "isis_twitter": _Layout(
            columns=("name", "username", "tweetid", "time", "tweets"),
            text="tweets",
            label=None,
            targets={"": _Target("pro_isis_account")},
            lang=_latin_is_english,
        ),
    }
)

SOURCES: Mapping[str, SourceInfo] = MappingProxyType(
    {
        "urdu_threat": SourceInfo(
            name="urdu_threat",
            title="Urdu Threatening Tweet Dataset (Amjad et al., IEEE Access 2021), training file",
            files=("train.csv",),
            licence="none stated; free to use with citation of Amjad et al. 2021",
            mapping=(
                "threat 1/0 sets threat_any 1/0; the threats are interpersonal, so the stance "
                "label stays None"
            ),
            use="trains threat_any",
        ),
        "ruhsold": SourceInfo(
            name="ruhsold",
            title="RUHSOLD Roman Urdu hate-speech and offensive language (EMNLP 2020), task 1",
            files=("task_1_train.tsv", "task_1_validation.tsv"),
            licence="MIT",
            mapping=(
                "coarse label 0 (abusive/offensive) and 1 (normal) are both protected other; "
                "threat_any unknown"
            ),
            use="protected other",
        ),
        "urdu_abusive": SourceInfo(
            name="urdu_abusive",
            title="Urdu Abusive Dataset of YouTube comments (Akhter et al., IEEE Access 2020)",
            files=("comments.csv",),
            licence="none; README: free to use without permission, cite the article",
            mapping=(
                "abusive 1 and 0 are both protected other (abuse that is not terrorist); "
                "threat_any unknown"
            ),
            use="protected other",
        ),
        "stormfront": SourceInfo(
            name="stormfront",
            title="Stormfront hate-speech sentences (de Gibert et al., ALW2 2018)",
            files=("sentences.csv",),
            licence="CC BY-SA 3.0 Spain",
            mapping=(
                "hate, noHate and relation are protected other (hate speech, not terrorism); "
                "idk/skip, mostly non-English, gets label None and lang und"
            ),
            use="protected other",
        ),
        "extremism_digital": SourceInfo(
            name="extremism_digital",
            title="Digital Extremism Detection curated dataset (Kaggle challenge), 80% subset",
            files=("posts.csv",),
            licence="CC BY 4.0 (Hugging Face card)",
            mapping=(
                "NON_EXTREMIST is protected other; EXTREMIST, which mixes insults and hate with "
                "support for extremism, gets label None"
            ),
            use="protected other (non_extremist); reporting only (extremist)",
        ),
        "isis_twitter": SourceInfo(
            name="isis_twitter",
            title='"How ISIS Uses Twitter" (Fifth Tribe / Kaggle), two thirds of the accounts',
            files=("tweets.csv",),
            licence="CC0 (Fifth Tribe upstream, per its Kaggle page)",
            mapping=(
                "every row gets label None: the label is the posting account's, and the tweets "
                "mix propaganda with news, quotes and chatter"
            ),
            use="reporting only (share flagged)",
        ),
    }
)


# ---------------------------------------------------------------------------------------------
# reading


def _info(name: str) -> SourceInfo:
    info = SOURCES.get(name)
    if info is None:
        known = ", ".join(SOURCES)
        raise UsageError(f"unknown third-party corpus {preview(name)}; known: {known}")
    return info


def _existing(root: Path, name: str, file: str) -> Path:
    folder = root / name
    if not folder.is_dir():
        raise DependencyError(
            f"third-party corpus {name}: folder {folder} not found "
            "(set corpora_dir to the folder that holds the corpora)"
        )
    path = folder / file
    if not path.is_file():
        raise DependencyError(f"third-party corpus {name}: file {path} not found")
    return path


def _next(reader: Iterator[list[str]], where: str, line: int) -> list[str] | None:
    """The next record, ``None`` at the end; bad CSV or bad UTF-8 names the line."""
    try:
        return next(reader, None)
    except csv.Error as exc:
        raise InputError(f"{where}:{line}", f"not valid CSV: {exc}") from exc
    except UnicodeDecodeError as exc:
        # decoding runs a block ahead of the parser, so the bad byte is here or a little later
        raise InputError(
            f"{where}:{line}", f"not valid UTF-8 at or after this line ({exc.reason})"
        ) from exc


_Records = Generator[tuple[int, list[str]], None, None]


def _records(path: Path, where: str, layout: _Layout) -> _Records:
    """``(line, fields)`` for each record of ``path``, after the header when there is one."""
    with path.open(encoding=ENCODING, newline="") as stream:
        reader = csv.reader(
            stream,
            delimiter=layout.delimiter,
            quoting=csv.QUOTE_MINIMAL if layout.header else csv.QUOTE_NONE,
            strict=True,
        )
        if layout.header:
            header = [column.strip() for column in _next(reader, where, 1) or []]
            if tuple(header) != layout.columns:
                raise InputError(
                    f"{where}:1",
                    f"header is {preview(','.join(header))}, expected {','.join(layout.columns)}",
                )
        while True:
            line = reader.line_num + 1
            fields = _next(reader, where, line)
            if fields is None:
                return
            yield line, fields


def _row(name: str, file: str, line: int, fields: list[str], layout: _Layout) -> ThirdPartyText:
    where = f"{name}/{file}:{line}"
    if len(fields) != len(layout.columns):
        shown = preview(layout.delimiter.join(fields))
        raise InputError(
            where,
            f"expected {len(layout.columns)} fields ({', '.join(layout.columns)}), "
            f"found {len(fields)}: {shown}",
        )
    values = dict(zip(layout.columns, fields, strict=True))
    key = "" if layout.label is None else values[layout.label].strip()
    target = layout.targets.get(key)
    if target is None:
        field = layout.label or ""
        allowed = ", ".join(layout.targets)
        raise ValidationError(where, field, f"{preview(values[field])} is not one of {allowed}")
    text = strip_identifiers(values[layout.text])
    return ThirdPartyText(
        source=name,
        id=f"{name}:{file}:{line}",
        text=text,
        lang=target.lang or layout.lang(text),
        label=target.label,
        category=target.category,
        threat_any=target.threat_any,
        tag=target.tag,
    )


def read_source(name: str, root: Path, *, limit: int | None = None) -> SourceRows:
    """The rows of corpus ``name`` under ``root``, mapped and stripped, in file and row order.

    ``limit`` caps the rows returned (skipped rows do not count). A missing folder or file is
    a :class:`DependencyError`; a row with the wrong number of fields or an unknown label is an
    :class:`InputError` naming ``<source>/<file>:<line>`` and the field; a row whose text is
    empty after :func:`strip_identifiers`, or a blank line, is skipped and counted.
    """
    info = _info(name)
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be 0 or more, not {limit}")
    layout = _LAYOUTS[name]
    paths = [(file, _existing(root, name, file)) for file in info.files]
    rows: list[ThirdPartyText] = []
    skipped: list[str] = []
    for file, path in paths:
        if limit is not None and len(rows) >= limit:
            break
        with closing(_records(path, f"{name}/{file}", layout)) as records:
            for line, fields in records:
                if not any(field.strip() for field in fields):
                    skipped.append(f"{name}:{file}:{line}")
                    continue
                row = _row(name, file, line, fields, layout)
                if not row.text:
                    skipped.append(row.id)
                    continue
                rows.append(row)
                if limit is not None and len(rows) >= limit:
                    break
    return SourceRows(rows, skipped)


def available_sources(root: Path) -> dict[str, bool]:
    """For each known corpus, whether its folder and every file it reads exist under ``root``."""
    return {
        name: all((root / name / file).is_file() for file in info.files)
        for name, info in SOURCES.items()
    }


def source_checksums(root: Path, names: Iterable[str]) -> dict[str, str]:
    """SHA-256 (hex) of each file read for ``names``, keyed ``<source>/<file>``.

    Recorded with a training run or report so that a changed file, and so changed ids, shows.
    """
    sums: dict[str, str] = {}
    for name in names:
        for file in _info(name).files:
            digest = hashlib.sha256()
            with _existing(root, name, file).open("rb") as stream:
                for block in iter(lambda: stream.read(1 << 20), b""):
                    digest.update(block)
            sums[f"{name}/{file}"] = digest.hexdigest()
    return sums
