"""PDQ similarity index: every entry within a distance, exactly, with cheap updates.

A query returns *every* indexed hash within ``max_distance`` bits, with its exact distance;
there is no approximate mode. Two strategies answer it, chosen by size:

* **Flat scan** — below ``flat_cutoff`` entries (and for the newest rows of a large index) the
  rows are compared one by one with FAISS's Hamming range search. Exact by construction.
* **Multi-index hashing** — above the cutoff the 256 bits are cut into 16 substrings of 16 bits,
  and for each substring a table lists the rows holding each of its 65,536 values. By the
  pigeonhole principle, if a row is within ``r`` bits of the query then for any radii ``t_j``
  with ``sum(t_j + 1) > r`` some substring ``j`` is within ``t_j`` bits of the query's (else the
  distances would add up to more than ``r``). So probing, for every substring, all values within
  ``t_j`` bits of the query's, and then computing the exact distance of each candidate row,
  finds every row within ``r``. With ``r = 31`` each substring is probed at radius 1 (17 values
  per table). When the probes would touch more candidates than a scan costs (large distances),
  the query scans instead; the answer is the same.

Updates never rebuild the index. ``add`` appends rows to a *tail* that is scanned flat; when the
tail outgrows ``max(8,192, tables / 128)`` rows it is folded into the tables by inserting its
rows into each table's buckets (linear, no re-sorting of what is already there). ``remove``
marks rows dead at once (queries skip them); dead rows are dropped when they make up a quarter
of the rows. Adding an id that is already present replaces its hash.

Threads: any number of threads may query at once, also while one thread writes. A write builds
the next state and publishes it with one assignment; arrays a published state can see are
never changed in place (rows are appended beyond its end, the dead-row mask is copied before it
changes), so a query sees the index either before or after a write, never half of one. Writes
(``add``, ``remove``, ``compact``) are serialised by a lock inside the index.

Files are a NumPy ``.npz`` archive loaded with ``allow_pickle=False``: a JSON header (format
name, version, count, checksum), the entry ids (``int64``, ascending) and the hashes (``uint8``,
32 bytes a row). The tables are rebuilt on load; they are never stored. Unknown versions,
wrong shapes and checksum mismatches are refused with a clear error.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import tempfile
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, TypeAlias

import faiss
import numpy as np
import numpy.typing as npt

from nigehban.banks.model import PDQ_BITS, PDQ_HEX_CHARS, SignalType, canonical_value
from nigehban.errors import InputError, PayloadError, UsageError, ValidationError
from nigehban.privacy.masking import preview

# One thread per search: FAISS's OpenMP threads cost far more than they save on the small
# scans an index answers (measured: an 8-probe query against a small bank took 13-18 ms inside
# a scan with the default threads, 0.02 ms with one); concurrency comes from the callers.
faiss.omp_set_num_threads(1)

FORMAT_NAME = "nigehban.pdq-index"
FORMAT_VERSION = 1
HASH_BYTES = PDQ_BITS // 8
SUBSTRINGS = 16
"""Substrings (and tables) of the multi-index: 16 of 16 bits each."""
MAX_PROBE_RADIUS = 4
"""Largest radius probed in one table (2,517 values); larger distances are scanned."""
FLAT_CUTOFF = 16_384
"""Entries below which the whole index is scanned flat (see bench/results/match.md)."""
MIN_TAIL_ROWS = 8_192
TAIL_SHARE = 128
"""The tail is folded into the tables past ``max(MIN_TAIL_ROWS, table rows / TAIL_SHARE)``."""
DEAD_SHARE = 4
"""Dead rows are dropped once they are more than ``1 / DEAD_SHARE`` of all rows."""
SCAN_FACTOR = 24
"""Probe the tables only while ``candidates * SCAN_FACTOR <= table rows``, else scan: checking
a candidate costs ~24 times scanning a row (measured at 1M rows, bench/results/match.md)."""

Strategy: TypeAlias = Literal["auto", "flat", "multi-index"]
STRATEGIES: tuple[Strategy, ...] = ("auto", "flat", "multi-index")
HashRows: TypeAlias = npt.NDArray[np.uint8]
Ids: TypeAlias = npt.NDArray[np.int64]
HashLike: TypeAlias = str | bytes | npt.NDArray[np.uint8]
Match: TypeAlias = tuple[int, int]
"""``(entry id, distance in bits)``."""

_KEY = np.dtype("<u2")
_faiss: Any = faiss  # the low-level Hamming functions are missing from FAISS's type stubs
_BUCKETS = 1 << 16


@cache
def _masks(radius: int) -> npt.NDArray[np.uint16]:
    """Every 16-bit value with at most ``radius`` bits set, fewest bits first."""
    values = np.arange(_BUCKETS, dtype=np.uint16)
    bits = np.bitwise_count(values)
    order = np.argsort(bits, kind="stable")
    masks = values[order][bits[order] <= radius]
    masks.setflags(write=False)  # shared by every query
    return masks


def _radii(max_distance: int) -> npt.NDArray[np.int64] | None:
    """Probe radius per table with ``sum(t + 1) == max_distance + 1`` (-1: table skipped).

    ``None`` when some table would need more than :data:`MAX_PROBE_RADIUS`.
    """
    base, extra = divmod(max_distance + 1, SUBSTRINGS)
    radii = np.full(SUBSTRINGS, base - 1, dtype=np.int64)
    radii[:extra] = base
    return None if radii.max() > MAX_PROBE_RADIUS else radii


@cache
def _plan(
    max_distance: int,
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.uint16], npt.NDArray[np.int64]] | None:
    """The probes for ``max_distance``: table, XOR mask and the table's first bucket, each."""
    radii = _radii(max_distance)
    if radii is None:
        return None
    tables = [np.full(len(_masks(int(t))), j, dtype=np.intp) for j, t in enumerate(radii) if t >= 0]
    masks = [_masks(int(t)) for t in radii if t >= 0]
    table = np.concatenate(tables)
    plan = (table, np.concatenate(masks), table.astype(np.int64) * (_BUCKETS + 1))
    for array in plan:
        array.setflags(write=False)  # shared by every query
    return plan


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What an index holds, for operators and benchmarks."""

    entries: int
    rows: int
    dead_rows: int
    table_rows: int
    tail_rows: int
    bytes: int


@dataclass(frozen=True, slots=True)
class _State:
    """One published version of the index; never changed once published (see module doc)."""

    rows: HashRows  # (capacity, 32); rows [0, n) are in use
    ids: Ids  # (capacity,)
    alive: npt.NDArray[np.bool_]  # (capacity,)
    n: int
    live: int
    sealed: int  # rows [0, sealed) are in the tables, rows [sealed, n) are the tail
    perms: npt.NDArray[np.int32]  # (SUBSTRINGS * sealed,): table j is perms[j*sealed:(j+1)*sealed]
    offsets: npt.NDArray[np.int64]  # (SUBSTRINGS, 65537): bucket b of table j is offsets[j, b:b+2]
    id_sorted: Ids  # ids of the sealed rows, ascending
    id_pos: npt.NDArray[np.int32]  # their rows


def _empty_state() -> _State:
    return _State(
        rows=np.empty((0, HASH_BYTES), dtype=np.uint8),
        ids=np.empty(0, dtype=np.int64),
        alive=np.empty(0, dtype=np.bool_),
        n=0,
        live=0,
        sealed=0,
        perms=np.empty(0, dtype=np.int32),
        offsets=np.zeros((SUBSTRINGS, _BUCKETS + 1), dtype=np.int64),
        id_sorted=np.empty(0, dtype=np.int64),
        id_pos=np.empty(0, dtype=np.int32),
    )


class PdqIndex:
    """Exact PDQ range search over int64 entry ids, updated in place (see the module doc).

    ``strategy`` is ``"auto"`` (flat below ``flat_cutoff`` entries, multi-index hashing above,
    with a flat tail of at least ``tail_rows`` rows), ``"flat"`` (always scan) or
    ``"multi-index"`` (tables from the first row, probed whenever the distance allows; every
    write folds, so this one is for measurements and tests).
    """

    def __init__(
        self,
        *,
        strategy: Strategy = "auto",
        flat_cutoff: int = FLAT_CUTOFF,
        tail_rows: int = MIN_TAIL_ROWS,
    ) -> None:
        if strategy not in STRATEGIES:
            raise UsageError(
                f"{preview(strategy)} is not an index strategy ({', '.join(STRATEGIES)})"
            )
        if flat_cutoff < 0 or tail_rows < 0:
            raise UsageError(
                f"flat_cutoff and tail_rows must be 0 or more ({flat_cutoff}, {tail_rows})"
            )
        self.strategy: Strategy = strategy
        self.flat_cutoff = flat_cutoff
        self.tail_rows = tail_rows
        self._state = _empty_state()
        self._write_lock = threading.Lock()

    def __len__(self) -> int:
        return self._state.live

    def __contains__(self, entry_id: object) -> bool:
        if not isinstance(entry_id, int | np.integer) or isinstance(entry_id, bool):
            return False
        try:
            key = np.array([entry_id], dtype=np.int64)
        except OverflowError:
            return False
        return len(_positions_of(self._state, key)) > 0

    # -- writes ------------------------------------------------------------------------------

    def add(self, ids: Sequence[int] | Ids, hashes: Sequence[HashLike] | HashRows) -> None:
        """Index ``hashes[i]`` under ``ids[i]``; an id already present gets the new hash."""
        new_ids = _parse_ids(ids)
        rows = parse_hashes(hashes)
        if len(rows) != len(new_ids):
            raise UsageError(f"{len(new_ids)} ids but {len(rows)} hashes")
        ordered = np.sort(new_ids)
        if np.any(ordered[1:] == ordered[:-1]):
            raise UsageError("the same id is given more than once in one add")
        if not len(new_ids):
            return
        with self._write_lock:
            state = self._state
            replaced = _positions_of(state, new_ids)
            alive = state.alive
            if len(replaced):
                alive = alive.copy()
                alive[replaced] = False
            n, k = state.n, len(new_ids)
            if n + k >= np.iinfo(np.int32).max:
                raise UsageError(f"a PDQ index holds fewer than {np.iinfo(np.int32).max:,} rows")
            rows_buf, ids_buf, alive = _grow(state.rows, state.ids, alive, n, n + k)
            rows_buf[n : n + k] = rows
            ids_buf[n : n + k] = new_ids
            alive[n : n + k] = True
            state = dataclasses.replace(
                state, rows=rows_buf, ids=ids_buf, alive=alive, n=n + k,
                live=state.live - len(replaced) + k,
            )  # fmt: skip
            self._state = self._maintain(state)

    def remove(self, ids: Sequence[int] | Ids) -> int:
        """Stop matching these ids at once; unknown ids are ignored. Returns how many went."""
        gone = _parse_ids(ids)
        with self._write_lock:
            state = self._state
            positions = _positions_of(state, np.unique(gone))
            if not len(positions):
                return 0
            alive = state.alive.copy()
            alive[positions] = False
            state = dataclasses.replace(state, alive=alive, live=state.live - len(positions))
            self._state = self._maintain(state)
            return len(positions)

    def compact(self) -> None:
        """Fold the tail into the tables (if any) and drop dead rows now."""
        with self._write_lock:
            state = self._state
            tables = self.strategy == "multi-index" or (
                self.strategy == "auto" and state.n > self.flat_cutoff
            )
            if tables:
                state = _fold(state)
            self._state = _drop_dead(state)

    def _maintain(self, state: _State) -> _State:
        if self.strategy == "multi-index" or (
            self.strategy == "auto" and state.n - state.sealed > self._tail_limit(state)
        ):
            state = _fold(state)
        if (state.n - state.live) * DEAD_SHARE > state.n:
            state = _drop_dead(state)
        return state

    def _tail_limit(self, state: _State) -> int:
        if state.sealed == 0:
            return self.flat_cutoff
        return max(self.tail_rows, state.sealed // TAIL_SHARE)

    # -- reads -------------------------------------------------------------------------------

    def query(self, hash: HashLike, max_distance: int) -> list[Match]:
        """Every ``(id, distance)`` with ``distance <= max_distance``, nearest first."""
        query = parse_hash(hash).reshape(1, HASH_BYTES)
        radius = _check_distance(max_distance)
        state = self._state  # one published version for the whole query
        ids, dist, _ = _nearest(state, *_search(state, query, radius, self.strategy))
        return list(zip(ids, dist, strict=True))

    def query_many(self, hashes: Sequence[HashLike] | HashRows, max_distance: int) -> list[Match]:
        """Like :meth:`query` for several probes of one item (the 8 rotations and flips of an
        image): every entry within ``max_distance`` of any probe, with its smallest distance."""
        return [(i, d) for i, d, _ in self.query_probes(hashes, max_distance)]

    def query_probes(
        self, hashes: Sequence[HashLike] | HashRows, max_distance: int
    ) -> list[tuple[int, int, int]]:
        """:meth:`query_many` that also says which probe was nearest: ``(id, distance, probe
        index)``, the first probe at that distance."""
        queries = parse_hashes(hashes)
        radius = _check_distance(max_distance)
        if not len(queries):
            return []
        state = self._state
        ids, dist, probe = _nearest(state, *_search(state, queries, radius, self.strategy))
        return list(zip(ids, dist, probe, strict=True))

    def stats(self) -> IndexStats:
        s = self._state
        size = s.rows.nbytes + s.ids.nbytes + s.alive.nbytes + s.perms.nbytes + s.offsets.nbytes
        return IndexStats(
            entries=s.live,
            rows=s.n,
            dead_rows=s.n - s.live,
            table_rows=s.sealed,
            tail_rows=s.n - s.sealed,
            bytes=size + s.id_sorted.nbytes + s.id_pos.nbytes,
        )

    def snapshot_hash(self) -> str:
        """SHA-256 of the live ``(id, hash)`` pairs in id order: equal for equal contents,
        whatever the strategy, the order of additions or the removals on the way."""
        ids, rows = _live_sorted(self._state)
        return _content_digest(ids, rows)

    # -- files -------------------------------------------------------------------------------

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the live entries to ``path`` (atomically: a temporary file, then a rename)."""
        ids, rows = _live_sorted(self._state)
        header = {
            "format": FORMAT_NAME,
            "version": FORMAT_VERSION,
            "bits": PDQ_BITS,
            "count": len(ids),
            "sha256": _content_digest(ids, rows),
        }
        target = Path(path)
        blob = np.frombuffer(json.dumps(header, sort_keys=True).encode(), dtype=np.uint8)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as f:
                np.savez(f, header=blob, ids=ids, hashes=rows)
            os.replace(tmp, target)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        *,
        strategy: Strategy = "auto",
        flat_cutoff: int = FLAT_CUTOFF,
        tail_rows: int = MIN_TAIL_ROWS,
    ) -> PdqIndex:
        """Read a file written by :meth:`save`; anything else is refused with an InputError."""
        ids, rows = _read_file(Path(path))
        index = cls(strategy=strategy, flat_cutoff=flat_cutoff, tail_rows=tail_rows)
        index.add(ids, rows)
        return index


