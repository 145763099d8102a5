"""The access log masks request paths: unit tests of the mask, then ``nigehban serve`` in a
subprocess, called over HTTP, with its log read back."""

from __future__ import annotations

import logging
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from nigehban.api.access_log import MaskingFilter, log_config, mask_path


@pytest.mark.parametrize(
    ("path", "masked"),
    [
        ("/v1/items/whatsapp/account/923001234567", "/v1/items/whatsapp/account/92…67"),
        ("/v1/health", "/v1/health"),
        (
            "/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=s3cret&hub.challenge=99",
            "/v1/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…",
        ),
        ("/v1/groups?q=Majeed&limit=5", "/v1/groups?q=…&limit=5"),
        ("/v1/decisions?before=1234567", "/v1/decisions?before=12…67"),
        ("/v1/items/x/post/" + "9" * 500, "/v1/items/x/post/99…99"),
    ],
)
def test_identifiers_and_query_values_are_masked(path: str, masked: str) -> None:
    assert mask_path(path) == masked


def test_the_filter_rewrites_only_the_path_of_an_access_record() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/v1/items/x/account/972987654321", "1.1", 200), None,
    )  # fmt: skip
    assert MaskingFilter().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /v1/items/x/account/97…21 HTTP/1.1" 200'
    other = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started", None, None)
    assert MaskingFilter().filter(other) and other.getMessage() == "Started"


def test_the_configuration_puts_the_filter_on_the_access_handler_only() -> None:
    config = log_config()
    assert config["handlers"]["access"]["filters"] == ["mask_paths"]
    assert "filters" not in config["handlers"]["default"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_the_served_api_logs_masked_paths(env: Path) -> None:
    port = _free_port()
    nigehban = [sys.executable, "-c", "from nigehban.cli.main import run; run()"]
    subprocess.run([*nigehban, "db", "upgrade"], capture_output=True, check=True, timeout=120)
    command = [*nigehban, "serve", "--port", str(port)]
    log = env / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://127.0.0.1:{port}"
            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(f"{base}/v1/health", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert server.poll() is None and time.monotonic() < deadline, log.read_text()
                time.sleep(0.2)
            httpx.get(f"{base}/v1/items/whatsapp/account/923001234567", timeout=10)
            httpx.get(f"{base}/v1/webhooks/whatsapp?hub.verify_token=s3cret-token", timeout=10)
        finally:
            server.terminate()
            server.wait(30)
    text = log.read_text()
    assert '"GET /v1/health HTTP/1.1" 200' in text  # the access log is written
    assert "/v1/items/whatsapp/account/92…67" in text
    assert "923001234567" not in text
    assert "hub.verify_token=…" in text and "s3cret-token" not in text
