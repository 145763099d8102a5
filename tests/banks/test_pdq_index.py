"""The PDQ index against a brute-force reference: exact answers for every strategy and threshold.

The reference is plain Python (``int.bit_count`` of the XOR of two hashes), independent of NumPy
and FAISS. Hash sets are drawn from a seed, and near-duplicates are planted at every distance
from 0 to past the threshold by flipping chosen bits of indexed hashes.
"""

from __future__ import annotations

import json
import threading
import zipfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigehban.banks.pdq_index import (
    FORMAT_NAME,
    HASH_BYTES,
    MAX_PROBE_RADIUS,
    SUBSTRINGS,
    PdqIndex,
    _radii,
)
from nigehban.errors import InputError, PayloadError, UsageError, ValidationError

THRESHOLDS = (0, 10, 31, 40, 63)
STRATEGIES = ("flat", "multi-index", "auto")
Model = dict[int, bytes]


def make_index(strategy: str) -> PdqIndex:
    # Small cutoffs so that "auto" holds tables and a tail even with a few hundred entries.
    return PdqIndex(strategy=strategy, flat_cutoff=40, tail_rows=25)  # type: ignore[arg-type]


def distance(a: bytes, b: bytes) -> int:
    return (int.from_bytes(a, "big") ^ int.from_bytes(b, "big")).bit_count()


def brute(model: Model, probes: list[bytes], max_distance: int) -> list[tuple[int, int]]:
    best: dict[int, int] = {}
    for entry_id, value in model.items():
        d = min(distance(p, value) for p in probes)
        if d <= max_distance:
            best[entry_id] = d
    return sorted(((i, d) for i, d in best.items()), key=lambda m: (m[1], m[0]))


def flip(value: bytes, bits: list[int]) -> bytes:
    out = bytearray(value)
    for bit in bits:
        out[bit >> 3] ^= 1 << (bit & 7)
    return bytes(out)


def random_hashes(rng: np.random.Generator, count: int, clustered: bool) -> list[bytes]:
    if not clustered:
        return [bytes(r) for r in rng.integers(0, 256, (count, HASH_BYTES), dtype=np.uint8)]
    # Few centres, each with many close variants: many rows share substrings, so buckets are
    # crowded and several tables find the same rows.
    centres = rng.integers(0, 256, (3, HASH_BYTES), dtype=np.uint8)
    return [
        flip(bytes(centres[rng.integers(3)]), rng.choice(256, rng.integers(0, 40)).tolist())
        for _ in range(count)
    ]


def planted(rng: np.random.Generator, model: Model, top: int) -> list[bytes]:
    """Queries at each distance 0..top from indexed hashes, plus two unrelated ones."""
    values = list(model.values())
    queries = [bytes(r) for r in rng.integers(0, 256, (2, HASH_BYTES), dtype=np.uint8)]
    if values:
        for d in range(top + 1):
            origin = values[rng.integers(len(values))]
            queries.append(flip(origin, rng.choice(256, d, replace=False).tolist()))
    return queries


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 2**32 - 1),
    size=st.integers(0, 300),
    strategy=st.sampled_from(STRATEGIES),
    max_distance=st.sampled_from(THRESHOLDS),
    clustered=st.booleans(),
)
def test_query_returns_exactly_the_brute_force_set(
    seed: int, size: int, strategy: str, max_distance: int, clustered: bool
) -> None:
    rng = np.random.default_rng(seed)
    hashes = random_hashes(rng, size, clustered)
    ids = rng.choice(2**40, size, replace=False).tolist()
    model = dict(zip(ids, hashes, strict=True))
    index = make_index(strategy)
    index.add(ids, [h.hex() for h in hashes])
    assert len(index) == size
    for query in planted(rng, model, max_distance + 3):
        assert index.query(query.hex(), max_distance) == brute(model, [query], max_distance)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    strategy=st.sampled_from(STRATEGIES),
    max_distance=st.sampled_from(THRESHOLDS),
)
def test_query_many_gives_each_entry_its_smallest_distance(
    seed: int, strategy: str, max_distance: int
) -> None:
    rng = np.random.default_rng(seed)
    hashes = random_hashes(rng, 200, clustered=bool(seed % 2))
    model = dict(enumerate(hashes))
    index = make_index(strategy)
    index.add(list(model), hashes)  # bytes are accepted as well as hex
    queries = planted(rng, model, max_distance + 2)
    for start in range(0, len(queries), 8):
        probes = queries[start : start + 8]
        expected = brute(model, probes, max_distance)
        assert index.query_many([p.hex() for p in probes], max_distance) == expected
        rows = np.frombuffer(b"".join(probes), dtype=np.uint8).reshape(-1, HASH_BYTES)
        assert index.query_many(rows, max_distance) == expected
        for entry_id, d, probe in index.query_probes(probes, max_distance):
            distances = [distance(p, model[entry_id]) for p in probes]
            assert d == distances[probe] == min(distances)
            assert probe == distances.index(d)  # the first probe at that distance


