"""Bearer-token authentication, from the Authorization header or the httpOnly cookie.

Cookie-authenticated writes must pass Django's CSRF check; header tokens need not, because
a browser never attaches them by itself.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone, translation
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from .models import AuthToken, User, hash_token

LAST_USED_RESOLUTION = timedelta(minutes=5)


class _CSRFCheck(CsrfViewMiddleware):
    def _reject(self, request: Any, reason: str) -> str:  # type: ignore[override]
        return reason


def token_from_request(request: Request) -> tuple[str | None, bool]:
    """The raw token and whether it came from the cookie."""
    header = authentication.get_authorization_header(request).decode("latin-1")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer":
            return None, False
        if not value.strip() or " " in value.strip():
            raise exceptions.AuthenticationFailed(gettext("Malformed Authorization header."))
        return value.strip(), False
    cookie = request.COOKIES.get(settings.AUTH_COOKIE_NAME)
    return (cookie, True) if cookie else (None, False)


def _speak_the_users_language(request: Request, user: User) -> None:
    """Messages and mails of this request in the user's language (Accept-Language is for anonymous ones)."""
    if translation.check_for_language(user.language):
        translation.activate(user.language)
        request._request.LANGUAGE_CODE = user.language


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, AuthToken] | None:
        raw, from_cookie = token_from_request(request)
        if not raw:
            return None
        token = AuthToken.objects.select_related("user", "user__organization").filter(key_hash=hash_token(raw)).first()
        if token is None or not token.is_usable or not token.user.is_active:
            if from_cookie:
                # A stale cookie must not block public endpoints such as login.
                return None
            raise exceptions.AuthenticationFailed(gettext("Your session has expired. Please sign in again."))
        if from_cookie:
            self._enforce_csrf(request)
        _speak_the_users_language(request, token.user)
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
            AuthToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword

    def _enforce_csrf(self, request: Request) -> None:
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return
        if getattr(request._request, "_dont_enforce_csrf_checks", False):
            return
        check = _CSRFCheck(lambda req: None)
        check.process_request(request._request)
        reason = check.process_view(request._request, None, (), {})
        if reason:
            raise exceptions.PermissionDenied(gettext("CSRF failed: %(reason)s") % {"reason": reason})


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "crm.identity.authentication.TokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Token from /api/v1/auth/login or a personal API token.",
        }
