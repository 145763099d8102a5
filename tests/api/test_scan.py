"""``POST /v1/scan`` decides one payload synchronously; ``GET /v1/decisions`` reads decisions
back with the engine's details; unknown policies and bad payloads keep the one error shape."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tests.api.conftest import ClientFactory, Key
from tests.api.test_groups import assert_error_shape
from tests.cli_support import run
from tests.conftest import TENANT, TEST_KEY

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads"


def test_scan_one_payload_then_read_its_decisions(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)
    body = (PAYLOADS / "x" / "v1_status_retweet.json").read_bytes()
    response = client.post("/v1/scan?policy=pk", content=body, headers=key.bearer)
    assert response.status_code == 200, response.text
    result = response.json()
    decided = result["decisions"]
    assert decided and result["summary"]["decided"] == len(decided)
    assert all(d["action"] in {"allow", "label", "review"} for d in decided)
    listed = client.get("/v1/decisions", headers=key.bearer)
    assert listed.status_code == 200
    docs = listed.json()
    assert len(docs) == len(decided)
    assert {d["item"].split("/")[0] for d in docs} == {"x"}
    assert all(len(d["policy_hash"]) == 64 and "details" in d for d in docs)
    allowed = client.get("/v1/decisions?action=allow&limit=1", headers=key.bearer).json()
    assert len(allowed) <= 1


def test_scan_refusals(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)
    body = (PAYLOADS / "x" / "v1_status_retweet.json").read_bytes()
    unknown = client.post("/v1/scan?policy=nope", content=body, headers=key.bearer)
    assert unknown.status_code == 404
    assert "nope" in assert_error_shape(unknown.json())["message"]
    bad = client.post("/v1/scan", content=b'{"not": "a payload"}', headers=key.bearer)
    assert bad.status_code == 422
    assert_error_shape(bad.json())
    assert client.post("/v1/scan", content=body).status_code == 401
    wrong = client.get("/v1/decisions?action=delete", headers=key.bearer)
    assert wrong.status_code == 422


GLORIFICATION = {"platform": "x", "id": "9", "author": {"id": "u9"},
                 "text": "Glory to the fidayeen of the Majeed Brigade who struck the enemy camp "
                         "in Kech. Every drop of their blood is a promise: more will follow. Join "
                         "the caravan, young Baloch!"}  # fmt: skip
"""A post praising an attack and calling to join: decided restrict or remove."""


def test_decision_statement_and_transparency_routes(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)
    record = GLORIFICATION
    response = client.post("/v1/scan?policy=eu", json=record, headers=key.bearer)
    assert response.status_code == 200, response.text
    post = next(d for d in response.json()["decisions"] if d["kind"] == "post")
    assert post["action"] in {"restrict", "remove"} and post["review"]  # eu: a person decides
    engine_id = post["decision_id"]
    one = client.get(f"/v1/decisions/{engine_id}", headers=key.bearer).json()
    assert one["id"] == engine_id and one["details"]["rules_fired"]
    waiting = client.get(f"/v1/decisions/{engine_id}/statement", headers=key.bearer)
    assert waiting.status_code == 409 and "awaits human review" in waiting.text

    queue = client.get("/v1/cases", headers=key.bearer).json()
    assert [c["decision_id"] for c in queue] == [engine_id] and queue[0]["state"] == "open"
    case_id = queue[0]["id"]
    shown = client.get(f"/v1/cases/{case_id}", headers=key.bearer).json()
    assert shown["decision"]["id"] == engine_id
    body = {"action": post["action"], "reviewer": "amina", "note": "praise and a call to join"}
    decided = client.post(f"/v1/cases/{case_id}/decision", json=body, headers=key.bearer)
    assert decided.status_code == 201, decided.text
    decision_id = decided.json()["decision"]["id"]
    assert decided.json()["case"]["state"] == "decided"
    assert decided.json()["decision"]["details"]["reviewed_by"] == "amina"
    again = client.post(f"/v1/cases/{case_id}/decision", json=body, headers=key.bearer)
    assert again.status_code == 409
    assert client.get("/v1/cases", headers=key.bearer).json() == []
    assert len(client.get("/v1/cases?state=decided", headers=key.bearer).json()) == 1

    urdu = client.get(f"/v1/decisions/{decision_id}/statement?lang=ur", headers=key.bearer)
    assert urdu.status_code == 200 and urdu.json()["direction"] == "rtl"
    french = client.get(f"/v1/decisions/{decision_id}/statement?lang=fr", headers=key.bearer)
    assert french.status_code == 422 and "lang" in french.json()["error"]["message"]
    tdb = client.get(f"/v1/decisions/{decision_id}/transparency", headers=key.bearer)
    assert tdb.status_code == 200
    assert tdb.json()["category"] == "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"
    assert tdb.json()["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    assert client.get("/v1/decisions/999999", headers=key.bearer).status_code == 404


def test_the_cli_prints_the_statement_the_api_returns(
    client_with: ClientFactory, key: Key, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``nigehban --json decisions show ID --statement`` and ``GET
    /v1/decisions/{id}/statement`` return one document: the text direction included (``rtl``
    for Urdu and Pashto), the CLI reading the store the API wrote."""
    client = client_with(stance_semantic=False)
    record = GLORIFICATION
    response = client.post("/v1/scan?policy=platform-tos", json=record, headers=key.bearer)
    assert response.status_code == 200, response.text
    post = next(d for d in response.json()["decisions"] if d["kind"] == "post")
    assert post["action"] in {"restrict", "remove"} and not post["review"]
    for name in list(os.environ):
        if name.startswith("NIGEHBAN_") and name != "NIGEHBAN_TEST_POSTGRES_URL":
            monkeypatch.delenv(name)
    for name, value in (("DATA_DIR", str(tmp_path)), ("DEFAULT_TENANT", TENANT),
                        ("DATABASE_URL", f"sqlite:///{tmp_path / 'test.db'}"),
                        ("SECRET_KEY", TEST_KEY.decode())):  # fmt: skip
        monkeypatch.setenv(f"NIGEHBAN_{name}", value)
    decision = post["decision_id"]
    for lang, direction in (("en", "ltr"), ("ur", "rtl"), ("ur-Latn", "ltr"), ("ps", "rtl")):
        api = client.get(f"/v1/decisions/{decision}/statement?lang={lang}", headers=key.bearer)
        assert api.status_code == 200, api.text
        code, out, err = run("--json", "decisions", "show", str(decision), "--statement",
                             "--lang", lang)  # fmt: skip
        assert code == 0, err
        shown = json.loads(out)
        assert shown == api.json()
        assert list(shown) == ["lang", "direction", "title", "body", "fields"]
        assert shown["lang"] == lang and shown["direction"] == direction
        assert shown["fields"]["direction"] == direction


