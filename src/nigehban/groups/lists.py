"""Imported designation lists: the UN Security Council 1267 list and the US FTO list.

These lists are not typed by hand. ``nigehban groups build --source DIR`` reads the official
files (the UN consolidated list, and the US FTO designations as carried by OFAC's SDN list with
its ``[FTO]`` tag) from a reference-data directory and writes one normalised JSON file per list
into the package, recording the input files' SHA-256 and the list's own date. The registry
loads those JSON files and merges each entry into the curated group that links to it, or into a
group of its own.

Only the terrorism regimes of the UN list are kept (ISIL/Da'esh and Al-Qaida; Taliban), not the
DPRK, Iraq, Libya or other regimes. The US file is a snapshot (April 2021 SDN, 2026 alias
table): designations made after it, such as the BLA's in August 2025, are not in it and are
added to the curated file with their own source.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nigehban.errors import InputError

LIST_SCHEMA_VERSION = 1
UN_FILE = "un_1267.json"
FTO_FILE = "us_fto.json"
_UN_REGIMES = ("Al-Qaida", "Taliban")
_UN_SOURCE = ("un_sanctions/un_entities.json", "un_sanctions/consolidated.xml")
_FTO_SOURCE = ("us_fto/us_fto_ofac.json",)
_DATE_GENERATED = re.compile(rb"dateGenerated=['\"]([0-9-]{10})")


@dataclass(frozen=True, slots=True)
class ListAlias:
    text: str
    quality: str


@dataclass(frozen=True, slots=True)
class ListEntry:
    ref: str
    name: str
    aliases: tuple[ListAlias, ...]
    listed_on: str | None
    program: str
    original_script: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedList:
    """One imported list: ``jurisdiction`` (``UN`` or ``US``), its authority, the date of the
    snapshot, where it came from, and its entries."""

    key: str
    jurisdiction: str
    authority: str
    list_date: str | None
    source: str
    entries: tuple[ListEntry, ...]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(path), "file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"not valid JSON ({exc})") from None


def build_lists(source_dir: Path, out_dir: Path) -> list[Path]:
    """Write the normalised UN and US FTO list files from ``source_dir`` into ``out_dir``."""
    if not source_dir.is_dir():
        raise InputError(str(source_dir), "not a directory of reference data")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = [_build_un(source_dir, out_dir / UN_FILE), _build_fto(source_dir, out_dir / FTO_FILE)]
    return written


def _build_un(source_dir: Path, out: Path) -> Path:
    entities_path, xml_path = (source_dir / p for p in _UN_SOURCE)
    try:
        return _write_un(source_dir, entities_path, xml_path, out)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(str(entities_path), f"an entry lacks the field {exc}") from None


def _write_un(source_dir: Path, entities_path: Path, xml_path: Path, out: Path) -> Path:
    rows = _read_json(entities_path)
    head = xml_path.read_bytes()[:4096] if xml_path.exists() else b""
    found = _DATE_GENERATED.search(head)
    entries = []
    for row in rows:
        if row.get("un_list_type") not in _UN_REGIMES:
            continue
        entries.append(
            {
                "ref": row["reference_number"],
                "name": row["name"].strip(),
                "original_script": (row.get("name_original_script") or "").strip() or None,
                "listed_on": row.get("listed_on") or None,
                "program": row["un_list_type"],
                "aliases": [
                    {"text": a["name"].strip(), "quality": a.get("quality", "a.k.a.")}
                    for a in row.get("aliases", [])
                    if a.get("name", "").strip()
                ],
            }
        )
    document = {
        "schema_version": LIST_SCHEMA_VERSION,
        "key": "un_1267",
        "jurisdiction": "UN",
        "authority": "UN Security Council sanctions committees (res. 1267/1989/2253; 1988)",
        "list_date": found.group(1).decode() if found else None,
        "source": {
            "description": "UN Security Council Consolidated List, ISIL/Al-Qaida and Taliban "
            "regimes (entities)",
            "files": {p: _sha256(source_dir / p) for p in _UN_SOURCE if (source_dir / p).exists()},
        },
        "entries": sorted(entries, key=lambda e: e["ref"]),
    }
    return _write(out, document)


def _build_fto(source_dir: Path, out: Path) -> Path:
    (path,) = (source_dir / p for p in _FTO_SOURCE)
    try:
        return _write_fto(source_dir, path, out)
    except (KeyError, TypeError, AttributeError) as exc:
        raise InputError(str(path), f"an entry lacks the field {exc}") from None


def _write_fto(source_dir: Path, path: Path, out: Path) -> Path:
    rows = _read_json(path)
    entries = []
    for row in rows:
        aliases = [{"text": a.strip(), "quality": "a.k.a."} for a in row.get("aliases_2021", [])]
        aliases += [
            {"text": a.strip(), "quality": "a.k.a. (2026 alias table)"}
            for a in row.get("aliases_2026_added", [])
        ]
        entries.append(
            {
                "ref": str(row["ofac_ent_num"]),
                "name": row["name"].strip(),
                "original_script": None,
                "listed_on": None,
                "program": row.get("programs", "FTO"),
                "aliases": [a for a in aliases if a["text"]],
            }
        )
    document = {
        "schema_version": LIST_SCHEMA_VERSION,
        "key": "us_fto",
        "jurisdiction": "US",
        "authority": "US Department of State, Foreign Terrorist Organization (INA s.219)",
        "list_date": "2021-04-25",
        "source": {
            "description": "OFAC SDN entries tagged [FTO] (snapshot of 2021-04-25) with aliases "
            "from OFAC's alias table (2021 and 2026); designation dates are not in the source",
            "files": {p: _sha256(source_dir / p) for p in _FTO_SOURCE},
        },
        "entries": sorted(entries, key=lambda e: int(e["ref"])),
    }
    return _write(out, document)


def _write(out: Path, document: dict[str, Any]) -> Path:
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return out


def load_list(path: Path) -> ImportedList:
    """Read one list file written by :func:`build_lists`."""
    data = _read_json(path)
    if not isinstance(data, dict) or data.get("schema_version") != LIST_SCHEMA_VERSION:
        raise InputError(path.name, f"not a version {LIST_SCHEMA_VERSION} designation list file")
    try:
        entries = tuple(
            ListEntry(
                ref=e["ref"],
                name=e["name"],
                aliases=tuple(ListAlias(a["text"], a["quality"]) for a in e["aliases"]),
                listed_on=e["listed_on"],
                program=e["program"],
                original_script=e.get("original_script"),
            )
            for e in data["entries"]
        )
        return ImportedList(
            key=data["key"],
            jurisdiction=data["jurisdiction"],
            authority=data["authority"],
            list_date=data.get("list_date"),
            source=data["source"]["description"],
            entries=entries,
        )
    except (KeyError, TypeError) as exc:
        raise InputError(path.name, f"designation list entry lacks the field {exc}") from None
