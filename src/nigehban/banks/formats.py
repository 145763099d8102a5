"""Bank content in and out: HMA / ThreatExchange CSV and JSON, Tech Against Terrorism JSON, CSV.

Each format reads into :class:`~nigehban.banks.model.Entry` values and writes them back, and
every format carries every label, so ``parse(f, export(f, entries))`` gives the same entries
(``id`` and the store's timestamps aside). Reading never stops at a bad record: each one becomes
a :class:`RecordError` naming its line (CSV, header is line 1) or its position (JSON, from 1)
and the bad value, and the rest are still read. Problems with the file as a whole (not UTF-8,
empty, not JSON, a missing column, more than ``max_records`` records) raise
:class:`~nigehban.errors.PayloadError` before any entry is returned. Storing the entries, in one
transaction so that a failed import changes no bank, is the caller's job.

The shapes, and where they come from (python-threatexchange 1.2.17, installed; HMA 2.0 as read
from the ThreatExchange repository, see ``shared/reference/anchors_hma.md``):

``hma-csv``
    The CSV that ``threatexchange dataset --print-signals --csv`` writes (pytx
    ``cli/dataset_cmd.py``): a header ``signal_type,signal_str,collab,category,tags``, signal
    types by their pytx names (``pdq``, ``video_md5``, ``vpdq``, ``raw_text``,
    ``video_sha256``), ``category`` the ThreatExchange opinion (``POSITIVE_CLASS``,
    ``NEGATIVE_CLASS``, ``INVESTIGATION_SEED``), ``tags`` separated by spaces. pytx has no
    reader for this file and its ``tx match`` prints plain lines, not CSV; its ``local_file``
    exchange reads ``<signal_type> <signal>`` lines, which are not this format either. Nigehban
    writes the five pytx columns first, in pytx's order, then
    ``group,taxonomy_category,added_by,note,enabled,extra``. On reading, ``collab`` is the
    entry's source; ``category`` and ``tags`` are kept in ``extra`` under those names; without
    a ``taxonomy_category`` column the first tag that names a taxonomy category sets the
    category; without an ``enabled`` column a ``NEGATIVE_CLASS`` signal (ThreatExchange's mark
    for false positives and test data) is read as disabled. Other columns go to ``extra``.

``hma-json``
    HMA's bank content. HMA's curation API (``/c/bank/<name>/content``,
    ``/c/bank/<name>/signal``) keys signals by pytx signal type name, ``{"pdq": "<hash>"}``, and
    keeps a note and a metadata object per content item; HMA has no bank export file, so the
    wrapper is Nigehban's: ``{"schema_version": 1, "content": [item, ...]}`` (a bare list of
    items is read too), each item ``{"signals": {type: value}, "enabled": bool, "note":
    str|null, "metadata": {"group", "category", "source", "added_by", "extra": {str: str}}}``.
    An item may be just HMA's add-signal body ``{"pdq": "<hash>"}``. An item with several
    signals gives one entry per signal, all or none. Unknown item and metadata keys go to
    ``extra`` (non-strings as JSON text). Nigehban writes one item per entry.

    In both HMA formats vPDQ values are written as pytx's ``VPDQSignal`` string (a JSON list of
    ``"pdq_hex,quality,timestamp"``), which has no frame numbers: read back, frames are
    numbered by position. The other formats keep the canonical form.

``tat-json``
    A page of Tech Against Terrorism's hash list (``GET api/hash-list/v2/all``, pytx
    ``exchanges/clients/techagainstterrorism/api.py``): ``{"count", "next", "previous",
    "checkpoint", "results": [record, ...]}`` (a bare list of records is read too), each record
    ``{"hash_digest", "algorithm", "ideology", "file_type", "deleted", "updated_on",
    "created_on", "id"}``. Unlike pytx's ``tat`` exchange, which keeps only PDQ and video MD5
    and drops the rest, every record and field is kept: SHA1/SHA256/SHA512 digests and MD5 of
    any file type are entries too; ``ideology``, ``file_type``, ``updated_on``, ``created_on``,
    ``id`` and any field TAT adds later go to ``extra`` (numbers and booleans as JSON text);
    ``deleted: true`` makes a disabled entry (and a disabled entry is written back as
    ``deleted: true``). The source label is ``"tat"``. Algorithms are TAT's names (``PDQ``,
    ``MD5``, ``SHA1``, ``SHA256``, ``SHA512``); ``TMK`` (TMK+PDQF) has no matcher here and each
    such record is an error. Labels TAT has no field for (group, category, a source other than
    ``"tat"``, added_by, note, other ``extra`` keys) are written in a ``"nigehban"`` object on
    the record, only when there are any; text and vPDQ entries are written with the algorithm
    names ``TEXT`` and ``VPDQ``, which only Nigehban reads. pytx's client reads only the JSON
    API and no CSV form of the list is known, so there is no ``tat-csv``.

``generic-csv``
    Nigehban's own CSV: ``signal_type,value,group,category,source,added_by,note,enabled,extra``
    with Nigehban's signal type names, a taxonomy category, ``enabled`` as ``true``/``false``
    and ``extra`` a JSON object of strings. Other columns go to ``extra``.

Every reader accepts any of the signal type spellings above (``PDQ``, ``photo_pdq``,
``video_md5``, ``SHA-256``, ``raw_text``, ...). CSV may start with a byte-order mark, use CRLF
line ends and quote fields holding commas, quotes or newlines; text is read and written as
UTF-8 and never altered beyond the entry's canonical form (Urdu and Pashto text stays as given).
An empty label is read as absent.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Any, Literal

import orjson

from nigehban import exactjson
from nigehban.banks.model import (
    MAX_LABEL_CHARS,
    Entry,
    Labels,
    SignalType,
    canonical_value,
    check_bank_name,
)
from nigehban.errors import PayloadError, UsageError, ValidationError
from nigehban.model.taxonomy import Category
from nigehban.privacy.masking import preview

DEFAULT_MAX_RECORDS = 1_000_000
"""The most records one import reads; larger files are refused, not cut."""

HMA_JSON_SCHEMA_VERSION = 1


class Format(StrEnum):
    HMA_CSV = "hma-csv"
    HMA_JSON = "hma-json"
    TAT_JSON = "tat-json"
    GENERIC_CSV = "generic-csv"


@dataclass(frozen=True, slots=True)
class RecordError:
    """One record that could not be read: ``line 4: field algorithm: 'tmk2' is not ...``."""

    line_or_index: int
    """The CSV line the record starts on (the header is line 1), or the JSON record's position
    counted from 1."""
    problem: str
    unit: Literal["line", "record"] = "line"

    def __str__(self) -> str:
        return f"{self.unit} {self.line_or_index}: {self.problem}"


@dataclass(frozen=True, slots=True)
class ImportResult:
    entries: list[Entry]
    errors: list[RecordError]


class _BadRecordError(Exception):
    """One record is wrong; ``problem`` is the message for its :class:`RecordError`."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _bad(field: str, problem: str) -> _BadRecordError:
    return _BadRecordError(f"field {field}: {problem}")


