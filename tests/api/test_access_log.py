"""The access log masks request paths: unit tests of the mask, then ``nigehban serve`` in a
subprocess, called over HTTP, with its log read back."""

from __future__ import annotations

import logging
import re
import socket
import subprocess
import sys
import time
from datetime import date, datetime
from datetime import time as clock
from pathlib import Path
from urllib.parse import quote, quote_plus

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigehban.api.access_log import MaskingFilter, log_config, mask_path
from nigehban.privacy.masking import mask_id


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


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("+92 300 123 4567", "92…67"),
        ("+92-300-1234567", "92…67"),
        ("+92 (300) 1234567", "92…67"),
        ("0092 300 1234567", "00…67"),
        ("0300-1234567", "03…67"),
        ("0300 1234567", "03…67"),
        ("0300.123.4567", "03…67"),
        ("(0300) 123.4567", "03…67"),
        ("(0300)1234567", "03…67"),
        ("(042) 3512 3456", "04…56"),
        ("042-35123456", "04…56"),
        ("+1 (555) 123-4567", "15…67"),
        ("+44 20 7946 0958", "44…58"),
        ("۰۳۰۰-۱۲۳۴۵۶۷", "%DB%B0%DB%B3…%DB%B6%DB%B7"),  # Urdu digits; the log is encoded
    ],
)
def test_phone_numbers_written_with_separators_are_masked(number: str, masked: str) -> None:
    """uvicorn logs the path percent-encoded (``%2B92%20300…``), a query value is encoded
    by the client: both are decoded before masking, as is a path given unencoded."""
    for path in (f"/v1/items/whatsapp/account/{quote(number)}",
                 f"/v1/items/whatsapp/account/{number}"):  # fmt: skip
        assert mask_path(path) == f"/v1/items/whatsapp/account/{masked}"
    assert mask_path(f"/v1/decisions?before={quote_plus(number)}&limit=5") == (
        f"/v1/decisions?before={masked}&limit=5"
    )
    assert mask_path(f"/v1/x?{quote_plus(number)}=1") == f"/v1/x?{masked}=…"


@pytest.mark.parametrize(
    "path",
    [
        "/v1/decisions/12345",
        "/v1/cases/42/decision",
        "/v1/items/x/post/2025-07-14",
        "/v1/items/generic/post/14.07.2025",
        "/v1/decisions?after=2025-07-14T10%3A00%3A00Z&limit=50&offset=1000",
        "/v1/decisions?before=2025-07-14&lang=ur-Latn",
        "/v1/banks/tvec/entries?limit=1%2C000%2C000",
        "/v1/items/generic/post/v1.2.3",
        "/v1/items/generic/post/12345.6789",
        "/v1/items/generic/post/1.234.567.890",
        "/v1/items/generic/post/192.168.100.200",
        "/v1/items/generic/post/100-200",
        "/v1/items/generic/post/case-42-rev-7",
    ],
)
def test_ids_dates_and_counts_stay_readable(path: str) -> None:
    assert mask_path(path) == path


_SEPARATOR = st.sampled_from([" ", "-", "."])