def test_case_decision_refusals(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)
    record = {"platform": "x", "id": "9", "author": {"id": "u9"},
              "text": "Glory to the fidayeen of the Majeed Brigade who struck the enemy camp in "
                      "Kech. Join the caravan, young Baloch!"}  # fmt: skip
    assert client.post("/v1/scan?policy=eu", json=record, headers=key.bearer).status_code == 200
    case_id = client.get("/v1/cases", headers=key.bearer).json()[0]["id"]
    url = f"/v1/cases/{case_id}/decision"
    base = {"action": "remove", "reviewer": "amina", "note": "n"}
    for bad in ({**base, "action": "review"}, {**base, "reviewer": ""}, {**base, "extra": 1},
                {**base, "category": "nope"}, {**base, "ground": ""}):  # fmt: skip
        assert client.post(url, json=bad, headers=key.bearer).status_code == 422, bad
    protected = client.post(url, json={**base, "category": "news"}, headers=key.bearer)
    assert protected.status_code == 422 and "news" in protected.text
    ground = client.post(url, json={**base, "ground": "dsa-x"}, headers=key.bearer)
    assert ground.status_code == 422 and "dsa-x" in ground.text and "usable" in ground.text
    assert client.post(url, json=base).status_code == 401
    assert client.get("/v1/cases/999999", headers=key.bearer).status_code == 404
    assert client.get("/v1/cases?state=shut", headers=key.bearer).status_code == 422
    assert client.get("/v1/cases", headers=key.bearer).json()[0]["state"] == "open"