# -- input -----------------------------------------------------------------------------------


def parse_hash(value: HashLike, source: str = "") -> HashRows:
    """One PDQ hash (64 hex characters, 32 bytes, or a ``uint8`` array of 32) → 32 bytes."""
    if isinstance(value, str):
        return np.frombuffer(
            bytes.fromhex(canonical_value(SignalType.PDQ, value, source)), np.uint8
        )
    if isinstance(value, bytes | bytearray) and len(value) == HASH_BYTES:
        return np.frombuffer(bytes(value), dtype=np.uint8)
    if isinstance(value, np.ndarray) and value.dtype == np.uint8 and value.shape == (HASH_BYTES,):
        return np.ascontiguousarray(value)
    raise ValidationError(
        source,
        "value",
        f"{preview(value)} is not a PDQ hash (expected {PDQ_HEX_CHARS} hex characters)",
    )


def parse_hashes(values: Sequence[HashLike] | HashRows, source: str = "") -> HashRows:
    """Many PDQ hashes → a ``(k, 32)`` ``uint8`` array; the first bad one raises ValidationError."""
    if isinstance(values, np.ndarray):
        if values.dtype != np.uint8 or values.ndim != 2 or values.shape[1] != HASH_BYTES:
            raise UsageError(
                f"hash rows must be a (k, {HASH_BYTES}) uint8 array, "
                f"not {values.dtype} {values.shape}"
            )
        return np.ascontiguousarray(values)
    if isinstance(values, str | bytes):
        raise UsageError("expected a sequence of PDQ hashes, not a single hash")
    # Fast path: strings that are 64 characters once stripped and 32 bytes once decoded hold
    # only hex digits; anything else falls through to the one-by-one check.
    stripped = [v.strip() for v in values if isinstance(v, str)]
    if len(stripped) == len(values) and all(len(v) == PDQ_HEX_CHARS for v in stripped):
        try:
            raw = bytes.fromhex("".join(stripped))
        except ValueError:
            raw = b""
        if len(raw) == HASH_BYTES * len(stripped):
            return np.frombuffer(raw, dtype=np.uint8).reshape(-1, HASH_BYTES).copy()
    out = np.empty((len(values), HASH_BYTES), dtype=np.uint8)
    for i, value in enumerate(values):
        out[i] = parse_hash(value, source)
    return out