# Signal type names ------------------------------------------------------------------------

_ST = SignalType
_ALIASES: dict[str, SignalType] = {
    "pdq": _ST.PDQ,
    "photopdq": _ST.PDQ,
    "vpdq": _ST.VPDQ,
    "videovpdq": _ST.VPDQ,
    "md5": _ST.MD5,
    "videomd5": _ST.MD5,
    "photomd5": _ST.MD5,
    "sha1": _ST.SHA1,
    "sha256": _ST.SHA256,
    "videosha256": _ST.SHA256,
    "sha512": _ST.SHA512,
    "text": _ST.TEXT,
    "rawtext": _ST.TEXT,
}
_PYTX_NAMES: dict[SignalType, str] = {
    _ST.PDQ: "pdq",
    _ST.VPDQ: "vpdq",
    _ST.MD5: "video_md5",
    _ST.SHA1: "sha1",
    _ST.SHA256: "video_sha256",
    _ST.SHA512: "sha512",
    _ST.TEXT: "raw_text",
}
_TAT_NAMES: dict[SignalType, str] = {t: t.value.upper() for t in SignalType}
_OWN_NAMES: dict[SignalType, str] = {t: t.value for t in SignalType}
_PYTX_KNOWN = ", ".join(_PYTX_NAMES.values())
_TAT_KNOWN = "PDQ, MD5, SHA1, SHA256, SHA512"
_OWN_KNOWN = ", ".join(_OWN_NAMES.values())