operation = st.one_of(
    st.tuples(st.just("add"), st.integers(1, 60)),
    st.tuples(st.just("replace"), st.integers(1, 20)),
    st.tuples(st.just("remove"), st.integers(1, 20)),
    st.tuples(st.just("re-add"), st.integers(1, 20)),
    st.tuples(st.just("compact"), st.just(0)),
)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    strategy=st.sampled_from(STRATEGIES),
    operations=st.lists(operation, min_size=1, max_size=12),
)
def test_add_remove_and_re_add_sequences_follow_the_model(
    seed: int, strategy: str, operations: list[tuple[str, int]]
) -> None:
    rng = np.random.default_rng(seed)
    index = make_index(strategy)
    model: Model = {}
    removed: Model = {}
    next_id = 0
    for op, count in operations:
        if op == "add":
            new = dict(
                zip(range(next_id, next_id + count), random_hashes(rng, count, False), strict=True)
            )
            next_id += count
        elif op == "replace":  # same ids, new hashes: the old hash must stop matching
            chosen = list(model)[:count]
            new = dict(zip(chosen, random_hashes(rng, len(chosen), False), strict=True))
        elif op == "re-add":  # removed (disabled) entries come back
            new = dict(list(removed.items())[:count])
        else:
            new = {}
        if new:
            index.add(list(new), [h.hex() for h in new.values()])
            model.update(new)
            for key in new:
                removed.pop(key, None)
        if op == "remove":
            gone = [int(i) for i in rng.choice(next_id + 5, count)]  # some unknown ids too
            expected_count = len(set(gone) & set(model))
            assert index.remove(gone) == expected_count
            for key in gone:
                if key in model:
                    removed[key] = model.pop(key)
        if op == "compact":
            index.compact()
        assert len(index) == len(model)
        queries = planted(rng, model, 33) + [flip(h, [0]) for h in list(removed.values())[-10:]]
        for query in queries:
            assert index.query(query.hex(), 31) == brute(model, [query], 31)
        fresh = PdqIndex(strategy="flat")
        fresh.add(list(model), list(model.values()))
        assert index.snapshot_hash() == fresh.snapshot_hash()
    assert all(i in index for i in model) and not any(i in index for i in removed)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_removed_entries_stop_matching_at_once(strategy: str) -> None:
    rng = np.random.default_rng(2)
    hashes = random_hashes(rng, 200, clustered=False)
    index = make_index(strategy)
    index.add(list(range(190)), hashes[:190])  # tables (auto: 190 rows) ...
    index.add(list(range(190, 200)), hashes[190:])  # ... and a tail
    for gone in (5, 195):
        assert index.query(hashes[gone], 0) == [(gone, 0)]
        assert index.remove([gone, 10_000]) == 1
        assert index.query(hashes[gone], 31) == []
        assert index.remove([gone]) == 0
        assert gone not in index and len(index) == 199 - (gone == 195)
    assert index.stats().dead_rows == 2  # tombstones, nothing rebuilt
    index.add([5], [hashes[5]])
    assert index.query(hashes[5], 0) == [(5, 0)]


def test_single_entry_index_matches() -> None:
    """A bank of one hash matches (a known failure of other indexes)."""
    for strategy in STRATEGIES:
        index = make_index(strategy)
        index.add([7], ["f" * 64])
        assert index.query("f" * 64, 0) == [(7, 0)]
        assert index.query("F" * 63 + "e", 31) == [(7, 1)]


def test_duplicate_hashes_under_different_ids_all_match() -> None:
    index = make_index("multi-index")
    index.add([1, 2, 3], ["a" * 64, "a" * 64, "b" * 64])
    assert index.query("a" * 64, 0) == [(1, 0), (2, 0)]


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_large_distances_fall_back_to_an_exact_scan(strategy: str) -> None:
    rng = np.random.default_rng(5)
    hashes = random_hashes(rng, 300, clustered=False)
    model = dict(enumerate(hashes))
    index = make_index(strategy)
    index.add(list(model), hashes)
    for query in [*planted(rng, model, 5), flip(hashes[0], list(range(0, 256, 2)))]:
        for max_distance in (79, 80, 100, 128, 256):
            assert index.query(query, max_distance) == brute(model, [query], max_distance)