def _parse_ids(ids: Sequence[int] | Ids) -> Ids:
    if isinstance(ids, np.ndarray):
        array = ids
    else:
        if any(isinstance(i, bool) or not isinstance(i, int | np.integer) for i in ids):
            raise UsageError("entry ids must be integers")
        try:
            array = np.array(list(ids), dtype=np.int64)
        except OverflowError:
            raise UsageError("entry ids must fit in 64 bits (signed)") from None
    if array.ndim != 1 or (len(array) and array.dtype.kind not in "iu"):
        raise UsageError(
            f"entry ids must be a flat list of integers, not {array.dtype} {array.shape}"
        )
    if array.dtype == np.uint64 and len(array) and array.max() > np.iinfo(np.int64).max:
        raise UsageError("entry ids must fit in 64 bits (signed)")
    return array.astype(np.int64, copy=False)


def _check_distance(max_distance: int) -> int:
    if isinstance(max_distance, bool) or not isinstance(max_distance, int | np.integer):
        raise UsageError(f"max_distance must be an integer, not {preview(max_distance)}")
    if not 0 <= max_distance <= PDQ_BITS:
        raise UsageError(f"max_distance {max_distance} is outside 0..{PDQ_BITS}")
    return int(max_distance)


# -- search ----------------------------------------------------------------------------------


