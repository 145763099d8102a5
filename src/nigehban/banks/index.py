"""The match index over every enabled entry of every enabled bank, updated in place.

One :class:`BankIndex` holds a PDQ index (:mod:`nigehban.banks.pdq_index`), exact-digest tables,
the vPDQ entries and a text near-duplicate index, plus each bank's thresholds. It is built once
from the store and then *changed incrementally* — entries added, removed, disabled, banks
re-thresholded — without rebuilding: HMA rebuilds and reloads a pickled index on every change.

Matching and changes take one lock, so every match result comes with the ``snapshot_hash`` of
exactly the entries it was computed against. That hash is order-independent (the sum, modulo
2^256, of one digest per entry and per bank configuration), so the same entries and thresholds
give the same hash however they were reached.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nigehban.banks.model import DIGEST_HEX_CHARS, Bank, Entry, SignalType, Thresholds
from nigehban.banks.pdq_index import PdqIndex
from nigehban.hashing.images import MIN_QUALITY
from nigehban.hashing.text import TextIndex
from nigehban.hashing.video import VpdqFrame, parse_vpdq, vpdq_match

_MOD = 1 << 256


@dataclass(frozen=True, slots=True)
class BankMatch:
    """One entry a query matched. ``distance``: PDQ bits; 0 for an exact digest; for text
    ``1 - similarity``; for video ``100 -`` the percentage of the query's frames matched."""

    entry: Entry
    signal_type: SignalType
    distance: float
    probe: int = 0
    """For PDQ, which of the query's dihedral variants matched (0 = as given)."""
    min_quality: int | None = None
    """For vPDQ, the PDQ quality below which frames (of the query and of the entry) were
    ignored; ``None`` for the other signals."""


@dataclass(frozen=True, slots=True)
class MatchResult:
    matches: list[BankMatch]
    snapshot_hash: str


