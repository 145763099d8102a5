"""Facebook adapters: sniffing against every platform's payloads, and bad input naming its path."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.facebook import FacebookGraphAdapter, FacebookWebhookAdapter
from nigehban.ingest.facebook_common import url_media_id
from nigehban.ingest.results import result_to_dict
from nigehban.ingest.sources import PAYLOAD_SUFFIXES, iter_payloads
from nigehban.model.items import Media, MediaKind, Post
from nigehban.model.refs import Relation, Surface

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads"
FACEBOOK = PAYLOADS / "facebook"
CTX = ParseContext("t", "test")
GRAPH = FacebookGraphAdapter()
WEBHOOK = FacebookWebhookAdapter()


def _all_payloads() -> list[tuple[Path, object]]:
    out: list[tuple[Path, object]] = []
    for path in sorted(PAYLOADS.rglob("*")):
        if path.is_file() and path.suffix in PAYLOAD_SUFFIXES:
            out.extend(
                (path, getattr(d, "payload", None)) for d in iter_payloads(path, path.read_bytes())
            )
    return out


def _load(name: str) -> Any:
    return json.loads((FACEBOOK / name).read_text(encoding="utf-8"))


def _posts(result: ParseResult) -> dict[str, Post]:
    return {i.ref.scoped_id: i for i in result.items if isinstance(i, Post)}


def _error(adapter: Any, payload: Any) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        adapter.parse(payload, CTX)
    return info.value


def _hook(value: dict[str, Any], field: str = "feed", time: Any = 1451949440) -> dict[str, Any]:
    return {
        "object": "page",
        "entry": [
            {"id": "1234567890321", "time": time, "changes": [{"field": field, "value": value}]}
        ],
    }


# -- sniffing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path,payload", _all_payloads(), ids=lambda v: getattr(v, "name", ""))
def test_sniff_claims_exactly_the_facebook_payloads(path: Path, payload: object) -> None:
    claims = {a.name for a in (GRAPH, WEBHOOK) if a.sniff(payload)}
    if path.parent.name != "facebook":
        assert claims == set()
    elif path.name.startswith("graph_"):
        assert claims == {"facebook.graph"}
    else:
        assert claims == {"facebook.webhook"}


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "page",
        {},
        {"data": []},
        {"data": "x"},
        {"data": [1, 2]},
        {"object": "page"},
        {"object": "instagram", "entry": []},
        {"id": "1_2"},
        {"id": "1_2", "created_time": 5},
        {"id": "1_2", "created_time": "2021-07-04T19:50:58+0000", "timestamp": "x"},
        {"id": "1", "created_time": "2021-07-04T19:50:58+0000", "from": {"username": "u"}},
        {"id": "1", "created_time": "2021-07-04T19:50:58+0000", "story": {"reply_to": {}}},
        {"1": {"id": "2", "created_time": "2021-07-04T19:50:58+0000"}},
    ],
)
def test_sniff_rejects_other_shapes_without_raising(payload: object) -> None:
    assert not GRAPH.sniff(payload)
    assert not WEBHOOK.sniff(payload)


def test_parse_is_deterministic() -> None:
    for path in sorted(FACEBOOK.glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        adapter = GRAPH if GRAPH.sniff(payload) else WEBHOOK
        first = result_to_dict(adapter.parse(payload, CTX))
        assert first == result_to_dict(adapter.parse(copy.deepcopy(payload), CTX))


# -- Graph: bad input --------------------------------------------------------------------------


def test_graph_post_without_id_names_the_path() -> None:
    payload = _load("graph_feed_fields_page1.json")
    del payload["data"][2]["id"]
    err = _error(GRAPH, payload)
    assert err.field == "data[2].id"
    assert "is missing" in str(err)


def test_graph_id_of_the_wrong_type_names_the_path() -> None:
    payload = _load("graph_post_single_chinese.json")
    payload["id"] = {"id": "1"}
    err = _error(GRAPH, payload)
    assert err.field == "id"
    assert "expected an id" in str(err)


def test_graph_author_id_missing_names_the_path() -> None:
    payload = _load("graph_posts_multi_ids.json")
    key = "19292868552_10158345715593553"
    payload[key]["from"] = {"name": "Someone"}
    assert _error(GRAPH, payload).field == f"{key}.from.id"


def test_graph_truncated_structures_name_the_path() -> None:
    payload = _load("graph_post_with_album_attachments.json")
    payload["attachments"]["data"] = {"media": {}}
    assert _error(GRAPH, payload).field == "attachments.data"
    payload = _load("graph_feed_fields_page1.json")
    payload["data"][1] = "4_10113449068715281"
    assert _error(GRAPH, payload).field == "data[1]"
    assert _error(GRAPH, []).field == "$"


def test_graph_bad_time_names_the_path() -> None:
    payload = _load("graph_feed_fields_page1.json")
    payload["data"][0]["created_time"] = "yesterday"
    assert _error(GRAPH, payload).field == "data[0].created_time"


def test_graph_comment_without_id_or_permalink_is_an_error() -> None:
    payload = _load("graph_comments_page1.json")
    del payload["data"][3]["permalink_url"]
    payload["data"][3]["parent"] = {"id": "10158407654328553_10158407835073553"}
    assert _error(GRAPH, payload).field == "data[3].id"


def test_graph_message_tag_outside_the_text_names_the_tag() -> None:
    payload = _load("graph_feed_default_fields_page1.json")
    payload["data"][1]["message_tags"][1]["offset"] = 5000
    err = _error(GRAPH, payload)
    assert err.field == "data[1].message_tags[1]"
    assert "UTF-16 range" in str(err)
    del payload["data"][1]["message_tags"][1]["offset"]
    assert _error(GRAPH, payload).field == "data[1].message_tags[1].offset"


def test_graph_message_tags_without_message_is_an_error() -> None:
    payload = {
        "id": "1_2",
        "created_time": "2021-07-04T19:50:58+0000",
        "message_tags": [{"id": "9", "offset": 0, "length": 1}],
    }
    assert _error(GRAPH, payload).field == "message_tags"


# -- Graph: invariants -------------------------------------------------------------------------


def test_message_tag_offsets_are_utf16_units() -> None:
    text = "🎉🎉 Thanks Ninja Van for the lift"  # two astral emoji = 4 UTF-16 units
    payload = {
        "id": "19292868552_1",
        "created_time": "2021-07-04T19:50:58+0000",
        "message": text,
        "message_tags": [{"id": "957138134486129", "type": "page", "offset": 12, "length": 9}],
    }
    post = _posts(GRAPH.parse(payload, CTX))["19292868552_1"]
    (entity,) = post.entities
    assert entity.kind == "mention"
    assert entity.value == "957138134486129"
    assert entity.span.slice(text) == "Ninja Van"


def test_old_message_tags_keyed_by_offset() -> None:
    payload = {
        "id": "1_2",
        "created_time": "2014-09-03T13:13:48+0000",
        "message": "Aaj Lahore mein barish hui, Ali aur Sara ne tasveer bheji",
        "message_tags": {
            "36": [{"id": "22", "name": "Sara", "offset": 36, "length": 4}],
            "28": [{"id": "11", "name": "Ali", "offset": 28, "length": 3}],
        },
    }
    post = _posts(GRAPH.parse(payload, CTX))["1_2"]
    assert [(e.value, e.span.slice(post.text or "")) for e in post.entities] == [
        ("11", "Ali"),
        ("22", "Sara"),
    ]


def test_story_is_not_text_and_updated_time_is_not_an_edit() -> None:
    payload = {
        "id": "1_2",
        "story": "Someone shared a link.",
        "created_time": "2021-07-04T19:50:58+0000",
        "updated_time": "2021-07-05T19:50:58+0000",
    }
    post = _posts(GRAPH.parse(payload, CTX))["1_2"]
    assert post.text is None
    assert post.edited_at is None


def test_nested_comments_reply_to_their_post_and_comment() -> None:
    payload = {
        "id": "555_777",
        "created_time": "2022-08-27T10:00:00+0000",
        "message": "کراچی میں آج شدید بارش ہوئی، کئی سڑکیں زیر آب ہیں۔",
        "comments": {
            "data": [
                {
                    "id": "777_1",
                    "created_time": "2022-08-27T10:05:00+0000",
                    "message": "ہمارے علاقے میں بھی بجلی بند ہے",
                    "from": {"id": "42", "name": "Reader"},
                    "comments": {
                        "data": [
                            {
                                "id": "777_2",
                                "created_time": "2022-08-27T10:07:00+0000",
                                "message": "شکریہ، خبر اپ ڈیٹ کر دی گئی",
                            }
                        ]
                    },
                }
            ]
        },
    }
    posts = _posts(GRAPH.parse(payload, CTX))
    assert set(posts) == {"555_777", "777_1", "777_2"}
    assert posts["777_1"].origins[0].relation is Relation.REPLY
    assert posts["777_1"].origins[0].ref.scoped_id == "555_777"
    assert posts["777_2"].origins[0].ref.scoped_id == "777_1"
    assert {p.container for p in posts.values()} == {"555"}


def test_group_permalink_makes_a_group_post() -> None:
    payload = {
        "data": [
            {
                "id": "2260975870792283_3053924814830714",
                "created_time": "2021-07-09T00:04:27+0000",
                "message": "Cricket practice moved to Sunday",
                "permalink_url": "https://www.facebook.com/groups/2260975870792283/permalink/3053924814830714/",
            }
        ]
    }
    post = _posts(GRAPH.parse(payload, CTX))["2260975870792283_3053924814830714"]
    assert post.surface is Surface.GROUP
    assert post.container == "2260975870792283"


def test_comment_reply_ids_come_from_the_permalink() -> None:
    posts = _posts(GRAPH.parse(_load("graph_comments_page1.json"), CTX))
    reply = posts["10158407654328553_10158409983033553"]
    assert reply.origins[0].ref.scoped_id == "10158407654328553_10158407903973553"
    top = posts["10158407654328553_10158407903973553"]
    assert top.origins[0].ref.scoped_id == "19292868552_10158407654328553"


def test_comment_permalink_of_another_comment_gives_no_parent() -> None:
    payload = _load("graph_comment_full.json")
    payload["id"] = "2954961744718970_1"
    (post,) = [i for i in GRAPH.parse(payload, CTX).items if isinstance(i, Post)]
    assert post.origins == ()


def test_messenger_messages_are_private() -> None:
    payload = {
        "id": "t_100",
        "updated_time": "2021-07-23T09:50:48+0000",
        "messages": {
            "data": [
                {
                    "id": "m_abc",
                    "created_time": "2021-07-23T09:50:48+0000",
                    "message": "Is the shop open on Friday?",
                    "from": {"id": "2711636948859886", "name": "Kun Liu"},
                    "attachments": {
                        "data": [
                            {
                                "id": "9",
                                "mime_type": "audio/mpeg",
                                "file_url": "https://cdn.example/a.mp3",
                            }
                        ]
                    },
                }
            ]
        },
    }
    result = GRAPH.parse(payload, CTX)
    post = _posts(result)["m_abc"]
    assert post.surface is Surface.PRIVATE
    assert post.container == "t_100"
    (media,) = [i for i in result.items if isinstance(i, Media)]
    assert media.media_kind is MediaKind.AUDIO


def test_video_object_is_a_video_and_a_post() -> None:
    payload = {
        "id": "1192957457884299",
        "description": "Highlights of the final over",
        "source": "https://video.example/v.mp4",
        "length": 31.5,
        "updated_time": "2021-07-20T01:55:06+0000",
    }
    result = GRAPH.parse(payload, CTX)
    post = _posts(result)["1192957457884299"]
    assert post.text == "Highlights of the final over"
    (media,) = [i for i in result.items if isinstance(i, Media)]
    assert media.ref.scoped_id == "1192957457884299"
    assert media.media_kind is MediaKind.VIDEO
    assert post.media == (media.ref,)


# -- webhooks ----------------------------------------------------------------------------------


def test_webhook_missing_field_names_the_path() -> None:
    payload = _load("webhook_feed_status_add.json")
    del payload["entry"][0]["changes"][0]["field"]
    assert _error(WEBHOOK, payload).field == "entry[0].changes[0].field"
    payload = _load("webhook_feed_status_add.json")
    del payload["entry"][0]["changes"][0]["value"]["post_id"]
    assert _error(WEBHOOK, payload).field == "entry[0].changes[0].value.post_id"
    payload = _load("webhook_feed_comment_add.json")
    del payload["entry"][0]["changes"][0]["value"]["comment_id"]
    assert _error(WEBHOOK, payload).field == "entry[0].changes[0].value.comment_id"


def test_webhook_wrong_types_name_the_path() -> None:
    payload = _load("webhook_feed_post_edit.json")
    payload["entry"][0]["changes"][0]["value"]["from"]["id"] = {"id": 1}
    err = _error(WEBHOOK, payload)
    assert err.field == "entry[0].changes[0].value.from.id"
    payload = _load("webhook_feed_status_add_photos.json")
    payload["entry"][0]["changes"][0]["value"]["photos"][1] = {"url": "x"}
    assert _error(WEBHOOK, payload).field == "entry[0].changes[0].value.photos[1]"
    payload = _load("webhook_feed_status_add.json")
    payload["entry"][0]["changes"] = {"field": "feed"}
    assert _error(WEBHOOK, payload).field == "entry[0].changes"
    payload = _load("webhook_feed_status_edited.json")
    payload["entry"][0]["time"] = "soon"
    assert _error(WEBHOOK, payload).field == "entry[0].time"


def test_webhook_numeric_ids_become_strings() -> None:
    result = WEBHOOK.parse(_load("webhook_feed_post_edit.json"), CTX)
    post = _posts(result)["1234567890321_7293787835232"]
    assert post.author is not None
    assert post.author.scoped_id == "8423678347823"


@pytest.mark.parametrize(
    "value,reason",
    [
        (
            {"item": "comment", "verb": "hide", "comment_id": "1_2", "post_id": "3_1"},
            "comment hide: visibility change, no content",
        ),
        (
            {"item": "reaction", "verb": "add", "reaction_type": "like", "post_id": "3_1"},
            "reaction, no content",
        ),
        ({"item": "like", "verb": "add", "post_id": "3_1"}, "like, no content"),
        (
            {"item": "status", "verb": "block", "post_id": "3_1"},
            "unsupported verb 'block' for feed item 'status'",
        ),
        ({"item": "rating", "verb": "add"}, "unsupported feed item 'rating'"),
    ],
)
def test_webhook_events_without_content_are_skipped(value: dict[str, Any], reason: str) -> None:
    result = WEBHOOK.parse(_hook(value), CTX)
    assert result.items == []
    assert [(s.where, s.reason) for s in result.skipped] == [("entry[0].changes[0]", reason)]


def test_webhook_comment_remove_tombstones_the_comment() -> None:
    value = {"item": "comment", "verb": "remove", "comment_id": "901_903", "post_id": "123_901"}
    (tomb,) = WEBHOOK.parse(_hook(value), CTX).tombstones
    assert tomb.ref.key == "facebook/post/901_903"
    assert tomb.reason == "removed on Facebook"


def test_messenger_webhook_events() -> None:
    payload: dict[str, Any] = {
        "object": "page",
        "entry": [
            {
                "id": "2121008874780932",
                "time": 1700000000123,
                "messaging": [
                    {
                        "sender": {"id": 2711636948859886},
                        "recipient": {"id": "2121008874780932"},
                        "timestamp": 1700000000000,
                        "message": {
                            "mid": "m_1",
                            "text": "بارش کی وجہ سے میچ ملتوی ہو گیا",
                            "reply_to": {"mid": "m_0"},
                            "attachments": [
                                {"type": "image", "payload": {"url": "https://cdn.example/p.jpg"}}
                            ],
                        },
                    },
                    {
                        "sender": {"id": "2711636948859886"},
                        "recipient": {"id": "2121008874780932"},
                        "timestamp": 1700000005000,
                        "message_edit": {
                            "mid": "m_1",
                            "text": "بارش کی وجہ سے میچ کل ہوگا",
                            "num_edit": 1,
                        },
                    },
                    {
                        "sender": {"id": "2711636948859886"},
                        "recipient": {"id": "2121008874780932"},
                        "timestamp": 1700000006000,
                        "read": {"watermark": 1700000005000},
                    },
                ],
            }
        ],
    }
    result = WEBHOOK.parse(payload, CTX)
    posts = [i for i in result.items if isinstance(i, Post)]
    assert [p.ref.scoped_id for p in posts] == ["m_1", "m_1"]
    assert all(p.surface is Surface.PRIVATE for p in posts)
    assert posts[0].origins[0].ref.scoped_id == "m_0"
    assert posts[0].media[0].scoped_id == url_media_id("https://cdn.example/p.jpg")
    assert posts[0].created_at is not None and posts[0].created_at.year == 2023
    assert posts[1].edited_at is not None
    assert [(s.where, s.reason) for s in result.skipped] == [
        ("entry[0].messaging[2]", "read receipt, no content")
    ]
    del payload["entry"][0]["messaging"][0]["message"]["mid"]
    assert _error(WEBHOOK, payload).field == "entry[0].messaging[0].message.mid"
