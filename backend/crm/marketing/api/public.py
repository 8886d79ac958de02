"""The public tracking endpoints in the emails: open pixel, click redirect, unsubscribe, bounces.

No session: a signed token names the recipient. The pixel answers the same image whatever the
token, so it reveals nothing; a bad click token is a 404, never a redirect.
"""

from __future__ import annotations

import base64
import email
import hmac
import json
from email.message import Message

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotFound, HttpResponseRedirect
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..services import tracking as tracking_services

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")


def _agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")


@require_http_methods(["GET", "HEAD"])
def open_pixel(request: HttpRequest, token: str) -> HttpResponse:
    tracking_services.tracking_open(token=token, user_agent=_agent(request))
    response = HttpResponse(PIXEL, content_type="image/gif")
    response["Cache-Control"] = "no-store, private"
    return response


@require_http_methods(["GET", "HEAD"])
def click(request: HttpRequest, token: str) -> HttpResponse:
    url = tracking_services.tracking_click(token=token, user_agent=_agent(request))
    if url is None:
        return HttpResponseNotFound(_("This link is not valid."), content_type="text/plain; charset=utf-8")
    return HttpResponseRedirect(url)


def _page(title: str, body: str) -> HttpResponse:
    html = (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
        f'<body style="font-family:sans-serif;max-width:32rem;margin:4rem auto">{body}</body></html>'
    )
    return HttpResponse(html)


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":  # a page with a button: link scanners that GET do not unsubscribe anybody
        if tracking_services.read_token("unsubscribe", token) is None:
            return HttpResponseNotFound(_("This link is not valid."), content_type="text/plain; charset=utf-8")
        title, button = _("Unsubscribe"), _("Stop these emails")
        return _page(
            title,
            f'<h1>{escape(title)}</h1><form method="post"><button type="submit">{escape(button)}</button></form>',
        )
    recipient = tracking_services.tracking_unsubscribe(token=token)
    if recipient is None:
        return HttpResponseNotFound(_("This link is not valid."), content_type="text/plain; charset=utf-8")
    done = _("You will get no more of these emails.")
    return _page(_("Unsubscribed"), f"<h1>{escape(done)}</h1>")


def _dsn_bounce(raw: bytes) -> tuple[str, bool] | None:
    """(original Message-ID, permanent) of a delivery status notification (RFC 3464)."""
    message: Message = email.message_from_bytes(raw)
    message_id, permanent = "", False
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            payload = part.get_payload()
            blocks = payload if isinstance(payload, list) else [email.message_from_string(str(payload))]
            for block in blocks:
                action = str(block.get("Action", "")).lower()
                status = str(block.get("Status", ""))
                if action == "failed" or status.startswith("5"):
                    permanent = permanent or status.startswith("5")
        elif kind in ("text/rfc822-headers", "message/rfc822"):
            payload = part.get_payload()
            inner = payload[0] if isinstance(payload, list) else email.message_from_string(str(payload))
            message_id = message_id or str(inner.get("Message-ID", ""))
    return (message_id, permanent) if message_id else None


@csrf_exempt
@require_http_methods(["POST"])
def bounce_hook(request: HttpRequest) -> HttpResponse:
    """Bounces: a DSN as ``message/delivery-status`` mail, or JSON ``{"message_id", "permanent"}``
    from a provider relay. Needs ``Authorization: Bearer MARKETING_HOOK_TOKEN``."""
    expected = settings.MARKETING_HOOK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not expected or not hmac.compare_digest(given, expected):
        return HttpResponse(status=401)
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
            message_id, permanent = str(data.get("message_id", "")), bool(data.get("permanent", True))
        except (ValueError, AttributeError):
            return HttpResponse(status=400)
    else:
        found = _dsn_bounce(request.body)
        if found is None:
            return HttpResponse(status=400)
        message_id, permanent = found
    matched = tracking_services.tracking_bounce(message_id=message_id, permanent=permanent)
    return HttpResponse(status=202 if matched else 404)
