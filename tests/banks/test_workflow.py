"""The banks workflow end to end on a real store: changes audited, the index updated in place,
matches logged, imports all-or-good-records, exports round-trip; and the bank detector."""

from __future__ import annotations

import base64
import hashlib
import json
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from nigehban.banks.detector import BankDetector
from nigehban.banks.formats import Format
from nigehban.banks.model import Entry, Labels, SignalType, Thresholds
from nigehban.detectors.base import Detector
from nigehban.errors import ConflictError, InputError, NotFoundError, ValidationError
from nigehban.hashing.files import MediaKind as FileKind
from nigehban.hashing.media import FileHashes
from nigehban.hashing.video import VpdqFrame, format_vpdq
from nigehban.model.digests import Digest
from nigehban.model.items import Item, Media, MediaKind, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.taxonomy import Category
from nigehban.store.store import Store
from nigehban.testing.detector_contract import DetectorContract
from nigehban.workflows.banks import BanksWorkflow
from tests.conftest import TENANT, make_store

VECTORS = Path(__file__).resolve().parent.parent / "data" / "pdq_vectors" / "images"
BRIDGE = VECTORS / "pdq__data__reg-test-input__dih__bridge-1-original.jpg"
ROTATED = VECTORS / "pdq__data__reg-test-input__dih__bridge-2-rotate-90.jpg"
OTHER = VECTORS / "pdq__data__reg-test-input__labelme-subset__q0003.jpg"
STATEMENT = (
    "تحریک کے مجاہدین نے آج شمالی علاقے میں سیکیورٹی چوکی پر حملے کی ذمہ داری قبول کی ہے، "
    "ہماری جنگ اس وقت تک جاری رہے گی جب تک شریعت نافذ نہیں ہوتی"
)


@pytest.fixture
def wf(store: Store) -> BanksWorkflow:
    return BanksWorkflow(store, TENANT)


def _events(store: Store) -> list[str]:
    with store.reading(TENANT) as s:
        return [e.name for e in s.events()]


def test_a_rotated_image_matches_the_original_and_the_match_is_logged(
    wf: BanksWorkflow, store: Store
) -> None:
    wf.create("tvec", "tester", description="known propaganda posters")
    added = wf.add(
        "tvec",
        [(SignalType.PDQ, wf.hash_file(BRIDGE).pdq or "")],
        "tester",
        Labels(group="pk-ttp", category=Category.PROPAGANDA, source="own"),
    )
    assert len(added.added) == 1
    report = wf.match_file(ROTATED, "tester")
    assert [m.entry.id for m in report.matches] == added.added
    assert report.matches[0].entry.labels.group == "pk-ttp"
    assert report.matches[0].probe != 0  # matched through a rotation, not as given
    assert wf.match_file(OTHER, "tester").matches == []
    log = wf.match_log()
    assert len(log) == 1 and log[0].entry_id == added.added[0] and log[0].bank == "tvec"
    assert log[0].subject.startswith("sha256:")
    names = _events(store)
    assert {"bank.created", "bank.entries_added", "bank.matched"} <= set(names)
    with store.reading(TENANT) as s:
        assert s.verify_chain() == []


def test_per_bank_threshold_and_disable_take_effect_without_a_rebuild(wf: BanksWorkflow) -> None:
    pdq = wf.hash_file(BRIDGE).pdq or ""
    wf.create("strict", thresholds=Thresholds(pdq=0), actor="t")
    wf.create("loose", thresholds=Thresholds(pdq=31), actor="t")
    near = pdq[:-1] + ("0" if pdq[-1] != "0" else "1")  # 1-4 bits away
    wf.add("strict", [(SignalType.PDQ, near)], "t")
    entry = wf.add("loose", [(SignalType.PDQ, near)], "t").added[0]
    assert {m.entry.bank for m in wf.match_value(SignalType.PDQ, pdq, "t").matches} == {"loose"}
    before = wf.index.snapshot_hash
    wf.set_entry(entry, "t", enabled=False)
    assert wf.match_value(SignalType.PDQ, pdq, "t").matches == []
    assert wf.index.snapshot_hash != before
    wf.set_entry(entry, "t", enabled=True)
    assert wf.index.snapshot_hash == before  # same entries and thresholds: same snapshot
    wf.update("loose", "t", enabled=False)
    assert wf.match_value(SignalType.PDQ, pdq, "t").matches == []
    wf.update("loose", "t", enabled=True)
    assert len(wf.match_value(SignalType.PDQ, pdq, "t").matches) == 1
    wf.update("strict", "t", thresholds=Thresholds(pdq=8))
    assert len(wf.match_value(SignalType.PDQ, pdq, "t").matches) == 2
    assert wf.delete("loose", "t") == 1
    assert [m.entry.bank for m in wf.match_value(SignalType.PDQ, pdq, "t").matches] == ["strict"]


