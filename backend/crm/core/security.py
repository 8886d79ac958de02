"""Client address and scheme behind proxies, and the security headers the framework does not set.

`client_ip(request)` is the one place that decides who the client is (throttles, lockout, the
request log): the connection's address, unless that connection comes from a proxy listed in
`TRUSTED_PROXIES`; then the address that proxy appended to X-Forwarded-For. Anything further left
in that header was written by the client and is ignored. `X-Forwarded-Proto` is believed on the
same condition (TrustedProxyMiddleware).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_ip(value: str) -> IPAddress | None:
    """An address from a header or REMOTE_ADDR ("1.2.3.4", "1.2.3.4:567", "[::1]:80"), or None."""
    value = value.strip().strip('"')
    if value.startswith("["):
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:
        value = value.partition(":")[0]  # IPv4 with a port
    try:
        address = ipaddress.ip_address(value.split("%", 1)[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def trusted_proxy_networks() -> tuple[IPNetwork, ...]:
    entries = settings.TRUSTED_PROXIES
    if isinstance(entries, str):
        entries = entries.split(",")
    return _networks(tuple(entries))


def is_trusted_proxy(address: IPAddress | None, networks: Iterable[IPNetwork] | None = None) -> bool:
    if address is None:
        return False
    return any(address in network for network in (trusted_proxy_networks() if networks is None else networks))


def _remote(request: HttpRequest) -> IPAddress | None:
    return parse_ip(request.META.get("REMOTE_ADDR", ""))


def from_trusted_proxy(request: HttpRequest) -> bool:
    return is_trusted_proxy(_remote(request))


def client_ip(request: HttpRequest) -> str:
    """The client's address: never taken from a header the client could have written itself."""
    remote = _remote(request)
    networks = trusted_proxy_networks()
    if remote is None:
        return request.META.get("REMOTE_ADDR", "") or "unknown"
    if not is_trusted_proxy(remote, networks):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    nearest = remote
    for hop in reversed(hops):
        address = parse_ip(hop)
        if address is None:
            break  # not written by a proxy we trust: stop at the last trusted hop
        if not is_trusted_proxy(address, networks):
            return str(address)
        nearest = address
    return str(nearest)


class TrustedProxyMiddleware:
    """Marks a request HTTPS when a trusted proxy says so (`X-Forwarded-Proto: https`), never otherwise.

    Replaces Django's SECURE_PROXY_SSL_HEADER, which believes the header from anyone. Must come
    before SecurityMiddleware so redirects and HSTS see the right scheme.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proto = request.META.get("HTTP_X_FORWARDED_PROTO", "")
        if proto and from_trusted_proxy(request):
            scheme = proto.split(",", 1)[0].strip().lower()
            if scheme in ("http", "https"):
                request._get_scheme = lambda: scheme  # type: ignore[attr-defined]  # a private HttpRequest hook
        return self.get_response(request)


DEFAULT_CSP = (
    "default-src 'self'; "
    "script-src 'self'; "
    "style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; "
    "font-src 'self' data:; "
    "connect-src 'self'; "
    "object-src 'none'; "
    # The template studio shows its PDF preview, fetched from the API, as a blob: frame.
    "frame-src 'self' blob:; "
    "base-uri 'self'; "
    "form-action 'self'; "
    "frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = getattr(settings, "CONTENT_SECURITY_POLICY", DEFAULT_CSP)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.is_secure():
            # Every cookie sent over HTTPS is Secure, whatever COOKIE_SECURE says.
            for morsel in response.cookies.values():
                morsel["secure"] = True
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.path.startswith("/api/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response
