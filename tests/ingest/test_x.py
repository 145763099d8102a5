"""X adapters (v2, v1.1, archive): shapes they claim, invariants, and bad input naming its path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.sources import iter_payloads
from nigehban.ingest.x_activity import XActivityAdapter
from nigehban.ingest.x_archive import XArchiveAdapter
from nigehban.ingest.x_v1 import XV1Adapter
from nigehban.ingest.x_v2 import XV2Adapter
from nigehban.model.items import Account, Media, MediaKind, Post
from nigehban.model.refs import Relation, Surface
from nigehban.model.spans import utf16_length

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads"
CTX = ParseContext("t", "test")
V2, V1, ARCHIVE = XV2Adapter(), XV1Adapter(), XArchiveAdapter()


def load(name: str) -> Any:
    path = PAYLOADS / "x" / name
    (decoded,) = iter_payloads(path, path.read_bytes())
    assert not isinstance(decoded, Exception)
    return decoded.payload


def posts(result: ParseResult) -> dict[str, Post]:
    return {i.ref.scoped_id: i for i in result.items if isinstance(i, Post)}


def field_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return exc.value.field


def v1_status(**changes: Any) -> dict[str, Any]:
    status: dict[str, Any] = {
        "created_at": "Tue Feb 09 22:48:55 +0000 2021",
        "id": 1359273099355713538,
        "id_str": "1359273099355713538",
        "text": "hello #world",
        "entities": {"hashtags": [{"text": "world", "indices": [6, 12]}]},
        "user": {
            "id_str": "786491",
            "screen_name": "andypiper",
            "name": "Andy Piper",
            "created_at": "Wed Feb 21 15:14:48 +0000 2007",
        },
    }
    status.update(changes)
    return status


# -- which payloads each adapter claims ---------------------------------------------------------


def test_each_x_payload_is_claimed_by_exactly_its_own_adapter() -> None:
    expected = {"v2": "x.v2", "v1": "x.v1", "archive": "x.archive", "account": "x.activity"}
    adapters = (V2, V1, ARCHIVE, XActivityAdapter())
    for path in sorted((PAYLOADS / "x").glob("*.js*")):
        claims = [a.name for a in adapters if a.sniff(load(path.name))]
        assert claims == [expected[path.name.split("_")[0]]], path.name


def test_no_x_adapter_claims_another_platforms_payload() -> None:
    for path in sorted(PAYLOADS.glob("*/*.json")):
        if path.parent.name == "x":
            continue
        payload = json.loads(path.read_text(encoding="utf-8"))
        assert not [a.name for a in (V2, V1, ARCHIVE, XActivityAdapter()) if a.sniff(payload)], path


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        {},
        "text",
        {"data": [{"id": "17858893269000001", "text": "nice", "timestamp": "2021-06-09"}]},
        {"data": [{"id": "1", "text": "x"}], "paging": {"next": "…"}},
        {"data": {"id": "1", "name": "a list"}},
        {"data": [{"id": "17858893269000001", "text": "nice", "username": "someone"}]},
        {"errors": [{"code": 34}]},
        {"title": "Not Found", "type": "about:blank"},
        [{"like": {"tweetId": "1"}}],
        [{"id_str": "1", "full_text": "x", "created_at": "…", "user": {}}, {"tweet": {}}],
    ],
)
def test_shapes_no_x_adapter_claims(payload: object) -> None:
    assert not [a.name for a in (V2, V1, ARCHIVE) if a.sniff(payload)]


def test_sniff_never_raises_on_odd_values() -> None:
    for payload in ({"data": 3}, {"data": [3]}, {"errors": "x"}, [None], [{"tweet": 1}], {1: 2}):
        for adapter in (V2, V1, ARCHIVE):
            adapter.sniff(payload)


def test_v2_claims_empty_results_and_error_bodies() -> None:
    assert V2.sniff({"meta": {"result_count": 0}})
    assert V2.sniff({"data": [], "meta": {"result_count": 0}})
    stream = {"data": {"id": "1", "text": "x"}, "matching_rules": [{"id": "9", "tag": "floods"}]}
    assert V2.sniff(stream)
    assert V2.sniff({"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "x"})
    assert V1.sniff({"errors": [{"code": 88, "message": "Rate limit exceeded"}]})


# -- X API v2 -----------------------------------------------------------------------------------


def test_v2_deleted_tweet_is_a_tombstone_not_an_error() -> None:
    result = V2.parse(load("v2_tweet_lookup_deleted_error.json"), CTX)
    assert not result.items and not result.errors
    (tomb,) = result.tombstones
    assert tomb.ref.key == "x/post/1276230436478386177"
    assert tomb.reason == "not found on X (deleted or protected)"
    assert tomb.deleted_at is None


def test_v2_partial_response_gives_items_and_tombstones() -> None:
    result = V2.parse(load("v2_tweets_lookup_partial_error.json"), CTX)
    assert [i.ref.scoped_id for i in result.items] == ["20"]
    assert [t.ref.scoped_id for t in result.tombstones] == ["1276230436478386177"]


def test_v2_stream_429_body_is_a_platform_error() -> None:
    result = V2.parse(load("v2_filtered_stream_429_error.json"), CTX)
    (error,) = result.errors
    assert (error.where, error.code) == ("$", "TooManyConnections")
    assert error.message.startswith("ConnectionException: This stream")


def test_v2_other_errors_are_platform_errors_with_the_problem_code() -> None:
    payload = {
        "errors": [
            {
                "title": "Not Found Error",
                "detail": "Could not find user with ids: [99].",
                "resource_type": "user",
                "value": "99",
                "type": "https://api.twitter.com/2/problems/resource-not-found",
            },
            {
                "title": "Authorization Error",
                "detail": "Sorry, you are not authorized to see the Tweet with ids: [5]." * 10,
                "resource_type": "tweet",
                "resource_id": "5",
                "type": "https://api.twitter.com/2/problems/not-authorized-for-resource",
            },
        ]
    }
    result = V2.parse(payload, CTX)
    assert not result.tombstones
    assert [(e.where, e.code) for e in result.errors] == [
        ("errors[0]", "resource-not-found"),
        ("errors[1]", "not-authorized-for-resource"),
    ]
    assert len(result.errors[1].message) <= 300


def test_v2_not_found_prefers_resource_id() -> None:
    error = {
        "value": "ignored",
        "resource_id": "123",
        "resource_type": "tweet",
        "title": "Not Found Error",
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }
    result = V2.parse({"errors": [error]}, CTX)
    assert [t.ref.scoped_id for t in result.tombstones] == ["123"]


def test_v2_retweet_is_a_pure_share_with_the_included_original() -> None:
    payload = {
        "data": [
            {
                "id": "3",
                "text": "RT @orig: weather report for Karachi https://t.co/a",
                "author_id": "10",
                "entities": {"mentions": [{"start": 3, "end": 8, "username": "orig"}]},
                "attachments": {"media_keys": ["3_9"]},
                "lang": "en",
                "referenced_tweets": [
                    {"type": "quoted", "id": "1"},
                    {"type": "retweeted", "id": "2"},
                ],
            }
        ],
        "includes": {
            "tweets": [{"id": "2", "text": "weather report for Karachi", "author_id": "11"}],
            "users": [
                {"id": "10", "name": "Carrier", "username": "carrier"},
                {"id": "11", "name": "Original", "username": "orig", "description": ""},
            ],
        },
    }
    result = V2.parse(payload, CTX)
    by_id = posts(result)
    carrier, original = by_id["3"], by_id["2"]
    assert carrier.text is None and not carrier.entities and not carrier.media
    assert carrier.lang_hint is None and not carrier.links
    assert [(o.relation, o.ref.scoped_id) for o in carrier.origins] == [(Relation.SHARE, "2")]
    assert carrier.url == "https://x.com/carrier/status/3"
    assert original.text == "weather report for Karachi"
    assert original.author is not None and original.author.scoped_id == "11"
    assert original.url == "https://x.com/orig/status/2"
    accounts = {i.ref.scoped_id: i for i in result.items if isinstance(i, Account)}
    assert accounts["11"].bio is None and accounts["11"].url == "https://x.com/orig"


def test_v2_quote_and_reply_keep_text_and_order_origins() -> None:
    tweet = {
        "id": "5",
        "text": "see this",
        "referenced_tweets": [{"type": "replied_to", "id": "4"}, {"type": "quoted", "id": "3"}],
    }
    (post,) = posts(V2.parse({"data": tweet}, CTX)).values()
    assert post.text == "see this"
    assert [(o.relation, o.ref.scoped_id) for o in post.origins] == [
        (Relation.QUOTE, "3"),
        (Relation.REPLY, "4"),
    ]
    assert post.url == "https://x.com/i/status/5"


def test_v2_long_post_reads_note_tweet() -> None:
    tweet = {
        "id": "6",
        "text": "short…",
        "note_tweet": {
            "text": "a long post about the cricket final #PAKvIND",
            "entities": {"hashtags": [{"start": 36, "end": 44, "tag": "PAKvIND"}]},
        },
    }
    (post,) = posts(V2.parse({"data": tweet}, CTX)).values()
    assert post.text is not None and post.text.startswith("a long post")
    assert [e.span.slice(post.text) for e in post.entities] == ["#PAKvIND"]


def test_v2_entities_count_code_points() -> None:
    text = "بارش 🌧️ #کراچی @met_office $PSX https://t.co/x"
    tweet = {
        "id": "7",
        "text": text,
        "entities": {
            "hashtags": [{"start": 8, "end": 14, "tag": "کراچی"}],
            "mentions": [{"start": 15, "end": 26, "username": "met_office", "id": "42"}],
            "cashtags": [{"start": 27, "end": 31, "tag": "PSX"}],
            "urls": [{"start": 32, "end": 46, "url": "https://t.co/x"}],
        },
    }
    (post,) = posts(V2.parse({"data": tweet}, CTX)).values()
    pieces = [(e.kind, e.span.slice(text), e.value) for e in post.entities]
    assert pieces == [
        ("hashtag", "#کراچی", None),
        ("mention", "@met_office", "42"),
        ("cashtag", "$PSX", None),
        ("url", "https://t.co/x", None),
    ]
    assert post.links == ("https://t.co/x",)


def test_v2_user_lookup_gives_account_and_pinned_tweet_url() -> None:
    result = V2.parse(load("v2_user_lookup_pinned_tweet.json"), CTX)
    (account,) = [i for i in result.items if isinstance(i, Account)]
    assert (account.handle, account.verified) == ("TwitterDev", True)
    (post,) = posts(result).values()
    assert post.url == "https://x.com/TwitterDev/status/1255542774432063488"


def test_v2_media_join() -> None:
    result = V2.parse(load("v2_tweet_lookup_media_expansion.json"), CTX)
    (media,) = [i for i in result.items if isinstance(i, Media)]
    assert media.media_kind is MediaKind.VIDEO and media.duration_s == pytest.approx(46.947)
    (post,) = posts(result).values()
    assert post.media == (media.ref,)


def test_v2_dm_events_are_private_and_non_messages_skipped() -> None:
    payload = {
        "data": [
            {
                "id": "1",
                "event_type": "MessageCreate",
                "text": "kal market band hai",
                "sender_id": "77",
                "dm_conversation_id": "77-88",
                "created_at": "2022-10-28T01:00:00.000Z",
                "referenced_tweets": [{"id": "9"}],
            },
            {"id": "2", "event_type": "ParticipantsJoin", "dm_conversation_id": "77-88"},
        ]
    }
    result = V2.parse(payload, CTX)
    (post,) = posts(result).values()
    assert post.surface is Surface.PRIVATE and post.container == "77-88"
    assert post.author is not None and post.author.key == "x/account/77"
    assert [(o.relation, o.ref.scoped_id) for o in post.origins] == [(Relation.QUOTE, "9")]
    assert [(s.where, s.reason) for s in result.skipped] == [
        ("data[1]", "DM event ParticipantsJoin, no content")
    ]
    fixture = V2.parse(load("v2_dm_events.json"), CTX)
    assert {p.surface for p in posts(fixture).values()} == {Surface.PRIVATE}


def test_v2_empty_result_has_nothing() -> None:
    result = V2.parse({"meta": {"result_count": 0}}, CTX)
    assert result == ParseResult()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"data": {"text": "x"}}, "data.id"),
        ({"data": {"id": {"$oid": "1"}, "text": "x"}}, "data.id"),
        ({"data": [{"id": "1", "text": "x"}, {"id": "2"}]}, "data[1].text"),
        ({"data": [{"id": "1", "text": 5}]}, "data[0].text"),
        ({"data": {"id": "1", "text": "x", "created_at": "yesterday"}}, "data.created_at"),
        (
            {"data": {"id": "1", "text": "ab", "entities": {"urls": [{"start": 0, "end": 9}]}}},
            "data.entities.urls[0].start",
        ),
        (
            {"data": {"id": "1", "text": "ab", "entities": {"hashtags": [{"start": 0}]}}},
            "data.entities.hashtags[0].end",
        ),
        ({"data": {"id": "1", "text": "x", "entities": {"urls": {}}}}, "data.entities.urls"),
        (
            {"data": {"id": "1", "text": "x", "referenced_tweets": [{"type": "liked", "id": "2"}]}},
            "data.referenced_tweets[0].type",
        ),
        (
            {"data": {"id": "1", "text": "x", "referenced_tweets": [{"type": "quoted"}]}},
            "data.referenced_tweets[0].id",
        ),
        (
            {"data": {"id": "1", "text": "x", "attachments": {"media_keys": [3]}}},
            "data.attachments.media_keys[0]",
        ),
        ({"data": [{"id": "1", "event_type": "MessageCreate", "text": 3}]}, "data[0].text"),
        (
            {
                "errors": [
                    {
                        "type": "https://api.twitter.com/2/problems/resource-not-found",
                        "resource_type": "tweet",
                        "title": "Not Found Error",
                    }
                ]
            },
            "errors[0].value",
        ),
        ({"data": {"id": "with space", "text": "x"}}, "data.id"),
    ],
)
def test_v2_bad_input_names_the_json_path(payload: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        V2.parse(payload, CTX)
    assert field_of(exc) == field
    assert exc.value.source == "test"


def test_v2_bad_includes_name_their_path() -> None:
    base = {"data": {"id": "1", "text": "x"}}
    with pytest.raises(ValidationError) as exc:
        V2.parse({**base, "includes": {"media": [{"type": "photo"}]}}, CTX)
    assert field_of(exc) == "includes.media[0].media_key"
    with pytest.raises(ValidationError) as exc:
        V2.parse({**base, "includes": {"users": [{"id": "2"}]}}, CTX)
    assert field_of(exc) == "includes.users[0].username"
    with pytest.raises(ValidationError) as exc:
        V2.parse({**base, "includes": {"tweets": [{"id": "3", "text": None}]}}, CTX)
    assert field_of(exc) == "includes.tweets[0].text"


def test_v2_is_deterministic() -> None:
    payload = load("v2_tweets_lookup_many_tweet_fields.json")
    assert V2.parse(payload, CTX) == V2.parse(copy.deepcopy(payload), CTX)


# -- X API v1.1 ---------------------------------------------------------------------------------


def test_v1_reads_id_str_never_the_integer_id() -> None:
    status = v1_status(id=1359273099355713500)  # what a float parser makes of the id
    (post,) = posts(V1.parse(status, CTX)).values()
    assert post.ref.scoped_id == "1359273099355713538"
    assert post.url == "https://x.com/andypiper/status/1359273099355713538"
    assert (
        post.created_at is not None and post.created_at.isoformat() == "2021-02-09T22:48:55+00:00"
    )


def test_v1_retweet_is_a_pure_share_and_emits_the_original() -> None:
    result = V1.parse(load("v1_status_rt_video.json"), CTX)
    by_id = posts(result)
    carrier = by_id["1144380019915087872"]
    assert carrier.text is None and not carrier.media and not carrier.entities
    assert [(o.relation, o.ref.scoped_id) for o in carrier.origins] == [
        (Relation.SHARE, "1144340785246146561")
    ]
    original = by_id["1144340785246146561"]
    assert original.author is not None and original.author.scoped_id == "2904913023"
    (media,) = [i for i in result.items if isinstance(i, Media)]
    assert media.ref.scoped_id == "7_1143823914918916097" and media.duration_s == 27.467


def test_v1_animated_gif_type_comes_from_extended_entities() -> None:
    result = V1.parse(load("v1_status_rt_animated_gif.json"), CTX)
    (media,) = [i for i in result.items if isinstance(i, Media)]
    assert media.ref.scoped_id.startswith("16_") and media.media_kind is MediaKind.ANIMATION


def test_v1_quote_is_linked_and_emitted_reply_only_linked() -> None:
    by_id = posts(V1.parse(load("v1_status_quote.json"), CTX))
    assert set(by_id) == {"1359273099355713538", "1359272698325655561"}
    quote = by_id["1359273099355713538"]
    assert [(o.relation, o.ref.scoped_id) for o in quote.origins] == [
        (Relation.QUOTE, "1359272698325655561")
    ]
    (reply,) = posts(V1.parse(load("v1_status_reply_photo.json"), CTX)).values()
    assert [(o.relation, o.ref.scoped_id) for o in reply.origins] == [
        (Relation.REPLY, "1387064335911030787")
    ]


def test_v1_quoted_id_without_the_quoted_status_is_linked() -> None:
    status = v1_status(is_quote_status=True, quoted_status_id_str="42")
    (post,) = posts(V1.parse(status, CTX)).values()
    assert [(o.relation, o.ref.scoped_id) for o in post.origins] == [(Relation.QUOTE, "42")]


def test_v1_truncated_status_keeps_the_given_text() -> None:
    payload = load("v1_status_truncated_with_place.json")
    (post,) = posts(V1.parse(payload, CTX)).values()
    assert post.text == payload["text"] and post.text.endswith("https://t.co/U38OdDw1AS")


def test_v1_extended_tweet_full_text_is_read() -> None:
    status = v1_status(
        truncated=True,
        text="cut…",
        extended_tweet={
            "full_text": "the whole text #here",
            "entities": {"hashtags": [{"text": "here", "indices": [15, 20]}]},
        },
    )
    (post,) = posts(V1.parse(status, CTX)).values()
    assert post.text == "the whole text #here"
    assert [e.span.slice(post.text) for e in post.entities] == ["#here"]


def test_v1_search_list_and_error_body() -> None:
    search = V1.parse(load("v1_search_tweets_response.json"), CTX)
    assert len([i for i in search.items if isinstance(i, Post)]) == 21
    listed = V1.parse([v1_status(), v1_status(id_str="2")], CTX)
    assert set(posts(listed)) == {"1359273099355713538", "2"}
    errors = V1.parse({"errors": [{"code": 88, "message": "Rate limit exceeded"}]}, CTX).errors
    assert [(e.where, e.code, e.message) for e in errors] == [
        ("errors[0]", "88", "Rate limit exceeded")
    ]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (v1_status(id_str=None), "id_str"),
        (v1_status(id_str=1359273099355713538), "id_str"),
        (v1_status(id_str={"n": 1}), "id_str"),
        (v1_status(user=None), "user"),
        (v1_status(user={"screen_name": "x"}), "user.id_str"),
        (v1_status(created_at="2021-02-09"), "created_at"),
        (v1_status(text=None), "text"),
        (v1_status(entities={"hashtags": [{"text": "w"}]}), "entities.hashtags[0].indices"),
        (v1_status(entities={"hashtags": [{"indices": [6]}]}), "entities.hashtags[0].indices"),
        (v1_status(entities={"hashtags": [{"indices": [6, 99]}]}), "entities.hashtags[0].indices"),
        (v1_status(entities={"urls": [{"indices": ["a", 3]}]}), "entities.urls[0].indices.start"),
        (
            v1_status(extended_entities={"media": [{"type": "photo", "id": 5}]}),
            "extended_entities.media[0].id_str",
        ),
        (
            v1_status(extended_entities={"media": [{"type": "poll", "id_str": "5"}]}),
            "extended_entities.media[0].type",
        ),
        (v1_status(retweeted_status={"id_str": "9"}), "retweeted_status.user"),
        ({"statuses": [v1_status(), {"id_str": "2"}], "search_metadata": {}}, "statuses[1].user"),
        ([v1_status(), v1_status(user=[])], "[1].user"),
    ],
)
def test_v1_bad_input_names_the_json_path(payload: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        V1.parse(payload, CTX)
    assert field_of(exc) == field


# -- X archive ----------------------------------------------------------------------------------


def test_archive_spans_count_code_points_not_utf16() -> None:
    result = ARCHIVE.parse(load("archive_tweets_ur.js"), CTX)
    by_id = posts(result)
    wanted = {
        "1696052093181640704": ["#سوات", "#سیلاب"],
        "1696420873542135808": ["#پېښور", "#موسم"],
        "1697141516279287808": ["@sports_desk_pk", "#PAKvENG", "#Cricket"],
        "1698893626349826179": ["https://t.co/Qm7XbR2pLk"],
        "1699264902514036736": ["@weather_watch_pk", "https://t.co/Wx4Lp9TzQa"],
        "1699611484694286336": ["@news_desk_example", "#Lahore", "#موسم"],
    }
    for tweet_id, pieces in wanted.items():
        post = by_id[tweet_id]
        assert post.text is not None
        assert [e.span.slice(post.text) for e in post.entities] == pieces
    pashto = by_id["1696420873542135808"]
    assert pashto.text is not None
    first = pashto.entities[0].span.start
    assert utf16_length(pashto.text[:first]) == first + 1  # 🌦️ is one astral code point


def test_archive_items_have_no_author_and_keep_rt_text() -> None:
    result = ARCHIVE.parse(load("archive_tweets_ur.js"), CTX)
    by_id = posts(result)
    assert all(p.author is None and p.surface is Surface.PUBLIC for p in by_id.values())
    assert not [i for i in result.items if isinstance(i, Account)]
    rt = by_id["1699611484694286336"]
    assert rt.text is not None and rt.text.startswith("RT @news_desk_example: ")
    assert not rt.origins
    reply = by_id["1699264902514036736"]
    assert [(o.relation, o.ref.scoped_id) for o in reply.origins] == [
        (Relation.REPLY, "1699230178945318912")
    ]
    assert rt.url == "https://x.com/i/status/1699611484694286336"


def test_archive_media_types_and_string_numbers() -> None:
    result = ARCHIVE.parse(load("archive_tweets_part1.js"), CTX)
    media = {i.ref.scoped_id: i for i in result.items if isinstance(i, Media)}
    assert media["7_1703064690125094912"].media_kind is MediaKind.VIDEO
    assert media["7_1703064690125094912"].duration_s == 15.015
    assert media["16_1703425853322936320"].media_kind is MediaKind.ANIMATION


def test_archive_bare_tweets_of_old_archives() -> None:
    bare = [
        {"id_str": "1", "full_text": "purana tweet", "created_at": "Mon Jan 07 10:00:00 +0000 2019"}
    ]
    assert ARCHIVE.sniff(bare) and not V1.sniff(bare)
    (post,) = posts(ARCHIVE.parse(bare, CTX)).values()
    assert post.text == "purana tweet"


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (
            [{"tweet": {"full_text": "x", "created_at": "Mon Jan 07 10:00:00 +0000 2019"}}],
            "[0].tweet.id_str",
        ),
        (
            [{"tweet": {"id_str": "1", "created_at": "Mon Jan 07 10:00:00 +0000 2019"}}],
            "[0].tweet.text",
        ),
        (
            [{"tweet": {"id_str": "1", "full_text": "x", "created_at": "2019-01-07"}}],
            "[0].tweet.created_at",
        ),
        (
            [
                {
                    "tweet": {
                        "id_str": "1",
                        "full_text": "ab",
                        "entities": {"hashtags": [{"indices": ["0", "x"]}]},
                    }
                }
            ],
            "[0].tweet.entities.hashtags[0].indices.end",
        ),
        ([{"tweet": None}], "[0].tweet"),
        ([{"tweet": {"id_str": "1", "full_text": "x"}}, 7], "[1]"),
        ({"tweet": {}}, "$"),
    ],
)
def test_archive_bad_input_names_the_json_path(payload: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        ARCHIVE.parse(payload, CTX)
    assert field_of(exc) == field