def test_a_second_workflow_builds_the_same_index_from_the_store(
    wf: BanksWorkflow, store: Store
) -> None:
    wf.create("b", actor="t")
    wf.add("b", [(SignalType.MD5, "A" * 32), (SignalType.TEXT, STATEMENT)], "t")
    again = BanksWorkflow(store, TENANT)
    assert again.index.snapshot_hash == wf.index.snapshot_hash
    assert len(again.match_value(SignalType.MD5, "a" * 32, "t").matches) == 1


def test_a_long_running_workflow_sees_what_another_process_changed(
    wf: BanksWorkflow, store: Store
) -> None:
    """The server's index (``wf``) and the CLI's (``other``, another process on the same
    store): the server rebuilds its index on its next refresh, and only then."""
    wf.create("b", actor="server")
    entry = wf.add("b", [(SignalType.MD5, "a" * 32)], "server").added[0]
    assert wf.refresh() is False  # its own changes keep it current
    other = BanksWorkflow(store, TENANT)
    other.set_entry(entry, "cli", enabled=False)  # an operator disables a false positive
    other.add("b", [(SignalType.MD5, "b" * 32)], "cli")
    assert len(wf.match_value(SignalType.MD5, "a" * 32, "t").matches) == 1  # stale until...
    assert wf.refresh() is True and wf.refresh() is False
    assert wf.match_value(SignalType.MD5, "a" * 32, "t").matches == []
    assert len(wf.match_value(SignalType.MD5, "b" * 32, "t").matches) == 1
    assert wf.index.snapshot_hash == other.index.snapshot_hash
    other.update("b", "cli", enabled=False)
    wf.add("b", [(SignalType.MD5, "c" * 32)], "server")  # a change of its own, on a stale index
    assert wf.refresh() is True  # rebuilt: the bank another process disabled matches nothing
    assert wf.match_value(SignalType.MD5, "c" * 32, "t").matches == []


def test_bad_values_are_refused_with_the_value_named_and_nothing_added(wf: BanksWorkflow) -> None:
    wf.create("b", actor="t")
    with pytest.raises(ValidationError, match="'abc' is not a PDQ hash"):
        wf.add("b", [(SignalType.MD5, "0" * 32), (SignalType.PDQ, "abc")], "t")
    with pytest.raises(ValidationError, match="not a known algorithm"):
        wf.add("b", [("tmk2", "0" * 32)], "t")
    assert wf.entries("b") == []
    with pytest.raises(ConflictError):
        wf.create("b", actor="t")
    with pytest.raises(NotFoundError):
        wf.add("missing", [(SignalType.MD5, "0" * 32)], "t")
    with pytest.raises(ValidationError):
        wf.create("Bad Name", actor="t")


def test_duplicates_are_counted_not_stored_twice(wf: BanksWorkflow) -> None:
    wf.create("b", actor="t")
    wf.add("b", [(SignalType.SHA256, "ab" * 32)], "t")
    outcome = wf.add("b", [(SignalType.SHA256, "AB" * 32), (SignalType.MD5, "1" * 32)], "t")
    assert outcome.duplicates == 1 and len(outcome.added) == 1
    assert len(wf.entries("b")) == 2


