"""``POST /v1/classify``: results for each text with the fields of the CLI, abstention on
other languages, refusal of empty, oversized and keyless requests, a 503 without a model."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path

from fastapi.testclient import TestClient

from nigehban.stance.training import Options, train_model
from tests.api.conftest import ClientFactory, Key
from tests.api.test_groups import assert_error_shape
from tests.stance.synthetic import write_corpus


@cache
def model_dir() -> Path:
    root = Path(tempfile.mkdtemp(prefix="nigehban-api-model-"))
    corpus = write_corpus(root / "corpus" / "stance")
    train_model(Options(corpus, None, root / "model", quick=True, project_only=True))
    return root / "model"


def _client(client_with: ClientFactory) -> TestClient:
    return client_with(stance_model_dir=model_dir(), stance_semantic=False)


def test_classify_texts(client_with: ClientFactory, key: Key) -> None:
    client = _client(client_with)
    response = client.post(
        "/v1/classify",
        json={
            "texts": [
                {"id": "a", "text": "Salute to the lions who struck Kech, victory is near!"},
                {"id": 2, "text": "Kech mein police chowki par hamla, 3 ahalkar shaheed."},
                {"id": "c", "text": "Bonjour tout le monde, quelle belle journée aujourd'hui."},
            ]
        },
        headers=key.bearer,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["model"] and 0 < body["prior"] < 1
    a, b, c = body["results"]
    assert (a["id"], b["id"], c["id"]) == ("a", 2, "c")
    assert a["label"] == "violating" and a["category"] in {"glorification", "incitement"}
    assert b["lang"] == "ur-Latn"
    assert c["abstained"] is True and c["label"] is None and c["lang"] == "fr"
    assert set(a) >= {"score", "category_scores", "threat_any", "groups", "reason", "tier"}


def test_classify_refuses_bad_requests(client_with: ClientFactory, key: Key) -> None:
    client = _client(client_with)
    empty = client.post("/v1/classify", json={"texts": []}, headers=key.bearer)
    assert empty.status_code == 422
    assert "at least one" in assert_error_shape(empty.json())["message"]
    many = client.post("/v1/classify", json={"texts": [{"text": "x"}] * 1001}, headers=key.bearer)
    assert many.status_code == 422
    assert "1001" in assert_error_shape(many.json())["message"]
    keyless = client.post("/v1/classify", json={"texts": [{"text": "x"}]})
    assert keyless.status_code == 401


def test_classify_oversized_text(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_model_dir=model_dir(), stance_semantic=False, max_text_chars=50)
    response = client.post("/v1/classify", json={"texts": [{"text": "a" * 51}]}, headers=key.bearer)
    assert response.status_code == 422
    assert "texts[0].text" in assert_error_shape(response.json())["message"]


def test_classify_without_a_model_is_503(
    client_with: ClientFactory, key: Key, tmp_path: Path
) -> None:
    client = client_with(stance_model_dir=tmp_path / "no-model", stance_semantic=False)
    response = client.post("/v1/classify", json={"texts": [{"text": "hello"}]}, headers=key.bearer)
    assert response.status_code == 503
    assert "nigehban train" in assert_error_shape(response.json())["message"]
