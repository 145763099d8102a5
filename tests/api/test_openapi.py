"""OpenAPI: served, documents the key schemes, and marks exactly the keyed routes."""

from __future__ import annotations

from fastapi.testclient import TestClient

import nigehban


def test_openapi_declares_key_schemes(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["info"]["version"] == nigehban.__version__
    schemes = spec["components"]["securitySchemes"]
    assert schemes["bearerKey"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["bearerKey"]["description"],
    }
    assert schemes["apiKeyHeader"]["in"] == "header"
    assert schemes["apiKeyHeader"]["name"] == "X-API-Key"

    keyed = {
        (path, method)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if op.get("security")
    }
    assert keyed == {
        ("/v1/items", "post"),
        ("/v1/items/{platform}/{kind}/{scoped_id}", "get"),
        ("/v1/groups", "get"),
        ("/v1/groups/{group_id}", "get"),
        ("/v1/groups/match", "post"),
        ("/v1/groups/reload", "post"),
        ("/v1/classify", "post"),
        ("/v1/banks", "get"),
        ("/v1/banks", "post"),
        ("/v1/banks/matches", "get"),
        ("/v1/banks/{name}", "get"),
        ("/v1/banks/{name}", "patch"),
        ("/v1/banks/{name}", "delete"),
        ("/v1/banks/{name}/entries", "get"),
        ("/v1/banks/{name}/entries", "post"),
        ("/v1/banks/entries/{entry_id}", "patch"),
        ("/v1/banks/entries/{entry_id}", "delete"),
        ("/v1/banks/{name}/import", "post"),
        ("/v1/banks/{name}/export", "get"),
        ("/v1/hash", "post"),
        ("/v1/match", "post"),
        ("/v1/scan", "post"),
        ("/v1/scan/stored", "post"),
        ("/v1/cases", "get"),
        ("/v1/cases/{case_id}", "get"),
        ("/v1/cases/{case_id}/decision", "post"),
        ("/v1/decisions/{decision_id}/appeal", "post"),
        ("/v1/decisions", "get"),
        ("/v1/policies", "get"),
        ("/v1/policies/reload", "post"),
        ("/v1/decisions/{decision_id}", "get"),
        ("/v1/decisions/{decision_id}/statement", "get"),
        ("/v1/decisions/{decision_id}/transparency", "get"),
    }
    assert "/v1/health" in spec["paths"]
    for platform in ("facebook", "instagram", "whatsapp", "telegram", "x"):
        assert "post" in spec["paths"][f"/v1/webhooks/{platform}"]
    assert spec["paths"]["/v1/items"]["post"]["requestBody"]["required"] is True


def test_docs_page_is_served_without_a_cdn(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert "cdn" not in response.text.lower()
    assert "/docs-assets/swagger-ui-bundle.js" in response.text
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert js.status_code == 200 and len(js.content) > 100_000
    assert "swagger-ui" in response.text