def test_an_import_adds_the_good_records_and_names_the_bad(wf: BanksWorkflow) -> None:
    wf.create("b", actor="t")
    data = (
        "signal_type,value,group,category,source,added_by,note,enabled,extra\n"
        f"md5,{'1' * 32},pk-ttp,propaganda,own,me,,true,{{}}\n"
        "pdq,abc,,,,,,true,{}\n"
        f"tmk2,{'2' * 32},,,,,,true,{{}}\n"
        f"sha256,{'3' * 64},,,,,,true,{{}}\n"
    ).encode()
    report = wf.import_file("b", data, "t", fmt=Format.GENERIC_CSV, filename="list.csv")
    assert report.added == 2 and len(report.errors) == 2
    assert any("'abc' is not a PDQ hash" in e for e in report.errors)
    assert any("tmk2" in e for e in report.errors)
    assert len(wf.match_value(SignalType.MD5, "1" * 32, "t").matches) == 1


def test_all_or_nothing_and_unreadable_imports_change_no_bank(
    wf: BanksWorkflow, store: Store
) -> None:
    wf.create("b", actor="t")
    before = _events(store)
    data = f"signal_type,value\nmd5,{'1' * 32}\npdq,abc\n".encode()
    report = wf.import_file("b", data, "t", fmt=Format.GENERIC_CSV, all_or_nothing=True)
    assert report.added == 0 and report.errors
    with pytest.raises(InputError):
        wf.import_file("b", b"\x00\x01 not a list", "t", filename="x.bin")
    assert wf.entries("b") == []
    assert _events(store) == before


def test_export_then_import_round_trips_every_label(wf: BanksWorkflow) -> None:
    wf.create("a", actor="t")
    wf.create("c", actor="t")
    labels = Labels(group="pk-bla", category=Category.GLORIFICATION, source="tat", note="poster")
    wf.add("a", [(SignalType.PDQ, "f" * 64), (SignalType.TEXT, STATEMENT)], "t", labels)
    for fmt in (Format.GENERIC_CSV,):
        data = wf.export("a", fmt)
        report = wf.import_file("c", data, "t", fmt=fmt)
        assert report.errors == [] and report.added == 2
    original = {
        (e.signal_type, e.value, e.labels.group, e.labels.category) for e in wf.entries("a")
    }
    copied = {(e.signal_type, e.value, e.labels.group, e.labels.category) for e in wf.entries("c")}
    assert original == copied


def test_a_label_no_import_format_could_read_back_is_refused(wf: BanksWorkflow) -> None:
    """Labels are held to the import formats' 500-character limit when added or changed, so
    that every stored entry can be exported and imported again."""
    wf.create("a", actor="t")
    long = "n" * 501
    with pytest.raises(ValidationError, match="501 characters"):
        wf.add("a", [(SignalType.MD5, "1" * 32)], "t", Labels(note=long))
    with pytest.raises(ValidationError, match=r"extra\.k"):
        wf.add("a", [(SignalType.MD5, "1" * 32)], "t", Labels(extra={"k": long}))
    assert wf.entries("a") == []
    added = wf.add("a", [(SignalType.MD5, "1" * 32)], "t", Labels(group="g" * 500))
    with pytest.raises(ValidationError, match="group"):
        wf.set_entry(added.added[0], "t", labels=Labels(group=long))
    wf.create("c", actor="t")
    for fmt in Format:
        report = wf.import_file("c", wf.export("a", fmt), "t", fmt=fmt)
        assert report.errors == []


def test_a_near_duplicate_statement_matches_its_text_entry(wf: BanksWorkflow) -> None:
    wf.create("statements", actor="t")
    wf.add("statements", [(SignalType.TEXT, STATEMENT)], "t")
    copy = STATEMENT.replace("ی", "ي").replace("،", "") + "\u200c #خبر"
    assert len(wf.match_value(SignalType.TEXT, copy, "t").matches) == 1
    unrelated = "آج لاہور میں موسم خوشگوار رہا اور شام کو ہلکی بارش ہوئی"
    assert wf.match_value(SignalType.TEXT, unrelated, "t").matches == []


