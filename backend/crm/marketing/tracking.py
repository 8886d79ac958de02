"""Signed tracking tokens, link rewriting and the machine-open heuristics.

A click token carries the recipient's random token and the exact URL that was in their email,
signed with the server's key: the redirect only ever goes to a link the campaign itself sent, so
it is no open redirect. Open and unsubscribe tokens carry the recipient's token only.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.conf import settings
from django.core import signing

SALT = {"open": "crm.marketing.open", "click": "crm.marketing.click", "unsubscribe": "crm.marketing.unsubscribe"}

# Privacy proxies that fetch images for the reader, and scanners that follow links before them.
MACHINE_AGENTS = re.compile(
    r"googleimageproxy|yahoomailproxy|outlook-ios|microsoft office|ms-office|barracuda|mimecast|proofpoint|"
    r"symantec|trendmicro|forcepoint|safelinks|bot\b|crawler|spider|preview|python-requests|curl/|wget/",
    re.IGNORECASE,
)
MACHINE_SECONDS = 2  # an open or a click this soon after sending is a scanner, not a reader


def make_token(kind: str, recipient_token: str, url: str = "") -> str:
    value: Any = [recipient_token, url] if kind == "click" else recipient_token
    return signing.dumps(value, salt=SALT[kind], compress=False)


def read_token(kind: str, token: str) -> tuple[str, str] | None:
    """(recipient token, url) of a valid token, else None."""
    try:
        value = signing.loads(token, salt=SALT[kind])
    except signing.BadSignature:
        return None
    if kind == "click":
        if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, str) for v in value)):
            return None
        return value[0], value[1]
    return (value, "") if isinstance(value, str) else None


def public_url(path: str) -> str:
    return settings.MARKETING_PUBLIC_URL.rstrip("/") + path


def is_machine(user_agent: str, sent_at: datetime.datetime | None, now: datetime.datetime) -> bool:
    if MACHINE_AGENTS.search(user_agent or ""):
        return True
    return sent_at is not None and (now - sent_at).total_seconds() < MACHINE_SECONDS


_HREF = re.compile(r'(<a\s[^>]*?href=")(https?://[^"]+)(")', re.IGNORECASE)


def rewrite_links(html: str, recipient_token: str) -> str:
    """Every http(s) link of the email goes through the click redirect."""

    def replace(match: re.Match[str]) -> str:
        url = match.group(2).replace("&amp;", "&")
        return f"{match.group(1)}{public_url('/t/c/' + make_token('click', recipient_token, url))}{match.group(3)}"

    return _HREF.sub(replace, html)


def open_pixel(recipient_token: str) -> str:
    src = public_url("/t/o/" + make_token("open", recipient_token))
    return f'<img src="{src}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">'