def _digest(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\0".join(parts).encode()).digest(), "big")


def _entry_digest(entry: Entry) -> int:
    assert entry.id is not None
    return _digest("entry", str(entry.id), entry.bank, entry.signal_type.value, entry.value)


def _bank_digest(bank: Bank) -> int:
    t = bank.thresholds
    return _digest(
        "bank",
        bank.name,
        str(t.pdq),
        str(t.vpdq_frame),
        f"{t.vpdq_percent:g}",
        f"{t.vpdq_target_percent:g}",
        f"{t.text:g}",
    )


class BankIndex:
    """Mutable by :meth:`apply` and :meth:`set_banks` only; safe to query from many threads."""

    def __init__(self, banks: Iterable[Bank] = (), entries: Iterable[Entry] = ()) -> None:
        self._lock = threading.Lock()
        self._banks: dict[str, Bank] = {}
        self._entries: dict[int, Entry] = {}
        self._pdq = PdqIndex()
        self._digests: dict[tuple[SignalType, str], set[int]] = {}
        self._videos: dict[int, list[VpdqFrame]] = {}
        self._text = TextIndex()
        self._sum = 0
        self.set_banks(banks)
        self.apply(added=entries)

    # -- changes -------------------------------------------------------------------------------

    def set_banks(self, banks: Iterable[Bank]) -> None:
        """Replace the set of enabled banks and their thresholds. Entries of a bank that is no
        longer present are removed from the index."""
        with self._lock:
            new = {b.name: b for b in banks if b.enabled}
            for bank in self._banks.values():
                self._sum -= _bank_digest(bank)
            for bank in new.values():
                self._sum += _bank_digest(bank)
            gone = [i for i, e in self._entries.items() if e.bank not in new]
            self._banks = new
            self._remove(gone)
            self._sum %= _MOD

    def apply(self, added: Iterable[Entry] = (), removed: Iterable[int] = ()) -> None:
        """Add enabled entries (of enabled banks) and remove entries by id, incrementally."""
        with self._lock:
            self._remove(list(removed))
            pdq_ids: list[int] = []
            pdq_hashes: list[str] = []
            texts: list[tuple[int, str]] = []
            for entry in added:
                if entry.id is None or not entry.enabled or entry.bank not in self._banks:
                    continue
                if entry.id in self._entries:
                    self._remove([entry.id])
                self._entries[entry.id] = entry
                self._sum += _entry_digest(entry)
                kind = entry.signal_type
                if kind is SignalType.PDQ:
                    pdq_ids.append(entry.id)
                    pdq_hashes.append(entry.value)
                elif kind in DIGEST_HEX_CHARS:
                    self._digests.setdefault((kind, entry.value), set()).add(entry.id)
                elif kind is SignalType.VPDQ:
                    self._videos[entry.id] = parse_vpdq(entry.value)
                else:
                    texts.append((entry.id, entry.value))
            if pdq_ids:
                self._pdq.add(pdq_ids, pdq_hashes)
            if texts:
                self._text = self._text.add(texts)
            self._sum %= _MOD

    def _remove(self, ids: Sequence[int]) -> None:
        pdq_gone: list[int] = []
        text_gone: list[int] = []
        for entry_id in ids:
            entry = self._entries.pop(entry_id, None)
            if entry is None:
                continue
            self._sum -= _entry_digest(entry)
            kind = entry.signal_type
            if kind is SignalType.PDQ:
                pdq_gone.append(entry_id)
            elif kind in DIGEST_HEX_CHARS:
                holders = self._digests.get((kind, entry.value))
                if holders is not None:
                    holders.discard(entry_id)
                    if not holders:
                        del self._digests[(kind, entry.value)]
            elif kind is SignalType.VPDQ:
                self._videos.pop(entry_id, None)
            else:
                text_gone.append(entry_id)
        if pdq_gone:
            self._pdq.remove(pdq_gone)
        if text_gone:
            self._text = self._text.without(text_gone)
        self._sum %= _MOD

    # -- reading -------------------------------------------------------------------------------

    @property
    def snapshot_hash(self) -> str:
        with self._lock:
            return f"{self._sum:064x}"

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def counts(self) -> dict[str, int]:
        with self._lock:
            out: dict[str, int] = {}
            for entry in self._entries.values():
                out[entry.signal_type.value] = out.get(entry.signal_type.value, 0) + 1
            return dict(sorted(out.items()))

    def _thresholds(self, entry: Entry) -> Thresholds:
        return self._banks[entry.bank].thresholds

    def _result(self, matches: list[BankMatch]) -> MatchResult:
        matches.sort(key=lambda m: (m.distance, m.entry.bank, m.entry.id or 0))
        return MatchResult(matches, f"{self._sum:064x}")

    def match_pdq(self, probes: Sequence[str]) -> MatchResult:
        """Entries within their bank's PDQ threshold of any probe (the query's dihedral
        variants, the image as given first); each entry once, at its smallest distance."""
        with self._lock:
            if not probes or not self._banks:
                return self._result([])
            widest = max(b.thresholds.pdq for b in self._banks.values())
            best: dict[int, tuple[int, int]] = {}
            for entry_id, distance, probe_no in self._pdq.query_probes(list(probes), widest):
                entry = self._entries.get(entry_id)
                if entry is None or distance > self._thresholds(entry).pdq:
                    continue
                best[entry_id] = (distance, probe_no)
            return self._result(
                [
                    BankMatch(self._entries[i], SignalType.PDQ, float(d), p)
                    for i, (d, p) in best.items()
                ]
            )

    def match_digest(self, signal_type: SignalType, hex_value: str) -> MatchResult:
        with self._lock:
            ids = self._digests.get((signal_type, hex_value.lower()), set())
            return self._result(
                [BankMatch(self._entries[i], signal_type, 0.0) for i in sorted(ids)]
            )

    def match_vpdq(
        self, frames: Sequence[VpdqFrame], min_quality: int = MIN_QUALITY
    ) -> MatchResult:
        """Entries whose video the query's frames match at their bank's thresholds, frames of
        a PDQ quality below ``min_quality`` (the ``hash_min_quality`` setting) ignored on both
        sides, as low-quality image hashes are."""
        with self._lock:
            found: list[BankMatch] = []
            for entry_id, target in self._videos.items():
                entry = self._entries[entry_id]
                t = self._thresholds(entry)
                result = vpdq_match(
                    list(frames),
                    target,
                    frame_threshold=t.vpdq_frame,
                    match_percent=t.vpdq_percent,
                    min_quality=min_quality,
                    target_match_percent=t.vpdq_target_percent,
                )
                if result.matched:
                    distance = round(100.0 - result.query_percent, 4)
                    found.append(
                        BankMatch(entry, SignalType.VPDQ, distance, min_quality=min_quality)
                    )
            return self._result(found)

    def match_text(self, text: str) -> MatchResult:
        with self._lock:
            if not self._banks or not text.strip():
                return self._result([])
            lowest = min(b.thresholds.text for b in self._banks.values())
            found: list[BankMatch] = []
            for hit in self._text.query(text, lowest):
                entry = self._entries.get(int(hit.entry_id))
                if entry is None or hit.similarity < self._thresholds(entry).text:
                    continue
                found.append(BankMatch(entry, SignalType.TEXT, round(1.0 - hit.similarity, 4)))
            return self._result(found)