# -- the detector ------------------------------------------------------------------------------


def _ref(kind: ItemKind, scoped: str) -> ItemRef:
    return ItemRef(TENANT, Platform.WHATSAPP, kind, scoped)


@pytest.fixture
def bank_store(tmp_path: Path) -> Iterator[Store]:
    s = make_store("sqlite-file", tmp_path)
    yield s
    s.close()


def _detector_workflow(store: Store) -> BanksWorkflow:
    wf = BanksWorkflow(store, TENANT)
    wf.create("known", actor="t")
    data = BRIDGE.read_bytes()
    wf.add(
        "known",
        [
            (SignalType.SHA256, hashlib.sha256(data).hexdigest()),
            (SignalType.PDQ, wf.hash_file(BRIDGE).pdq or ""),
            (SignalType.TEXT, STATEMENT),
        ],
        "t",
        Labels(group="pk-ttp", category=Category.PROPAGANDA),
    )
    return wf


def test_the_detector_matches_a_whatsapp_digest_a_local_file_and_a_post(
    bank_store: Store,
) -> None:
    wf = _detector_workflow(bank_store)
    detector = BankDetector(wf.index)
    sha = base64.b64encode(hashlib.sha256(BRIDGE.read_bytes()).digest()).decode()
    media = Media(
        _ref(ItemKind.MEDIA, "1/m1"), MediaKind.IMAGE, digests=(Digest.parse("sha256", sha),)
    )
    signals = detector.detect(media)
    assert [s.evidence["signal_type"] for s in signals] == ["sha256"]
    assert signals[0].evidence["group"] == "pk-ttp" and signals[0].score == 1.0
    local = Media(_ref(ItemKind.MEDIA, "1/m2"), MediaKind.IMAGE, local_path=str(ROTATED))
    assert [s.evidence["signal_type"] for s in detector.detect(local)] == ["pdq"]
    post = Post(_ref(ItemKind.POST, "1/p"), Surface.GROUP, text=STATEMENT + " 🔥")
    assert [s.evidence["signal_type"] for s in detector.detect(post)] == ["text"]
    assert detector.snapshot_hash == wf.index.snapshot_hash


def test_the_detector_matches_every_digest_of_a_file_it_cannot_hash_perceptually(
    wf: BanksWorkflow, tmp_path: Path
) -> None:
    """A container with no video stream (an audio-only MP4 of a nasheed, sniffed as video)
    has no vPDQ, but its exact digests are still matched, SHA-1 and SHA-512 as well."""
    audio = tmp_path / "nasheed.mp4"
    audio.write_bytes(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(4000))
    image = tmp_path / "poster.jpg"
    image.write_bytes(OTHER.read_bytes())
    wf.create("known", actor="t")
    wf.add("known", [(SignalType.MD5, hashlib.md5(audio.read_bytes()).hexdigest())], "t")
    wf.add("known", [(SignalType.SHA1, hashlib.sha1(image.read_bytes()).hexdigest())], "t")
    detector = BankDetector(wf.index)
    for path, kind, expected in ((audio, MediaKind.VIDEO, "md5"), (image, MediaKind.IMAGE, "sha1")):
        media = Media(_ref(ItemKind.MEDIA, f"1/{path.stem}"), kind, local_path=str(path))
        assert [s.evidence["signal_type"] for s in detector.detect(media)] == [expected]


def test_a_tat_list_re_imported_with_a_removal_disables_the_entry_and_never_enables_one(
    wf: BanksWorkflow,
) -> None:
    def page(deleted: bool) -> bytes:
        record = {"id": 7, "hash_digest": "a" * 64, "algorithm": "SHA256", "deleted": deleted}
        return json.dumps({"results": [record]}).encode()

    wf.create("tat", actor="t")
    first = wf.import_file("tat", page(False), "t", fmt=Format.TAT_JSON)
    assert (first.added, first.withdrawn) == (1, 0)
    assert len(wf.match_value(SignalType.SHA256, "a" * 64, "t").matches) == 1
    removal = wf.import_file("tat", page(True), "t", fmt=Format.TAT_JSON)
    assert (removal.added, removal.duplicates, removal.withdrawn) == (0, 1, 1)
    assert wf.match_value(SignalType.SHA256, "a" * 64, "t").matches == []
    again = wf.import_file("tat", page(False), "t", fmt=Format.TAT_JSON)  # a local disable stands
    assert (again.withdrawn, wf.match_value(SignalType.SHA256, "a" * 64, "t").matches) == (0, [])


