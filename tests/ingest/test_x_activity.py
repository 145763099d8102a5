"""X Account Activity deliveries: the adapter contract and bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nigehban.errors import ValidationError
from nigehban.ingest.base import Adapter, ParseContext
from nigehban.ingest.x_activity import XActivityAdapter
from nigehban.testing.adapter_contract import AdapterContract

FIXTURE = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "payloads"
    / "x"
    / "account_activity_events.json"
)


def delivery() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


class TestXActivityContract(AdapterContract):
    def make_adapter(self) -> Adapter:
        return XActivityAdapter()

    def good_payloads(self) -> list[Any]:
        return [delivery(), {"for_user_id": "1", "follow_events": [{}]}]

    def foreign_payloads(self) -> list[Any]:
        return [*super().foreign_payloads(), {"for_user_id": "1"}, {"tweet_create_events": []}]


def parse(payload: dict[str, Any]) -> Any:
    return XActivityAdapter().parse(payload, ParseContext("t", "delivery.json"))


def test_delete_event_without_status_names_the_path() -> None:
    payload = {"for_user_id": "1", "tweet_delete_events": [{"timestamp_ms": "1"}]}
    with pytest.raises(ValidationError, match=r"tweet_delete_events\[0\]\.status: is missing"):
        parse(payload)


def test_direct_message_entity_outside_text_is_refused() -> None:
    payload = delivery()
    payload["direct_message_events"][0]["message_create"]["message_data"]["entities"]["urls"][0][
        "indices"
    ] = [27, 99]
    with pytest.raises(ValidationError, match=r"urls\[0\]\.indices"):
        parse(payload)


def test_non_message_dm_event_is_skipped() -> None:
    payload = {"for_user_id": "1", "direct_message_events": [{"type": "reaction", "id": "5"}]}
    result = parse(payload)
    assert result.items == [] and "reaction" in result.skipped[0].reason