@st.composite
def phone_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """(a phone number as people write it, its digits): a Pakistani mobile or landline number,
    nationally or with the country code, or another country's number with its code."""
    digits = st.text(alphabet="0123456789", min_size=1, max_size=1)
    sep, sep2 = draw(_SEPARATOR), draw(_SEPARATOR)
    kind = draw(st.sampled_from(["mobile", "landline", "international"]))
    if kind == "mobile":
        operator = "3" + "".join(draw(st.lists(digits, min_size=2, max_size=2)))
        sub = "".join(draw(st.lists(digits, min_size=7, max_size=7)))
        written = draw(st.sampled_from([
            f"0{operator}{sep}{sub}", f"0{operator}{sep}{sub[:3]}{sep2}{sub[3:]}",
            f"(0{operator}) {sub[:3]}{sep}{sub[3:]}", f"(0{operator}){sub}",
            f"+92{sep}{operator}{sep2}{sub}", f"+92 {operator} {sub[:3]} {sub[3:]}",
            f"+92{operator}{sub}", f"0092{sep}{operator}{sep2}{sub}", f"+92 ({operator}) {sub}",
            f"92-{operator}-{sub}",
        ]))  # fmt: skip
    elif kind == "landline":
        area = draw(st.sampled_from(["21", "42", "51", "91", "61", "544", "942"]))
        sub = "".join(draw(st.lists(digits, min_size=6 if len(area) == 3 else 7,
                                    max_size=7 if len(area) == 3 else 8)))  # fmt: skip
        written = draw(st.sampled_from([
            f"0{area}{sep}{sub}", f"(0{area}) {sub[:3]}{sep}{sub[3:]}", f"(0{area}){sub}",
            f"+92{sep}{area}{sep2}{sub}", f"+92 ({area}) {sub}",
        ]))  # fmt: skip
    else:
        code = draw(st.sampled_from(["1", "44", "49", "966", "971"]))
        area = draw(st.sampled_from(["20", "50", "555", "212"]))
        sub = "".join(draw(st.lists(digits, min_size=7, max_size=8)))
        written = draw(st.sampled_from([
            f"+{code}{sep}{area}{sep2}{sub[:3]}{sep}{sub[3:]}", f"+{code} ({area}) {sub[:3]}-{sub[3:]}",
            f"00{code}{sep}{area}{sep2}{sub}",
        ]))  # fmt: skip
    return written, "".join(c for c in written if c.isdigit())


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(phone_numbers())
def test_no_phone_number_reaches_the_log(number: tuple[str, str]) -> None:
    written, digits = number
    masked = mask_id(digits)
    for path in (f"/v1/items/whatsapp/account/{quote(written)}",
                 f"/v1/items/whatsapp/account/{written}"):  # fmt: skip
        assert mask_path(path) == f"/v1/items/whatsapp/account/{masked}"
    assert mask_path(f"/v1/decisions?before={quote_plus(written)}") == (
        f"/v1/decisions?before={masked}"
    )


_DATES = st.dates(date(1900, 1, 1), date(2099, 12, 31))
_TIMES = st.times().map(lambda t: t.replace(microsecond=0))


@given(_DATES, _TIMES, st.sampled_from(["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%m-%d-%Y",
                                       "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S"]))  # fmt: skip
def test_dates_stay_readable(day: date, at: clock, form: str) -> None:
    written = datetime.combine(day, at).strftime(form)
    assert mask_path(f"/v1/items/generic/post/{quote(written)}") == (
        f"/v1/items/generic/post/{quote(written)}"
    )
    assert mask_path(f"/v1/decisions?before={quote_plus(written)}&limit=5") == (
        f"/v1/decisions?before={quote(written)}&limit=5"
    )


@given(st.integers(0, 99_999), st.integers(0, 10**15), st.ip_addresses(v=4))
def test_short_ids_counts_and_addresses_stay_readable(
    small: int, count: int, address: object
) -> None:
    for shown in (str(small), f"case-{small}", f"{count:,}", f"{count:,}".replace(",", "."),
                  f"{small}.{small}", str(address)):  # fmt: skip
        path = f"/v1/items/generic/post/{quote(shown)}"  # as uvicorn writes it
        assert mask_path(path) == path, shown


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
            httpx.get(f"{base}/v1/items/whatsapp/account/+92 300 765 4321", timeout=10)
            httpx.get(f"{base}/v1/items/whatsapp/account/(0300) 555.1212", timeout=10)
            httpx.get(f"{base}/v1/webhooks/whatsapp?hub.verify_token=s3cret-token", timeout=10)
        finally:
            server.terminate()
            server.wait(30)
    text = log.read_text()
    assert '"GET /v1/health HTTP/1.1" 200' in text  # the access log is written
    assert "/v1/items/whatsapp/account/92…67" in text
    assert "923001234567" not in text
    # numbers with separators reach the log percent-encoded (%2B92%20300%20765%204321):
    # decoded, masked, and nothing else of them written
    accounts = re.findall(r"GET /v1/items/whatsapp/account/(\S*) HTTP", text)
    assert sorted(accounts) == ["03…12", "92…21", "92…67"]
    assert "hub.verify_token=…" in text and "s3cret-token" not in text