class TestBankDetectorContract(DetectorContract):
    @pytest.fixture(autouse=True)
    def _store(self, tmp_path: Path) -> Iterator[None]:
        self._s = make_store("sqlite-file", tmp_path)
        self._wf = _detector_workflow(self._s)
        yield
        self._s.close()

    def make_detector(self) -> Detector:
        return BankDetector(self._wf.index)

    def sample_items(self) -> list[Item]:
        return [
            Post(_ref(ItemKind.POST, "1/a"), Surface.GROUP, text=STATEMENT),
            Post(_ref(ItemKind.POST, "1/b"), Surface.GROUP, text="ordinary words"),
            Media(_ref(ItemKind.MEDIA, "1/c"), MediaKind.IMAGE, local_path=str(BRIDGE)),
        ]


def test_entries_keep_their_labels(wf: BanksWorkflow) -> None:
    wf.create("b", actor="t")
    labels = Labels(group="pk-ttp", category=Category.THREAT, source="own", note="n")
    entry_id = wf.add("b", [(SignalType.MD5, "9" * 32)], "t", labels).added[0]
    stored = wf.entries("b")[0]
    assert stored == Entry(
        "b",
        SignalType.MD5,
        "9" * 32,
        labels,
        True,
        entry_id,
        stored.created_at,
        stored.updated_at,
    )


def test_a_value_another_writer_stored_first_is_a_conflict_not_a_crash(
    wf: BanksWorkflow, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes adding the same value at once both find it absent; the database refuses
    the second insert. That is a ConflictError (409, exit 1) with nothing changed."""
    wf.create("b", actor="t")
    wf.add("b", [(SignalType.MD5, "1" * 32)], "t")
    before = _events(store)
    # the other writer's row is invisible to this one's duplicate check, as in the race
    monkeypatch.setattr("nigehban.store.banks.chunks", lambda keys: [])
    with pytest.raises(ConflictError, match="try again"):
        wf.add("b", [(SignalType.MD5, "2" * 32), (SignalType.MD5, "1" * 32)], "t")
    assert [e.value for e in wf.entries("b")] == ["1" * 32]
    assert _events(store) == before


def _video(seed: int, quality: int, frames: int = 6) -> tuple[VpdqFrame, ...]:
    rng = random.Random(seed)
    return tuple(
        VpdqFrame(i, quality, f"{rng.getrandbits(256):064x}", float(i)) for i in range(frames)
    )


def test_hash_min_quality_applies_to_video_frames(bank_store: Store) -> None:
    """``hash_min_quality`` is the floor for every PDQ hash, a video's frames included: a
    stricter floor leaves frames under it unmatched (and says so), a laxer one matches them."""
    fair = _video(1, 60)  # over the default floor of 50, under a stricter one of 70
    flat = _video(2, 10)
    BanksWorkflow(bank_store, TENANT).create("videos", actor="t")
    BanksWorkflow(bank_store, TENANT).add(
        "videos", [(SignalType.VPDQ, format_vpdq(fair)), (SignalType.VPDQ, format_vpdq(flat))], "t"
    )
    default = BanksWorkflow(bank_store, TENANT)
    assert len(default.match_frames(fair, "t", "fair").matches) == 1
    assert default.match_frames(flat, "t", "flat").matches == []

    strict = BanksWorkflow(bank_store, TENANT, min_quality=70)
    report = strict.match_frames(fair, "t", "fair")
    assert report.matches == []
    assert report.skipped == ["vPDQ: 6 of 6 distinct frames have a quality below 70: not matched"]
    assert strict.match_value(SignalType.VPDQ, format_vpdq(fair), "t").matches == []
    clip = FileHashes("clip.mp4", 1, FileKind.VIDEO, "", "", "", "", vpdq=fair)
    report = strict.match_hashes(clip, "t", "clip.mp4")
    assert report.matches == [] and len(report.skipped) == 1
    sharp = _video(3, 90, 1)
    report = strict.match_frames(fair[:3] + flat[3:] + sharp + sharp, "t", "mixed")
    assert report.skipped == ["vPDQ: 6 of 7 distinct frames have a quality below 70: not matched"]

    lax = BanksWorkflow(bank_store, TENANT, min_quality=0)
    report = lax.match_frames(flat, "t", "flat")
    assert len(report.matches) == 1 and report.skipped == []
    assert report.matches[0].min_quality == 0


def test_the_detector_ignores_video_frames_under_the_quality_floor(
    bank_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A scan's bank detector holds a video's frames to its ``min_quality`` (the scan passes
    ``hash_min_quality``), and its signal says which floor it used."""
    fair = _video(1, 60)
    wf = BanksWorkflow(bank_store, TENANT)
    wf.create("videos", actor="t")
    wf.add("videos", [(SignalType.VPDQ, format_vpdq(fair))], "t")
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"not hashed: hash_file is replaced")
    hashed = FileHashes(str(clip), 1, FileKind.VIDEO, "", "", "", "", vpdq=fair)
    monkeypatch.setattr("nigehban.banks.detector.hash_file", lambda *a, **k: hashed)
    media = Media(_ref(ItemKind.MEDIA, "1/v"), MediaKind.VIDEO, local_path=str(clip))
    assert BankDetector(wf.index, min_quality=70).detect(media) == []
    (signal,) = BankDetector(wf.index).detect(media)
    assert signal.evidence["signal_type"] == "vpdq" and signal.evidence["min_quality"] == 50
    assert "of quality 50 or more" in signal.explanation