def test_policies_reload_keeps_the_old_ones_on_a_bad_file(
    client_with: ClientFactory, key: Key, tmp_path: Path
) -> None:
    shipped = Path(__file__).resolve().parents[2] / "src" / "nigehban" / "policy" / "data"
    directory = tmp_path / "policies"
    directory.mkdir()
    (directory / "pk.yaml").write_text((shipped / "pk.yaml").read_text())
    client = client_with(stance_semantic=False, policy_dir=directory)
    assert [p["name"] for p in client.get("/v1/policies", headers=key.bearer).json()] == ["pk"]
    (directory / "eu.yaml").write_text("schema_version: 1\nname: eu\nversion: [\n")
    refused = client.post("/v1/policies/reload", headers=key.bearer)
    assert refused.status_code == 422
    assert "eu.yaml" in assert_error_shape(refused.json())["message"]
    assert [p["name"] for p in client.get("/v1/policies", headers=key.bearer).json()] == ["pk"]


def test_a_media_path_in_a_request_is_never_read_on_the_server(
    client_with: ClientFactory, key: Key, tmp_path: Path
) -> None:
    """A generic payload may name a local media file ("path"); sent over the API, it names
    the caller's file, not one the server may open. Read, this one would match the bank (its
    own PDQ hash is in it), and before the server refused to read it, it did."""
    from nigehban.hashing.images import pdq_from_path

    image = (
        PAYLOADS.parent
        / "pdq_vectors"
        / "images"
        / ("pdq__data__reg-test-input__labelme-subset__q1050.jpg")
    )
    client = client_with(stance_semantic=False, data_dir=tmp_path)
    headers = {**key.bearer, "content-type": "application/json"}
    assert client.post("/v1/banks", json={"name": "tvec"}, headers=headers).status_code == 201
    added = client.post(
        "/v1/banks/tvec/entries",
        json={
            "values": [{"signal_type": "pdq", "value": pdq_from_path(image).hex}],
            "labels": {"category": "propaganda"},
        },
        headers=headers,
    )
    assert added.status_code == 201, added.text
    payload = (
        '{"platform": "generic", "id": "M1", "surface": "public", "text": "", "media": '
        '[{"id": "M1-m", "kind": "image", "path": "' + str(image) + '"}]}'
    )
    response = client.post("/v1/scan?policy=pk", content=payload.encode(), headers=headers)
    assert response.status_code == 200, response.text
    rules = [rule for d in response.json()["decisions"] for rule in d["rules"]]
    assert not any(rule.startswith("bank") for rule in rules), rules


HUGE = "99999999999999999999"  # beyond 64 bits: no row can have it


def test_ids_and_cursors_beyond_64_bits_are_refused_by_name(
    client_with: ClientFactory, key: Key
) -> None:
    client = client_with(stance_semantic=False)
    for method, url, name in [
        ("GET", f"/v1/decisions/{HUGE}", "decision_id"),
        ("GET", f"/v1/decisions/{HUGE}/statement", "decision_id"),
        ("GET", f"/v1/decisions/{HUGE}/transparency", "decision_id"),
        ("GET", "/v1/decisions/0", "decision_id"),
        ("GET", f"/v1/decisions?before={HUGE}", "before"),
        ("DELETE", f"/v1/banks/entries/{HUGE}", "entry_id"),
        ("PATCH", f"/v1/banks/entries/{HUGE}", "entry_id"),
        ("GET", f"/v1/banks/matches?entry={HUGE}", "entry"),
        ("GET", f"/v1/banks/b/entries?after={HUGE}", "after"),
    ]:
        response = client.request(method, url, headers=key.bearer, json={"enabled": False})
        assert response.status_code == 422, (url, response.text)
        assert name in assert_error_shape(response.json())["message"], url
    assert client.get("/v1/decisions/9223372036854775807", headers=key.bearer).status_code == 404


