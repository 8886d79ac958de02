"""Client address and HTTPS behind proxies: headers are believed only from TRUSTED_PROXIES."""

from __future__ import annotations

import logging

import pytest
from conftest import PASSWORD
from django.conf import settings as django_settings
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import get_resolver
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from crm.core import security
from crm.core.security import TrustedProxyMiddleware, client_ip

LOGIN = "/api/v1/auth/login"
HSTS = "Strict-Transport-Security"


def request(remote: str, forwarded: str | None = None, proto: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    if proto is not None:
        extra["HTTP_X_FORWARDED_PROTO"] = proto
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # no trusted proxy: the header is the client's own words
        ([], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        ([], "203.0.113.7", None, "203.0.113.7"),
        # a connection from a trusted proxy: the entry it appended (the rightmost untrusted one)
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1", "198.51.100.1"),
        (["10.0.0.1"], "10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (["10.0.0.0/8"], "10.0.0.1", "6.6.6.6, 198.51.100.1, 10.2.3.4", "198.51.100.1"),
        (["10.0.0.1"], "10.0.0.1", "198.51.100.1:4711", "198.51.100.1"),
        (["10.0.0.1"], "10.0.0.1", "2001:db8::5", "2001:db8::5"),
        (["10.0.0.1"], "10.0.0.1", "[2001:db8::5]:443", "2001:db8::5"),
        # nothing appended, or garbage: the nearest trusted hop, never the client's text
        (["10.0.0.1"], "10.0.0.1", None, "10.0.0.1"),
        (["10.0.0.1"], "10.0.0.1", "not-an-ip", "10.0.0.1"),
        # a trusted network does not make other senders trusted
        (["10.0.0.1"], "203.0.113.7", "198.51.100.1", "203.0.113.7"),
        (["10.0.0.1"], "::ffff:10.0.0.1", "198.51.100.1", "198.51.100.1"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert client_ip(request(remote, forwarded)) == expected


def test_trusted_proxies_default_to_none():
    assert django_settings.TRUSTED_PROXIES == []


def test_forwarded_proto_from_an_untrusted_client_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    seen = {}

    def view(req):
        seen["secure"] = req.is_secure()
        return HttpResponse()

    TrustedProxyMiddleware(view)(request("203.0.113.7", proto="https"))
    assert seen["secure"] is False
    TrustedProxyMiddleware(view)(request("10.0.0.1", proto="https"))
    assert seen["secure"] is True
    TrustedProxyMiddleware(view)(request("10.0.0.1", proto="http"))
    assert seen["secure"] is False


def _login(client, **extra):
    return client.post(LOGIN, {"email": "sam@acme.example", "password": PASSWORD}, format="json", **extra)


def test_spoofed_https_header_gets_neither_hsts_nor_secure_cookies(user, anon, settings):
    settings.COOKIE_SECURE = False
    response = _login(anon, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert HSTS not in response.headers
    assert not response.cookies[django_settings.AUTH_COOKIE_NAME]["secure"]
    assert not response.cookies["csrftoken"]["secure"]


def test_https_through_a_trusted_proxy_gets_hsts_and_secure_cookies(user, anon, settings):
    settings.COOKIE_SECURE = False
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    response = _login(anon, HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 200
    assert response.headers[HSTS].startswith("max-age=31536000")
    assert response.cookies[django_settings.AUTH_COOKIE_NAME]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True


def test_direct_https_gets_hsts_and_secure_cookies_in_every_environment(user, anon, settings):
    settings.COOKIE_SECURE = False
    response = _login(anon, secure=True)
    assert response.status_code == 200
    assert HSTS in response.headers
    assert response.cookies[django_settings.AUTH_COOKIE_NAME]["secure"] is True
    assert response.cookies["csrftoken"]["secure"] is True
    logout = anon.post("/api/v1/auth/logout", secure=True, HTTP_X_CSRFTOKEN=response.cookies["csrftoken"].value)
    assert logout.status_code == 204
    assert logout.cookies[django_settings.AUTH_COOKIE_NAME]["secure"] is True


def test_request_log_names_the_connection_not_the_claimed_address(api, caplog):
    caplog.set_level(logging.INFO, logger="crm.request")
    api.get("/api/v1/auth/me", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    record = next(r for r in caplog.records if r.name == "crm.request")
    assert record.client_ip == "203.0.113.7"


def _views():
    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern.url_patterns)
            else:
                yield getattr(pattern.callback, "cls", None)

    return {view for view in walk(get_resolver().url_patterns) if view and issubclass(view, APIView)}


def test_every_throttle_counts_by_client_ip_or_by_account(rf):
    """DRF's get_ident believes X-Forwarded-For from anyone; no throttle may use it unchanged."""
    spoofed = rf.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="1.2.3.4")
    throttles = {throttle for view in _views() for throttle in view().get_throttles()}
    assert throttles, "the sign-in views are throttled"
    for throttle in throttles:
        if isinstance(throttle, SimpleRateThrottle):
            assert throttle.get_ident(spoofed) == "203.0.113.7", type(throttle)
    assert security.client_ip(spoofed) == "203.0.113.7"
