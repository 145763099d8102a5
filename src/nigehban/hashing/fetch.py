"""Fetch media from platform endpoints without becoming a server-side request forgery tool.

Platforms hand over media as references, some of them URLs (an Instagram CDN link that expires).
Fetching a URL that arrived in a payload is the classic SSRF hole: HMA's URL hashing admits every
host when its allow-list is empty, which is its default. Here the default is the opposite: an
empty :class:`FetchPolicy` allow-list refuses every fetch.

Every hop — the first URL and each redirect ``Location``, resolved against the URL that sent it —
passes the same checks before a byte is sent:

* scheme ``https`` (``http`` only under the test-only loopback flag);
* no user information (``https://user:pass@host/`` or ``https://allowed.com@evil.com/``);
* host on the allow-list: exact names, or ``*.example.com`` for any name below ``example.com``;
  IP-literal hosts only when that literal itself is listed;
* port in ``allowed_ports`` (443 by default);
* every address the host resolves to is public: no private, loopback, link-local, multicast,
  reserved or unspecified address, including such an IPv4 address wrapped in IPv6
  (``::ffff:10.0.0.1``, 6to4, NAT64, Teredo). The test-only flag admits loopback and nothing else.

DNS rebinding (a name that resolves to a public address when checked and to ``127.0.0.1`` when
connected) is closed by :class:`GuardedTransport`: its network backend resolves the name, checks
every address and connects to a checked address itself, so the address checked is the address
used. The request keeps the host name in its URL, so the ``Host`` header, TLS SNI and certificate
hostname verification are all for the name, never for the IP. After the response arrives, the
peer address of the connection is checked once more, which also covers a caller-supplied client.
Redirects are followed by hand (never by httpx), at most ``max_redirects`` of them, and a loop is
refused. The body is streamed and counted: a declared ``Content-Length`` above ``max_bytes`` is
refused before reading, and an undeclared (chunked) body is cut off once it passes the cap.
Content-Encoding other than identity is refused, so a small compressed body cannot inflate past
the cap and the bytes hashed are the bytes the platform serves.

Messages name the URL without its query string, fragment or user information (signed CDN URLs
carry their secrets there) and pass it through :func:`~nigehban.privacy.masking.preview`.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import ssl
import tempfile
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import httpcore
import httpx

from nigehban.errors import DependencyError, InputError, UsageError
from nigehban.privacy.masking import preview, redact

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[IPAddress]]
"""``(host, port) -> addresses``; the default asks the system resolver (``getaddrinfo``)."""

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
USER_AGENT = "nigehban-media-fetcher"
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

_SHARED_SPACE = ipaddress.IPv4Network("100.64.0.0/10")
_IETF_ASSIGNMENTS = ipaddress.IPv4Network("192.0.0.0/24")  # anycast relays, dummy address, ...
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_HOST_LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")


class FetchRefused(InputError):  # noqa: N818 (the name the integration uses)
    """A fetch was refused by policy: the URL (without secrets) and ``reason`` say which and why."""

    def __init__(self, url: str, reason: str) -> None:
        super().__init__(preview(url), f"fetch refused: {reason}")
        self.url = url
        self.reason = reason


def display_url(url: str | httpx.URL) -> str:
    """``url`` without user information, query string or fragment: safe to show and to log."""
    if isinstance(url, httpx.URL):
        return str(url.copy_with(username=None, password=None, query=None, fragment=None))
    try:
        return display_url(httpx.URL(url))
    except (httpx.InvalidURL, TypeError):
        pass
    # Unparseable: cut at the first character that could start a query or fragment.
    cut = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    text = url[:cut]
    scheme, sep, rest = text.partition("://")
    if sep and "@" in rest.split("/", 1)[0]:
        text = f"{scheme}://…@{rest.split('@', 1)[1]}"
    return text


def address_problem(address: IPAddress | str, *, allow_loopback: bool = False) -> str | None:
    """Why nothing may be fetched from ``address``, or ``None`` for a public unicast address.

    An IPv4 address carried inside IPv6 (IPv4-mapped, NAT64, 6to4, Teredo) is judged by the IPv4
    address it carries. ``allow_loopback`` admits loopback addresses (``127.0.0.0/8``, ``::1`` and
    IPv4-mapped loopback) and nothing else.
    """
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        for form, embedded in _embedded_ipv4(ip):
            # Only the IPv4-mapped form is the carried address itself; a tunnelled loopback
            # address (6to4, NAT64, Teredo) is somebody else's machine, never this one.
            mapped = form == "IPv4-mapped"
            problem = address_problem(embedded, allow_loopback=allow_loopback and mapped)
            if problem is not None:
                return f"{problem} ({form} {embedded})"
        if ip.ipv4_mapped is not None or ip in _NAT64:
            return None  # the carried IPv4 address is public; the wrapper is only a notation
        if ip in _NAT64_LOCAL:
            return "local-use NAT64"
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_SPACE:
        return "shared address space (carrier-grade NAT)"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _IETF_ASSIGNMENTS:
        return "IETF protocol assignments block"
    if ip.is_reserved:
        return "reserved"
    if ip.is_private:
        return "private or special-purpose"
    if isinstance(ip, ipaddress.IPv6Address) and ip.is_site_local:
        return "site-local"
    if not ip.is_global:
        return "not globally routable"
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> list[tuple[str, ipaddress.IPv4Address]]:
    found: list[tuple[str, ipaddress.IPv4Address]] = []
    if ip.ipv4_mapped is not None:
        found.append(("IPv4-mapped", ip.ipv4_mapped))
    if ip.sixtofour is not None:
        found.append(("6to4", ip.sixtofour))
    if ip.teredo is not None:
        server, client = ip.teredo
        found += [("Teredo server", server), ("Teredo client", client)]
    if ip in _NAT64:
        found.append(("NAT64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)))
    return found


def _literal_ip(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def _normalise_host(host: str) -> str:
    return host.strip().lower().rstrip(".")


def _check_allowed_host(entry: str) -> str:
    host = _normalise_host(entry)
    if _literal_ip(host) is not None:
        return str(ipaddress.ip_address(host))
    name = host.removeprefix("*.")
    labels = name.split(".")
    well_formed = all(
        label and set(label) <= _HOST_LABEL_CHARS and not label.startswith("-") for label in labels
    )
    if not well_formed:
        raise UsageError(
            f"allowed host {preview(entry)} is not a host name, an IP address or a "
            "'*.example.com' pattern (write internationalised names in their xn-- form)"
        )
    if host.startswith("*.") and len(labels) < 2:
        raise UsageError(f"allowed host pattern {preview(entry)} is too broad; name a domain")
    return host


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """What :class:`MediaFetcher` may fetch. The default allow-list is empty: nothing is fetched.

    ``allowed_hosts`` holds exact host names (``scontent.cdninstagram.com``), suffix patterns
    (``*.fbcdn.net`` matches any name below ``fbcdn.net``, not ``fbcdn.net`` itself) and IP
    literals. ``timeout_s`` bounds each network operation (connect, each read);
    ``total_timeout_s`` bounds the whole fetch, redirects included, so a server trickling bytes
    cannot hold a worker. ``allow_loopback_for_tests`` admits loopback addresses and plain
    ``http`` so the fetcher can be tested against a local server; it is never for production.
    """

    allowed_hosts: frozenset[str] = frozenset()
    max_bytes: int = DEFAULT_MAX_BYTES
    timeout_s: float = 10.0
    max_redirects: int = 3
    allow_loopback_for_tests: bool = False
    allowed_ports: frozenset[int] = frozenset({443})
    total_timeout_s: float = 60.0

    def __post_init__(self) -> None:
        if isinstance(self.allowed_hosts, str):
            raise UsageError("allowed_hosts must be a set of host names, not one string")
        hosts = frozenset(_check_allowed_host(entry) for entry in self.allowed_hosts)
        object.__setattr__(self, "allowed_hosts", hosts)
        object.__setattr__(self, "allowed_ports", frozenset(self.allowed_ports))
        if self.max_bytes <= 0:
            raise UsageError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.timeout_s <= 0 or self.total_timeout_s <= 0:
            raise UsageError("timeouts must be positive")
        if self.max_redirects < 0:
            raise UsageError(f"max_redirects must be 0 or more, not {self.max_redirects}")
        if any(not 0 < port < 65536 for port in self.allowed_ports):
            raise UsageError(f"allowed_ports must be TCP ports: {sorted(self.allowed_ports)}")

    @property
    def schemes(self) -> frozenset[str]:
        return frozenset({"https", "http"} if self.allow_loopback_for_tests else {"https"})

    def host_allowed(self, host: str) -> bool:
        """Whether ``host`` (an IDNA-encoded name or an IP literal) is on the allow-list."""
        host = _normalise_host(host)
        literal = _literal_ip(host)
        if literal is not None:
            return str(literal) in self.allowed_hosts
        if host in self.allowed_hosts:
            return True
        return any(
            pattern.startswith("*.") and host.endswith(pattern[1:]) and len(host) > len(pattern) - 1
            for pattern in self.allowed_hosts
        )


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to for a TCP connection, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise DependencyError(f"cannot resolve host {preview(host)}: {redact(str(exc))}") from None
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        ip = ipaddress.ip_address(str(sockaddr[0]))
        if ip not in addresses:
            addresses.append(ip)
    return addresses


class AddressGuard:
    """Resolves a host and refuses it unless every address is public (see :func:`address_problem`).

    All addresses must pass, not just the first: a name that resolves to one public and one private
    address is refused, so the choice of address cannot be steered by the resolver.
    """

    def __init__(self, policy: FetchPolicy, resolver: Resolver = system_resolver) -> None:
        self.policy = policy
        self.resolver = resolver

    def addresses(self, host: str, port: int) -> list[IPAddress]:
        """Checked addresses of ``host``; raises :class:`FetchRefused` naming ``host:port``."""
        literal = _literal_ip(host)
        found = [literal] if literal is not None else list(self.resolver(host, port))
        if not found:
            raise FetchRefused(f"{host}:{port}", "the host resolves to no address")
        for ip in found:
            problem = address_problem(ip, allow_loopback=self.policy.allow_loopback_for_tests)
            if problem is not None:
                raise FetchRefused(f"{host}:{port}", f"the host resolves to a {problem} address")
        return found

    def check_url(self, url: httpx.URL) -> list[IPAddress]:
        """Refuse ``url`` unless scheme, user information, host, port and addresses all pass."""
        shown = display_url(url)
        policy = self.policy
        if url.scheme not in policy.schemes:
            allowed = " or ".join(sorted(policy.schemes))
            raise FetchRefused(shown, f"scheme {preview(url.scheme)} is not {allowed}")
        if url.userinfo:
            raise FetchRefused(shown, "URLs with user information are not fetched")
        host = url.raw_host.decode("ascii")
        if not host:
            raise FetchRefused(shown, "the URL has no host")
        if not policy.host_allowed(host):
            raise FetchRefused(shown, f"host {preview(host)} is not on the media fetch allow-list")
        port = url.port if url.port is not None else (443 if url.scheme == "https" else 80)
        if port not in policy.allowed_ports:
            raise FetchRefused(shown, f"port {port} is not an allowed port")
        try:
            return self.addresses(host, port)
        except FetchRefused as exc:
            raise FetchRefused(shown, exc.reason) from None


class _GuardedBackend(httpcore.NetworkBackend):
    """Resolves, checks and connects in one step, so the address checked is the one connected."""

    def __init__(self, guard: AddressGuard) -> None:
        self._guard = guard
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        failure: Exception | None = None
        for ip in self._guard.addresses(host, port):
            try:
                stream = self._inner.connect_tcp(
                    str(ip), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                failure = exc
                continue
            peer = stream.get_extra_info("server_addr")
            if peer is None or ipaddress.ip_address(str(peer[0])) != ip:
                stream.close()
                raise FetchRefused(f"{host}:{port}", "connected to an address that was not checked")
            return stream
        if failure is None:  # addresses() never returns an empty list
            raise FetchRefused(f"{host}:{port}", "the host resolves to no address")
        raise failure

    def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        raise FetchRefused(path, "Unix sockets are not fetched from")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class GuardedTransport(httpx.HTTPTransport):
    """An httpx transport that connects only to addresses :class:`AddressGuard` has checked.

    It is httpx's own transport with its connection pool rebuilt around a guarded network
    backend (httpx does not take a backend as a parameter; httpcore does). No proxies: a proxy
    would make the connected address the proxy's, defeating the check.
    """

    def __init__(self, guard: AddressGuard, *, verify: ssl.SSLContext | None = None) -> None:
        # Certificates are always verified: ``verify`` may replace the trust store, not disable it.
        ssl_context = verify or httpx.create_ssl_context(verify=True, trust_env=False)
        super().__init__(verify=ssl_context, trust_env=False, retries=0)
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context,
            max_connections=10,
            max_keepalive_connections=5,
            keepalive_expiry=5.0,
            retries=0,
            network_backend=_GuardedBackend(guard),
        )


@dataclass(frozen=True, slots=True)
class FetchedMedia:
    """Media fetched into memory. ``url`` is as given; ``final_url`` after redirects."""

    url: str
    final_url: str
    content_type: str | None
    data: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class FetchedFile:
    """Media streamed to ``path`` (a new file the caller owns and deletes)."""

    url: str
    final_url: str
    content_type: str | None
    path: Path
    size: int


class MediaFetcher:
    """Fetches media under a :class:`FetchPolicy`; see the module docstring for every check.

    Without ``client``, the fetcher builds its own httpx client on a :class:`GuardedTransport`
    (no proxies from the environment, no cookies kept). A caller-supplied ``client`` is used as
    given: every hop is still checked before it is sent and the connection's peer address after,
    but pinning the checked address at connect time needs that client to use a
    :class:`GuardedTransport` too. ``verify`` is the TLS context of the built-in client (a private
    CA bundle); ``resolver`` replaces the system resolver (tests, or a DNS-over-HTTPS resolver).
    """

    def __init__(
        self,
        policy: FetchPolicy,
        client: httpx.Client | None = None,
        *,
        resolver: Resolver = system_resolver,
        verify: ssl.SSLContext | None = None,
    ) -> None:
        self.policy = policy
        self.guard = AddressGuard(policy, resolver)
        self._owns_client = client is None
        if client is None:
            client = httpx.Client(
                transport=GuardedTransport(self.guard, verify=verify),
                trust_env=False,
                follow_redirects=False,
                cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
                timeout=httpx.Timeout(policy.timeout_s),
            )
        self.client = client

    def close(self) -> None:
        if self._owns_client:
            self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def check(self, url: str) -> None:
        """Refuse ``url`` as the first hop of a fetch would, without connecting."""
        self.guard.check_url(_parse(url))

    def fetch(self, url: str) -> FetchedMedia:
        """Fetch ``url`` into memory (at most ``policy.max_bytes``)."""
        chunks: list[bytes] = []
        final_url, content_type, _ = self._stream(url, chunks.append)
        return FetchedMedia(url, final_url, content_type, b"".join(chunks))

    def fetch_to_file(self, url: str, directory: Path | None = None) -> FetchedFile:
        """Stream ``url`` into a new temporary file (removed again if the fetch fails)."""
        handle, name = tempfile.mkstemp(prefix="nigehban-media-", dir=directory)
        path = Path(name)
        try:
            with os.fdopen(handle, "wb") as sink:
                final_url, content_type, size = self._stream(url, sink.write)
        except OSError as exc:
            path.unlink(missing_ok=True)
            raise DependencyError(
                f"cannot write fetched media to {path}: {exc.strerror or exc}"
            ) from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return FetchedFile(url, final_url, content_type, path, size)

    def _stream(self, url: str, sink: Callable[[bytes], object]) -> tuple[str, str | None, int]:
        policy = self.policy
        deadline = time.monotonic() + policy.total_timeout_s
        current = _parse(url)
        seen = {str(current.copy_with(fragment=None))}
        for _hop in range(policy.max_redirects + 1):
            if time.monotonic() > deadline:
                raise FetchRefused(
                    display_url(url), f"fetch took more than {policy.total_timeout_s:g} s"
                )
            self.guard.check_url(current)
            response = self._send(current)
            try:
                self._check_peer(current, response)
                if response.status_code in REDIRECT_STATUSES:
                    current = self._next_hop(current, response, seen)
                    continue
                if response.status_code != 200:
                    problem = f"the server answered HTTP {response.status_code}"
                    if response.status_code >= 500:
                        raise DependencyError(f"{preview(display_url(current))}: {problem}")
                    raise InputError(preview(display_url(current)), problem)
                size = self._read_body(current, response, sink, deadline)
                return str(current), response.headers.get("content-type"), size
            finally:
                response.close()
        raise FetchRefused(display_url(url), f"more than {policy.max_redirects} redirects")

    def _send(self, url: httpx.URL) -> httpx.Response:
        shown = display_url(url)
        request = self.client.build_request(
            "GET",
            url,
            headers={"User-Agent": USER_AGENT, "Accept-Encoding": "identity"},
            timeout=httpx.Timeout(self.policy.timeout_s),
        )
        try:
            return self.client.send(request, stream=True, follow_redirects=False)
        except FetchRefused as exc:
            raise FetchRefused(shown, exc.reason) from None
        except httpx.TransportError as exc:
            raise DependencyError(
                f"{preview(shown)}: fetch failed: {_describe(exc, url)}"
            ) from None

    def _check_peer(self, url: httpx.URL, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        peer = None if stream is None else stream.get_extra_info("server_addr")
        if not peer:
            return  # a transport without sockets (an in-memory test transport)
        problem = address_problem(str(peer[0]), allow_loopback=self.policy.allow_loopback_for_tests)
        if problem is not None:
            raise FetchRefused(display_url(url), f"connected to a {problem} address")

    def _next_hop(self, url: httpx.URL, response: httpx.Response, seen: set[str]) -> httpx.URL:
        location = response.headers.get("location")
        if not location:
            raise FetchRefused(display_url(url), "a redirect without a Location header")
        try:
            target = url.join(location).copy_with(fragment=None)
        except httpx.InvalidURL:
            raise FetchRefused(display_url(url), "a redirect to an invalid URL") from None
        if str(target) in seen:
            raise FetchRefused(display_url(target), "a redirect loop")
        seen.add(str(target))
        return target

    def _read_body(
        self,
        url: httpx.URL,
        response: httpx.Response,
        sink: Callable[[bytes], object],
        deadline: float,
    ) -> int:
        cap = self.policy.max_bytes
        shown = display_url(url)
        encoding = response.headers.get("content-encoding", "identity").strip().lower()
        if encoding not in ("", "identity"):
            raise FetchRefused(shown, f"content encoding {preview(encoding)} is not accepted")
        declared = response.headers.get("content-length")
        if declared is not None and declared.strip().isdigit() and int(declared) > cap:
            raise FetchRefused(shown, f"declared size {int(declared)} bytes exceeds {cap} bytes")
        total = 0
        try:
            for chunk in response.iter_raw():
                total += len(chunk)
                if total > cap:
                    raise FetchRefused(shown, f"body exceeds {cap} bytes")
                if time.monotonic() > deadline:
                    raise FetchRefused(
                        shown, f"fetch took more than {self.policy.total_timeout_s:g} s"
                    )
                sink(chunk)
        except httpx.TransportError as exc:
            raise DependencyError(
                f"{preview(shown)}: fetch failed: {_describe(exc, url)}"
            ) from None
        return total


def _parse(url: str) -> httpx.URL:
    try:
        return httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        raise FetchRefused(display_url(url), "not a valid URL") from None


def _describe(exc: Exception, url: httpx.URL) -> str:
    text = str(exc)
    for secret in (url.query.decode("ascii", "replace"), url.fragment):
        if secret:
            text = text.replace(secret, "…")
    detail = redact(text, 120)
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