def test_appeal_route(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)
    record = {"platform": "x", "id": "9", "author": {"id": "u9"},
              "text": "Glory to the fidayeen of the Majeed Brigade who struck the enemy camp in "
                      "Kech. Join the caravan, young Baloch!"}  # fmt: skip
    scanned = client.post("/v1/scan?policy=platform-tos", json=record, headers=key.bearer).json()
    post = next(d for d in scanned["decisions"] if d["kind"] == "post")
    account = next(d for d in scanned["decisions"] if d["kind"] == "account")
    assert post["action"] in {"restrict", "remove"} and not post["review"]
    url = f"/v1/decisions/{post['decision_id']}/appeal"
    lodged = client.post(url, json={"note": "it is a poem"}, headers=key.bearer)
    assert lodged.status_code == 201, lodged.text
    assert lodged.json()["kind"] == "appeal" and lodged.json()["state"] == "open"
    again = client.post(url, json={"note": "again"}, headers=key.bearer)
    assert again.status_code == 409 and "already under appeal" in again.text
    allowed = client.post(
        f"/v1/decisions/{account['decision_id']}/appeal", json={"note": "x"}, headers=key.bearer
    )
    assert allowed.status_code == 409 and "restricts nothing" in allowed.text
    for bad in ({}, {"note": ""}, {"note": "x", "extra": 1}):
        assert client.post(url, json=bad, headers=key.bearer).status_code == 422, bad
    assert client.post(url, json={"note": "x"}).status_code == 401
    appeals = client.get("/v1/cases?kind=appeal", headers=key.bearer).json()
    assert [c["id"] for c in appeals] == [lodged.json()["id"]]
    assert client.get("/v1/cases?kind=review", headers=key.bearer).json() == []


def test_stored_items_are_decided_again_and_their_shares_follow(
    client_with: ClientFactory, key: Key
) -> None:
    client = client_with(stance_semantic=False)
    share = {"platform": "x", "id": "9", "author": {"id": "u9"}, "share_of": "8"}
    first = client.post("/v1/scan", json=share, headers=key.bearer).json()["decisions"]
    assert [d["action"] for d in first if d["scoped_id"] == "9"] == ["allow"]
    origin = {"platform": "x", "id": "8", "author": {"id": "u8"},
              "text": "Glory to the fidayeen of the Majeed Brigade who struck the enemy camp in "
                      "Kech. Every drop of their blood is a promise: more will follow. Join the "
                      "caravan, young Baloch!"}  # fmt: skip
    ingested = client.post("/v1/items", json=origin, headers=key.bearer)
    assert ingested.status_code in (200, 201), ingested.text
    again = client.post("/v1/scan/stored", json={"items": ["x/post/8"]}, headers=key.bearer)
    assert again.status_code == 200, again.text
    rows = {d["scoped_id"]: d for d in again.json()["decisions"]}
    assert rows["8"]["action"] == "remove"
    assert rows["9"]["action"] == "remove" and "share.violating-origin" in rows["9"]["rules"]
    repeat = client.post("/v1/scan/stored", json={"items": ["x/post/8"]}, headers=key.bearer)
    assert repeat.json()["summary"]["already_decided"] == 1


SALUTE = "Heroes of the Majeed Brigade, we salute you"
"""Glorification the pk policy sends to review."""


