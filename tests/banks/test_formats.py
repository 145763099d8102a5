"""Bank import/export formats: golden samples, round trips, bad records, pytx compatibility."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from threatexchange.exchanges.clients.techagainstterrorism.api import TATHashListEntry
from threatexchange.signal_type.md5 import VideoMD5Signal
from threatexchange.signal_type.pdq.signal import PdqSignal
from threatexchange.signal_type.raw_text import RawTextSignal
from threatexchange.signal_type.sha256 import VideoSHA256Signal

from nigehban.banks.formats import (
    Format,
    ImportResult,
    RecordError,
    detect_format,
    export,
    parse,
)
from nigehban.banks.model import Entry, Labels, SignalType
from nigehban.errors import PayloadError, UsageError, ValidationError
from nigehban.model.taxonomy import Category

DATA = Path(__file__).parent.parent / "data" / "banks"
GOLDEN = {
    Format.GENERIC_CSV: "generic.csv",
    Format.HMA_CSV: "hma.csv",
    Format.HMA_JSON: "hma.json",
    Format.TAT_JSON: "tat.json",
}
BANK = "known"

PDQ_A = "f8f8f0cee0f4a84f06370a22038f63f0b36e2ed596621e1d33e6b39c4e9c9b22"
PDQ_B = "f8f8f0cee0f4a84f06370a2a038f63f0b36e26d596621e1d33e6b39c4e9c9b22"
MD5_A = "ed3b883101f1d4c09e47417f4fd3ccf9"
SHA256_A = "0390cc920f55af38f01bf37dc55ac81cb1f3876ce50772437dbbf018fc3f1085"
SHA512_A = (
    "579877b83878ab3fc772ae1b0fb5fa8b887c189f93b36031bb59f9a2388b34c3"
    "1b531a9cd4385fd8f1ca04f8667a90ddab100d3e10e05dd6b6b1b8564f10d050"
)
URDU = "کافروں کے خلاف جہاد ہر مسلمان پر فرض ہے، آج ہی قافلے میں شامل ہو جاؤ"
PASHTO = "د مجاهدینو کاروان ته ورشئ، دا ستاسو دیني فرض دی"
BAD_PDQ = "field value: 'abc' is not a PDQ hash (expected 64 hex characters)"


def golden(fmt: Format) -> bytes:
    return (DATA / GOLDEN[fmt]).read_bytes()


def read(fmt: Format, data: bytes | str, **kwargs: int) -> ImportResult:
    return parse(fmt, data, "upload", BANK, **kwargs)


def messages(result: ImportResult) -> list[str]:
    return [str(error) for error in result.errors]


SAMPLE = [
    Entry(
        BANK,
        SignalType.PDQ,
        PDQ_A,
        Labels(
            group="TTP",
            category=Category.PROPAGANDA,
            source="platform-removals",
            added_by="analyst-7",
            note='Poster, cropped; "reposted" twice\nsecond line',
            extra={"case": "2024-118", "ideology": "islamist", "tags": "", "id": "12"},
        ),
    ),
    Entry(BANK, SignalType.MD5, MD5_A, Labels(source="tat", extra={"file_type": "mp4"})),
    Entry(BANK, SignalType.SHA256, SHA256_A, enabled=False),
    Entry(BANK, SignalType.SHA512, SHA512_A, Labels(category=Category.NEWS)),
    Entry(
        BANK,
        SignalType.TEXT,
        URDU,
        Labels(group="TTP", category=Category.RECRUITMENT, extra={"language": "ur"}),
    ),
    Entry(BANK, SignalType.TEXT, PASHTO, Labels(note="پښتو, transcript"), enabled=False),
]


# Golden samples --------------------------------------------------------------------------


def test_generic_csv_golden_keeps_bom_crlf_quotes_and_urdu_pashto_text() -> None:
    data = golden(Format.GENERIC_CSV)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    result = read(Format.GENERIC_CSV, data)
    assert result.errors == []
    assert result.entries == [
        Entry(
            BANK,
            SignalType.PDQ,
            PDQ_A,
            Labels(
                group="BLA",
                category=Category.PROPAGANDA,
                source="platform-removals",
                added_by="analyst-2",
                note="Poster, cropped; seen on two channels",
            ),
        ),
        Entry(
            BANK,
            SignalType.SHA256,
            SHA256_A,
            Labels(source="gov-referral", extra={"referral": "PTA-2025-0042"}),
        ),
        Entry(
            BANK,
            SignalType.TEXT,
            URDU,
            Labels(
                group="TTP",
                category=Category.RECRUITMENT,
                source="platform-removals",
                added_by="analyst-2",
                extra={"language": "ur"},
            ),
        ),
        Entry(
            BANK,
            SignalType.TEXT,
            PASHTO,
            Labels(
                category=Category.RECRUITMENT,
                source="platform-removals",
                note="Pashto, from a voice note transcript",
                extra={"language": "ps"},
            ),
            enabled=False,
        ),
        Entry(BANK, SignalType.SHA1, "99d6a52ee05649c2c267e6a12438fad206a02588"),
    ]


def test_hma_csv_golden_is_the_pytx_dataset_csv() -> None:
    result = read(Format.HMA_CSV, golden(Format.HMA_CSV))
    assert result.errors == []
    assert (
        [(e.signal_type, e.value[:8], e.enabled) for e in result.entries]
        == [
            (SignalType.PDQ, PDQ_A[:8], True),
            (SignalType.MD5, MD5_A[:8], True),
            (SignalType.PDQ, PDQ_B[:8], False),  # NEGATIVE_CLASS: false positive or test data
            (SignalType.TEXT, URDU[:8], True),
        ]
    )
    first, _, negative, text = result.entries
    assert first.labels == Labels(
        category=Category.PROPAGANDA,  # from the tag "propaganda"
        source="GIFCT HSDB",
        extra={"category": "POSITIVE_CLASS", "tags": "propaganda media_type_image"},
    )
    assert negative.labels == Labels(source="Sample Signals", extra={"category": "NEGATIVE_CLASS"})
    assert text.value == URDU
    assert text.labels.category is Category.RECRUITMENT


def test_hma_json_golden_reads_content_items_and_bare_signal_bodies() -> None:
    result = read(Format.HMA_JSON, golden(Format.HMA_JSON))
    assert result.errors == []
    poster = Labels(
        group="TTP",
        category=Category.PROPAGANDA,
        source="platform-removals",
        added_by="analyst-7",
        note="Poster from a 2024 propaganda release, reposted with a new logo",
        extra={"case": "2024-118"},
    )
    assert result.entries == [
        Entry(
            BANK,
            SignalType.PDQ,
            "f8f8f0cee0f4a84f0637022a038f67f0b36e26d596621e1d33e6b39c4e9c9b22",
            poster,
        ),
        Entry(BANK, SignalType.MD5, "495de79cc9ef1bdcf606d4657d081b41", poster),
        Entry(BANK, SignalType.TEXT, PASHTO, Labels(category=Category.RECRUITMENT), enabled=False),
        Entry(
            BANK,
            SignalType.PDQ,
            "f8f8f0cee0f4a84f06370a2a068f67f0b36e26d596621e1d33e6339c4e9c9b22",
        ),
    ]


def test_tat_json_golden_keeps_every_field_of_every_record() -> None:
    result = read(Format.TAT_JSON, golden(Format.TAT_JSON))
    assert result.errors == []
    assert [e.signal_type for e in result.entries] == [
        SignalType.PDQ,
        SignalType.MD5,
        SignalType.SHA256,
        SignalType.SHA512,
        SignalType.SHA256,
    ]
    md5 = result.entries[1]
    assert md5.value == "10516dc87d66076d232bbac026120c36"  # canonical: lower-case
    assert md5.labels == Labels(
        source="tat",
        extra={
            "ideology": "islamist",
            "file_type": "mp4",
            "updated_on": "1717100000.5",
            "created_on": "2024-05-30T20:13:20Z",
            "id": "1001",
        },
    )
    assert [e.enabled for e in result.entries] == [True, True, True, True, False]  # deleted


def test_tat_record_round_trips_with_every_field() -> None:
    original = json.loads(golden(Format.TAT_JSON))
    again = json.loads(
        export(Format.TAT_JSON, read(Format.TAT_JSON, golden(Format.TAT_JSON)).entries)
    )
    for record in original["results"]:
        record["hash_digest"] = record["hash_digest"].lower()
    assert again == original


def test_a_tat_record_id_beyond_64_bits_is_kept_digit_for_digit() -> None:
    """orjson alone reads such an integer as a float (``2e+19``): the id is kept whole, and
    exported as the same number (found by the round-trip property test below)."""
    digest = "f" * 64
    for record_id in ("20000000000000000001", "-92233720368547758090", "18446744073709551615"):
        data = (
            f'{{"results": [{{"hash_digest": "{digest}", "algorithm": "PDQ", "id": {record_id}}}]}}'
        )
        [entry] = read(Format.TAT_JSON, data).entries
        assert entry.labels.extra["id"] == record_id
        assert json.loads(export(Format.TAT_JSON, [entry]))["results"][0]["id"] == int(record_id)


@pytest.mark.parametrize("fmt", list(Format))
def test_golden_sample_survives_export_and_parse(fmt: Format) -> None:
    entries = read(fmt, golden(fmt)).entries
    assert entries
    assert read(fmt, export(fmt, entries)) == ImportResult(entries, [])


# Round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_export_then_parse_gives_the_same_entries(fmt: Format) -> None:
    data = export(fmt, SAMPLE)
    assert URDU.encode() in data and PASHTO.encode() in data  # UTF-8, not escaped
    assert read(fmt, data) == ImportResult(SAMPLE, [])
    assert read(fmt, data.decode()) == ImportResult(SAMPLE, [])


@pytest.mark.parametrize("fmt", list(Format))
def test_export_of_nothing_parses_to_nothing(fmt: Format) -> None:
    assert read(fmt, export(fmt, [])) == ImportResult([], [])


def test_vpdq_entries_round_trip_and_hma_formats_write_the_pytx_form() -> None:
    pytest.importorskip("nigehban.hashing.video")
    from threatexchange.extensions.vpdq.vpdq import VPDQSignal

    from nigehban.banks.model import canonical_value

    positional = canonical_value(SignalType.VPDQ, f"0,100,{PDQ_A},0.000\n1,87,{PDQ_B},1.000")
    sampled = canonical_value(SignalType.VPDQ, f"0,100,{PDQ_A},0.000\n30,87,{PDQ_B},1.000")
    entries_ = [
        Entry(BANK, SignalType.VPDQ, positional, Labels(group="TTP")),
        Entry(BANK, SignalType.VPDQ, sampled, enabled=False),
    ]
    for fmt in (Format.GENERIC_CSV, Format.TAT_JSON):
        assert read(fmt, export(fmt, entries_)) == ImportResult(entries_, [])
    for fmt in (Format.HMA_CSV, Format.HMA_JSON):
        again = read(fmt, export(fmt, entries_))
        assert again.errors == [] and again.entries[0] == entries_[0]
        assert again.entries[1].value == positional  # pytx's form numbers frames by position
    signal = json.loads(export(Format.HMA_JSON, entries_[:1]))["content"][0]["signals"]["vpdq"]
    assert VPDQSignal.validate_signal_str(signal) == signal
    assert json.loads(signal) == [f"{PDQ_A},100,0.000", f"{PDQ_B},87,1.000"]


def test_malformed_vpdq_names_the_frame_line() -> None:
    pytest.importorskip("nigehban.hashing.video")
    data = f'signal_type,value\nvpdq,"0,100,{PDQ_A},0.000\n1,87,abc,1.000"\n'
    (error,) = read(Format.GENERIC_CSV, data).errors
    assert str(error).startswith("line 2: field value: vpdq line 2")


HEX = "0123456789abcdef"
HEX_CHARS = {
    SignalType.PDQ: 64,
    SignalType.MD5: 32,
    SignalType.SHA1: 40,
    SignalType.SHA256: 64,
    SignalType.SHA512: 128,
}
ANY_TEXT = st.characters(exclude_categories=["Cs"])
URDU_TEXT = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.sampled_from(
    " ،,\"'\r\n"
)
LABEL = st.none() | st.text(ANY_TEXT, min_size=1, max_size=30)
EXTRA = st.dictionaries(
    st.sampled_from(["ideology", "file_type", "id", "updated_on", "created_on", "deleted"])
    | st.sampled_from(["hash_digest", "algorithm", "nigehban", "category", "tags", "extra"])
    | st.text(ANY_TEXT, max_size=12),
    st.text(ANY_TEXT, max_size=40) | st.sampled_from(["1", "1.5", "true", "-0.0", "1e3", "05"]),
    max_size=4,
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    signal_type = draw(st.sampled_from([t for t in SignalType if t is not SignalType.VPDQ]))
    if signal_type is SignalType.TEXT:
        text = st.text(URDU_TEXT | ANY_TEXT, min_size=1, max_size=60)
        value = draw(text.map(str.strip).filter(bool))
    else:
        size = HEX_CHARS[signal_type]
        value = draw(st.text(HEX, min_size=size, max_size=size))
    labels = Labels(
        group=draw(LABEL),
        category=draw(st.none() | st.sampled_from(Category)),
        source=draw(LABEL | st.just("tat")),
        added_by=draw(LABEL),
        note=draw(LABEL),
        extra=draw(EXTRA),
    )
    return Entry(BANK, signal_type, value, labels, enabled=draw(st.booleans()))


@pytest.mark.parametrize("fmt", list(Format))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batch=st.lists(entries(), max_size=5))
def test_parse_of_export_is_identity(fmt: Format, batch: list[Entry]) -> None:
    assert read(fmt, export(fmt, batch)) == ImportResult(batch, [])


# Bad records ----------------------------------------------------------------------------


def test_generic_csv_bad_records_are_reported_and_the_rest_read() -> None:
    data = "\r\n".join(
        [
            "signal_type,value,group,category,source,added_by,note,enabled,extra",
            f"pdq,{PDQ_A},TTP,propaganda,,,,true,",
            "pdq,abc,,,,,,,",
            f"tmk2,{PDQ_A},,,,,,,",
            f"md5,{MD5_A},,,",
            f"md5,{MD5_A},,jihad,,,,,",
            f"md5,{MD5_A},,,,,,maybe,",
            f'md5,{MD5_A},,,,,,,"[1, 2]"',
            f'text,"{URDU}",,,,,,,',
            ",,,,,,,,",
            f"sha1,{'0' * 40},,,,,,,",
            "",
        ]
    )
    result = read(Format.GENERIC_CSV, data)
    assert messages(result) == [
        f"line 3: {BAD_PDQ}",
        "line 4: field signal_type: 'tmk2' is not a known algorithm "
        "(pdq, vpdq, md5, sha1, sha256, sha512, text)",
        "line 5: has 5 fields, the header has 9",
        "line 6: field category: 'jihad' is not a category (incitement, glorification, "
        "recruitment, instruction, threat, propaganda, financing, news, counter_speech, "
        "dissent, academic, other)",
        "line 7: field enabled: 'maybe' is not true or false",
        "line 8: field extra: [1, 2] is not an object of strings",
    ]
    assert [(e.signal_type, e.value) for e in result.entries] == [
        (SignalType.PDQ, PDQ_A),
        (SignalType.TEXT, URDU),
        (SignalType.SHA1, "0" * 40),
    ]


def test_csv_error_lines_count_physical_lines_of_multi_line_fields() -> None:
    data = 'signal_type,value,note\ntext,"line one\nline two",\nsha256,abc,\n\npdq,"x\ny",\n'
    result = read(Format.GENERIC_CSV, data)
    assert messages(result) == [
        "line 4: field value: 'abc' is not an SHA256 digest (expected 64 hex characters)",
        "line 6: field value: 'x\\ny' is not a PDQ hash (expected 64 hex characters)",
    ]
    assert [e.value for e in result.entries] == ["line one\nline two"]


def test_hma_csv_bad_records() -> None:
    data = "\n".join(
        [
            "signal_type,signal_str,collab,category,tags",
            f"pdq,{PDQ_A},c,POSITIVE_CLASS,",
            "pdq,abc,c,POSITIVE_CLASS,",
            f"tmk,{PDQ_A},c,POSITIVE_CLASS,",
            f"url,{PDQ_A},c,POSITIVE_CLASS,",
        ]
    )
    result = read(Format.HMA_CSV, data)
    assert messages(result) == [
        "line 3: field signal_str: 'abc' is not a PDQ hash (expected 64 hex characters)",
        "line 4: field signal_type: 'tmk' is not a supported algorithm "
        "(TMK+PDQF video hashes cannot be matched; use vPDQ or MD5)",
        "line 5: field signal_type: 'url' is not a known algorithm "
        "(pdq, vpdq, video_md5, sha1, video_sha256, sha512, raw_text)",
    ]
    assert len(result.entries) == 1


def test_tat_bad_records_are_reported_and_the_rest_read() -> None:
    good = {"hash_digest": PDQ_A, "algorithm": "PDQ", "deleted": False, "id": 1}
    records = [
        good,
        {**good, "algorithm": "tmk2"},
        {**good, "algorithm": "TMK"},
        {**good, "hash_digest": "abc"},
        {**good, "hash_digest": None},
        {"hash_digest": PDQ_A},
        {**good, "deleted": "yes"},
        "f8f8f0ce",
        {**good, "nigehban": {"colour": "red"}},
        {**good, "nigehban": []},
        {**good, "algorithm": "SHA-256", "hash_digest": SHA256_A.upper()},
    ]
    result = read(Format.TAT_JSON, json.dumps({"results": records}))
    assert messages(result) == [
        "record 2: field algorithm: 'tmk2' is not a known algorithm "
        "(PDQ, MD5, SHA1, SHA256, SHA512)",
        "record 3: field algorithm: 'TMK' is not a supported algorithm "
        "(TMK+PDQF video hashes cannot be matched; use vPDQ or MD5)",
        "record 4: field hash_digest: 'abc' is not a PDQ hash (expected 64 hex characters)",
        "record 5: field hash_digest: missing",
        "record 6: field algorithm: missing",
        "record 7: field deleted: 'yes' is not true or false",
        "record 8: 'f8f8f0ce' is not a hash-list record (an object with hash_digest)",
        "record 9: field nigehban.colour: is not a label (group, category, source, ...)",
        "record 10: field nigehban: [] is not an object",
    ]
    assert [(e.signal_type, e.value) for e in result.entries] == [
        (SignalType.PDQ, PDQ_A),
        (SignalType.SHA256, SHA256_A),
    ]


def test_hma_json_bad_items_are_reported_and_the_rest_read() -> None:
    items = [
        {"signals": {"pdq": PDQ_A}},
        {"signals": {"pdq": "abc"}},
        {"signals": {"tmk2": PDQ_A}},
        {"signals": ["pdq"]},
        {"signals": {"pdq": PDQ_B}, "metadata": []},
        {"signals": {"video_md5": MD5_A, "pdq": "abc"}},  # all or none
        7,
        {"raw_text": URDU, "hma_content_id": 7},
    ]
    result = read(Format.HMA_JSON, json.dumps({"content": items}, ensure_ascii=False))
    assert messages(result) == [
        "record 2: field signals.pdq: 'abc' is not a PDQ hash (expected 64 hex characters)",
        "record 3: field signals.tmk2: 'tmk2' is not a known algorithm "
        "(pdq, vpdq, video_md5, sha1, video_sha256, sha512, raw_text)",
        "record 4: field signals: ['pdq'] is not an object of signal type → value",
        "record 5: field metadata: [] is not an object",
        "record 6: field signals.pdq: 'abc' is not a PDQ hash (expected 64 hex characters)",
        "record 7: 7 is not a content item (an object with 'signals')",
        "record 8: field signals.hma_content_id: 'hma_content_id' is not a known algorithm "
        "(pdq, vpdq, video_md5, sha1, video_sha256, sha512, raw_text)",
    ]
    assert [(e.signal_type, e.value) for e in result.entries] == [(SignalType.PDQ, PDQ_A)]


def test_label_longer_than_the_limit_is_a_record_error() -> None:
    data = f"signal_type,value,note\npdq,{PDQ_A},{'x' * 501}\npdq,{PDQ_B},ok\n"
    result = read(Format.GENERIC_CSV, data)
    assert messages(result) == ["line 2: field note: 501 characters (at most 500)"]
    assert [e.value for e in result.entries] == [PDQ_B]


# Whole-file problems ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"  \r\n"])
def test_empty_file_is_refused(fmt: Format, data: bytes) -> None:
    with pytest.raises(PayloadError, match=r"^upload: the file is empty"):
        read(fmt, data)


@pytest.mark.parametrize(
    ("fmt", "header", "missing"),
    [
        (Format.GENERIC_CSV, "signal_type,hash,group", "value"),
        (Format.HMA_CSV, "signal_type,value", "signal_str"),
        (Format.HMA_CSV, f"pdq,{PDQ_A}", "signal_type"),
    ],
)
def test_missing_column_is_refused(fmt: Format, header: str, missing: str) -> None:
    with pytest.raises(PayloadError, match=f"line 1: the header has no '{missing}' column"):
        read(fmt, f"{header}\npdq,{PDQ_A},x\n")


@pytest.mark.parametrize(
    ("fmt", "data", "problem"),
    [
        (Format.TAT_JSON, '{"count": 0}', "expected a TAT hash-list page"),
        (Format.TAT_JSON, '"f8f8"', "expected a TAT hash-list page"),
        (Format.HMA_JSON, '{"content": {"pdq": "x"}}', "expected an object with a 'content'"),
        (Format.HMA_JSON, "42", "expected an object with a 'content'"),
        (Format.HMA_JSON, '{"schema_version": 2, "content": []}', "schema_version 2"),
        (
            Format.HMA_JSON,
            '{"content": [',
            r"not JSON \(unexpected end of data at line 1 column 14\)",
        ),
        (Format.HMA_JSON, '{"content": [{"signals": {"raw_text": "lions \\ud83d"}}]}', "surrogate"),
        (Format.TAT_JSON, "[" * 100_000, "nested too deeply"),
        (Format.GENERIC_CSV, b"signal_type,value\npdq,\xff\n", "not UTF-8 text"),
        (Format.GENERIC_CSV, 'signal_type,value\npdq,"abc\n', "line 2: not readable as CSV"),
        (Format.GENERIC_CSV, "signal_type,value,Value\n", "repeats the column 'value'"),
    ],
)
def test_unreadable_file_is_refused(fmt: Format, data: str | bytes, problem: str) -> None:
    with pytest.raises(PayloadError, match=problem):
        read(fmt, data)


@pytest.mark.parametrize("fmt", list(Format))
def test_record_limit_refuses_larger_files(fmt: Format) -> None:
    entries_ = [Entry(BANK, SignalType.PDQ, PDQ_A), Entry(BANK, SignalType.PDQ, PDQ_B)]
    data = export(fmt, entries_)
    assert len(read(fmt, data, max_records=2).entries) == 2
    with pytest.raises(PayloadError, match="more than 1 records; split the file"):
        read(fmt, data, max_records=1)


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(UsageError, match="'tat-csv' is not a bank format"):
        parse("tat-csv", b"", "upload", BANK)
    with pytest.raises(UsageError, match="'xml' is not a bank format"):
        export("xml", [])
    with pytest.raises(ValidationError, match="is not a bank name"):
        parse(Format.GENERIC_CSV, b"", "upload", "Bad Bank")
    with pytest.raises(UsageError, match="max_records"):
        read(Format.GENERIC_CSV, b"signal_type,value\n", max_records=0)


def test_record_error_renders_its_position() -> None:
    assert str(RecordError(4, "field algorithm: x")) == "line 4: field algorithm: x"
    assert str(RecordError(2, "bad", "record")) == "record 2: bad"


def test_large_vpdq_like_fields_exceed_the_default_csv_field_limit() -> None:
    long_note = "x" * 200_000
    data = f'signal_type,value,extra\npdq,{PDQ_A},"{{""n"": ""{long_note}""}}"\n'
    result = read(Format.GENERIC_CSV, data)
    assert messages(result) == ["line 2: field extra.n: 200000 characters (at most 500)"]


# Compatibility with python-threatexchange -----------------------------------------------

PYTX_TYPES = {
    cls.get_name(): cls for cls in (PdqSignal, VideoMD5Signal, VideoSHA256Signal, RawTextSignal)
}


def test_hma_csv_export_leads_with_pytx_dataset_columns_and_names() -> None:
    rows = list(csv.DictReader(io.StringIO(export(Format.HMA_CSV, SAMPLE).decode(), newline="")))
    assert list(rows[0])[:5] == ["signal_type", "signal_str", "collab", "category", "tags"]
    checked = 0
    for row in rows:
        signal_class = PYTX_TYPES.get(row["signal_type"])
        if signal_class is not None:
            assert signal_class.validate_signal_str(row["signal_str"]) == row["signal_str"]
            checked += 1
    assert checked == 5  # all but SHA512, which pytx has no type for


def test_hma_json_export_keys_signals_by_pytx_name() -> None:
    content = json.loads(export(Format.HMA_JSON, SAMPLE))["content"]
    names = [next(iter(item["signals"])) for item in content]
    assert names == ["pdq", "video_md5", "video_sha256", "sha512", "raw_text", "raw_text"]
    assert all(name in PYTX_TYPES for name in names if name != "sha512")


def test_tat_export_records_load_as_pytx_tat_entries() -> None:
    plain = [Entry(e.bank, e.signal_type, e.value, Labels(source="tat")) for e in SAMPLE[1:4]]
    page = json.loads(export(Format.TAT_JSON, plain))
    assert page["count"] == 3 and page["next"] is None
    loaded = [TATHashListEntry(**record) for record in page["results"]]
    assert [(r.algorithm, r.deleted) for r in loaded] == [
        ("MD5", False),
        ("SHA256", False),
        ("SHA512", False),
    ]
    labelled = json.loads(export(Format.TAT_JSON, SAMPLE[:1]))["results"][0]
    assert labelled["nigehban"]["group"] == "TTP"
    assert labelled["ideology"] == "islamist" and labelled["id"] == 12


# Detection -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format))
def test_detect_format_recognises_each_golden_sample(fmt: Format) -> None:
    assert detect_format(golden(fmt), GOLDEN[fmt]) is fmt
    assert detect_format(golden(fmt)) is fmt
    assert detect_format(export(fmt, SAMPLE)) is fmt


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"", "x.csv"),
        (b"a,b,c\n1,2,3\n", ""),
        (b'{"foo": 1}', "x.json"),
        (b"signal_type,value\n", "x.json"),
        (golden(Format.TAT_JSON), "list.csv"),
    ],
)
def test_detect_format_gives_none_when_unsure(data: bytes, filename: str) -> None:
    assert detect_format(data, filename) is None