def _search(
    state: _State, queries: HashRows, radius: int, strategy: Strategy
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """``(query index, row, distance)`` of every live row within ``radius`` of a query.

    A row may appear more than once for one query (found through several tables).
    """
    parts = [_scan(state, queries, radius, state.sealed, state.n)]
    if state.sealed:
        probed = None if strategy == "flat" else _probe(state, queries, radius, strategy)
        parts.append(probed or _scan(state, queries, radius, 0, state.sealed))
    qi = np.concatenate([p[0] for p in parts])
    pos = np.concatenate([p[1] for p in parts])
    dist = np.concatenate([p[2] for p in parts])
    keep = state.alive[pos]
    return qi[keep], pos[keep], dist[keep]


def _scan(
    state: _State, queries: HashRows, radius: int, start: int, stop: int
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.int32]]:
    """Flat range search of rows ``[start, stop)``."""
    k = len(queries)
    if stop <= start:
        return np.empty(0, np.intp), np.empty(0, np.int64), np.empty(0, np.int32)
    block = state.rows[start:stop]
    result = faiss.RangeSearchResult(k)
    # FAISS keeps distances strictly below its radius.
    _faiss.hamming_range_search(
        faiss.swig_ptr(queries), faiss.swig_ptr(block), k, stop - start, radius + 1, HASH_BYTES,
        result,
    )  # fmt: skip
    lims = faiss.rev_swig_ptr(result.lims, k + 1).astype(np.int64)
    total = int(lims[-1])
    if not total:
        return np.empty(0, np.intp), np.empty(0, np.int64), np.empty(0, np.int32)
    pos = faiss.rev_swig_ptr(result.labels, total).astype(np.int64) + start
    dist = faiss.rev_swig_ptr(result.distances, total).astype(np.int32)
    qi = np.repeat(np.arange(k, dtype=np.intp), np.diff(lims))
    return qi, pos, dist