def test_a_reviewers_decision_reaches_the_stored_retweets_at_once(
    client_with: ClientFactory, key: Key
) -> None:
    client = client_with(stance_semantic=False)

    def scan(record: dict[str, object]) -> dict[str, Any]:
        response = client.post("/v1/scan?policy=pk", json=record, headers=key.bearer)
        assert response.status_code == 200, response.text
        rows: list[dict[str, Any]] = response.json()["decisions"]
        return next(r for r in rows if r["scoped_id"] == record["id"])

    def decisions(item: str) -> list[dict[str, Any]]:
        found = client.get("/v1/decisions?limit=1000", headers=key.bearer).json()
        return sorted((d for d in found if d["item"] == item), key=lambda d: d["id"])

    def decide(case_id: int, action: str) -> dict[str, Any]:
        body = {"action": action, "reviewer": "amina", "note": "checked"}
        response = client.post(f"/v1/cases/{case_id}/decision", json=body, headers=key.bearer)
        assert response.status_code == 201, response.text
        doc: dict[str, Any] = response.json()
        return doc

    origin = scan({"platform": "x", "id": "20", "author": {"id": "u20"}, "text": SALUTE})
    retweet = scan({"platform": "x", "id": "21", "author": {"id": "u21"}, "share_of": "20"})
    quote = scan({"platform": "x", "id": "22", "author": {"id": "u22"}, "quote_of": "20",
                  "text": "Saluting the Kech attackers is vile: report it, never share it."})  # fmt: skip
    own = scan({"platform": "x", "id": "23", "author": {"id": "u23"}, "share_of": "20"})
    assert origin["review"] and retweet["review"] and own["review"] and not quote["review"]
    quoted = decisions("x/post/22")
    decide(own["case_id"], "allow")

    doc = decide(origin["case_id"], "remove")
    person = doc["decision"]
    first, latest = decisions("x/post/21")  # the first stays
    assert first["id"] == retweet["decision_id"] and latest["action"] == "remove"
    assert latest["details"]["origin_decision_id"] == person["id"]
    [share] = doc["shares"]
    assert (share["scoped_id"], share["action"], share["case_id"]) == ("21", "remove", None)
    assert share["decision_id"] == latest["id"]
    assert latest["policy_hash"] == person["policy_hash"]
    assert latest["model_hash"] == person["model_hash"]
    assert decisions("x/post/22") == quoted  # a quote's own stance decides
    assert decisions("x/post/23")[-1]["rules"][0] == "review.decided"  # a person's stands
    assert client.get("/v1/cases?state=open", headers=key.bearer).json() == []
    again = client.post(
        "/v1/scan/stored?policy=pk",
        json={"items": ["x/post/20", "x/post/21", "x/post/22", "x/post/23"]},
        headers=key.bearer,
    )
    assert again.status_code == 200, again.text
    summary = again.json()["summary"]
    assert summary["decided"] == summary["already_decided"] == 4


def test_stored_rescan_refusals(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)

    def post(body: object, policy: str = "pk") -> tuple[int, str]:
        r = client.post(f"/v1/scan/stored?policy={policy}", json=body, headers=key.bearer)
        return r.status_code, assert_error_shape(r.json())["message"]

    status, message = post({"items": ["x/post/404"]})
    assert status == 404 and "x/post/404" in message
    status, message = post({"items": ["x/post/404", "no key"]})
    assert status == 422 and "items[1]" in message and "'no key'" in message
    assert post({"items": []})[0] == 422
    assert post({"items": ["x/post/1"] * 1001})[0] == 422
    assert post({"items": ["x/post/1"], "extra": 1})[0] == 422
    status, message = post({"items": ["x/post/1"]}, policy="nope")
    assert status == 404 and "nope" in message
    assert client.post("/v1/scan/stored", json={"items": ["x/post/1"]}).status_code == 401
