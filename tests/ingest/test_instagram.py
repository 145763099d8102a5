"""Instagram adapters: shapes beyond the fixtures, bad input, and platform invariants."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.instagram import InstagramGraphAdapter, InstagramWebhookAdapter
from nigehban.ingest.instagram_graph import url_media_id
from nigehban.ingest.results import result_to_dict
from nigehban.model.items import Account, Media, MediaKind, Post
from nigehban.model.refs import ItemKind, Relation, Surface

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads"
INSTAGRAM = sorted((PAYLOADS / "instagram").glob("*.json"))
OTHERS = sorted(
    p for p in PAYLOADS.glob("*/*.json") if p.parent.name != "instagram" and p.is_file()
)
CTX = ParseContext("t", "test")
GRAPH = InstagramGraphAdapter()
WEBHOOK = InstagramWebhookAdapter()


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def fixture(name: str) -> Any:
    return load(PAYLOADS / "instagram" / f"{name}.json")


def graph(payload: Any) -> ParseResult:
    assert GRAPH.sniff(payload)
    return GRAPH.parse(payload, CTX)


def webhook(payload: Any) -> ParseResult:
    assert WEBHOOK.sniff(payload)
    return WEBHOOK.parse(payload, CTX)


def items_of(result: ParseResult, kind: type) -> dict[str, Any]:
    return {i.ref.scoped_id: i for i in result.items if isinstance(i, kind)}


def graph_error(payload: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        GRAPH.parse(payload, CTX)
    return caught.value


def webhook_error(payload: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        WEBHOOK.parse(payload, CTX)
    return caught.value


def envelope(*, changes: list[Any] | None = None, messaging: list[Any] | None = None) -> Any:
    entry: dict[str, Any] = {"id": "17841400000000001", "time": 1700000000}
    if changes is not None:
        entry["changes"] = changes
    if messaging is not None:
        entry["messaging"] = messaging
    return {"object": "instagram", "entry": [entry]}


def dm(message: dict[str, Any], **extra: Any) -> Any:
    event = {
        "sender": {"id": "5614879045272581"},
        "recipient": {"id": "17841452691600098"},
        "timestamp": 1668022333735,
        "message": message,
        **extra,
    }
    return envelope(messaging=[event])


# -- sniffing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", INSTAGRAM, ids=lambda p: p.name)
def test_exactly_one_instagram_adapter_claims_each_instagram_payload(path: Path) -> None:
    payload = load(path)
    claims = [a.name for a in (GRAPH, WEBHOOK) if a.sniff(payload)]
    assert claims == ["instagram.webhook" if path.name.startswith("webhook") else "instagram.graph"]


@pytest.mark.parametrize("path", OTHERS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_instagram_adapter_claims_another_platforms_payload(path: Path) -> None:
    payload = load(path)
    assert not GRAPH.sniff(payload)
    assert not WEBHOOK.sniff(payload)


@pytest.mark.parametrize(
    "payload",
    [
        None,
        [],
        "text",
        {},
        {"data": []},
        {"data": [{"id": "1", "media_type": "IMAGE"}], "includes": {}},
        {"data": {"id": "1", "media_type": "IMAGE"}},
        {"id": "1", "text": "a tweet-like object"},
        {"id": "1", "created_time": "2021-07-04T19:50:58+0000", "message": "a Facebook post"},
        {"id": "m_abc", "created_time": "2021-07-04T19:50:58+0000", "from": {"id": "1"}},
        {"id": "1", "media_type": "photo"},
        {"id": True, "media_type": "IMAGE"},
        {"platform": "instagram", "id": "1", "timestamp": "2021-07-04T19:50:58+0000"},
        {"1": {"id": "2", "media_type": "IMAGE"}},
        {"1": {"id": "1", "created_time": "2021-07-04T19:50:58+0000", "message": "hi"}},
        {"object": "page", "entry": []},
        {"object": "instagram", "entry": {}},
    ],
)
def test_sniff_refuses_what_is_not_instagram(payload: Any) -> None:
    assert not GRAPH.sniff(payload)
    assert not WEBHOOK.sniff(payload)


def test_sniff_accepts_the_markers_instagram_alone_uses() -> None:
    assert GRAPH.sniff({"id": "1", "media_product_type": "REELS"})
    assert GRAPH.sniff({"id": "1", "permalink": "https://www.instagram.com/p/abc/"})
    assert GRAPH.sniff({"id": "1", "ig_id": "2"})
    assert GRAPH.sniff({"id": "1", "text": "hi", "timestamp": "2021-07-04T19:50:58+0000"})
    assert GRAPH.sniff({"id": "aWdfxyz", "created_time": "2021-07-04T19:50:58+0000"})
    assert GRAPH.sniff({"1": {"id": 1, "media_type": "VIDEO"}})


# -- Graph: shapes beyond the fixtures -------------------------------------------------------


def test_video_without_media_url_falls_back_to_the_thumbnail() -> None:
    result = graph({"id": "5", "media_type": "VIDEO", "thumbnail_url": "https://cdn.example/t.jpg"})
    media = items_of(result, Media)["5"]
    assert media.media_kind is MediaKind.VIDEO
    assert media.url == "https://cdn.example/t.jpg"


def test_carousel_without_children_or_url_has_no_media() -> None:
    result = graph({"id": "5", "media_type": "CAROUSEL_ALBUM", "caption": "three photos"})
    assert items_of(result, Post)["5"].media == ()
    assert not items_of(result, Media)


def test_empty_caption_is_no_text() -> None:
    result = graph({"id": "5", "media_type": "IMAGE", "caption": ""})
    assert items_of(result, Post)["5"].text is None


def test_business_discovery_account_and_its_media() -> None:
    payload = {
        "id": "17841400000000001",
        "business_discovery": {
            "id": "17841400000000002",
            "username": "lahore_weather",
            "name": "Lahore Weather Desk",
            "biography": "Daily forecasts for Punjab.",
            "profile_picture_url": "https://cdn.example/p.jpg",
            "media": {"data": [{"id": "9", "media_type": "IMAGE", "caption": "Clear skies"}]},
        },
    }
    result = graph(payload)
    account = items_of(result, Account)["17841400000000002"]
    assert (account.handle, account.display_name, account.bio, account.avatar_url) == (
        "lahore_weather",
        "Lahore Weather Desk",
        "Daily forecasts for Punjab.",
        "https://cdn.example/p.jpg",
    )
    assert items_of(result, Post)["9"].author == account.ref
    assert "17841400000000001" not in items_of(result, Account)


def test_comment_with_from_parent_and_a_media_that_carries_content() -> None:
    payload = {
        "id": "17841400000000001",
        "mentioned_comment": {
            "id": "30",
            "text": "بارش کی پیشگوئی درست نکلی",
            "timestamp": "2021-08-19T09:14:16+0000",
            "from": {"id": "77", "username": "karachi_reader"},
            "parent_id": "29",
            "media": {"id": "20", "caption": "آج کراچی میں موسم ابر آلود", "media_type": "IMAGE"},
        },
    }
    result = graph(payload)
    posts = items_of(result, Post)
    assert posts["30"].origins[0].relation is Relation.REPLY
    assert posts["30"].origins[0].ref.scoped_id == "29"
    assert posts["30"].author is not None and posts["30"].author.scoped_id == "77"
    assert items_of(result, Account)["77"].handle == "karachi_reader"
    assert posts["20"].text == "آج کراچی میں موسم ابر آلود"


def test_graph_message_attachments_shares_and_story_mention() -> None:
    payload = {
        "id": "aWdfZAG1faXRlbTox",
        "created_time": "2021-06-15T22:08:01+0000",
        "from": {"id": "123", "username": "someone"},
        "attachments": {
            "data": [
                {
                    "id": "555",
                    "mime_type": "image/jpeg",
                    "name": "image-555",
                    "size": 1024,
                    "image_data": {"url": "https://cdn.example/i.jpg", "width": 10, "height": 20},
                },
                {"video_data": {"url": "https://cdn.example/v.mp4"}},
            ]
        },
        "shares": {"data": [{"link": "https://www.instagram.com/p/abc/"}]},
        "story": {"mention": {"id": "180", "link": "https://lookaside.example/s"}},
    }
    result = graph(payload)
    post = items_of(result, Post)["aWdfZAG1faXRlbTox"]
    assert post.surface is Surface.PRIVATE
    assert post.text is None
    assert post.links == ("https://www.instagram.com/p/abc/",)
    assert [(o.relation, o.ref.scoped_id) for o in post.origins] == [(Relation.SHARE, "180")]
    media = items_of(result, Media)
    assert media["555"].width == 10 and media["555"].size_bytes == 1024
    assert media[url_media_id("https://cdn.example/v.mp4")].media_kind is MediaKind.VIDEO
    assert items_of(result, Post)["180"].surface is Surface.PUBLIC


# -- Graph: bad input names the JSON path -------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "field", "problem"),
    [
        (lambda p: p.pop("id"), "id", "is missing"),
        (lambda p: p.update(id={"nested": 1}), "id", "expected an id"),
        (lambda p: p.update(caption=["x"]), "caption", "expected a string"),
        (lambda p: p.update(timestamp="yesterday"), "timestamp", "is not a valid time"),
        (lambda p: p.update(media_type="SLIDESHOW"), "media_type", "expected IMAGE, VIDEO"),
        (lambda p: p["owner"].pop("id"), "owner.id", "is missing"),
        (lambda p: p["children"]["data"][1].pop("id"), "children.data[1].id", "is missing"),
        (lambda p: p["children"].update(data={"id": "1"}), "children.data", "expected a list"),
        (lambda p: p["children"]["data"].append("17889"), "children.data[3]", "expected an object"),
        (
            lambda p: p["children"]["data"][0].update(media_type="CAROUSEL_ALBUM"),
            "children.data[0].media_type",
            "carousel",
        ),
    ],
)
def test_bad_media_object(mutate: Any, field: str, problem: str) -> None:
    payload = copy.deepcopy(fixture("graph_media_carousel_full"))
    mutate(payload)
    error = graph_error(payload)
    assert error.field == field
    assert problem in str(error)
    assert field in str(error)


def test_bad_page_entry_names_its_index() -> None:
    payload = copy.deepcopy(fixture("graph_tagged_media"))
    del payload["data"][3]["id"]
    assert graph_error(payload).field == "data[3].id"
    payload["data"] = "17892354025952911"
    assert graph_error(payload).field == "data"


def test_bad_nested_replies_and_edges() -> None:
    payload = copy.deepcopy(fixture("graph_comment_full"))
    payload["replies"]["data"][0]["text"] = 42
    assert graph_error(payload).field == "replies.data[0].text"
    payload = copy.deepcopy(fixture("graph_comment_full"))
    payload["media"] = {"caption": "x"}
    assert graph_error(payload).field == "media.id"
    payload = copy.deepcopy(fixture("graph_business_discovery_media"))
    del payload["business_discovery"]["media"]["data"][1]["id"]
    assert graph_error(payload).field == "business_discovery.media.data[1].id"
    payload = copy.deepcopy(fixture("graph_dm_story_reply"))
    del payload["story"]["reply_to"]["id"]
    assert graph_error(payload).field == "story.reply_to.id"


def test_multi_id_object_must_key_each_node_by_its_id() -> None:
    payload = copy.deepcopy(fixture("graph_comments_multi_ids"))
    payload["17858154961981086"]["id"] = "17858154961981087"
    assert graph_error(payload).field == "17858154961981086.id"
    payload["17858154961981086"] = "not an object"
    assert graph_error(payload).field == "17858154961981086"


def test_empty_or_non_object_graph_payloads() -> None:
    assert graph_error({}).field == "$"
    assert graph_error([]).field == "$"
    assert graph_error({"id": "1", "media_type": "IMAGE", "owner": "1"}).field == "owner"
    assert graph_error({"text": "x", "timestamp": "2021-08-19T09:14:16+0000"}).field == "id"


# -- webhooks -------------------------------------------------------------------------------------


def test_comment_reply_without_parent_replies_to_the_media() -> None:
    payload = copy.deepcopy(fixture("webhook_comments_2021"))
    del payload["entry"][0]["changes"][0]["value"]["parent_id"]
    post = items_of(webhook(payload), Post)["123456789"]
    assert [(o.relation, o.ref.scoped_id) for o in post.origins] == [(Relation.REPLY, "76543987")]
    assert post.created_at is None


def test_unknown_change_field_is_skipped_with_its_name() -> None:
    result = webhook(envelope(changes=[{"field": "story_insights", "value": {"media_id": "1"}}]))
    assert [(s.where, s.reason) for s in result.skipped] == [
        ("entry[0].changes[0]", "'story_insights' notification, not content")
    ]


def test_text_message_reply_to_a_message_and_to_a_story() -> None:
    result = webhook(
        dm({"mid": "m1", "text": "Is the shop open today?", "reply_to": {"mid": "m0"}})
    )
    post = items_of(result, Post)["m1"]
    assert post.surface is Surface.PRIVATE
    assert post.author is not None and post.author.scoped_id == "5614879045272581"
    assert post.created_at is not None and post.created_at.isoformat().startswith(
        "2022-11-09T19:32:13.735"
    )
    assert post.origins[0].ref.scoped_id == "m0"
    story = {"id": "1807", "url": "https://lookaside.example/story"}
    result = webhook(dm({"mid": "m2", "text": "Nice", "reply_to": {"story": story}}))
    assert items_of(result, Post)["m2"].origins[0].ref.scoped_id == "1807"
    assert items_of(result, Media)["1807"].url == "https://lookaside.example/story"


def test_unsupported_message_is_a_private_post_without_text() -> None:
    result = webhook(dm({"mid": "m3", "is_unsupported": True}))
    post = items_of(result, Post)["m3"]
    assert (post.surface, post.text, post.media) == (Surface.PRIVATE, None, ())


def test_message_attachments() -> None:
    message = {
        "mid": "m4",
        "attachments": [
            {"type": "image", "payload": {"url": "https://lookaside.example/i"}},
            {
                "type": "ig_reel",
                "payload": {"url": "https://lookaside.example/r", "reel_video_id": 9},
            },
            {"type": "fallback", "payload": {"url": "https://news.example/flood-report"}},
            {"type": "template", "payload": {"elements": []}},
        ],
    }
    result = webhook(dm(message))
    post = items_of(result, Post)["m4"]
    image = url_media_id("https://lookaside.example/i")
    assert [m.scoped_id for m in post.media] == [image, "9"]
    assert post.links == ("https://news.example/flood-report",)
    media = items_of(result, Media)
    assert media[image].media_kind is MediaKind.IMAGE
    assert media["9"].media_kind is MediaKind.VIDEO


def test_deleted_and_edited_messages() -> None:
    result = webhook(dm({"mid": "m5", "is_deleted": True}))
    assert not result.items
    assert [(t.ref.scoped_id, t.ref.kind) for t in result.tombstones] == [("m5", ItemKind.POST)]
    event = {
        "sender": {"id": "1"},
        "recipient": {"id": "2"},
        "timestamp": 1668022333735,
        "message_edit": {"mid": "m6", "text": "Match starts at 7, not 6", "num_edit": 1},
    }
    post = items_of(webhook(envelope(messaging=[event])), Post)["m6"]
    assert post.edited_at is not None and post.created_at is None
    assert post.text == "Match starts at 7, not 6"


@pytest.mark.parametrize(
    ("key", "reason"),
    [
        ("reaction", "message reaction, no content"),
        ("read", "read receipt, no content"),
        ("postback", "postback (a button the business defined), no content"),
        ("unknown_event", "messaging event without a message"),
    ],
)
def test_contentless_messaging_events_are_skipped(key: str, reason: str) -> None:
    event = {"sender": {"id": "1"}, "recipient": {"id": "2"}, "timestamp": 1, key: {"mid": "m"}}
    result = webhook(envelope(messaging=[event]))
    assert [(s.where, s.reason) for s in result.skipped] == [("entry[0].messaging[0]", reason)]


def test_dashboard_test_message_in_changes_with_seconds() -> None:
    value = {
        "sender": {"id": "12334"},
        "recipient": {"id": "23245"},
        "timestamp": "1527459824",
        "message": {"mid": "random_mid", "text": "random_text"},
    }
    result = webhook(envelope(changes=[{"field": "messages", "value": value}]))
    post = items_of(result, Post)["random_mid"]
    assert post.surface is Surface.PRIVATE
    assert post.created_at is not None and post.created_at.year == 2018


@pytest.mark.parametrize(
    ("payload", "field", "problem"),
    [
        ({"object": "instagram"}, "entry", "is missing"),
        ({"object": "page", "entry": []}, "object", "expected 'instagram'"),
        ({"object": "instagram", "entry": [[]]}, "entry[0]", "expected an object"),
        (envelope(changes=[{"value": {}}]), "entry[0].changes[0].field", "is missing"),
        (envelope(changes=[{"field": "comments"}]), "entry[0].changes[0].value", "is missing"),
        (
            envelope(changes=[{"field": "comments", "value": {"id": {"a": 1}, "text": "x"}}]),
            "entry[0].changes[0].value.id",
            "expected an id",
        ),
        (
            envelope(changes=[{"field": "comments", "value": {"id": "1", "from": {}}}]),
            "entry[0].changes[0].value.from.id",
            "is missing",
        ),
        (dm({"text": "hi"}), "entry[0].messaging[0].message.mid", "is missing"),
        (
            envelope(messaging=[{"timestamp": 1, "message": {"mid": "m"}}]),
            "entry[0].messaging[0].sender",
            "is missing",
        ),
        (
            dm({"mid": "m"}, timestamp="late"),
            "entry[0].messaging[0].timestamp",
            "expected an integer",
        ),
        (
            dm({"mid": "m"}, timestamp=10**20),
            "entry[0].messaging[0].timestamp",
            "not a Unix time",
        ),
        (
            dm({"mid": "m", "attachments": [{"payload": {"url": "u"}}]}),
            "entry[0].messaging[0].message.attachments[0].type",
            "is missing",
        ),
        (
            dm({"mid": "m", "attachments": {"type": "image"}}),
            "entry[0].messaging[0].message.attachments",
            "expected a list",
        ),
    ],
)
def test_bad_webhook(payload: Any, field: str, problem: str) -> None:
    error = webhook_error(payload)
    assert error.field == field
    assert problem in str(error)


# -- invariants over every fixture ---------------------------------------------------------------


def parse_fixture(path: Path) -> ParseResult:
    payload = load(path)
    adapter = WEBHOOK if WEBHOOK.sniff(payload) else GRAPH
    return adapter.parse(payload, ParseContext("t", str(path)))


@pytest.mark.parametrize("path", INSTAGRAM, ids=lambda p: p.name)
def test_fixture_invariants(path: Path) -> None:
    result = parse_fixture(path)
    assert result_to_dict(result) == result_to_dict(parse_fixture(path)), "not deterministic"
    media = {i.ref for i in result.items if isinstance(i, Media)}
    for post in (i for i in result.items if isinstance(i, Post)):
        assert post.entities == (), "Instagram gives no offsets: no entities"
        assert set(post.media) <= media, "every media reference has its media item"
        is_dm = post.ref.scoped_id.startswith("aWdf")
        assert post.surface is (Surface.PRIVATE if is_dm else Surface.PUBLIC)
    for account in (i for i in result.items if isinstance(i, Account)):
        assert account.handle or account.display_name, "bare ids are linked, not emitted"


def test_every_carousel_child_is_a_media_item() -> None:
    for name in ("graph_media_carousel_full", "graph_user_media_page2_carousel_video"):
        payload = fixture(name)
        album = payload if "children" in payload else payload["data"][0]
        children = [c["id"] for c in album["children"]["data"]]
        post = items_of(parse_fixture(PAYLOADS / "instagram" / f"{name}.json"), Post)[album["id"]]
        assert [m.scoped_id for m in post.media] == children