def _probe(
    state: _State, queries: HashRows, radius: int, strategy: Strategy
) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.int64], npt.NDArray[np.int32]] | None:
    """Multi-index probe of the tables, or ``None`` when a scan is the cheaper way."""
    plan = _plan(radius)
    if plan is None or (strategy == "auto" and len(plan[0]) * SCAN_FACTOR > _BUCKETS):
        return None  # even on uniform hashes the probes would cost more than a scan
    tables, masks, buckets = plan
    k, sealed = len(queries), state.sealed
    # Bucket of every probe, each query's probes contiguous: (k, probes).
    slot = (queries.view(_KEY)[:, tables] ^ masks).astype(np.int64) + buckets
    offsets = state.offsets.reshape(-1)
    starts = offsets[slot]
    lengths = (offsets[slot + 1] - starts).reshape(-1)
    total = int(lengths.sum())
    if strategy == "auto" and total * SCAN_FACTOR > sealed * k:
        return None
    per_query = lengths.reshape(k, -1).sum(axis=1)
    ends = np.cumsum(lengths)
    first = (starts + tables * sealed).reshape(-1)
    cand = state.perms[np.arange(total) + np.repeat(first - (ends - lengths), lengths)]
    gathered = np.take(state.rows, cand, axis=0)
    dist = np.empty(total, dtype=np.int32)
    done = 0
    for i, count in enumerate(per_query.tolist()):
        if count:
            _faiss.hammings(
                faiss.swig_ptr(queries[i]), faiss.swig_ptr(gathered[done : done + count]),
                1, count, HASH_BYTES, faiss.swig_ptr(dist[done : done + count]),
            )  # fmt: skip
        done += count
    hit = dist <= radius
    qi = np.repeat(np.arange(k, dtype=np.intp), per_query)[hit]
    return qi, cand[hit].astype(np.int64), dist[hit]


