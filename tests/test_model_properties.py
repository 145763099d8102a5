"""Invariants of the model, by property: spans, UTF-16 conversion, digests, masking, codec."""

from __future__ import annotations

import base64
import hashlib

from hypothesis import given
from hypothesis import strategies as st

from nigehban.model.codec import content_hash, item_from_dict, item_to_dict
from nigehban.model.digests import Digest
from nigehban.model.items import Entity, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface, stand_in_id
from nigehban.model.spans import Span, codepoints_to_utf16, utf16_length, utf16_to_codepoints
from nigehban.privacy.masking import PREVIEW_CHARS, preview

TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),  # no lone surrogates
    max_size=60,
)


@given(TEXT, st.data())
def test_utf16_round_trip(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    span = Span(start, end)
    offset, length = codepoints_to_utf16(text, span)
    assert utf16_to_codepoints(text, offset, length) == span
    encoded = text.encode("utf-16-le")
    assert encoded[2 * offset : 2 * (offset + length)].decode("utf-16-le") == span.slice(text)
    assert utf16_length(text) * 2 == len(encoded)


def test_telegram_style_offsets_after_emoji() -> None:
    text = "📢 خبر: https://example.org #پاکستان"
    # UTF-16: the emoji is 2 units, so the URL starts at unit 8, code point 7.
    assert utf16_to_codepoints(text, 8, 19) == Span(7, 26)
    assert Span(7, 26).slice(text) == "https://example.org"


@given(st.binary(min_size=32, max_size=32))
def test_sha256_digest_accepts_hex_and_base64(raw: bytes) -> None:
    assert Digest.parse("sha256", raw.hex()).hex == raw.hex()
    assert Digest.parse("SHA-256", base64.b64encode(raw).decode()).hex == raw.hex()


def test_invalid_digest_is_kept_as_given() -> None:
    d = Digest.parse("sha256", "not-a-digest")
    assert (d.given, d.valid) == ("not-a-digest", False)
    assert Digest.parse("md5", hashlib.md5(b"x").hexdigest()).valid


@given(st.text(max_size=500))
def test_preview_is_short_and_masks_numbers(value: str) -> None:
    out = preview(value)
    assert len(out) <= PREVIEW_CHARS + 40


def test_preview_masks_phone_numbers_and_truncates_posts() -> None:
    assert "3001234567" not in preview("call +92 300 1234567 now")
    assert preview("call 0300-1234567 or (042) 3512.3456 now") == "'call 03…67 or 04…56 now'"
    assert preview("on 2025-07-14 at 169.254.169.254, 1,234,567 times") == (
        "'on 2025-07-14 at 169.254.169.254, 1,234,567 times'"
    )
    long = preview("بہت لمبی تحریر " * 50)
    assert len(long) < 130 and "chars" in long


@given(TEXT, st.lists(st.sampled_from(["mention", "url", "hashtag"]), max_size=3))
def test_codec_round_trip_and_stable_hash(text: str, kinds: list[str]) -> None:
    ref = ItemRef("t", Platform.TELEGRAM, ItemKind.POST, "-1001/1")
    post = Post(
        ref=ref,
        surface=Surface.CHANNEL,
        text=text,
        entities=tuple(Entity(k, Span(0, len(text))) for k in kinds),
    )
    assert item_from_dict("t", item_to_dict(post)) == post
    assert content_hash(post) == content_hash(item_from_dict("t", item_to_dict(post)))


@given(TEXT, TEXT)
def test_stand_in_ids_are_content_addressed(a: str, b: str) -> None:
    assert stand_in_id(Platform.WHATSAPP, a) == stand_in_id(Platform.WHATSAPP, a)
    if a != b:
        assert stand_in_id(Platform.WHATSAPP, a) != stand_in_id(Platform.WHATSAPP, b)