@given(max_distance=st.integers(0, 256))
def test_probe_radii_satisfy_the_pigeonhole_bound(max_distance: int) -> None:
    radii = _radii(max_distance)
    if radii is None:
        assert max_distance + 1 > SUBSTRINGS * MAX_PROBE_RADIUS
        return
    assert len(radii) == SUBSTRINGS and radii.min() >= -1 and radii.max() <= MAX_PROBE_RADIUS
    assert int((radii + 1).sum()) == max_distance + 1


@settings(max_examples=200)
@given(
    bits=st.lists(st.integers(0, 255), unique=True, max_size=79),
    max_distance=st.integers(0, 79),
)
def test_some_substring_is_within_its_radius(bits: list[int], max_distance: int) -> None:
    """The guarantee itself: a hash within the distance is near the query on some substring."""
    if len(bits) > max_distance:
        return
    radii = _radii(max_distance)
    assert radii is not None
    per_substring = [0] * SUBSTRINGS
    for bit in bits:
        per_substring[bit // 16] += 1
    assert any(per_substring[j] <= radii[j] for j in range(SUBSTRINGS))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_save_and_load_round_trip(tmp_path: Path, strategy: str) -> None:
    rng = np.random.default_rng(11)
    hashes = random_hashes(rng, 150, clustered=False)
    model = dict(zip(range(1000, 1150), hashes, strict=True))
    index = make_index(strategy)
    index.add(list(model), hashes)
    index.remove([1000, 1001])
    del model[1000], model[1001]
    path = tmp_path / "pdq.index"
    index.save(path)
    loaded = PdqIndex.load(path, strategy="multi-index")
    assert len(loaded) == len(index) == 148
    assert loaded.snapshot_hash() == index.snapshot_hash()
    for query in planted(rng, model, 35):
        assert loaded.query(query, 31) == index.query(query, 31) == brute(model, [query], 31)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pdq.index"]  # no temporary left


def test_snapshot_hash_ignores_history() -> None:
    a, b = make_index("auto"), make_index("flat")
    a.add([1, 2, 3], ["1" * 64, "2" * 64, "3" * 64])
    a.remove([2])
    b.add([3], ["3" * 64])
    b.add([1], ["1" * 64])
    assert a.snapshot_hash() == b.snapshot_hash()
    b.add([3], ["4" * 64])
    assert a.snapshot_hash() != b.snapshot_hash()


def saved(tmp_path: Path) -> Path:
    index = make_index("flat")
    index.add([1, 2], ["1" * 64, "2" * 64])
    path = tmp_path / "pdq.index"
    index.save(path)
    return path


def rewrite(path: Path, **members: np.ndarray) -> None:
    with np.load(path, allow_pickle=False) as archive:
        contents = {name: archive[name] for name in archive.files}
    contents.update(members)
    with path.open("wb") as f:
        np.savez(f, **contents)


def header_of(path: Path) -> dict[str, object]:
    with np.load(path, allow_pickle=False) as archive:
        header: dict[str, object] = json.loads(archive["header"].tobytes())
    return header


def encode(header: dict[str, object]) -> np.ndarray:
    return np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)


def test_unknown_version_is_refused_clearly(tmp_path: Path) -> None:
    path = saved(tmp_path)
    rewrite(path, header=encode({**header_of(path), "version": 2}))
    with pytest.raises(InputError, match=r"version 2 is not supported.*reads version 1"):
        PdqIndex.load(path)


def test_other_format_is_refused(tmp_path: Path) -> None:
    path = saved(tmp_path)
    rewrite(path, header=encode({**header_of(path), "format": "something-else"}))
    with pytest.raises(PayloadError, match="not a Nigehban PDQ index"):
        PdqIndex.load(path)
    assert header_of(saved(tmp_path))["format"] == FORMAT_NAME


def test_changed_content_fails_the_checksum(tmp_path: Path) -> None:
    path = saved(tmp_path)
    hashes = np.full((2, HASH_BYTES), 0x11, dtype=np.uint8)
    rewrite(path, hashes=hashes)
    with pytest.raises(PayloadError, match="checksum"):
        PdqIndex.load(path)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"not an index at all" * 10,
        lambda data: data.replace(b"hashes", b"hashez"),  # a member renamed
        lambda data: b"",
    ],
)
def test_damaged_files_give_a_clear_error(tmp_path: Path, damage: object) -> None:
    path = saved(tmp_path)
    path.write_bytes(damage(path.read_bytes()))  # type: ignore[operator]
    with pytest.raises(PayloadError, match="PDQ index"):
        PdqIndex.load(path)


