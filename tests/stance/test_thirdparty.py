"""Third-party corpora: the layout of each source, every mapping rule, identifier stripping,
``file:line`` errors, checksums, and (when the shared corpora are present) the real files.

The fixtures are synthetic rows written into ``tmp_path`` with the real files' column layouts;
no row of a real corpus is copied here.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.errors import DependencyError, InputError, UsageError, ValidationError
from nigehban.model.taxonomy import Category, Language
from nigehban.stance.thirdparty import (
    SOURCES,
    SourceRows,
    ThirdPartyText,
    available_sources,
    read_source,
    source_checksums,
    strip_identifiers,
)

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs" / "third-party-corpora.md"

# a surviving handle: "@" not preceded by a word character, followed by anything but "@user"
HANDLE = re.compile(r"(?<!\w)@(?!user(?!\w))\w")
LONG_DIGITS = re.compile(r"\d{9,}")

# synthetic rows in each real file's layout: {source: {file: (header or None, rows)}}
LAYOUT: dict[str, dict[str, tuple[tuple[str, ...] | None, list[tuple[str, ...]]]]] = {
    "urdu_threat": {
        "train.csv": (
            ("text", "threat", "target"),
            [
                ("میں تمہیں نہیں چھوڑوں گا", "1", "1"),
                ("آج موسم بہت اچھا ہے", "0", "2"),
                ("@dost123 کل ملتے ہیں", "0", "2"),
            ],
        ),
    },
    "ruhsold": {
        "task_1_train.tsv": (
            None,
            [
                ("yar aaj ka match dekha tha", "1"),
                ('tum bilkul "pagal" ho', "0"),
            ],
        ),
        "task_1_validation.tsv": (None, [("chai pi lo bhai", "1")]),
    },
    "urdu_abusive": {
        "comments.csv": (
            ("text", "abusive"),
            [(" تم بہت بدتمیز ہو", "1"), ("شکریہ بھائی", "0")],
        ),
    },
    "stormfront": {
        "sentences.csv": (
            ("file_id", "text", "label", "split", "user_id", "subforum_id", "num_contexts"),
            [
                ("100_1", "Synthetic hate sentence , for the test .", "hate", "", "777", "1", "0"),
                (
                    "100_2",
                    "Synthetic neutral sentence .",
                    "noHate",
                    "sampled_train",
                    "777",
                    "1",
                    "0",
                ),
                (
                    "100_3",
                    "Synthetic sentence hateful only in context .",
                    "relation",
                    "",
                    "777",
                    "1",
                    "2",
                ),
                ("100_4", "Syntetisk sætning på dansk .", "idk/skip", "", "888", "2", "0"),
                (
                    "100_5",
                    "Mail me at someone@example.com or https : //www.example.org/t1",
                    "noHate",
                    "",
                    "888",
                    "2",
                    "0",
                ),
            ],
        ),
    },
    "extremism_digital": {
        "posts.csv": (
            ("text", "label"),
            [
                ("synthetic post about the weather and the news", "NON_EXTREMIST"),
                ("synthetic post the competition called extremist", "EXTREMIST"),
            ],
        ),
    },
    "isis_twitter": {
        "tweets.csv": (
            ("name", "username", "tweetid", "time", "tweets"),
            [
                (
                    "Display Name",
                    "acct_one",
                    "2",
                    "1/6/2015 21:07",
                    "Synthetic news headline https://example.com/a/1",
                ),
                (
                    "Display Name",
                    "acct_one",
                    "3",
                    "1/6/2015 21:27",
                    "RT @acct_two: synthetic retweet https://t.co/abc",
                ),
                ("Other Name", "acct_two", "4", "1/7/2015 09:00", "هذا نص تجريبي قصير"),
                ("Other Name", "acct_two", "5", "1/7/2015 09:05", "RT @acct_one:"),
                ("Other Name", "", "", "", ""),
            ],
        ),
    },
}

# (tag, label, category, threat_any, lang) of each synthetic row kept, in order
EXPECTED: dict[str, list[tuple[str, str | None, str | None, int | None, str]]] = {
    "urdu_threat": [
        ("threat", None, None, 1, "ur"),
        ("non_threat", None, None, 0, "ur"),
        ("non_threat", None, None, 0, "ur"),
    ],
    "ruhsold": [
        ("normal", "protected", "other", None, "ur-Latn"),
        ("abusive", "protected", "other", None, "ur-Latn"),
        ("normal", "protected", "other", None, "ur-Latn"),
    ],
    "urdu_abusive": [
        ("abusive", "protected", "other", None, "ur"),
        ("normal", "protected", "other", None, "ur"),
    ],
    "stormfront": [
        ("hate", "protected", "other", None, "en"),
        ("noHate", "protected", "other", None, "en"),
        ("relation", "protected", "other", None, "en"),
        ("idk_skip", None, None, None, "und"),
        ("noHate", "protected", "other", None, "en"),
    ],
    "extremism_digital": [
        ("non_extremist", "protected", "other", None, "en"),
        ("extremist", None, None, None, "en"),
    ],
    "isis_twitter": [
        ("pro_isis_account", None, None, None, "en"),
        ("pro_isis_account", None, None, None, "en"),
        ("pro_isis_account", None, None, None, "und"),
    ],
}


def _quote(field: str) -> str:
    return f'"{field}"' if any(c in field for c in ',"\n') else field


def write_source(root: Path, name: str, *, bom: bool = False) -> None:
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for file, (header, rows) in LAYOUT[name].items():
        if header is None:  # RUHSOLD: tab-separated, no header, no quoting, CRLF
            body = "".join("\t".join(row) + "\r\n" for row in rows)
        else:
            lines = [header, *rows]
            body = "".join(",".join(_quote(f) for f in line) + "\n" for line in lines)
        (folder / file).write_text(("\ufeff" if bom else "") + body, encoding="utf-8")


@pytest.fixture
def corpora(tmp_path: Path) -> Path:
    for name in LAYOUT:
        write_source(tmp_path, name)
    return tmp_path


def _shape(row: ThirdPartyText) -> tuple[str, str | None, str | None, int | None, str]:
    return (row.tag, row.label, row.category, row.threat_any, row.lang)


# ---------------------------------------------------------------------------------------------
# mapping rules


def test_fixtures_cover_every_source() -> None:
    assert set(LAYOUT) == set(SOURCES) == set(EXPECTED)
    for name, info in SOURCES.items():
        assert tuple(LAYOUT[name]) == info.files


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_mapping(corpora: Path, name: str) -> None:
    rows = read_source(name, corpora)
    assert [_shape(r) for r in rows] == EXPECTED[name]
    assert all(r.source == name for r in rows)


def test_urdu_threat_trains_only_threat_any(corpora: Path) -> None:
    rows = read_source("urdu_threat", corpora)
    assert {r.label for r in rows} == {None}
    assert {r.category for r in rows} == {None}
    assert [r.threat_any for r in rows] == [1, 0, 0]


@pytest.mark.parametrize("name", ["ruhsold", "urdu_abusive", "stormfront"])
def test_abuse_and_hate_are_protected_other(corpora: Path, name: str) -> None:
    rows = [r for r in read_source(name, corpora) if r.tag != "idk_skip"]
    assert {(r.label, r.category, r.threat_any) for r in rows} == {("protected", "other", None)}
    category = rows[0].category
    assert category is not None
    assert not Category(category).violating


def test_stormfront_tags_separate_hate(corpora: Path) -> None:
    tags = [r.tag for r in read_source("stormfront", corpora)]
    assert tags == ["hate", "noHate", "relation", "idk_skip", "noHate"]


def test_extremism_digital_extremist_is_not_ground_truth(corpora: Path) -> None:
    by_tag = {r.tag: r for r in read_source("extremism_digital", corpora)}
    assert by_tag["extremist"].label is None
    assert by_tag["extremist"].category is None
    assert (by_tag["non_extremist"].label, by_tag["non_extremist"].category) == (
        "protected",
        "other",
    )


def test_isis_twitter_is_reporting_only(corpora: Path) -> None:
    rows = read_source("isis_twitter", corpora)
    assert {(r.label, r.category, r.threat_any, r.tag) for r in rows} == {
        (None, None, None, "pro_isis_account")
    }
    assert "reporting only" in SOURCES["isis_twitter"].use


def test_languages_are_taxonomy_languages(corpora: Path) -> None:
    for name in SOURCES:
        for row in read_source(name, corpora):
            assert Language(row.lang)


# ---------------------------------------------------------------------------------------------
# ids, identifiers, order, limits, skipping


def test_ids_are_source_file_line(corpora: Path) -> None:
    assert [r.id for r in read_source("ruhsold", corpora)] == [
        "ruhsold:task_1_train.tsv:1",
        "ruhsold:task_1_train.tsv:2",
        "ruhsold:task_1_validation.tsv:1",
    ]
    assert [r.id for r in read_source("urdu_abusive", corpora)] == [
        "urdu_abusive:comments.csv:2",
        "urdu_abusive:comments.csv:3",
    ]


def test_account_and_user_ids_never_reach_a_row(corpora: Path) -> None:
    rows = read_source("isis_twitter", corpora) + read_source("stormfront", corpora)
    for row in rows:
        for secret in ("acct_one", "acct_two", "Display Name", "777", "888", "100_"):
            assert secret not in row.id
            assert secret not in row.text
    assert rows[1].text == "synthetic retweet <url>"
    assert read_source("urdu_threat", corpora)[2].text == "@user کل ملتے ہیں"
    assert read_source("stormfront", corpora)[4].text == "Mail me at <email> or <url>"


def test_texts_are_trimmed_and_quotes_kept(corpora: Path) -> None:
    assert read_source("urdu_abusive", corpora)[0].text == "تم بہت بدتمیز ہو"
    assert read_source("ruhsold", corpora)[1].text == 'tum bilkul "pagal" ho'


def test_empty_texts_are_skipped_and_counted(corpora: Path) -> None:
    rows = read_source("isis_twitter", corpora)
    assert isinstance(rows, SourceRows)
    assert len(rows) == 3
    assert rows.skipped == 2
    assert rows.skipped_ids == ("isis_twitter:tweets.csv:5", "isis_twitter:tweets.csv:6")


def test_blank_lines_are_skipped(corpora: Path) -> None:
    path = corpora / "ruhsold" / "task_1_train.tsv"
    path.write_text("yar kya haal hai\t1\r\n\r\nsab theek\t1\r\n", encoding="utf-8")
    rows = read_source("ruhsold", corpora)
    assert [r.id for r in rows][:2] == ["ruhsold:task_1_train.tsv:1", "ruhsold:task_1_train.tsv:3"]
    assert rows.skipped_ids == ("ruhsold:task_1_train.tsv:2",)


def test_limit_counts_rows_returned_across_files(corpora: Path) -> None:
    assert len(read_source("ruhsold", corpora, limit=0)) == 0
    assert [r.id for r in read_source("ruhsold", corpora, limit=3)][-1].endswith("validation.tsv:1")
    assert len(read_source("ruhsold", corpora, limit=2)) == 2
    assert len(read_source("isis_twitter", corpora, limit=99)) == 3
    with pytest.raises(UsageError, match="limit"):
        read_source("ruhsold", corpora, limit=-1)


def test_reading_is_deterministic(corpora: Path) -> None:
    assert read_source("stormfront", corpora) == read_source("stormfront", corpora)


@pytest.mark.parametrize("name", sorted(LAYOUT))
def test_byte_order_mark_is_ignored(tmp_path: Path, name: str) -> None:
    write_source(tmp_path, name, bom=True)
    assert [_shape(r) for r in read_source(name, tmp_path)] == EXPECTED[name]
    assert not read_source(name, tmp_path)[0].text.startswith("\ufeff")


# ---------------------------------------------------------------------------------------------
# errors


def test_missing_folder_names_path_and_source(tmp_path: Path) -> None:
    with pytest.raises(DependencyError) as caught:
        read_source("stormfront", tmp_path)
    assert "stormfront" in str(caught.value)
    assert str(tmp_path / "stormfront") in str(caught.value)
    assert "corpora_dir" in str(caught.value)


def test_missing_file_names_path_and_source(corpora: Path) -> None:
    (corpora / "ruhsold" / "task_1_validation.tsv").unlink()
    with pytest.raises(DependencyError) as caught:
        read_source("ruhsold", corpora)
    assert "ruhsold" in str(caught.value)
    assert str(corpora / "ruhsold" / "task_1_validation.tsv") in str(caught.value)


def test_unknown_source_is_a_usage_error(corpora: Path) -> None:
    with pytest.raises(UsageError, match="known: urdu_threat"):
        read_source("nope", corpora)


def test_bad_label_names_file_line_and_field_with_preview(corpora: Path) -> None:
    long_value = "x" * 500
    path = corpora / "urdu_threat" / "train.csv"
    path.write_text(f"text,threat,target\nٹھیک ہے,1,1\nٹھیک ہے,{long_value},2\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        read_source("urdu_threat", corpora)
    message = str(caught.value)
    assert isinstance(caught.value, InputError)
    assert message.startswith("urdu_threat/train.csv:3: field threat: 'xxx")
    assert caught.value.field == "threat"
    assert "(500 chars)" in message
    assert long_value not in message
    assert "is not one of 1, 0" in message


def test_wrong_field_count_names_file_line(corpora: Path) -> None:
    path = corpora / "ruhsold" / "task_1_train.tsv"
    post = "a very long synthetic post " * 20
    path.write_text(f"ok\t1\r\n{post}\t0\textra\r\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_source("ruhsold", corpora)
    message = str(caught.value)
    assert message.startswith(
        "ruhsold/task_1_train.tsv:2: expected 2 fields (text, label), found 3"
    )
    assert post not in message
    assert "chars)" in message


def test_bad_header_names_file_line(corpora: Path) -> None:
    path = corpora / "extremism_digital" / "posts.csv"
    path.write_text("Original_Message,Extremism_Label\nhello,EXTREMIST\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"^extremism_digital/posts\.csv:1: header is "):
        read_source("extremism_digital", corpora)


def test_bad_utf8_names_file_line(corpora: Path) -> None:
    path = corpora / "urdu_abusive" / "comments.csv"
    path.write_bytes(b"text,abusive\nfine,0\n\xff\xfe broken,1\n")
    with pytest.raises(InputError, match=r"^urdu_abusive/comments\.csv:\d+: not valid UTF-8"):
        read_source("urdu_abusive", corpora)


def test_bad_quoting_names_file_line(corpora: Path) -> None:
    path = corpora / "extremism_digital" / "posts.csv"
    path.write_text('text,label\nfine,EXTREMIST\n"open"quote,EXTREMIST\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"^extremism_digital/posts\.csv:3: not valid CSV"):
        read_source("extremism_digital", corpora)


# ---------------------------------------------------------------------------------------------
# availability and checksums


def test_available_sources(corpora: Path) -> None:
    assert available_sources(corpora) == dict.fromkeys(SOURCES, True)
    (corpora / "ruhsold" / "task_1_validation.tsv").unlink()
    available = available_sources(corpora)
    assert available["ruhsold"] is False
    assert available["stormfront"] is True
    assert available_sources(corpora / "absent") == dict.fromkeys(SOURCES, False)


def test_checksums(corpora: Path) -> None:
    sums = source_checksums(corpora, ["ruhsold", "isis_twitter"])
    assert list(sums) == [
        "ruhsold/task_1_train.tsv",
        "ruhsold/task_1_validation.tsv",
        "isis_twitter/tweets.csv",
    ]
    for key, value in sums.items():
        assert value == hashlib.sha256((corpora / key).read_bytes()).hexdigest()
    (corpora / "isis_twitter" / "tweets.csv").write_text("changed\n", encoding="utf-8")
    assert source_checksums(corpora, ["isis_twitter"]) != {
        "isis_twitter/tweets.csv": sums["isis_twitter/tweets.csv"]
    }


def test_checksums_of_missing_or_unknown(corpora: Path) -> None:
    with pytest.raises(DependencyError, match="urdu_threat"):
        source_checksums(corpora / "absent", ["urdu_threat"])
    with pytest.raises(UsageError):
        source_checksums(corpora, ["nope"])


# ---------------------------------------------------------------------------------------------
# strip_identifiers


@pytest.mark.parametrize(
    ("raw", "stripped"),
    [
        ("RT @some_one: hello", "hello"),
        ("RT @a: RT @b: nested", "nested"),
        ("  RT @a:hello", "hello"),
        ("thanks @abc_12 and @xyz", "thanks @user and @user"),
        ("mail a.b+c@example.co.uk now", "mail <email> now"),
        ("see https://twitter.com/someone/status/123456789012345678", "see <url>"),
        ("https : //www.example.org/forum/t1 here", "<url> here"),
        ("www.example.com/path?x=1 and more", "<url> and more"),
        ("cut short https:/…", "cut short <url>"),
        ("call +923001234567 or 123456789", "call <id> or <id>"),
        ("year 2015 and 12345678 stay", "year 2015 and 12345678 stay"),
        ("d@ck and bulls@ stay", "d@ck and bulls@ stay"),
        ("۱۲۳۴۵۶۷۸۹۰ اردو", "<id> اردو"),
        ("@user", "@user"),
        ("RT @only:", ""),
    ],
)
def test_strip_identifiers_examples(raw: str, stripped: str) -> None:
    assert strip_identifiers(raw) == stripped


PIECES = st.sampled_from(
    [
        "@",
        "@user",
        "RT ",
        "RT @x: ",
        "http",
        "https://",
        "https : //",
        "www.",
        "…",
        ":",
        "/",
        ".",
        "+",
        "-",
        "_",
        "<",
        ">",
        " ",
        "\n",
        "a",
        "Z",
        "ب",
        "۳",
        "7",
        "123456789",
        "12345",
        "user",
        "com",
        "<id>",
        "<url>",
    ]
)
TEXTS = st.lists(PIECES | st.text(max_size=4), max_size=25).map("".join)


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_strip_identifiers_is_idempotent(text: str) -> None:
    once = strip_identifiers(text)
    assert strip_identifiers(once) == once


@settings(max_examples=500, deadline=None)
@given(TEXTS)
def test_no_handle_or_long_id_survives(text: str) -> None:
    out = strip_identifiers(text)
    assert HANDLE.search(out) is None
    assert LONG_DIGITS.search(out) is None
    assert "http://" not in out.lower()
    assert "https://" not in out.lower()
    assert not re.match(r"\s*RT\s+@\w", out)


# ---------------------------------------------------------------------------------------------
# the documentation names every source, its files, licence and use


def test_docs_cover_every_source() -> None:
    page = DOCS.read_text(encoding="utf-8")
    assert "corpora_dir" in page
    for name, info in SOURCES.items():
        assert f"`{name}`" in page, name
        for file in info.files:
            assert file in page, (name, file)
        assert info.licence in page, (name, info.licence)
        assert info.use in page, (name, info.use)


# ---------------------------------------------------------------------------------------------
# the real corpora, when this checkout sits next to the shared data


def _real_corpora() -> Path | None:
    candidates = [
        os.environ.get("NIGEHBAN_TEST_CORPORA_DIR"),
        str(REPO.parent / "shared" / "data" / "corpora"),
        "/work/shared/data/corpora",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_dir():
            return Path(candidate)
    return None


REAL = _real_corpora()
needs_real = pytest.mark.skipif(
    REAL is None,
    reason=(
        "third-party corpora not found (../shared/data/corpora or /work/shared/data/corpora; "
        "set NIGEHBAN_TEST_CORPORA_DIR): they are never copied into the repository"
    ),
)

# what each PROVENANCE.txt documents: languages, (label, category) pairs, threat_any, tags
REAL_EXPECTED: dict[
    str,
    tuple[set[str], set[tuple[str | None, str | None]], set[int | None], set[str]],
] = {
    "urdu_threat": ({"ur"}, {(None, None)}, {0, 1}, {"threat", "non_threat"}),
    "ruhsold": ({"ur-Latn"}, {("protected", "other")}, {None}, {"abusive", "normal"}),
    "urdu_abusive": ({"ur"}, {("protected", "other")}, {None}, {"abusive", "normal"}),
    "stormfront": (
        {"en", "und"},
        {("protected", "other"), (None, None)},
        {None},
        {"hate", "noHate", "relation", "idk_skip"},
    ),
    "extremism_digital": (
        {"en"},
        {("protected", "other"), (None, None)},
        {None},
        {"extremist", "non_extremist"},
    ),
    "isis_twitter": ({"en", "und"}, {(None, None)}, {None}, {"pro_isis_account"}),
}


@needs_real
@pytest.mark.parametrize("name", sorted(REAL_EXPECTED))
def test_real_corpus(name: str) -> None:
    assert REAL is not None
    if not available_sources(REAL)[name]:
        pytest.skip(f"{name} is not in {REAL}")
    rows = read_source(name, REAL, limit=200)
    langs, labels, threats, tags = REAL_EXPECTED[name]
    assert len(rows) == 200
    assert {r.lang for r in rows} <= langs
    assert {(r.label, r.category) for r in rows} <= labels
    assert {r.threat_any for r in rows} <= threats
    assert {r.tag for r in rows} <= tags
    assert len({r.id for r in rows}) == 200
    assert all(r.id.startswith(f"{name}:") and r.text for r in rows)
    assert not any(HANDLE.search(r.text) or LONG_DIGITS.search(r.text) for r in rows)
    assert set(source_checksums(REAL, [name])) == {f"{name}/{f}" for f in SOURCES[name].files}


@needs_real
def test_real_urdu_threat_is_the_only_threat_any_source() -> None:
    assert REAL is not None
    with_threat = {
        name
        for name in SOURCES
        if available_sources(REAL)[name]
        and any(r.threat_any is not None for r in read_source(name, REAL, limit=200))
    }
    assert with_threat <= {"urdu_threat"}
