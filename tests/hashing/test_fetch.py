"""The media fetcher against real local HTTP(S) servers, and its address checker on its own."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from hypothesis import given
from hypothesis import strategies as st

from nigehban.errors import DependencyError, InputError, UsageError
from nigehban.hashing.fetch import (
    AddressGuard,
    FetchPolicy,
    FetchRefused,
    GuardedTransport,
    MediaFetcher,
    address_problem,
    display_url,
)

MEDIA = bytes(range(256)) * 40  # 10,240 bytes standing in for an image
SECRET = "sig=SECRETTOKEN"

Route = Callable[["Handler"], None]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalServer

    def do_GET(self) -> None:
        self.server.seen.append((self.path, self.headers.get("Host", "")))
        self.server.headers.append(dict(self.headers))
        route = self.server.routes.get(urlsplit(self.path).path)
        try:
            if route is None:
                send_body(self, b"not found", status=404)
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.tls = tls
        self.routes: dict[str, Route] = {}
        self.seen: list[tuple[str, str]] = []
        self.headers: list[dict[str, str]] = []
        self.connections = 0

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.tls else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        self.connections += 1
        if self.tls is not None:
            sock = self.tls.wrap_socket(sock, server_side=True)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that hangs up mid-body is expected here


def send_body(
    handler: BaseHTTPRequestHandler,
    data: bytes,
    *,
    status: int = 200,
    content_type: str = "image/jpeg",
    headers: dict[str, str] | None = None,
) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Content-Length", str(len(data)))
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(data)


def body(data: bytes, **kwargs: Any) -> Route:
    return lambda h: send_body(h, data, **kwargs)


def redirect(location: str, status: int = 302) -> Route:
    return lambda h: send_body(h, b"", status=status, headers={"Location": location})


def chunked(total: int, piece: int = 65536) -> Route:
    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "video/mp4")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        sent = 0
        while sent < total:
            n = min(piece, total - sent)
            h.wfile.write(f"{n:x}\r\n".encode() + b"v" * n + b"\r\n")
            sent += n
        h.wfile.write(b"0\r\n\r\n")

    return route


def close_delimited(total: int) -> Route:
    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "video/mp4")
        h.send_header("Connection", "close")
        h.end_headers()
        h.close_connection = True
        for _ in range(total // 65536):
            h.wfile.write(b"v" * 65536)

    return route


def declared_only(declared: int) -> Route:
    def route(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", str(declared))
        h.end_headers()
        h.wfile.write(b"v" * 1024)
        h.close_connection = True

    return route


@pytest.fixture
def make_server() -> Iterator[Callable[..., LocalServer]]:
    started: list[LocalServer] = []

    def start(tls: ssl.SSLContext | None = None) -> LocalServer:
        server = LocalServer(tls)
        threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture
def server(make_server: Callable[..., LocalServer]) -> LocalServer:
    s = make_server()
    s.routes["/media"] = body(MEDIA)
    return s


def loopback_policy(*servers: LocalServer, **overrides: Any) -> FetchPolicy:
    settings: dict[str, Any] = {
        "allowed_hosts": frozenset({"127.0.0.1"}),
        "allowed_ports": frozenset(s.port for s in servers),
        "allow_loopback_for_tests": True,
    }
    settings.update(overrides)
    return FetchPolicy(**settings)


def fetcher(policy: FetchPolicy, **kwargs: Any) -> MediaFetcher:
    return MediaFetcher(policy, **kwargs)


def refused(fetch: MediaFetcher, url: str) -> FetchRefused:
    with fetch, pytest.raises(FetchRefused) as caught:
        fetch.fetch(url)
    return caught.value


# --- plain fetches -----------------------------------------------------------------------------


def test_plain_fetch_returns_the_body(server: LocalServer) -> None:
    with fetcher(loopback_policy(server)) as f:
        got = f.fetch(server.url("/media"))
    assert got.data == MEDIA
    assert got.content_type == "image/jpeg"
    assert got.final_url == server.url("/media")
    assert server.seen == [("/media", f"127.0.0.1:{server.port}")]
    assert server.headers[0]["Accept-Encoding"] == "identity"
    assert "Cookie" not in server.headers[0]


def test_fetch_to_file_streams_to_a_new_file(server: LocalServer, tmp_path: Path) -> None:
    with fetcher(loopback_policy(server)) as f:
        got = f.fetch_to_file(server.url("/media"), tmp_path)
    assert got.path.read_bytes() == MEDIA
    assert got.size == len(MEDIA)
    assert got.path.parent == tmp_path


def test_failed_fetch_to_file_leaves_no_file(server: LocalServer, tmp_path: Path) -> None:
    server.routes["/big"] = chunked(300_000)
    with fetcher(loopback_policy(server, max_bytes=100_000)) as f, pytest.raises(FetchRefused):
        f.fetch_to_file(server.url("/big"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_relative_redirect_is_followed(server: LocalServer) -> None:
    server.routes["/go"] = redirect("media?v=2")
    with fetcher(loopback_policy(server)) as f:
        got = f.fetch(server.url("/go"))
    assert got.data == MEDIA
    assert got.final_url == server.url("/media?v=2")
    assert [path for path, _ in server.seen] == ["/go", "/media?v=2"]


# --- hosts, schemes, user information: refused before any connection --------------------------


def test_host_not_on_the_allow_list_is_refused_before_connecting(server: LocalServer) -> None:
    policy = loopback_policy(server, allowed_hosts=frozenset({"media.example.com"}))
    error = refused(fetcher(policy), server.url("/media"))
    assert "not on the media fetch allow-list" in error.reason
    assert server.connections == 0
    assert server.seen == []


def test_empty_allow_list_refuses_everything(server: LocalServer) -> None:
    policy = loopback_policy(server, allowed_hosts=frozenset())
    refused(fetcher(policy), server.url("/media"))
    assert server.connections == 0


def test_name_is_not_its_address(server: LocalServer) -> None:
    # 127.0.0.1 is listed, "localhost" is not: the allow-list is about names, not addresses.
    error = refused(fetcher(loopback_policy(server)), server.url("/media", host="localhost"))
    assert "allow-list" in error.reason
    assert server.connections == 0


def test_userinfo_is_refused(server: LocalServer) -> None:
    for url in (
        f"http://user:pw@127.0.0.1:{server.port}/media",
        f"http://media.example.com@127.0.0.1:{server.port}/media",
    ):
        error = refused(fetcher(loopback_policy(server)), url)
        assert "user information" in error.reason
        assert "pw" not in str(error)
    assert server.connections == 0


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/media",
        "file:///etc/passwd",
        "gopher://127.0.0.1:70/_GET",
        "data:image/png;base64,AAAA",
        "javascript:alert(1)",
        "//127.0.0.1/media",
    ],
)
def test_other_schemes_are_refused(url: str) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"127.0.0.1"}), allow_loopback_for_tests=True)
    error = refused(fetcher(policy), url)
    assert "scheme" in error.reason or "not a valid URL" in error.reason


def test_plain_http_needs_the_test_flag(server: LocalServer) -> None:
    policy = loopback_policy(server, allow_loopback_for_tests=False)
    error = refused(fetcher(policy), server.url("/media"))
    assert "scheme 'http' is not https" in error.reason
    assert server.connections == 0


def test_port_outside_the_allowed_ports_is_refused(server: LocalServer) -> None:
    policy = loopback_policy(server, allowed_ports=frozenset({443}))
    error = refused(fetcher(policy), server.url("/media"))
    assert f"port {server.port}" in error.reason
    assert server.connections == 0


@pytest.mark.parametrize(
    ("host", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("[::1]", "loopback"),
        ("[::ffff:127.0.0.1]", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("[::ffff:192.168.1.1]", "private"),
        ("[fc00::1]", "private"),
        ("169.254.169.254", "link-local"),
        ("[::ffff:169.254.169.254]", "link-local"),
        ("[fe80::1]", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("[::]", "unspecified"),
        ("100.64.0.1", "shared address space"),
        ("224.0.0.1", "multicast"),
        ("[ff02::1]", "multicast"),
        ("[2002:a00:1::1]", "6to4"),
        ("[64:ff9b::7f00:1]", "NAT64"),
    ],
)
def test_literal_internal_addresses_are_refused_with_the_flag_off(host: str, kind: str) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({host.strip("[]")}))
    error = refused(fetcher(policy), f"https://{host}/latest/meta-data/?{SECRET}")
    assert kind in error.reason
    assert "SECRETTOKEN" not in str(error)


def test_literal_address_must_itself_be_listed() -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"media.example.com"}))
    error = refused(fetcher(policy), "https://1.1.1.1/media")
    assert "allow-list" in error.reason


def test_name_resolving_to_loopback_is_refused_with_the_flag_off(server: LocalServer) -> None:
    policy = FetchPolicy(
        allowed_hosts=frozenset({"media.example.com"}), allowed_ports=frozenset({server.port})
    )
    resolver = fixed_resolver({"media.example.com": ["127.0.0.1"]})
    error = refused(fetcher(policy, resolver=resolver), f"https://media.example.com:{server.port}/")
    assert "loopback" in error.reason
    assert server.connections == 0


def test_name_with_any_internal_address_is_refused(server: LocalServer) -> None:
    policy = loopback_policy(server, allowed_hosts=frozenset({"media.test"}))
    resolver = fixed_resolver({"media.test": ["127.0.0.1", "10.0.0.7"]})
    error = refused(fetcher(policy, resolver=resolver), server.url("/media", host="media.test"))
    assert "private" in error.reason
    assert server.connections == 0


# --- address pinning: the address checked is the address connected ------------------------------


def fixed_resolver(table: dict[str, list[str]]) -> Callable[[str, int], list[Any]]:
    def resolve(host: str, port: int) -> list[Any]:
        return [ipaddress.ip_address(a) for a in table[host]]

    return resolve


def test_connection_goes_to_the_resolved_address_with_the_name_as_host(
    server: LocalServer,
) -> None:
    policy = loopback_policy(server, allowed_hosts=frozenset({"media.test"}))
    resolver = fixed_resolver({"media.test": ["127.0.0.1"]})
    with fetcher(policy, resolver=resolver) as f:
        got = f.fetch(server.url("/media", host="media.test"))
    assert got.data == MEDIA
    assert server.seen == [("/media", f"media.test:{server.port}")]


def test_dns_rebinding_between_check_and_connect_is_refused(server: LocalServer) -> None:
    answers = iter([["127.0.0.1"], ["10.0.0.7"]])  # checked, then what the connect would use
    calls: list[str] = []

    def rebinding(host: str, port: int) -> list[Any]:
        calls.append(host)
        return [ipaddress.ip_address(a) for a in next(answers)]

    policy = loopback_policy(server, allowed_hosts=frozenset({"media.test"}))
    error = refused(fetcher(policy, resolver=rebinding), server.url("/media", host="media.test"))
    assert "private" in error.reason
    assert calls == ["media.test", "media.test"]
    assert server.connections == 0


def test_peer_address_is_checked_after_connecting(
    make_server: Callable[..., LocalServer], tmp_path: Path
) -> None:
    # A caller-supplied client whose transport connects somewhere the fetcher's own check never
    # saw (here: loopback, while the fetcher resolved a public address): the peer address on the
    # response is still judged by the fetcher's policy, which refuses loopback.
    server_side, client_side = tls_contexts(tmp_path, "media.test")
    server = make_server(server_side)
    server.routes["/media"] = body(MEDIA)
    policy = FetchPolicy(
        allowed_hosts=frozenset({"media.test"}), allowed_ports=frozenset({server.port})
    )
    elsewhere = AddressGuard(
        FetchPolicy(allowed_hosts=frozenset({"media.test"}), allow_loopback_for_tests=True),
        fixed_resolver({"media.test": ["127.0.0.1"]}),
    )
    client = httpx.Client(
        transport=GuardedTransport(elsewhere, verify=client_side), trust_env=False
    )
    public = fixed_resolver({"media.test": ["93.184.216.34"]})
    with client, pytest.raises(FetchRefused) as caught:
        MediaFetcher(policy, client, resolver=public).fetch(server.url("/media", "media.test"))
    assert caught.value.reason == "connected to a loopback address"
    assert server.connections == 1


# --- TLS: SNI and certificate checks use the name, not the pinned address -----------------------


def tls_contexts(tmp_path: Path, name: str) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert_file, key_file)
    client_side = ssl.create_default_context(cafile=str(cert_file))
    return server_side, client_side


def test_https_to_a_pinned_address_verifies_the_host_name(
    make_server: Callable[..., LocalServer], tmp_path: Path
) -> None:
    server_side, client_side = tls_contexts(tmp_path, "media.test")
    server = make_server(server_side)
    server.routes["/media"] = body(MEDIA)
    policy = loopback_policy(server, allowed_hosts=frozenset({"media.test", "other.test"}))
    resolver = fixed_resolver({"media.test": ["127.0.0.1"], "other.test": ["127.0.0.1"]})
    with fetcher(policy, resolver=resolver, verify=client_side) as f:
        assert f.fetch(server.url("/media", host="media.test")).data == MEDIA
        with pytest.raises(DependencyError) as caught:
            f.fetch(server.url("/media", host="other.test") + f"?{SECRET}")
    assert "SECRETTOKEN" not in str(caught.value)
    assert server.seen == [("/media", f"media.test:{server.port}")]


# --- redirects --------------------------------------------------------------------------------


def test_redirect_to_a_host_off_the_allow_list_is_refused(
    make_server: Callable[..., LocalServer],
) -> None:
    first, second = make_server(), make_server()
    second.routes["/media"] = body(MEDIA)
    first.routes["/go"] = redirect(second.url("/media", host="localhost"))
    error = refused(fetcher(loopback_policy(first, second)), first.url("/go"))
    assert "'localhost' is not on the media fetch allow-list" in error.reason
    assert second.connections == 0


def test_redirect_to_a_port_not_allowed_is_refused(make_server: Callable[..., LocalServer]) -> None:
    first, second = make_server(), make_server()
    second.routes["/media"] = body(MEDIA)
    first.routes["/go"] = redirect(second.url("/media"))
    error = refused(fetcher(loopback_policy(first)), first.url("/go"))
    assert f"port {second.port}" in error.reason
    assert second.connections == 0


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://10.0.0.1/admin", "private"),
        ("http://[::ffff:10.0.0.1]/admin", "private"),
        ("http://[fd00::1]/admin", "private"),
        ("http://0.0.0.0/", "unspecified"),
    ],
)
def test_redirect_to_an_internal_address_is_refused(
    server: LocalServer, target: str, kind: str
) -> None:
    server.routes["/go"] = redirect(target)
    hosts = {"127.0.0.1", "169.254.169.254", "10.0.0.1", "::ffff:10.0.0.1", "fd00::1", "0.0.0.0"}
    policy = loopback_policy(
        server, allowed_hosts=frozenset(hosts), allowed_ports=frozenset({server.port, 80})
    )
    error = refused(fetcher(policy), server.url("/go"))
    assert kind in error.reason


def test_redirect_to_a_name_resolving_internally_is_refused(server: LocalServer) -> None:
    server.routes["/go"] = redirect("http://metadata.cloud.test/computeMetadata/v1/")
    policy = loopback_policy(
        server,
        allowed_hosts=frozenset({"127.0.0.1", "*.cloud.test"}),
        allowed_ports=frozenset({server.port, 80}),
    )
    resolver = fixed_resolver({"metadata.cloud.test": ["169.254.169.254"]})
    error = refused(fetcher(policy, resolver=resolver), server.url("/go"))
    assert "link-local" in error.reason


def test_redirect_to_another_scheme_is_refused(server: LocalServer) -> None:
    server.routes["/go"] = redirect("file:///etc/passwd")
    error = refused(fetcher(loopback_policy(server)), server.url("/go"))
    assert "scheme 'file'" in error.reason


def test_redirect_loops_are_refused(server: LocalServer) -> None:
    server.routes["/loop"] = redirect("/loop")
    server.routes["/a"] = redirect("/b")
    server.routes["/b"] = redirect("/a")
    assert "loop" in refused(fetcher(loopback_policy(server)), server.url("/loop")).reason
    assert "loop" in refused(fetcher(loopback_policy(server)), server.url("/a")).reason


def test_too_many_redirects_are_refused(server: LocalServer) -> None:
    for n in range(1, 6):
        server.routes[f"/hop{n}"] = redirect(f"/hop{n - 1}" if n > 1 else "/media", status=307)
    with fetcher(loopback_policy(server, max_redirects=3)) as f:
        assert f.fetch(server.url("/hop3")).data == MEDIA
    server.seen.clear()
    error = refused(fetcher(loopback_policy(server, max_redirects=3)), server.url("/hop4"))
    assert error.reason == "more than 3 redirects"
    assert [p for p, _ in server.seen] == ["/hop4", "/hop3", "/hop2", "/hop1"]
    error = refused(fetcher(loopback_policy(server, max_redirects=0)), server.url("/hop1"))
    assert error.reason == "more than 0 redirects"


def test_redirect_without_location_is_refused(server: LocalServer) -> None:
    server.routes["/go"] = body(b"", status=302)
    assert "Location" in refused(fetcher(loopback_policy(server)), server.url("/go")).reason


# --- size cap ---------------------------------------------------------------------------------


def test_declared_oversize_body_is_refused_before_reading(server: LocalServer) -> None:
    server.routes["/big"] = declared_only(2_000_000)
    error = refused(fetcher(loopback_policy(server, max_bytes=1_000_000)), server.url("/big"))
    assert error.reason == "declared size 2000000 bytes exceeds 1000000 bytes"


def test_a_declared_size_of_many_digits_is_a_failed_fetch(server: LocalServer) -> None:
    """The HTTP client refuses the header (it frames the response by it): an error naming the
    problem, nothing read."""

    def huge(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "9" * 40)
        h.end_headers()
        h.wfile.write(b"v" * 10)
        h.close_connection = True

    server.routes["/huge"] = huge
    with (
        fetcher(loopback_policy(server, max_bytes=1_000_000)) as f,
        pytest.raises(DependencyError, match="bad Content-Length"),
    ):
        f.fetch(server.url("/huge"))


@pytest.mark.parametrize("route", [chunked, close_delimited])
def test_undeclared_oversize_body_is_cut_off_at_the_cap(
    server: LocalServer, route: Callable[[int], Route]
) -> None:
    server.routes["/big"] = route(20_000_000)
    started = time.monotonic()
    error = refused(fetcher(loopback_policy(server, max_bytes=1_000_000)), server.url("/big"))
    assert error.reason == "body exceeds 1000000 bytes"
    assert time.monotonic() - started < 5


def test_body_exactly_at_the_cap_is_accepted(server: LocalServer) -> None:
    server.routes["/exact"] = chunked(1_000_000, piece=30_000)
    with fetcher(loopback_policy(server, max_bytes=1_000_000)) as f:
        assert len(f.fetch(server.url("/exact")).data) == 1_000_000


def test_compressed_bodies_are_refused(server: LocalServer) -> None:
    server.routes["/gz"] = body(b"\x1f\x8b" + b"\0" * 20, headers={"Content-Encoding": "gzip"})
    assert "encoding 'gzip'" in refused(fetcher(loopback_policy(server)), server.url("/gz")).reason


def test_slow_body_hits_the_total_deadline(server: LocalServer) -> None:
    def trickle(h: Handler) -> None:
        h.send_response(200)
        h.send_header("Content-Length", "100")
        h.end_headers()
        for _ in range(100):
            h.wfile.write(b"v")
            h.wfile.flush()
            time.sleep(0.05)

    server.routes["/slow"] = trickle
    policy = loopback_policy(server, total_timeout_s=0.3)
    assert "took more than 0.3 s" in refused(fetcher(policy), server.url("/slow")).reason


# --- status codes, network failures, secrets in messages ----------------------------------------


def test_client_and_server_errors(server: LocalServer) -> None:
    server.routes["/gone"] = body(b"gone", status=404)
    server.routes["/down"] = body(b"down", status=503)
    with fetcher(loopback_policy(server)) as f:
        with pytest.raises(InputError, match="HTTP 404") as not_found:
            f.fetch(server.url(f"/gone?{SECRET}"))
        with pytest.raises(DependencyError, match="HTTP 503") as unavailable:
            f.fetch(server.url(f"/down?{SECRET}"))
    assert not isinstance(not_found.value, FetchRefused)
    assert "SECRETTOKEN" not in str(not_found.value) + str(unavailable.value)


def test_unreachable_server_is_a_dependency_error(make_server: Callable[..., LocalServer]) -> None:
    gone = make_server()
    port = gone.port
    gone.shutdown()
    gone.server_close()
    policy = FetchPolicy(
        allowed_hosts=frozenset({"127.0.0.1"}),
        allowed_ports=frozenset({port}),
        allow_loopback_for_tests=True,
    )
    with fetcher(policy) as f, pytest.raises(DependencyError) as caught:
        f.fetch(f"http://127.0.0.1:{port}/media?{SECRET}")
    assert "SECRETTOKEN" not in str(caught.value)
    assert "ConnectError" in str(caught.value)


def test_messages_never_carry_the_query_string(make_server: Callable[..., LocalServer]) -> None:
    server = make_server()
    server.routes["/loop"] = redirect(f"/loop?{SECRET}")
    server.routes["/big"] = chunked(5_000_000)
    server.routes["/away"] = redirect(f"https://cdn.evil.example/x?{SECRET}#frag")
    policy = loopback_policy(server, max_bytes=100_000)
    urls = [
        server.url(f"/loop?{SECRET}"),
        server.url(f"/big?{SECRET}"),
        server.url(f"/away?{SECRET}"),
        server.url(f"/media?{SECRET}", host="localhost"),
        f"http://user:SECRETTOKEN@127.0.0.1:{server.port}/media?{SECRET}",
        f"ftp://127.0.0.1/media?{SECRET}",
        f"http://[::1/media?{SECRET}",
    ]
    for url in urls:
        error = refused(fetcher(policy), url)
        assert "SECRETTOKEN" not in str(error), str(error)
        assert "SECRETTOKEN" not in error.url
        assert len(str(error)) < 200


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (
            "https://u:p@cdn.example.com:8443/a/b.jpg?sig=1&exp=2#x",
            "https://cdn.example.com:8443/a/b.jpg",
        ),
        ("https://cdn.example.com/v.mp4", "https://cdn.example.com/v.mp4"),
        ("http://[::1/x?sig=1", "http://[::1/x"),
        ("http://u:p@[::g]/x#sig", "http://…@[::g]/x"),
    ],
)
def test_display_url_drops_secrets(url: str, shown: str) -> None:
    assert display_url(url) == shown


# --- the policy --------------------------------------------------------------------------------


def test_suffix_patterns_match_names_below_the_domain_only() -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"*.cdninstagram.com", "Media.Example.COM."}))
    assert policy.host_allowed("scontent.cdninstagram.com")
    assert policy.host_allowed("a.b.cdninstagram.com")
    assert policy.host_allowed("media.example.com")
    assert policy.host_allowed("MEDIA.example.com.")
    assert not policy.host_allowed("cdninstagram.com")
    assert not policy.host_allowed("evilcdninstagram.com")
    assert not policy.host_allowed("cdninstagram.com.evil.net")
    assert not policy.host_allowed("x.media.example.com")


@given(st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z0-9]{1,10}){0,2}", fullmatch=True))
def test_suffix_pattern_law(label: str) -> None:
    policy = FetchPolicy(allowed_hosts=frozenset({"*.fbcdn.net"}))
    assert policy.host_allowed(f"{label}.fbcdn.net")
    assert policy.host_allowed(f"{label}fbcdn.net") == f"{label}fbcdn.net".endswith(".fbcdn.net")
    assert not policy.host_allowed(f"fbcdn.net.{label}")


@pytest.mark.parametrize("entry", ["*", "*.com", "bad host", "exa_mple.com", "-x.com", "", "ü.com"])
def test_bad_allow_list_entries_are_refused(entry: str) -> None:
    with pytest.raises(UsageError):
        FetchPolicy(allowed_hosts=frozenset({entry}))


def test_policy_refuses_bad_numbers_and_a_bare_string() -> None:
    with pytest.raises(UsageError):
        FetchPolicy(allowed_hosts="cdn.example.com")  # type: ignore[arg-type]
    for bad in ({"max_bytes": 0}, {"timeout_s": 0}, {"max_redirects": -1}, {"allowed_ports": {0}}):
        with pytest.raises(UsageError):
            FetchPolicy(**bad)


def test_defaults() -> None:
    policy = FetchPolicy()
    assert policy.allowed_hosts == frozenset()
    assert policy.max_bytes == 50 * 1024 * 1024
    assert (policy.timeout_s, policy.max_redirects) == (10.0, 3)
    assert policy.schemes == frozenset({"https"})
    assert not policy.allow_loopback_for_tests
    assert issubclass(FetchRefused, InputError)


# --- the address checker -------------------------------------------------------------------------

REFUSED = {
    "127.0.0.1": "loopback",
    "127.255.255.254": "loopback",
    "::1": "loopback",
    "::ffff:127.0.0.1": "loopback",
    "::ffff:7f00:1": "loopback",
    "10.0.0.1": "private",
    "172.31.255.255": "private",
    "192.168.0.1": "private",
    "::ffff:10.0.0.1": "private",
    "fc00::1": "private",
    "fd12:3456::1": "private",
    "169.254.169.254": "link-local",
    "fe80::1": "link-local",
    "fe80::1%eth0": "link-local",
    "::ffff:169.254.0.1": "link-local",
    "224.0.0.251": "multicast",
    "239.255.255.250": "multicast",
    "ff02::1": "multicast",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "0.1.2.3": "private",
    "100.64.0.1": "shared address space",
    "100.127.255.254": "shared address space",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "192.0.2.10": "private",
    "192.0.0.8": "IETF protocol assignments",
    "192.0.0.9": "IETF protocol assignments",
    "198.51.100.10": "private",
    "203.0.113.10": "private",
    "198.18.0.1": "private",
    "2001:db8::1": "private",
    "fec0::1": "site-local",
    "::7f00:1": "reserved",
    "2002:7f00:1::1": "6to4 127.0.0.1",
    "2002:c0a8:101::1": "6to4 192.168.1.1",
    "64:ff9b::a9fe:a9fe": "NAT64 169.254.169.254",
    "64:ff9b:1::1": "local-use NAT64",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2": "",  # Teredo
}

PUBLIC = [
    "1.1.1.1",
    "8.8.8.8",
    "93.184.216.34",
    "157.240.1.35",
    "::ffff:8.8.8.8",
    "2606:4700:4700::1111",
    "2a03:2880:f10c:83:face:b00c:0:25de",
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize(("address", "kind"), sorted(REFUSED.items()))
def test_internal_addresses_are_refused(address: str, kind: str) -> None:
    problem = address_problem(address)
    assert problem is not None
    assert kind in problem


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    assert address_problem(address) is None
    assert address_problem(address, allow_loopback=True) is None


def test_the_test_flag_admits_loopback_only() -> None:
    for address in ("127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"):
        assert address_problem(address, allow_loopback=True) is None
    for address in ("2002:7f00:1::1", "64:ff9b::7f00:1", "10.0.0.1", "169.254.169.254", "::"):
        assert address_problem(address, allow_loopback=True) is not None


SPECIAL_V4 = [
    ipaddress.IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
]
SPECIAL_V6 = [
    ipaddress.IPv6Network(n)
    for n in ("::/127", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "2001:db8::/32")
]


def in_network(networks: list[Any]) -> st.SearchStrategy[Any]:
    return st.builds(
        lambda net, offset: net[offset % net.num_addresses],
        st.sampled_from(networks),
        st.integers(min_value=0, max_value=2**128),
    )


@given(in_network(SPECIAL_V4))
def test_every_special_ipv4_address_is_refused_in_every_wrapping(ip: ipaddress.IPv4Address) -> None:
    value = int(ip)
    forms: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = [
        ip,
        ipaddress.IPv6Address((0xFFFF << 32) | value),  # IPv4-mapped
        ipaddress.IPv6Address((0x2002 << 112) | (value << 80)),  # 6to4
        ipaddress.IPv6Address(int(ipaddress.IPv6Address("64:ff9b::")) | value),  # NAT64
    ]
    for form in forms:
        assert address_problem(form) is not None, form
    for form in forms[2:]:
        assert address_problem(form, allow_loopback=True) is not None, form


@given(in_network(SPECIAL_V6))
def test_every_special_ipv6_address_is_refused(ip: ipaddress.IPv6Address) -> None:
    assert address_problem(ip) is not None


@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_ipv4_mapped_form_has_the_verdict_of_its_ipv4_address(value: int) -> None:
    v4 = ipaddress.IPv4Address(value)
    mapped = ipaddress.IPv6Address((0xFFFF << 32) | value)
    assert (address_problem(v4) is None) == (address_problem(mapped) is None)
    assert (address_problem(v4, allow_loopback=True) is None) == (
        address_problem(mapped, allow_loopback=True) is None
    )


@given(
    st.one_of(
        st.integers(min_value=0, max_value=2**32 - 1).map(ipaddress.IPv4Address),
        st.integers(min_value=0, max_value=2**128 - 1).map(ipaddress.IPv6Address),
    )
)
def test_the_flag_changes_the_verdict_for_loopback_only(ip: Any) -> None:
    strict = address_problem(ip)
    relaxed = address_problem(ip, allow_loopback=True)
    if strict is None:
        assert relaxed is None
    elif relaxed is None:
        real = ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip
        assert real.is_loopback
        assert "loopback" in strict
    else:
        assert relaxed == strict


@given(st.integers(min_value=0, max_value=2**32 - 1).map(ipaddress.IPv4Address))
def test_public_verdict_implies_globally_routable(ip: ipaddress.IPv4Address) -> None:
    if address_problem(ip) is None:
        assert ip.is_global
        assert not any(ip in net for net in SPECIAL_V4)
