"""``/v1/groups``: list and show the registry, match text with code point and UTF-16 spans,
refuse oversized texts and missing keys, reload the registry."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from tests.api.conftest import ClientFactory, Key
from tests.groups.registry_files import MINIMAL

MATCH_TEXT = "🔥 کالعدم تحریک طالبان پاکستان and the T.T.P"


def assert_error_shape(body: object) -> dict[str, str]:
    assert isinstance(body, dict) and set(body) == {"error"}
    error = body["error"]
    assert isinstance(error, dict)
    assert isinstance(error["type"], str) and error["type"]
    assert isinstance(error["message"], str) and error["message"]
    return error


def test_list_groups_with_registry_summary(client: TestClient, key: Key) -> None:
    response = client.get("/v1/groups", headers=key.bearer)
    assert response.status_code == 200
    body = response.json()
    assert body["registry"]["snapshot_hash"]
    assert body["registry"]["as_of"]
    assert body["total"] >= 80
    assert "ttp" in [g["id"] for g in body["groups"]]


def test_list_groups_filters(client: TestClient, key: Key) -> None:
    parties = client.get("/v1/groups", params={"kind": "political_party"}, headers=key.bearer)
    assert parties.status_code == 200
    assert "tlp" in [g["id"] for g in parties.json()["groups"]]
    assert {g["kind"] for g in parties.json()["groups"]} == {"political_party"}

    baloch = client.get("/v1/groups", params={"q": "Baloch"}, headers=key.bearer)
    assert baloch.status_code == 200
    assert "bla" in [g["id"] for g in baloch.json()["groups"]]

    labels = client.get("/v1/groups", params={"labels": "true"}, headers=key.bearer)
    assert labels.status_code == 200
    assert "fitna-al-khawarij" in [label["id"] for label in labels.json()["labels"]]
    total = labels.json()["total"]
    paged = client.get("/v1/groups", params={"labels": "true", "limit": 1, "offset": 1},
                       headers=key.bearer).json()  # fmt: skip
    assert paged["total"] == total and [x["id"] for x in paged["labels"]] == [
        x["id"] for x in labels.json()["labels"][1:2]
    ]
    nothing = client.get("/v1/groups", params={"q": "!!!"}, headers=key.bearer).json()
    assert nothing["total"] == 0 and nothing["groups"] == []


def test_show_group_and_label(client: TestClient, key: Key) -> None:
    ttp = client.get("/v1/groups/ttp", headers=key.bearer)
    assert ttp.status_code == 200
    body = ttp.json()
    assert body["id"] == "ttp"
    assert body["designations"]
    assert body["aliases"]
    assert "fitna-al-khawarij" in body["labels"]

    label = client.get("/v1/groups/fitna-al-hindustan", headers=key.bearer)
    assert label.status_code == 200
    assert label.json()["kind"] == "state_label"
    assert "bla" in label.json()["refers_to"]


def test_an_id_a_curated_group_took_over_still_answers(client: TestClient, key: Key) -> None:
    response = client.get("/v1/groups/kurdistan-workers-party", headers=key.bearer)
    assert response.status_code == 200
    assert response.json()["id"] == "pkk"


def test_unknown_group_is_404_in_the_error_shape(client: TestClient, key: Key) -> None:
    response = client.get("/v1/groups/nope", headers=key.bearer)
    assert response.status_code == 404
    error = assert_error_shape(response.json())
    assert "nope" in error["message"]


def test_match_spans_slice_the_original_text(client: TestClient, key: Key) -> None:
    response = client.post("/v1/groups/match", json={"text": MATCH_TEXT}, headers=key.bearer)
    assert response.status_code == 200
    body = response.json()
    assert body["snapshot_hash"]
    hits = [h for h in body["hits"] if h["id"] == "ttp"]
    assert len(hits) >= 2
    for hit in hits:
        assert MATCH_TEXT[hit["start"] : hit["end"]] == hit["surface"]
        # the emoji before every hit is two UTF-16 code units
        assert hit["utf16_offset"] == hit["start"] + 1
        assert hit["utf16_length"] == hit["end"] - hit["start"]
    first = hits[0]
    assert first["surface"] == "تحریک طالبان پاکستان"
    assert first["script"] == "Arab"
    encoded = MATCH_TEXT.encode("utf-16-le")
    utf16 = encoded[2 * first["utf16_offset"] : 2 * (first["utf16_offset"] + first["utf16_length"])]
    assert utf16.decode("utf-16-le") == first["surface"]
    assert hits[-1]["surface"] == "T.T.P"


def test_everyday_words_are_not_mentions(client: TestClient, key: Key) -> None:
    plain = client.post("/v1/groups/match", json={"text": "LET ME KNOW"}, headers=key.bearer)
    assert plain.status_code == 200
    assert plain.json()["hits"] == []

    unresolved = client.post(
        "/v1/groups/match",
        json={"text": "LET ME KNOW", "include_unresolved": True},
        headers=key.bearer,
    )
    assert unresolved.status_code == 200
    for hit in unresolved.json()["hits"]:
        assert hit["ambiguous"] is True
        assert hit["resolved"] is False


def test_text_over_max_text_chars_is_422(client_with: ClientFactory, key: Key) -> None:
    small = client_with(max_text_chars=20)
    ok = small.post("/v1/groups/match", json={"text": "x" * 20}, headers=key.bearer)
    assert ok.status_code == 200
    response = small.post("/v1/groups/match", json={"text": "x" * 21}, headers=key.bearer)
    assert response.status_code == 422
    error = assert_error_shape(response.json())
    assert "text" in error["message"]
    assert "max_text_chars" in error["message"]


def test_groups_need_an_api_key(client: TestClient) -> None:
    response = client.get("/v1/groups")
    assert response.status_code == 401
    assert_error_shape(response.json())
    assert client.post("/v1/groups/match", json={"text": "TTP"}).status_code == 401


def test_reload(client: TestClient, key: Key) -> None:
    response = client.post("/v1/groups/reload", headers=key.bearer)
    assert response.status_code == 200
    body = response.json()
    assert body["reloaded"] is True
    assert body["registry"]["snapshot_hash"]


def test_bad_reload_is_422_and_keeps_the_registry(
    tmp_path: Path, client_with: ClientFactory, key: Key
) -> None:
    directory = tmp_path / "registry"
    directory.mkdir()
    registry_file = directory / "test.yaml"
    registry_file.write_text(MINIMAL, encoding="utf-8")
    c = client_with(group_registry_dir=directory)
    before = c.get("/v1/groups", headers=key.bearer).json()
    assert [g["id"] for g in before["groups"]] == ["alpha"]

    registry_file.write_text(MINIMAL.replace("kind: armed_group", "kind: armed"))
    response = c.post("/v1/groups/reload", headers=key.bearer)
    assert response.status_code == 422
    error = assert_error_shape(response.json())
    assert error["message"].startswith("test.yaml:7:")
    assert "kind" in error["message"]
    after = c.get("/v1/groups", headers=key.bearer).json()
    assert after["registry"]["snapshot_hash"] == before["registry"]["snapshot_hash"]
