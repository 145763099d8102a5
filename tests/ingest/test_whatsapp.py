"""WhatsApp Cloud API webhooks: bad input names its JSON path; forwards, places and edits hold."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.whatsapp import WhatsAppWebhookAdapter
from nigehban.model.items import Account, Media, MediaKind, Post
from nigehban.model.refs import Platform, Relation, Surface, stand_in_id

ADAPTER = WhatsAppWebhookAdapter()
CTX = ParseContext("t", "hook.json")
MSG = "entry[0].changes[0].value.messages[0]"
MSG_AT = "entry.0.changes.0.value.messages.0"
PHONE_ID = "1122334455667"
GROUP = "120363000000000001@g.us"


def webhook(*messages: dict[str, Any], field: str = "messages", key: str = "messages") -> Any:
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "1234567890",
                "changes": [
                    {
                        "field": field,
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550001111",
                                "phone_number_id": PHONE_ID,
                            },
                            "contacts": [
                                {
                                    "profile": {"name": "Amna"},
                                    "wa_id": "923000000001",
                                    "user_id": "US.111",
                                },
                                {"profile": {"name": "Bilal"}, "user_id": "US.222"},
                            ],
                            key: list(messages),
                        },
                    }
                ],
            }
        ],
    }


def text_message(**extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "from": "923000000001",
        "id": "wamid.AAA",
        "timestamp": "1700000000",
        "type": "text",
        "text": {"body": "بارش کا امکان ہے"},
    }
    message.update(extra)
    return message


def image_message(**extra: Any) -> dict[str, Any]:
    message: dict[str, Any] = {
        "from": "923000000001",
        "id": "wamid.IMG",
        "timestamp": "1700000000",
        "type": "image",
        "image": {"id": "555", "mime_type": "image/jpeg", "caption": "کرکٹ میچ"},
    }
    message.update(extra)
    return message


def parse(payload: Any) -> ParseResult:
    return ADAPTER.parse(payload, CTX)


def posts(result: ParseResult) -> dict[str, Post]:
    return {i.ref.scoped_id: i for i in result.items if isinstance(i, Post)}


def at(path: str) -> Callable[[Any], Any]:
    """A getter for the node at a dotted path like ``entry.0.changes`` (``""``: the root)."""

    def find(payload: Any) -> Any:
        node = payload
        for part in filter(None, path.split(".")):
            node = node[int(part)] if part.isdigit() else node[part]
        return node

    return find


# -- sniff ------------------------------------------------------------------------------------


def test_sniff_accepts_the_envelope() -> None:
    assert ADAPTER.sniff(webhook(text_message()))
    assert ADAPTER.sniff({"object": "whatsapp_business_account", "entry": []})


@pytest.mark.parametrize(
    "payload",
    [
        None,
        "whatsapp_business_account",
        [{"object": "whatsapp_business_account", "entry": []}],
        {"object": "page", "entry": []},
        {"object": "instagram", "entry": []},
        {"object": "whatsapp_business_account"},
        {"object": "whatsapp_business_account", "entry": {}},
        {"object": ["whatsapp_business_account"], "entry": []},
        {"entry": [], "messages": []},
    ],
)
def test_sniff_rejects_other_shapes_without_raising(payload: object) -> None:
    assert ADAPTER.sniff(payload) is False


# -- bad input: every error names the JSON path ------------------------------------------------


def _delete(path: str, key: str) -> Callable[[Any], None]:
    return lambda p: at(path)(p).pop(key)


def _set(path: str, key: str, value: Any) -> Callable[[Any], None]:
    def apply(p: Any) -> None:
        at(path)(p)[key] = value

    return apply


BAD: list[tuple[str, Any, Callable[[Any], None], str]] = [
    ("entry missing", text_message(), lambda p: p.pop("entry"), "entry: is missing"),
    ("entry an object", text_message(), _set("", "entry", {}), "entry: expected a list"),
    (
        "entry item a string",
        text_message(),
        _set("", "entry", ["x"]),
        "entry[0]: expected an object",
    ),
    (
        "changes missing",
        text_message(),
        _delete("entry.0", "changes"),
        "entry[0].changes: is missing",
    ),
    (
        "change without value",
        text_message(),
        _delete("entry.0.changes.0", "value"),
        "entry[0].changes[0].value: is missing",
    ),
    (
        "change without field",
        text_message(),
        _delete("entry.0.changes.0", "field"),
        "entry[0].changes[0].field: is missing",
    ),
    (
        "metadata missing",
        text_message(),
        _delete("entry.0.changes.0.value", "metadata"),
        "entry[0].changes[0].value.metadata: is missing",
    ),
    (
        "phone number id missing",
        text_message(),
        _delete("entry.0.changes.0.value.metadata", "phone_number_id"),
        "entry[0].changes[0].value.metadata.phone_number_id: is missing",
    ),
    (
        "messages an object",
        text_message(),
        _set("entry.0.changes.0.value", "messages", {}),
        "entry[0].changes[0].value.messages: expected a list",
    ),
    ("message id missing", text_message(), _delete(MSG_AT, "id"), f"{MSG}.id: is missing"),
    (
        "message id an object",
        text_message(),
        _set(MSG_AT, "id", {"wamid": "x"}),
        f"{MSG}.id: expected an id, got an object",
    ),
    ("message id empty", text_message(), _set(MSG_AT, "id", ""), f"{MSG}.id: is empty"),
    ("type missing", text_message(), _delete(MSG_AT, "type"), f"{MSG}.type: is missing"),
    ("text body missing", text_message(), _set(MSG_AT, "text", {}), f"{MSG}.text.body: is missing"),
    (
        "text body a number",
        text_message(),
        _set(MSG_AT, "text", {"body": 7}),
        f"{MSG}.text.body: expected a string",
    ),
    (
        "text a string",
        text_message(),
        _set(MSG_AT, "text", "hello"),
        f"{MSG}.text: expected an object",
    ),
    (
        "timestamp not a number",
        text_message(),
        _set(MSG_AT, "timestamp", "yesterday"),
        f"{MSG}.timestamp: expected an integer",
    ),
    (
        "no author",
        text_message(),
        _delete(MSG_AT, "from"),
        f"{MSG}.from: is missing, and so are from_user_id and user_id",
    ),
    (
        "author an object",
        text_message(),
        _set(MSG_AT, "from", {"id": "1"}),
        f"{MSG}.from: expected an id",
    ),
    (
        "media without id",
        image_message(),
        lambda p: at(MSG_AT)(p)["image"].pop("id"),
        f"{MSG}.image.id: is missing",
    ),
    (
        "media a list",
        image_message(),
        _set(MSG_AT, "image", []),
        f"{MSG}.image: expected an object",
    ),
    (
        "media sha256 a number",
        image_message(),
        lambda p: at(MSG_AT)(p)["image"].update(sha256=1),
        f"{MSG}.image.sha256: expected a string",
    ),
    (
        "forwarded not a boolean",
        text_message(context={"forwarded": "yes"}),
        lambda p: None,
        f"{MSG}.context.forwarded: expected true or false",
    ),
    (
        "reply id an object",
        text_message(context={"id": {}}),
        lambda p: None,
        f"{MSG}.context.id: expected an id",
    ),
    (
        "revoke without original",
        text_message(type="revoke", revoke={}),
        lambda p: None,
        f"{MSG}.revoke.original_message_id: is missing",
    ),
    (
        "edit without message",
        text_message(type="edit", edit={"original_message_id": "wamid.O"}),
        lambda p: None,
        f"{MSG}.edit.message: is missing",
    ),
    (
        "edit without a time",
        text_message(
            type="edit",
            edit={
                "original_message_id": "wamid.O",
                "message": {"type": "text", "text": {"body": "x"}},
            },
        ),
        _delete(MSG_AT, "timestamp"),
        f"{MSG}.timestamp: is missing (edit time)",
    ),
    (
        "edit nested type missing",
        text_message(type="edit", edit={"original_message_id": "wamid.O", "message": {}}),
        lambda p: None,
        f"{MSG}.edit.message.type: is missing",
    ),
    (
        "error without code",
        text_message(type="unsupported", errors=[{"title": "Message type unknown"}]),
        lambda p: None,
        f"{MSG}.errors[0].code: is missing",
    ),
    (
        "status an array",
        text_message(),
        _set("entry.0.changes.0.value", "statuses", [[]]),
        "entry[0].changes[0].value.statuses[0]: expected an object",
    ),
]


@pytest.mark.parametrize(
    ("message", "mutate", "problem"),
    [(m, f, p) for _, m, f, p in BAD],
    ids=[name for name, *_ in BAD],
)
def test_bad_input_names_the_json_path(
    message: dict[str, Any], mutate: Callable[[Any], None], problem: str
) -> None:
    payload = webhook(copy.deepcopy(message))
    mutate(payload)
    with pytest.raises(ValidationError) as exc:
        parse(payload)
    assert problem in str(exc.value)
    assert str(exc.value).startswith("hook.json: field ")


def test_echo_without_business_number_names_the_metadata_path() -> None:
    payload = webhook(text_message(), field="smb_message_echoes", key="message_echoes")
    at("entry.0.changes.0.value.metadata")(payload).pop("display_phone_number")
    with pytest.raises(ValidationError, match=r"value\.metadata\.display_phone_number: is missing"):
        parse(payload)


def test_parse_refuses_another_object_and_non_objects() -> None:
    with pytest.raises(ValidationError, match="field object: expected 'whatsapp_business_account'"):
        parse({"object": "page", "entry": []})
    with pytest.raises(ValidationError, match=r"field \$: expected an object, got a list"):
        parse([])


def test_empty_structures_give_empty_results() -> None:
    assert parse({"object": "whatsapp_business_account", "entry": []}) == ParseResult()
    empty_changes = {"object": "whatsapp_business_account", "entry": [{"id": "1", "changes": []}]}
    assert parse(empty_changes) == ParseResult()
    result = parse(webhook())
    assert result.items == []
    assert [s.where for s in result.skipped] == ["entry[0].changes[0]"]


# -- identity, place, authors -----------------------------------------------------------------


def test_private_chat_is_private_with_the_business_number_as_container() -> None:
    result = parse(webhook(text_message()))
    post = posts(result)[f"{PHONE_ID}/wamid.AAA"]
    assert post.surface is Surface.PRIVATE
    assert post.container == PHONE_ID
    assert post.text == "بارش کا امکان ہے"
    assert post.created_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert post.author is not None and post.author.scoped_id == "923000000001"
    (account,) = [i for i in result.items if isinstance(i, Account)]
    assert account.display_name == "Amna"


def test_group_message_uses_group_id_and_business_scoped_author() -> None:
    message = text_message(group_id=GROUP, from_user_id="US.222")
    del message["from"]
    result = parse(webhook(message))
    post = posts(result)[f"{PHONE_ID}/wamid.AAA"]
    assert (post.surface, post.container) == (Surface.GROUP, GROUP)
    assert post.author is not None and post.author.scoped_id == "US.222"
    (account,) = [i for i in result.items if isinstance(i, Account)]
    assert account.display_name == "Bilal"


def test_from_wins_over_from_user_id_and_profile_is_found_by_either() -> None:
    message = text_message(**{"from": "923009999999", "from_user_id": "US.222"})
    result = parse(webhook(message))
    (account,) = [i for i in result.items if isinstance(i, Account)]
    assert account.ref.scoped_id == "923009999999"
    assert account.display_name == "Bilal"


def test_echo_is_written_by_the_business() -> None:
    payload = webhook(
        text_message(to="923000000001"), field="smb_message_echoes", key="message_echoes"
    )
    result = parse(payload)
    post = posts(result)[f"{PHONE_ID}/wamid.AAA"]
    assert post.author is not None and post.author.scoped_id == "15550001111"
    assert post.surface is Surface.PRIVATE


# -- forwards ---------------------------------------------------------------------------------


def test_forward_is_a_pure_share_with_a_stand_in_origin() -> None:
    result = parse(webhook(image_message(context={"forwarded": True})))
    by_id = posts(result)
    carrier = by_id[f"{PHONE_ID}/wamid.IMG"]
    assert carrier.text is None and carrier.media == ()
    ((relation, origin_ref),) = [(o.relation, o.ref) for o in carrier.origins]
    assert relation is Relation.SHARE and origin_ref.is_stand_in
    origin = by_id[origin_ref.scoped_id]
    assert origin.text == "کرکٹ میچ"
    assert [m.scoped_id for m in origin.media] == ["555"]
    assert origin.author is None and origin.container is None and origin.created_at is None
    assert origin.surface is carrier.surface


def test_same_forward_in_a_chat_and_a_group_is_one_origin() -> None:
    sha = "AY6Q98jMoQMdmC2nzBeXz0E5RzaylL+5rt012UmS1YY="
    first = image_message(context={"frequently_forwarded": True})
    first["image"]["sha256"] = sha
    second = copy.deepcopy(first)
    second.update(id="wamid.OTHER", group_id=GROUP, context={"forwarded": True})
    second["image"]["id"] = "556"
    a = {p.ref for p in posts(parse(webhook(first))).values() if p.ref.is_stand_in}
    b = {p.ref for p in posts(parse(webhook(second))).values() if p.ref.is_stand_in}
    assert a == b
    hex_digest = "018e90f7c8cca1031d982da7cc1797cf41394736b294bfb9aedd35d94992d586"
    assert {r.scoped_id for r in a} == {stand_in_id(Platform.WHATSAPP, "کرکٹ میچ", (hex_digest,))}


def test_forwards_without_digests_fall_back_to_the_media_id() -> None:
    first = image_message(context={"forwarded": True})
    second = copy.deepcopy(first)
    second["image"]["id"] = "556"
    a = {p.ref for p in posts(parse(webhook(first))).values() if p.ref.is_stand_in}
    b = {p.ref for p in posts(parse(webhook(second))).values() if p.ref.is_stand_in}
    assert a and b and a != b


def test_reply_links_the_quoted_message_without_emitting_it() -> None:
    result = parse(webhook(text_message(context={"from": "15550001111", "id": "wamid.Q"})))
    post = posts(result)[f"{PHONE_ID}/wamid.AAA"]
    assert [(o.relation, o.ref.scoped_id) for o in post.origins] == [
        (Relation.REPLY, f"{PHONE_ID}/wamid.Q")
    ]
    assert post.text == "بارش کا امکان ہے"
    assert f"{PHONE_ID}/wamid.Q" not in posts(result)


# -- media ------------------------------------------------------------------------------------


def test_media_digest_is_kept_with_its_validity() -> None:
    message = image_message()
    message["image"]["sha256"] = "4654+8g="
    (media,) = [i for i in parse(webhook(message)).items if isinstance(i, Media)]
    (digest,) = media.digests
    assert (digest.given, digest.valid) == ("4654+8g=", False)


def test_voice_note_and_document_name() -> None:
    voice = text_message(type="audio", audio={"id": "7", "voice": True})
    del voice["text"]
    document = text_message(
        id="wamid.DOC", type="document", document={"id": "8", "filename": "report.pdf"}
    )
    del document["text"]
    media = {
        i.ref.scoped_id: i for i in parse(webhook(voice, document)).items if isinstance(i, Media)
    }
    assert media["7"].media_kind is MediaKind.VOICE
    assert (media["8"].media_kind, media["8"].file_name) == (MediaKind.DOCUMENT, "report.pdf")


# -- events without content, errors, deletions, edits -----------------------------------------


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"type": "reaction", "reaction": {"message_id": "wamid.X", "emoji": "👍"}}, "reaction"),
        (
            {
                "type": "location",
                "location": {
                    "latitude": 31.5,
                    "longitude": 74.3,
                    "name": "Lahore",
                    "address": "Mall Road",
                },
            },
            "location",
        ),
        ({"type": "interactive", "interactive": {"type": "button_reply"}}, "interactive"),
        ({"type": "button", "button": {"text": "Yes"}}, "button"),
        ({"type": "system", "system": {"body": "changed number"}}, "system"),
        ({"type": "order", "order": {"product_items": []}}, "order"),
        ({"type": "hologram"}, "'hologram' is not supported"),
    ],
)
def test_contentless_messages_are_skipped_with_a_reason(
    message: dict[str, Any], reason: str
) -> None:
    base = text_message()
    del base["text"]
    base.update(message)
    result = parse(webhook(base))
    assert result.items == []
    ((where, why),) = [(s.where, s.reason) for s in result.skipped]
    assert where == MSG and reason in why


def test_order_with_text_is_a_post() -> None:
    message = text_message(type="order", order={"text": "دو کلو آم", "product_items": []})
    del message["text"]
    assert posts(parse(webhook(message)))[f"{PHONE_ID}/wamid.AAA"].text == "دو کلو آم"


def test_statuses_are_skipped_and_their_errors_reported() -> None:
    payload = webhook()
    at("entry.0.changes.0.value")(payload)["statuses"] = [
        {
            "id": "wamid.S",
            "status": "failed",
            "timestamp": "1700000000",
            "errors": [{"code": 131047, "title": "Re-engagement message"}],
        },
    ]
    result = parse(payload)
    assert [(s.where, s.reason) for s in result.skipped] == [
        ("entry[0].changes[0].value.statuses[0]", "delivery status 'failed', no content")
    ]
    assert [(e.where, e.code, e.message) for e in result.errors] == [
        ("entry[0].changes[0].value.statuses[0].errors[0]", "131047", "Re-engagement message")
    ]


def test_unknown_field_is_skipped_by_name() -> None:
    result = parse(webhook(text_message(), field="message_template_status_update"))
    assert result.items == []
    assert [(s.where, s.reason) for s in result.skipped] == [
        (
            "entry[0].changes[0]",
            "webhook field 'message_template_status_update' carries no messages",
        )
    ]


def test_revoke_in_a_group_is_a_tombstone_of_the_original() -> None:
    message = text_message(type="revoke", group_id=GROUP, revoke={"original_message_id": "wamid.O"})
    result = parse(webhook(message))
    (tombstone,) = result.tombstones
    assert tombstone.ref.scoped_id == f"{PHONE_ID}/wamid.O"
    assert tombstone.deleted_at == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)
    assert result.items == []


def test_edit_is_a_revision_of_the_original_with_the_nested_time_as_fallback() -> None:
    message = text_message(
        type="edit",
        edit={
            "original_message_id": "wamid.O",
            "message": {"type": "text", "timestamp": "1700000100", "text": {"body": "نیا متن"}},
        },
    )
    del message["timestamp"]
    post = posts(parse(webhook(message)))[f"{PHONE_ID}/wamid.O"]
    assert post.text == "نیا متن"
    assert post.created_at is None
    assert post.edited_at == datetime(2023, 11, 14, 22, 15, tzinfo=UTC)


def test_output_is_deterministic() -> None:
    payload = webhook(
        text_message(),
        image_message(context={"forwarded": True}),
        text_message(id="wamid.R", context={"id": "wamid.AAA"}),
    )
    assert parse(payload) == parse(copy.deepcopy(payload))
