"""One structured log line per request: request id, user, organization, path, status, duration."""

from __future__ import annotations

import logging
import os
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from crm.core.security import client_ip

log = logging.getLogger("crm.request")
# Benchmarks read server-side time and query count from response headers when this is on.
TIMING_HEADERS = os.environ.get("CRM_TIMING_HEADERS", "") in ("1", "true", "yes")


class _QueryCounter:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        if TIMING_HEADERS:
            from django.db import connection

            counter = _QueryCounter()
            with connection.execute_wrapper(counter):
                response = self.get_response(request)
        else:
            response = self.get_response(request)
        duration_ms = round((time.perf_counter() - started) * 1000, 2)
        response["X-Request-ID"] = request_id
        if TIMING_HEADERS:
            response["Server-Timing"] = f"app;dur={duration_ms}"
            response["X-Query-Count"] = str(counter.count)
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and getattr(user, "is_authenticated", False))
        log.info(
            "request",
            extra={
                "request_id": request_id,
                "method": request.method,
                "path": request.path,
                "client_ip": client_ip(request),
                "status": response.status_code,
                "duration_ms": duration_ms,
                "user_id": user.pk if authenticated and user is not None else None,
                "organization_id": getattr(user, "organization_id", None) if authenticated else None,
            },
        )
        return response