def _signal_type(name: object, field: str, known: str) -> SignalType:
    if name is None or name == "":
        raise _bad(field, "missing")
    key = name.strip().lower().replace("-", "").replace("_", "") if isinstance(name, str) else ""
    if key in _ALIASES:
        return _ALIASES[key]
    if key in ("tmk", "tmkpdqf"):
        raise _bad(
            field,
            f"{preview(name)} is not a supported algorithm "
            "(TMK+PDQF video hashes cannot be matched; use vPDQ or MD5)",
        )
    raise _bad(field, f"{preview(name)} is not a known algorithm ({known})")


def _value(signal_type: SignalType, value: object, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise _bad(field, "missing" if value in (None, "") else f"{preview(value)} is not text")
    try:
        return canonical_value(signal_type, value)
    except ValidationError as error:
        where = "" if error.field == "value" else f"{error.field}: "
        raise _bad(field, where + error.detail) from None


def _pytx_value(entry: Entry) -> str:
    """The value as pytx writes it: vPDQ as ``VPDQSignal``'s JSON list of
    ``"pdq_hex,quality,timestamp"`` (frame numbers are then positions), the rest as stored."""
    if entry.signal_type is not SignalType.VPDQ:
        return entry.value
    from nigehban.hashing.video import TIMESTAMP_DECIMALS, parse_vpdq

    frames = parse_vpdq(entry.value)
    return json.dumps(
        [f"{f.pdq_hex},{f.quality},{f.timestamp:.{TIMESTAMP_DECIMALS}f}" for f in frames]
    )


# Labels -----------------------------------------------------------------------------------


def _label(value: object, field: str) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _bad(field, f"{preview(value)} is not text")
    if len(value) > MAX_LABEL_CHARS:
        raise _bad(field, f"{len(value)} characters (at most {MAX_LABEL_CHARS})")
    return value


def _category(value: object, field: str) -> Category | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        if key in _CATEGORIES:
            return Category(key)
    known = ", ".join(c.value for c in Category)
    raise _bad(field, f"{preview(value)} is not a category ({known})")


_CATEGORIES = frozenset(c.value for c in Category)
_TRUE = frozenset({"true", "1", "yes", "y"})
_FALSE = frozenset({"false", "0", "no", "n"})


def _flag(value: object, field: str, default: bool) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise _bad(field, f"{preview(value)} is not true or false")


def _as_text(value: object) -> str:
    """A JSON value as ``extra`` keeps it: strings as they are, anything else as JSON text."""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _from_text(text: str) -> object:
    """The inverse of :func:`_as_text` for numbers and booleans whose JSON text is exactly
    ``text``; anything else stays a string."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return text
    number = isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value))
    return value if number and _as_text(value) == text else text


def _put(extra: dict[str, str], key: str, value: object) -> None:
    if key in extra:
        raise _bad(f"extra.{key}", "given twice")
    text = _as_text(value)
    if len(text) > MAX_LABEL_CHARS:
        raise _bad(f"extra.{key}", f"{len(text)} characters (at most {MAX_LABEL_CHARS})")
    extra[key] = text


def _extra_object(value: object, field: str, into: dict[str, str]) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            raise _bad(field, f"{preview(value)} is not a JSON object") from None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise _bad(field, f"{preview(value)} is not an object of strings")
    for key, text in value.items():
        _put(into, key, text)


def _json_extra(extra: Mapping[str, str]) -> str:
    return json.dumps(dict(extra), ensure_ascii=False, sort_keys=True) if extra else ""


# Reading helpers --------------------------------------------------------------------------


def _decode(data: bytes | str, source: str) -> str:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PayloadError(source, f"not UTF-8 text (bad byte at offset {error.start})") from None


def _too_many(source: str, max_records: int) -> PayloadError:
    return PayloadError(
        source, f"more than {max_records} records; split the file or raise the record limit"
    )


def _csv_rows(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """``(start line, cells)`` for each non-blank CSV row. A CSV syntax error ends the file."""
    if csv.field_size_limit() < len(text):
        # Only ever raised (vPDQ values of long videos outgrow the default 128 KiB field).
        csv.field_size_limit(len(text))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    next_line = 1
    try:
        for row in reader:
            start, next_line = next_line, reader.line_num + 1
            if any(cell.strip() for cell in row):
                yield start, row
    except csv.Error as error:
        raise PayloadError(
            source, f"line {next_line}: not readable as CSV ({error}); nothing was imported"
        ) from None


def _load_json(text: str, source: str) -> Any:
    if not text.strip():
        raise PayloadError(source, "the file is empty")
    try:
        # strict, as ingest reads payloads: a lone surrogate escape ("\ud83d" without its
        # pair) is refused here, not met when the value is hashed or stored; integers of any
        # size kept whole (a record id beyond 64 bits is not turned into a float)
        return exactjson.loads(text)
    except orjson.JSONDecodeError as error:
        if "recursion" in error.msg:
            raise PayloadError(source, "not JSON this reader accepts (nested too deeply)") from None
        raise PayloadError(
            source, f"not JSON ({error.msg} at line {error.lineno} column {error.colno})"
        ) from None


# CSV formats ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CsvShape:
    value: str
    """The column holding the signal value."""
    names: Mapping[SignalType, str]
    known: str
    labels: Mapping[str, str]
    """Label attribute → column (``enabled`` and ``extra`` included)."""
    extra_columns: tuple[str, ...]
    """Columns that are kept in ``extra`` under their own name."""
    header: tuple[str, ...]
    """Every column, in the order written."""


_GENERIC = _CsvShape(
    value="value",
    names=_OWN_NAMES,
    known=_OWN_KNOWN,
    labels={
        "group": "group",
        "category": "category",
        "source": "source",
        "added_by": "added_by",
        "note": "note",
        "enabled": "enabled",
        "extra": "extra",
    },
    extra_columns=(),
    header=(
        "signal_type",
        "value",
        "group",
        "category",
        "source",
        "added_by",
        "note",
        "enabled",
        "extra",
    ),
)
_HMA = _CsvShape(
    value="signal_str",
    names=_PYTX_NAMES,
    known=_PYTX_KNOWN,
    labels={
        "source": "collab",
        "group": "group",
        "category": "taxonomy_category",
        "added_by": "added_by",
        "note": "note",
        "enabled": "enabled",
        "extra": "extra",
    },
    extra_columns=("category", "tags"),
    header=(
        "signal_type",
        "signal_str",
        "collab",
        "category",
        "tags",
        "group",
        "taxonomy_category",
        "added_by",
        "note",
        "enabled",
        "extra",
    ),
)


def _tag_category(tags: str) -> Category | None:
    for tag in tags.split():
        try:
            return _category(tag, "tags")
        except _BadRecordError:
            continue
    return None


def _csv_entry(shape: _CsvShape, header: list[str], row: list[str], bank: str) -> Entry:
    if len(row) != len(header):
        raise _BadRecordError(f"has {len(row)} fields, the header has {len(header)}")
    cells = dict(zip(header, row, strict=True))
    signal_type = _signal_type(cells["signal_type"], "signal_type", shape.known)
    value = _value(signal_type, cells[shape.value], shape.value)
    known = {"signal_type", shape.value, *shape.labels.values()}
    extra: dict[str, str] = {}
    for column, cell in cells.items():
        if column not in known and cell != "":
            _put(extra, column, cell)
    _extra_object(cells.get(shape.labels["extra"]), shape.labels["extra"], extra)
    column = shape.labels["category"]
    pytx = shape is _HMA
    if column in cells or not pytx:
        category = _category(cells.get(column), column)
    else:
        category = _tag_category(cells.get("tags", ""))
    default_enabled = not pytx or cells.get("category", "").strip().upper() != "NEGATIVE_CLASS"

    def label(name: str) -> str | None:
        return _label(cells.get(shape.labels[name]), shape.labels[name])

    labels = Labels(
        group=label("group"),
        category=category,
        source=label("source"),
        added_by=label("added_by"),
        note=label("note"),
        extra=extra,
    )
    enabled = _flag(cells.get(shape.labels["enabled"]), shape.labels["enabled"], default_enabled)
    return Entry(bank=bank, signal_type=signal_type, value=value, labels=labels, enabled=enabled)


def _parse_csv(
    shape: _CsvShape, text: str, source: str, bank: str, max_records: int
) -> ImportResult:
    rows = _csv_rows(text, source)
    first = next(rows, None)
    if first is None:
        raise PayloadError(source, "the file is empty (expected a header row)")
    header = [name.strip().lower() for name in first[1]]
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise PayloadError(
            source, f"line 1: the header repeats the column {preview(duplicates[0])}"
        )
    for required in ("signal_type", shape.value):
        if required not in header:
            raise PayloadError(
                source,
                f"line 1: the header has no {preview(required)} column "
                f"(expected {','.join(shape.header)})",
            )
    entries: list[Entry] = []
    errors: list[RecordError] = []
    for count, (line, row) in enumerate(rows, 1):
        if count > max_records:
            raise _too_many(source, max_records)
        try:
            entries.append(_csv_entry(shape, header, row, bank))
        except _BadRecordError as bad:
            errors.append(RecordError(line, bad.problem))
    return ImportResult(entries, errors)


def _export_csv(shape: _CsvShape, entries: Iterable[Entry]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(shape.header)
    for entry in entries:
        extra = dict(entry.labels.extra)
        cells = {name: extra.pop(name) if extra.get(name) else "" for name in shape.extra_columns}
        labels = entry.labels
        values = {
            "group": labels.group or "",
            "category": labels.category.value if labels.category else "",
            "source": labels.source or "",
            "added_by": labels.added_by or "",
            "note": labels.note or "",
            "enabled": "true" if entry.enabled else "false",
            "extra": _json_extra(extra),
        }
        cells.update({column: values[name] for name, column in shape.labels.items()})
        cells["signal_type"] = shape.names[entry.signal_type]
        cells[shape.value] = _pytx_value(entry) if shape is _HMA else entry.value
        writer.writerow([cells[column] for column in shape.header])
    return out.getvalue().encode("utf-8")


# HMA JSON ---------------------------------------------------------------------------------

_HMA_ITEM_KEYS = frozenset({"signals", "enabled", "note", "metadata"})
_HMA_METADATA_KEYS = frozenset({"group", "category", "source", "added_by", "extra"})


def _hma_entries(item: object, bank: str) -> list[Entry]:
    if not isinstance(item, dict):
        raise _BadRecordError(f"{preview(item)} is not a content item (an object with 'signals')")
    if "signals" in item:
        signals, rest = item["signals"], item
    else:
        signals, rest = item, {}
    if not isinstance(signals, dict) or not signals:
        raise _bad("signals", f"{preview(signals)} is not an object of signal type → value")
    extra: dict[str, str] = {}
    for key, value in rest.items():
        if key not in _HMA_ITEM_KEYS and value is not None:
            _put(extra, key, value)
    metadata = {} if rest.get("metadata") is None else rest["metadata"]
    if not isinstance(metadata, dict):
        raise _bad("metadata", f"{preview(metadata)} is not an object")
    for key, value in metadata.items():
        if key not in _HMA_METADATA_KEYS and value is not None:
            _put(extra, key, value)
    _extra_object(metadata.get("extra"), "metadata.extra", extra)
    labels = Labels(
        group=_label(metadata.get("group"), "metadata.group"),
        category=_category(metadata.get("category"), "metadata.category"),
        source=_label(metadata.get("source"), "metadata.source"),
        added_by=_label(metadata.get("added_by"), "metadata.added_by"),
        note=_label(rest.get("note"), "note"),
        extra=extra,
    )
    enabled = _flag(rest.get("enabled"), "enabled", True)
    entries = []
    for name, value in signals.items():
        signal_type = _signal_type(name, f"signals.{name}", _PYTX_KNOWN)
        entries.append(
            Entry(
                bank=bank,
                signal_type=signal_type,
                value=_value(signal_type, value, f"signals.{name}"),
                labels=labels,
                enabled=enabled,
            )
        )
    return entries


def _parse_hma_json(text: str, source: str, bank: str, max_records: int) -> ImportResult:
    document = _load_json(text, source)
    if isinstance(document, dict) and "content" in document:
        version = document.get("schema_version", HMA_JSON_SCHEMA_VERSION)
        if version != HMA_JSON_SCHEMA_VERSION:
            raise PayloadError(
                source,
                f"schema_version {preview(version)} is not supported "
                f"(this reader knows {HMA_JSON_SCHEMA_VERSION})",
            )
        items = document["content"]
    else:
        items = document
    if not isinstance(items, list):
        raise PayloadError(
            source, "expected an object with a 'content' list, or a list of content items"
        )
    return _parse_records(items, source, max_records, lambda item: _hma_entries(item, bank))


def _export_hma_json(entries: Iterable[Entry]) -> bytes:
    content = []
    for entry in entries:
        labels = entry.labels
        content.append(
            {
                "signals": {_PYTX_NAMES[entry.signal_type]: _pytx_value(entry)},
                "enabled": entry.enabled,
                "note": labels.note,
                "metadata": {
                    "group": labels.group,
                    "category": labels.category.value if labels.category else None,
                    "source": labels.source,
                    "added_by": labels.added_by,
                    "extra": dict(labels.extra),
                },
            }
        )
    document = {"schema_version": HMA_JSON_SCHEMA_VERSION, "content": content}
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


# Tech Against Terrorism JSON ---------------------------------------------------------------

TAT_SOURCE = "tat"
_TAT_OWN = "nigehban"
_TAT_TEXT_FIELDS = ("ideology", "file_type", "created_on")
_TAT_EXTRA_FIELDS = frozenset({"ideology", "file_type", "updated_on", "created_on", "id"})
_TAT_CORE_FIELDS = frozenset({"hash_digest", "algorithm", "deleted", _TAT_OWN})
_TAT_LABEL_KEYS = frozenset({"group", "category", "source", "added_by", "note", "extra"})


def _tat_entry(record: object, bank: str) -> Entry:
    if not isinstance(record, dict):
        raise _BadRecordError(
            f"{preview(record)} is not a hash-list record (an object with hash_digest)"
        )
    signal_type = _signal_type(record.get("algorithm"), "algorithm", _TAT_KNOWN)
    value = _value(signal_type, record.get("hash_digest"), "hash_digest")
    deleted = record.get("deleted", False)
    if not isinstance(deleted, bool):
        raise _bad("deleted", f"{preview(deleted)} is not true or false")
    extra: dict[str, str] = {}
    for key, field_value in record.items():
        if key not in _TAT_CORE_FIELDS and field_value is not None:
            _put(extra, key, field_value)
    own = {} if record.get(_TAT_OWN) is None else record[_TAT_OWN]
    if not isinstance(own, dict):
        raise _bad(_TAT_OWN, f"{preview(own)} is not an object")
    unknown = sorted(set(own) - _TAT_LABEL_KEYS)
    if unknown:
        raise _bad(f"{_TAT_OWN}.{unknown[0]}", "is not a label (group, category, source, ...)")
    _extra_object(own.get("extra"), f"{_TAT_OWN}.extra", extra)
    labels = Labels(
        group=_label(own.get("group"), f"{_TAT_OWN}.group"),
        category=_category(own.get("category"), f"{_TAT_OWN}.category"),
        source=_label(own.get("source", TAT_SOURCE), f"{_TAT_OWN}.source"),
        added_by=_label(own.get("added_by"), f"{_TAT_OWN}.added_by"),
        note=_label(own.get("note"), f"{_TAT_OWN}.note"),
        extra=extra,
    )
    return Entry(
        bank=bank, signal_type=signal_type, value=value, labels=labels, enabled=not deleted
    )


def _parse_tat_json(text: str, source: str, bank: str, max_records: int) -> ImportResult:
    document = _load_json(text, source)
    records = document.get("results") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise PayloadError(
            source,
            "expected a TAT hash-list page (an object with a 'results' list) or a list of records",
        )
    return _parse_records(records, source, max_records, lambda r: [_tat_entry(r, bank)])


def _tat_record(entry: Entry) -> dict[str, object]:
    extra = dict(entry.labels.extra)
    tat = {key: extra.pop(key) for key in list(extra) if key in _TAT_EXTRA_FIELDS}

    def field(key: str) -> object:
        if key not in tat:
            return None
        return tat[key] if key in _TAT_TEXT_FIELDS else _from_text(tat[key])

    record: dict[str, object] = {
        "hash_digest": entry.value,
        "algorithm": _TAT_NAMES[entry.signal_type],
        "ideology": field("ideology"),
        "file_type": field("file_type"),
        "deleted": not entry.enabled,
        "updated_on": field("updated_on"),
        "created_on": field("created_on"),
        "id": field("id"),
    }
    labels = entry.labels
    own: dict[str, object] = {
        "group": labels.group,
        "category": labels.category.value if labels.category else None,
        "added_by": labels.added_by,
        "note": labels.note,
    }
    own = {key: value for key, value in own.items() if value is not None}
    if labels.source != TAT_SOURCE:
        own["source"] = labels.source
    if extra:
        own["extra"] = extra
    if own:
        record[_TAT_OWN] = own
    return record


def _export_tat_json(entries: Iterable[Entry]) -> bytes:
    records = [_tat_record(entry) for entry in entries]
    checkpoint = ""
    if records:
        last = records[-1]
        updated, record_id = last["updated_on"], last["id"]
        if isinstance(updated, int | float) and isinstance(record_id, int):
            checkpoint = f"{int(updated)},{record_id}"
    page = {
        "count": len(records),
        "next": None,
        "previous": None,
        "checkpoint": checkpoint,
        "results": records,
    }
    return (json.dumps(page, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _parse_records(
    records: list[object],
    source: str,
    max_records: int,
    read: Callable[[object], list[Entry]],
) -> ImportResult:
    if len(records) > max_records:
        raise _too_many(source, max_records)
    entries: list[Entry] = []
    errors: list[RecordError] = []
    for position, record in enumerate(records, 1):
        try:
            entries.extend(read(record))
        except _BadRecordError as bad:
            errors.append(RecordError(position, bad.problem, "record"))
    return ImportResult(entries, errors)


# Public functions -------------------------------------------------------------------------


def _format(value: Format | str) -> Format:
    try:
        return Format(value)
    except ValueError:
        known = ", ".join(f.value for f in Format)
        raise UsageError(f"{preview(value)} is not a bank format ({known})") from None


def parse(
    format: Format | str,
    data: bytes | str,
    source: str,
    bank: str,
    max_records: int = DEFAULT_MAX_RECORDS,
) -> ImportResult:
    """Read ``data`` (a whole file) in ``format`` into entries of ``bank``.

    ``source`` names the input in errors (a file name). Bad records become
    :class:`RecordError` values and the rest are read; a file that cannot be read at all, or
    holds more than ``max_records`` records, raises :class:`~nigehban.errors.PayloadError`.
    """
    chosen = _format(format)
    check_bank_name(bank, source)
    if max_records < 1:
        raise UsageError(f"max_records must be at least 1, not {max_records}")
    text = _decode(data, source)
    if chosen is Format.GENERIC_CSV:
        return _parse_csv(_GENERIC, text, source, bank, max_records)
    if chosen is Format.HMA_CSV:
        return _parse_csv(_HMA, text, source, bank, max_records)
    if chosen is Format.HMA_JSON:
        return _parse_hma_json(text, source, bank, max_records)
    return _parse_tat_json(text, source, bank, max_records)


def export(format: Format | str, entries: Iterable[Entry]) -> bytes:
    """``entries`` as a UTF-8 file in ``format``, every label included (see the module notes)."""
    chosen = _format(format)
    if chosen is Format.GENERIC_CSV:
        return _export_csv(_GENERIC, entries)
    if chosen is Format.HMA_CSV:
        return _export_csv(_HMA, entries)
    if chosen is Format.HMA_JSON:
        return _export_hma_json(entries)
    return _export_tat_json(entries)


_SNIFF_CHARS = 65_536
_HMA_JSON_MARKS = ('"signals"', '"content"', *(f'"{name}"' for name in _PYTX_NAMES.values()))


def detect_format(data: bytes | str, filename: str = "") -> Format | None:
    """The format ``data`` looks like, from its first 64 KiB and the file name's extension;
    ``None`` when it matches none (the caller then asks for a format)."""
    head = data[:_SNIFF_CHARS]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    text = text.removeprefix("\ufeff").lstrip()
    suffix = PurePath(filename).suffix.lower()
    if text.startswith(("{", "[")) and suffix != ".csv":
        if '"hash_digest"' in text:
            return Format.TAT_JSON
        if any(mark in text for mark in _HMA_JSON_MARKS):
            return Format.HMA_JSON
        return None
    if suffix == ".json" or not text:
        return None
    first_line = text.splitlines()[0]
    header = {cell.strip().lower() for cell in next(csv.reader([first_line]), [])}
    if {"signal_type", "signal_str"} <= header:
        return Format.HMA_CSV
    if {"signal_type", "value"} <= header:
        return Format.GENERIC_CSV
    return None