def test_a_text_to_match_is_held_to_max_text_chars_not_to_the_entry_limit(
    bank_store: Store,
) -> None:
    """A post to check may be as long as any post (``max_text_chars``, 100,000 by default); only
    a bank *entry* is held to 20,000 characters. The first 50,000 are read, and the report says
    so when there were more; a text over the limit is refused naming its length and the limit,
    never quoting it."""
    wf = BanksWorkflow(bank_store, TENANT)
    wf.create("statements", actor="t")
    wf.add("statements", [(SignalType.TEXT, STATEMENT)], "t")
    padded = STATEMENT + "\u200b" * 30_000  # zero-width padding, folded away by the normaliser
    report = wf.match_value(SignalType.TEXT, padded, "t")
    assert len(report.matches) == 1 and report.skipped == []
    longer = STATEMENT + "\u200b" * 60_000
    report = wf.match_value(SignalType.TEXT, longer, "t", "x/post/1")
    assert len(report.matches) == 1
    assert report.skipped == [f"text: only the first 50000 of {len(longer)} characters are read"]
    assert len(wf.match_text(padded, "t", "x/post/2").matches) == 1

    small = BanksWorkflow(bank_store, TENANT, max_text_chars=len(STATEMENT))
    assert len(small.match_value(SignalType.TEXT, STATEMENT, "t").matches) == 1
    refusal = (
        f"field value: a text to match is {len(STATEMENT) + 1} characters, "
        f"over max_text_chars ({len(STATEMENT)})"
    )
    with pytest.raises(ValidationError) as refused:
        small.match_value(SignalType.TEXT, STATEMENT + "!", "t")
    assert str(refused.value) == refusal
    with pytest.raises(ValidationError) as refused:
        small.match_text(STATEMENT + "!", "t", "x/post/3")
    assert str(refused.value) == refusal
    with pytest.raises(ValidationError, match="a text to match must not be empty"):
        wf.match_value(SignalType.TEXT, "  \n", "t")
    with pytest.raises(
        ValidationError, match=r"a text entry is 20001 characters \(at most 20000\)"
    ):
        wf.add("statements", [(SignalType.TEXT, "x" * 20_001)], "t")
