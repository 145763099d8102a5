"""Telegram adapters: invariants and bad input (the fixtures' items are in test_fixtures.py)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.telegram_bot import TelegramBotAdapter
from nigehban.ingest.telegram_common import PeerKind, bot_api_chat_id
from nigehban.ingest.telegram_export import TelegramExportAdapter
from nigehban.model.items import Account, Media, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface, stand_in_id

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads" / "telegram"
CTX = ParseContext("t", "test")
BOT = TelegramBotAdapter()
EXPORT = TelegramExportAdapter()

CHANNEL = {"id": -1001, "title": "Mandi Rates", "username": "mandi_example", "type": "channel"}


def load(name: str) -> Any:
    return json.loads((PAYLOADS / name).read_text(encoding="utf-8"))


def update(key: str = "message", **message: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": 7,
        "chat": {"id": 42, "first_name": "Sana", "type": "private"},
        "from": {"id": 42, "is_bot": False, "first_name": "Sana"},
        "date": 1752500591,
        "text": "Aaj mandi band hai",
    }
    body.update(message)
    return {"update_id": 1, key: body}


def posts(result: ParseResult) -> dict[str, Post]:
    return {i.ref.scoped_id: i for i in result.items if isinstance(i, Post)}


def ref(kind: ItemKind, scoped_id: str) -> ItemRef:
    return ItemRef("t", Platform.TELEGRAM, kind, scoped_id)


def field_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return exc.value.field


# -- sniffing ---------------------------------------------------------------------------------


def test_bot_sniff_accepts_update_list_and_get_updates() -> None:
    one = update()
    assert BOT.sniff(one)
    assert BOT.sniff([one, update("channel_post", chat=CHANNEL)])
    assert BOT.sniff({"ok": True, "result": [one]})
    assert BOT.sniff({"ok": True, "result": []})
    assert BOT.sniff({"ok": False, "error_code": 409, "description": "Conflict"})
    # libraries that dump every field with null still give one update field
    assert BOT.sniff({"update_id": 1, "message": one["message"], "channel_post": None})


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"update_id": 1},
        {"update_id": "1", "message": {}},
        {"update_id": True, "message": {}},
        {"update_id": 1, "message": {}, "channel_post": {}},
        {"update_id": 1, "message": "text"},
        {"ok": True, "result": [{"id": 1}]},
        {"ok": True, "result": [], "extra": 1},
        [{"update_id": 1, "message": {}}, {"id": 2}],
        {"type": "public_channel", "id": 1, "messages": []},
        "update_id",
    ],
)
def test_bot_sniff_rejects_other_shapes(payload: object) -> None:
    assert not BOT.sniff(payload)


def test_export_sniff() -> None:
    assert EXPORT.sniff(load("desktop_export_channel_result.json"))
    assert EXPORT.sniff(load("desktop_export_account_result.json"))
    assert not EXPORT.sniff({"type": "channel", "id": 1, "messages": []})
    assert not EXPORT.sniff({"type": "public_channel", "id": "1", "messages": []})
    assert not EXPORT.sniff({"type": "public_channel", "id": 1, "messages": {"data": []}})
    assert not EXPORT.sniff({"chats": {"data": []}})
    assert not EXPORT.sniff(update())
    assert not BOT.sniff(load("desktop_export_channel_result.json"))


# -- identity and surfaces --------------------------------------------------------------------


def test_two_channels_with_the_same_message_id_give_two_posts() -> None:
    other = {**CHANNEL, "id": -1002, "username": "other_example"}
    result = BOT.parse(
        [
            update("channel_post", chat=CHANNEL, text="Pehla channel"),
            update("channel_post", chat=other, text="Doosra channel"),
        ],
        CTX,
    )
    found = posts(result)
    assert set(found) == {"-1001/7", "-1002/7"}
    assert found["-1001/7"].text == "Pehla channel"
    assert found["-1002/7"].text == "Doosra channel"
    assert found["-1001/7"].ref != found["-1002/7"].ref


@pytest.mark.parametrize(
    ("chat_type", "surface"),
    [
        ("private", Surface.PRIVATE),
        ("group", Surface.GROUP),
        ("supergroup", Surface.GROUP),
        ("channel", Surface.CHANNEL),
    ],
)
def test_surface_from_chat_type(chat_type: str, surface: Surface) -> None:
    result = BOT.parse(update(chat={"id": -5, "title": "x", "type": chat_type}), CTX)
    assert posts(result)["-5/7"].surface is surface


def test_private_messages_are_emitted_as_private() -> None:
    for name in (
        "botapi_update_message__telegram_types.json",
        "desktop_export_account_result.json",
    ):
        payload = load(name)
        adapter = BOT if BOT.sniff(payload) else EXPORT
        found = posts(adapter.parse(payload, CTX))
        assert any(p.surface is Surface.PRIVATE for p in found.values())


def test_sender_chat_is_the_author_and_from_is_optional() -> None:
    body = update("channel_post", chat=CHANNEL, sender_chat=CHANNEL)
    del body["channel_post"]["from"]
    result = BOT.parse(body, CTX)
    post = posts(result)["-1001/7"]
    assert post.author == ref(ItemKind.ACCOUNT, "-1001")
    assert post.url == "https://t.me/mandi_example/7"
    accounts = [i for i in result.items if isinstance(i, Account)]
    assert [a.display_name for a in accounts] == ["Mandi Rates"]

    body = update(chat={"id": -5, "title": "Group", "type": "group"})
    del body["message"]["from"]
    assert posts(BOT.parse(body, CTX))["-5/7"].author is None


# -- text and entities --------------------------------------------------------------------------


def test_urdu_entities_are_converted_from_utf16() -> None:
    payload = load("botapi_update_channel_post_urdu_entities.json")
    post = next(iter(posts(BOT.parse(payload, CTX)).values()))
    assert post.text is not None
    got = {e.kind + ":" + e.span.slice(post.text) for e in post.entities}
    assert got == {
        "bold:تیز بارش",
        "url:https://example.org/mausam/lahore",
        "hashtag:#موسم",
        "hashtag:#لاہور",
        "text_link:مزید پڑھیں",
    }
    # the offsets as given (UTF-16) would cut the text elsewhere
    raw = payload["channel_post"]["entities"][2]
    assert post.text[raw["offset"] : raw["offset"] + raw["length"]] != "#موسم"


def test_caption_entities_text_mention_and_custom_emoji() -> None:
    body = update(
        caption="👍 Sana dekho",
        caption_entities=[
            {
                "type": "custom_emoji",
                "offset": 0,
                "length": 2,
                "custom_emoji_id": "5368324170671202286",
            },
            {
                "type": "text_mention",
                "offset": 3,
                "length": 4,
                "user": {"id": 99, "first_name": "S"},
            },
        ],
        photo=[{"file_id": "f", "file_unique_id": "u", "width": 10, "height": 10}],
    )
    del body["message"]["text"]
    post = posts(BOT.parse(body, CTX))["42/7"]
    assert [(e.kind, e.span.start, e.span.end, e.value) for e in post.entities] == [
        ("custom_emoji", 0, 1, "5368324170671202286"),
        ("text_mention", 2, 6, "99"),
    ]


# -- media --------------------------------------------------------------------------------------


def test_largest_photo_by_area_then_bytes() -> None:
    sizes = [
        {"file_id": "a", "file_unique_id": "A", "width": 100, "height": 100, "file_size": 5},
        {"file_id": "b", "file_unique_id": "B", "width": 50, "height": 200, "file_size": 9},
        {"file_id": "c", "file_unique_id": "C", "width": 90, "height": 90, "file_size": 99},
    ]
    result = BOT.parse(update(photo=sizes), CTX)
    assert posts(result)["42/7"].media == (ref(ItemKind.MEDIA, "B"),)


def test_animation_drops_its_duplicate_document_and_thumbnails() -> None:
    payload = load("botapi_update_animation__nutgram.json")
    media = [i for i in BOT.parse(payload, CTX).items if isinstance(i, Media)]
    assert [m.ref.scoped_id for m in media] == ["dfgdfgdfhgdyhdfg"]
    thumb = {"file_id": "t", "file_unique_id": "T", "width": 1, "height": 1}
    video = {"file_id": "v", "file_unique_id": "V", "duration": 3, "thumbnail": thumb}
    media = [i for i in BOT.parse(update(video=video), CTX).items if isinstance(i, Media)]
    assert [m.ref.scoped_id for m in media] == ["V"]


# -- forwards and replies -----------------------------------------------------------------------


def test_forward_from_a_channel_links_the_channel_post() -> None:
    origin = {"type": "channel", "chat": CHANNEL, "message_id": 55, "date": 1752400000}
    sizes = [{"file_id": "p", "file_unique_id": "P", "width": 10, "height": 10}]
    result = BOT.parse(
        update(forward_origin=origin, photo=sizes, text=None, caption="Naye nirakh"), CTX
    )
    found = posts(result)
    carrier, shared = found["42/7"], found["-1001/55"]
    assert carrier.text is None and carrier.media == ()
    assert carrier.origins[0].relation is Relation.SHARE
    assert carrier.origins[0].ref == shared.ref
    assert shared.text == "Naye nirakh"
    assert shared.media == (ref(ItemKind.MEDIA, "P"),)
    assert shared.surface is Surface.CHANNEL
    assert shared.author == ref(ItemKind.ACCOUNT, "-1001")
    assert shared.url == "https://t.me/mandi_example/55"


def test_legacy_forward_from_chat_equals_forward_origin() -> None:
    legacy = update(forward_from_chat=CHANNEL, forward_from_message_id=55, forward_date=1752400000)
    modern = update(
        forward_origin={"type": "channel", "chat": CHANNEL, "message_id": 55, "date": 1752400000}
    )
    assert BOT.parse(legacy, CTX).items == BOT.parse(modern, CTX).items


def test_hidden_user_forward_gets_a_stand_in_and_no_author() -> None:
    for body in (
        update(forward_origin={"type": "hidden_user", "sender_user_name": "A", "date": 1}),
        update(forward_sender_name="A", forward_date=1),
    ):
        found = posts(BOT.parse(body, CTX))
        stand_in = stand_in_id(Platform.TELEGRAM, "Aaj mandi band hai")
        origin = found[stand_in]
        assert origin.ref.is_stand_in
        assert origin.author is None
        assert origin.surface is Surface.PRIVATE  # the carrier's: the origin's chat is unknown
        assert found["42/7"].origins[0].ref == origin.ref


def test_stand_in_covers_the_media() -> None:
    sizes = [{"file_id": "p", "file_unique_id": "P", "width": 10, "height": 10}]
    body = update(forward_origin={"type": "hidden_user", "sender_user_name": "A", "date": 1})
    body["message"]["photo"] = sizes
    found = posts(BOT.parse(body, CTX))
    assert stand_in_id(Platform.TELEGRAM, "Aaj mandi band hai", ("P",)) in found


def test_forward_origin_of_unknown_type_is_an_error() -> None:
    with pytest.raises(ValidationError) as exc:
        BOT.parse(update(forward_origin={"type": "martian", "date": 1}), CTX)
    assert field_of(exc) == "message.forward_origin.type"


def test_reply_is_emitted_and_linked() -> None:
    replied = {"message_id": 6, "chat": CHANNEL, "date": 1752400000, "text": "Pehli khabar"}
    result = BOT.parse(update("channel_post", chat=CHANNEL, reply_to_message=replied), CTX)
    found = posts(result)
    assert found["-1001/7"].origins[0].relation is Relation.REPLY
    assert found["-1001/7"].origins[0].ref == found["-1001/6"].ref
    assert found["-1001/6"].author == ref(ItemKind.ACCOUNT, "-1001")


def test_external_reply_is_linked_by_id() -> None:
    external = {
        "origin": {"type": "channel", "chat": CHANNEL, "message_id": 3, "date": 1},
        "chat": CHANNEL,
        "message_id": 3,
    }
    found = posts(BOT.parse(update(external_reply=external), CTX))
    assert found["42/7"].origins[0].ref == ref(ItemKind.POST, "-1001/3")
    assert set(found) == {"42/7"}


# -- events without content ---------------------------------------------------------------------


def test_contentless_updates_are_skipped_with_a_reason() -> None:
    payload = {
        "ok": True,
        "result": [
            {"update_id": 1, "callback_query": {"id": "1"}},
            {"update_id": 2, "some_future_update": {"x": 1}},
            update(text=None, location={"latitude": 31.5, "longitude": 74.3}),
            update(text=None, new_chat_title="Naya naam"),
        ],
    }
    result = BOT.parse(payload, CTX)
    assert result.items == []
    assert [(s.where, s.reason) for s in result.skipped] == [
        ("result[0].callback_query", "button press, no content"),
        ("result[1].some_future_update", "update type some_future_update, not handled"),
        ("result[2].message", "location message, not ingested"),
        ("result[3].message", "service message (new_chat_title), no content"),
    ]


def test_deleted_business_messages_are_tombstones() -> None:
    payload = {
        "update_id": 1,
        "deleted_business_messages": {
            "business_connection_id": "b",
            "chat": {"id": 42, "type": "private"},
            "message_ids": [7, 8],
        },
    }
    result = BOT.parse(payload, CTX)
    assert [t.ref.scoped_id for t in result.tombstones] == ["42/7", "42/8"]


def test_error_body_is_a_platform_error() -> None:
    payload = {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 5",
        "parameters": {"retry_after": 5},
    }
    result = BOT.parse(payload, CTX)
    assert [(e.code, e.message) for e in result.errors] == [
        ("429", "Too Many Requests: retry after 5 (retry after 5 s)")
    ]


def test_edit_date_sets_edited_at() -> None:
    post = posts(BOT.parse(update("edited_message", edit_date=1752500600), CTX))["42/7"]
    assert post.edited_at is not None and post.created_at is not None
    assert (post.edited_at - post.created_at).total_seconds() == 9


# -- bad input ----------------------------------------------------------------------------------


def _broken(path: list[str | int], value: Any, base: dict[str, Any] | None = None) -> Any:
    payload = copy.deepcopy(base if base is not None else update())
    target: Any = payload
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return payload


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["message", "message_id"], _DELETE, "message.message_id"),
        (["message", "message_id"], {"id": 7}, "message.message_id"),
        (["message", "chat"], _DELETE, "message.chat"),
        (["message", "chat", "id"], {"n": 1}, "message.chat.id"),
        (["message", "chat", "id"], "", "message.chat.id"),
        (["message", "chat", "type"], "planet", "message.chat.type"),
        (["message", "text"], 12, "message.text"),
        (["message", "date"], "yesterday", "message.date"),
        (["message", "from"], "Sana", "message.from"),
        (["message", "from", "id"], None, "message.from.id"),
        (["message", "entities"], {"offset": 0}, "message.entities"),
        (
            ["message", "entities"],
            [{"type": "bold", "offset": 5, "length": 99}],
            "message.entities[0]",
        ),
        (["message", "entities"], [{"type": "bold", "length": 1}], "message.entities[0].offset"),
        (
            ["message", "entities"],
            [{"type": "text_link", "offset": 0, "length": 1}],
            "message.entities[0].url",
        ),
        (["message", "photo"], [{"file_id": "x", "height": 1}], "message.photo[0].width"),
        (["message", "video"], {"duration": 2}, "message.video.file_id"),
        (["message", "reply_to_message"], {"message_id": 1}, "message.reply_to_message.chat"),
        (
            ["message", "forward_origin"],
            {"type": "channel", "date": 1},
            "message.forward_origin.chat",
        ),
        (["update_id"], "x", "update_id"),
    ],
)
def test_bad_bot_payload_names_the_path(path: list[str | int], value: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        BOT.parse(_broken(path, value), CTX)
    assert field_of(exc) == field
    assert field in str(exc.value)


def test_bad_bot_envelopes() -> None:
    with pytest.raises(ValidationError) as exc:
        BOT.parse({"update_id": 1}, CTX)
    assert field_of(exc) == "$"
    with pytest.raises(ValidationError) as exc:
        BOT.parse([update(), "not an update"], CTX)
    assert field_of(exc) == "[1]"
    with pytest.raises(ValidationError) as exc:
        BOT.parse({"ok": True, "result": {"update_id": 1}}, CTX)
    assert field_of(exc) == "result"
    with pytest.raises(ValidationError) as exc:
        BOT.parse({"update_id": 1, "message": {}, "channel_post": {}}, CTX)
    assert "one update field" in str(exc.value)


# -- Desktop export -----------------------------------------------------------------------------


def test_bot_api_chat_ids() -> None:
    assert bot_api_chat_id(PeerKind.CHANNEL, 1234567890) == -1001234567890
    assert bot_api_chat_id(PeerKind.CHANNEL, 123) == -1000000000123
    assert bot_api_chat_id(PeerKind.CHAT, 876543210) == -876543210
    assert bot_api_chat_id(PeerKind.USER, 5550001111) == 5550001111


def test_export_and_bot_api_give_the_same_ref() -> None:
    export = {
        "name": "Mandi",
        "type": "public_channel",
        "id": 1234567890,
        "messages": [
            {
                "id": 7,
                "type": "message",
                "date_unixtime": "1752500591",
                "from": "Mandi",
                "from_id": "channel1234567890",
                "text": "Aaj mandi band hai",
            }
        ],
    }
    chat = {"id": -1001234567890, "title": "Mandi", "type": "channel"}
    bot = BOT.parse(update("channel_post", chat=chat, sender_chat=chat), CTX)
    exported = EXPORT.parse(export, CTX)
    assert set(posts(bot)) == set(posts(exported)) == {"-1001234567890/7"}
    assert posts(bot)["-1001234567890/7"].author == posts(exported)["-1001234567890/7"].author


def test_export_media_without_file_has_no_local_path() -> None:
    result = EXPORT.parse(load("desktop_export_account_result.json"), CTX)
    media = {i.ref.scoped_id: i for i in result.items if isinstance(i, Media)}
    assert media["-876543210/13/media"].local_path is None
    assert (
        media["5550002222/103/media"].local_path == "voice_messages/audio_1@12-07-2025_20-13-02.ogg"
    )


def test_export_skips_unknown_chat_types_in_an_account_export() -> None:
    payload = {"chats": {"list": [{"type": "replies", "id": 1, "messages": []}]}}
    result = EXPORT.parse(payload, CTX)
    assert [(s.where, s.reason) for s in result.skipped] == [
        ("chats.list[0]", "chat type 'replies', not handled")
    ]


def _export(**message: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": 3,
        "type": "message",
        "date_unixtime": "1752500591",
        "from": "Sana",
        "from_id": "user42",
        "text": "Aaj mandi band hai",
    }
    body.update(message)
    return {"name": "Sana", "type": "personal_chat", "id": 42, "messages": [body]}


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        (["messages", 0, "id"], _DELETE, "messages[0].id"),
        (["messages", 0, "id"], [3], "messages[0].id"),
        (["messages", 0, "type"], _DELETE, "messages[0].type"),
        (["messages", 0, "from_id"], "group42", "messages[0].from_id"),
        (["messages", 0, "from_id"], "user", "messages[0].from_id"),
        (["messages", 0, "from_id"], "user²", "messages[0].from_id"),
        (["messages", 0, "from_id"], "user" + "9" * 5000, "messages[0].from_id"),
        (["type"], {"private": True}, "type"),
        (["messages", 0, "text"], {"type": "bold"}, "messages[0].text"),
        (["messages", 0, "text"], ["a", {"type": "bold"}], "messages[0].text[1].text"),
        (["messages", 0, "text"], ["a", 5], "messages[0].text[1]"),
        (["messages", 0, "text"], [{"type": "text_link", "text": "x"}], "messages[0].text[0].href"),
        (["messages", 0, "date_unixtime"], "14 July", "messages[0].date_unixtime"),
        (["messages", 0, "photo"], 5, "messages[0].photo"),
        (["messages"], {"list": []}, "messages"),
        (["messages", 0], "hello", "messages[0]"),
        (["id"], -42, "id"),
        (["id"], _DELETE, "id"),
        (["type"], "secret_chat", "type"),
    ],
)
def test_bad_export_names_the_path(path: list[str | int], value: Any, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        EXPORT.parse(_broken(path, value, _export()), CTX)
    assert field_of(exc) == field


def test_bad_account_export() -> None:
    with pytest.raises(ValidationError) as exc:
        EXPORT.parse({"personal_information": {}}, CTX)
    assert field_of(exc) == "$"
    with pytest.raises(ValidationError) as exc:
        EXPORT.parse({"chats": {"list": [{"type": "personal_chat", "messages": []}]}}, CTX)
    assert field_of(exc) == "chats.list[0].id"


def test_adapters_are_deterministic() -> None:
    for name in sorted(p.name for p in PAYLOADS.glob("*.json")):
        payload = load(name)
        adapter = BOT if BOT.sniff(payload) else EXPORT
        assert adapter.parse(payload, CTX) == adapter.parse(copy.deepcopy(payload), CTX)
