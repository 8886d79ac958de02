"""The only URL fetcher documents use: no network, no file system.

A document reaches the app's own static files (``crm-static:name``, from ``documents/static``) and
images the renderer inlined itself as ``data:`` URLs (the organization's logo, the payment QR
code). Anything else is refused and the resource is left out of the document.
"""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import unquote

from weasyprint.urls import URLFetcher, URLFetcherResponse

STATIC_DIR = Path(__file__).resolve().parent / "static"
MAX_RESOURCE_BYTES = 2 * 1024 * 1024
TYPES = {".css": "text/css", ".png": "image/png", ".svg": "image/svg+xml", ".jpg": "image/jpeg"}


class RefusedURL(ValueError):
    pass


class LockedDownFetcher(URLFetcher):
    def __init__(self) -> None:
        super().__init__(timeout=1, allowed_protocols=("data", "crm-static"), allow_redirects=False)

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return _data_url(url)
        if url.startswith("crm-static:"):
            return _static(url)
        raise RefusedURL(f"Documents load no external resources: {url[:80]}")


def _data_url(url: str) -> URLFetcherResponse:
    header, _, payload = url[5:].partition(",")
    if len(payload) > MAX_RESOURCE_BYTES * 4 // 3 + 4:
        raise RefusedURL("An inline resource is too large.")
    media_type = header.split(";")[0] or "text/plain"
    body = base64.b64decode(payload) if header.endswith(";base64") else unquote(payload).encode()
    return URLFetcherResponse(url, body=body, headers={"Content-Type": media_type})


def _static(url: str) -> URLFetcherResponse:
    name = url.removeprefix("crm-static:").lstrip("/")
    path = (STATIC_DIR / name).resolve()
    if STATIC_DIR not in path.parents or not path.is_file():
        raise RefusedURL(f"No such document asset: {name}")
    if path.stat().st_size > MAX_RESOURCE_BYTES:
        raise RefusedURL("The asset is too large.")
    return URLFetcherResponse(
        url, body=path.read_bytes(), headers={"Content-Type": TYPES.get(path.suffix, "application/octet-stream")}
    )