def _nearest(
    state: _State,
    qi: npt.NDArray[np.intp],
    pos: npt.NDArray[np.int64],
    dist: npt.NDArray[np.int32],
) -> tuple[list[int], list[int], list[int]]:
    """Per row its smallest distance and the first query at it: ids, distances and query
    indexes, sorted by distance, then id."""
    if not len(pos):
        return [], [], []
    order = np.lexsort((qi, dist, pos))
    pos, dist, qi = pos[order], dist[order], qi[order]
    first = np.ones(len(pos), dtype=np.bool_)
    first[1:] = pos[1:] != pos[:-1]
    ids, dist, qi = state.ids[pos[first]], dist[first], qi[first]
    order = np.lexsort((ids, dist))
    return ids[order].tolist(), dist[order].tolist(), qi[order].tolist()


# -- maintenance -----------------------------------------------------------------------------


def _grow(
    rows: HashRows, ids: Ids, alive: npt.NDArray[np.bool_], n: int, need: int
) -> tuple[HashRows, Ids, npt.NDArray[np.bool_]]:
    """Buffers with room for ``need`` rows; the old ones are reused while they have room."""
    if need <= len(rows) and need <= len(alive):
        return rows, ids, alive
    capacity = max(need, len(rows) + len(rows) // 2, 1024)
    new_rows = np.empty((capacity, HASH_BYTES), dtype=np.uint8)
    new_ids = np.empty(capacity, dtype=np.int64)
    new_alive = np.zeros(capacity, dtype=np.bool_)
    new_rows[:n], new_ids[:n], new_alive[:n] = rows[:n], ids[:n], alive[:n]
    return new_rows, new_ids, new_alive


def _fold(state: _State) -> _State:
    """Insert the tail rows into every table's buckets (and the id lookup); no re-sorting."""
    sealed, n = state.sealed, state.n
    if n == sealed:
        return state
    tail_keys = state.rows[sealed:n].view(_KEY)  # (tail rows, SUBSTRINGS)
    perms = np.empty(SUBSTRINGS * n, dtype=np.int32)
    offsets = np.empty_like(state.offsets)
    for j in range(SUBSTRINGS):
        keys = tail_keys[:, j]
        order = np.argsort(keys, kind="stable")
        rows = (order + sealed).astype(np.int32)
        if sealed:
            # Each tail row goes at the end of its bucket, after the rows already there.
            at = state.offsets[j, 1:][keys[order]]
            rows = np.insert(state.perms[j * sealed : (j + 1) * sealed], at, rows)
        perms[j * n : (j + 1) * n] = rows
        offsets[j, 0] = 0
        np.cumsum(np.bincount(keys, minlength=_BUCKETS), out=offsets[j, 1:])
        offsets[j] += state.offsets[j]
    tail_ids = state.ids[sealed:n]
    order = np.argsort(tail_ids, kind="stable")
    at = np.searchsorted(state.id_sorted, tail_ids[order], side="right")
    id_sorted = np.insert(state.id_sorted, at, tail_ids[order])
    id_pos = np.insert(state.id_pos, at, (order + sealed).astype(np.int32))
    return dataclasses.replace(
        state, sealed=n, perms=perms, offsets=offsets, id_sorted=id_sorted, id_pos=id_pos
    )


def _drop_dead(state: _State) -> _State:
    """A copy without dead rows; tables and id lookup are filtered, not rebuilt."""
    n, sealed = state.n, state.sealed
    if state.live == n:
        return state
    keep = state.alive[:n]
    remap = (np.cumsum(keep, dtype=np.int64) - 1).astype(np.int32)
    new_sealed = int(keep[:sealed].sum())
    perms = np.empty(SUBSTRINGS * new_sealed, dtype=np.int32)
    offsets = np.empty_like(state.offsets)
    for j in range(SUBSTRINGS):
        table = state.perms[j * sealed : (j + 1) * sealed]
        kept = keep[table]
        perms[j * new_sealed : (j + 1) * new_sealed] = remap[table[kept]]
        before = np.zeros(sealed + 1, dtype=np.int64)
        np.cumsum(kept, out=before[1:])
        offsets[j] = before[state.offsets[j]]
    kept = keep[state.id_pos]
    rows = np.ascontiguousarray(state.rows[:n][keep])
    return _State(
        rows=rows,
        ids=state.ids[:n][keep],
        alive=np.ones(state.live, dtype=np.bool_),
        n=state.live,
        live=state.live,
        sealed=new_sealed,
        perms=perms,
        offsets=offsets,
        id_sorted=state.id_sorted[kept],
        id_pos=remap[state.id_pos[kept]],
    )


def _positions_of(state: _State, ids: Ids) -> npt.NDArray[np.int64]:
    """Rows of the live entries among ``ids``."""
    lo = np.searchsorted(state.id_sorted, ids, side="left")
    hi = np.searchsorted(state.id_sorted, ids, side="right")
    lengths = hi - lo
    ends = np.cumsum(lengths)
    index = np.arange(int(lengths.sum())) + np.repeat(lo - (ends - lengths), lengths)
    sealed = state.id_pos[index].astype(np.int64)
    tail = np.flatnonzero(np.isin(state.ids[state.sealed : state.n], ids)) + state.sealed
    found: npt.NDArray[np.int64] = np.concatenate([sealed, tail.astype(np.int64)])
    return found[state.alive[found]]


# -- files -----------------------------------------------------------------------------------


def _live_sorted(state: _State) -> tuple[Ids, HashRows]:
    live = state.alive[: state.n]
    ids = state.ids[: state.n][live]
    order = np.argsort(ids, kind="stable")
    return ids[order], np.ascontiguousarray(state.rows[: state.n][live][order])


def _content_digest(ids: Ids, rows: HashRows) -> str:
    digest = hashlib.sha256(f"{FORMAT_NAME}/{FORMAT_VERSION}\n".encode())
    digest.update(ids.astype("<i8").tobytes())
    digest.update(rows.tobytes())
    return digest.hexdigest()


def _read_file(path: Path) -> tuple[Ids, HashRows]:
    source = str(path)
    if not path.is_file():
        raise InputError(source, "no such PDQ index file")
    try:
        with path.open("rb") as file, np.load(file, allow_pickle=False) as archive:
            names = set(archive.files)
            if not {"header", "ids", "hashes"} <= names:
                raise PayloadError(source, "not a Nigehban PDQ index file (members missing)")
            header = json.loads(archive["header"].tobytes().decode("utf-8"))
            if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
                raise PayloadError(source, "not a Nigehban PDQ index file (unknown format name)")
            version = header.get("version")
            if version != FORMAT_VERSION:
                raise InputError(
                    source,
                    f"PDQ index file version {preview(version)} is not supported "
                    f"(this version of Nigehban reads version {FORMAT_VERSION})",
                )
            ids, rows = archive["ids"], archive["hashes"]
    except (zipfile.BadZipFile, ValueError, EOFError, OSError, KeyError, UnicodeDecodeError) as exc:
        raise PayloadError(
            source, f"damaged or not a PDQ index file ({type(exc).__name__})"
        ) from None
    if ids.dtype != np.int64 or ids.ndim != 1:
        raise PayloadError(source, f"ids must be int64, not {ids.dtype} {ids.shape}")
    if rows.dtype != np.uint8 or rows.shape != (len(ids), HASH_BYTES):
        raise PayloadError(
            source, f"hashes must be ({len(ids)}, {HASH_BYTES}) uint8, not {rows.shape}"
        )
    if header.get("count") != len(ids) or (len(ids) > 1 and not np.all(ids[1:] > ids[:-1])):
        raise PayloadError(source, "damaged: entry count or id order does not match the header")
    if header.get("sha256") != _content_digest(ids, rows):
        raise PayloadError(source, "damaged: the content does not match its checksum")
    return ids, rows