def test_pickled_members_are_never_loaded(tmp_path: Path) -> None:
    path = saved(tmp_path)
    rewrite(path, ids=np.array([object(), object()], dtype=object))
    with pytest.raises(PayloadError):
        PdqIndex.load(path)


def test_wrong_shapes_and_missing_file(tmp_path: Path) -> None:
    path = saved(tmp_path)
    rewrite(path, ids=np.array([1, 2], dtype=np.int32))
    with pytest.raises(PayloadError, match="int64"):
        PdqIndex.load(path)
    with pytest.raises(InputError, match="no such PDQ index file"):
        PdqIndex.load(tmp_path / "missing.index")
    with zipfile.ZipFile(tmp_path / "empty.npz", "w"):
        pass
    with pytest.raises(PayloadError, match="members missing"):
        PdqIndex.load(tmp_path / "empty.npz")


@pytest.mark.parametrize(
    "bad", ["abc", "g" * 64, "a" * 63, "a" * 65, "ab " + "c" * 61, "0x" + "a" * 62, ""]
)
def test_malformed_hashes_raise_validation_errors(bad: str) -> None:
    index = make_index("auto")
    index.add([1], ["a" * 64])
    with pytest.raises(ValidationError, match="is not a PDQ hash"):
        index.query(bad, 31)
    with pytest.raises(ValidationError, match="is not a PDQ hash"):
        index.add([2, 3], ["b" * 64, bad])
    with pytest.raises(ValidationError):
        index.query_many(["b" * 64, bad], 31)
    assert len(index) == 1 and 2 not in index  # a refused add changes nothing


def test_validation_message_names_the_value() -> None:
    with pytest.raises(ValidationError) as caught:
        make_index("auto").query("abc", 31)
    assert "'abc' is not a PDQ hash (expected 64 hex characters)" in str(caught.value)


def test_canonical_spellings_are_accepted() -> None:
    index = make_index("auto")
    index.add([1], ["  " + "AB" * 32 + "\n"])
    assert index.query("ab" * 32, 0) == [(1, 0)]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda i: i.add([1, 2], ["a" * 64]), "2 ids but 1 hashes"),
        (lambda i: i.add([1, 1], ["a" * 64, "b" * 64]), "more than once"),
        (lambda i: i.add([True], ["a" * 64]), "integers"),
        (lambda i: i.add([2**63], ["a" * 64]), "64 bits"),
        (lambda i: i.add([1], "a" * 64), "single hash"),
        (lambda i: i.add([1], np.zeros((1, 31), np.uint8)), "uint8 array"),
        (lambda i: i.query("a" * 64, -1), "outside 0..256"),
        (lambda i: i.query("a" * 64, 257), "outside 0..256"),
        (lambda i: i.query("a" * 64, True), "must be an integer"),
        (lambda i: PdqIndex(strategy="fast"), "not an index strategy"),  # type: ignore[arg-type]
    ],
)
def test_bad_arguments_are_usage_errors(call: object, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        call(make_index("auto"))  # type: ignore[operator]


def test_queries_from_several_threads_while_one_thread_writes() -> None:
    """Readers see whole states: the stable entries are always found, with exact distances."""
    rng = np.random.default_rng(3)
    stable = random_hashes(rng, 100, clustered=False)
    index = PdqIndex(strategy="auto", flat_cutoff=50, tail_rows=20)
    index.add(list(range(100)), stable)
    queries = [
        (i, flip(h, rng.choice(256, i % 32, replace=False).tolist())) for i, h in enumerate(stable)
    ]
    failures: list[str] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            for i, query in queries:
                found = dict(index.query(query, 31))
                if found.get(i) != i % 32:
                    failures.append(f"entry {i}: {found.get(i)}")

    readers = [threading.Thread(target=read) for _ in range(3)]
    for thread in readers:
        thread.start()
    next_id = 1000
    for _ in range(40):
        batch = random_hashes(rng, 30, clustered=False)
        index.add(list(range(next_id, next_id + 30)), batch)
        index.remove(list(range(next_id - 30, next_id - 10)))
        next_id += 30
    stop.set()
    for thread in readers:
        thread.join()
    assert failures == []
