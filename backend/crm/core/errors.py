"""Domain errors and the one JSON error shape every API answer uses.

Shape: ``{"code": "...", "message": "...", "errors": {"field": ["message", ...]}}``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

log = logging.getLogger("crm.errors")


class ApplicationError(Exception):
    """A business rule refused the action. Maps to 400 unless another status is given."""

    status_code: int = status.HTTP_400_BAD_REQUEST

    def __init__(
        self,
        code: str,
        message: str,
        fields: Mapping[str, list[str] | str] | None = None,
        status_code: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        # A lazily translated text is one message too, not a list of characters.
        self.fields = {k: [v] if isinstance(v, (str, Promise)) else list(v) for k, v in (fields or {}).items()}
        # Further keys for the error body (e.g. the choices the caller must pick from).
        self.details: dict[str, Any] = {}
        if status_code is not None:
            self.status_code = status_code


class InvalidStateTransition(ApplicationError):
    """The record is not in a state that allows the action (409)."""

    status_code = status.HTTP_409_CONFLICT


class VersionConflict(ApplicationError):
    """The client's version is stale: somebody else saved first (409)."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self, current_version: int | None) -> None:
        super().__init__(
            "version_conflict",
            _("This record has been modified by another user since you opened it."),
            {"version": [_("Stale version; reload the record and try again.")]},
        )
        self.current_version = current_version


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """Turn DRF's nested error detail into {"field" or "field.sub": [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors" and not prefix:
                name = "non_field_errors"
            out.update(_flatten(value, name))
    elif isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            out[prefix or "non_field_errors"] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                out.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def error_body(code: str, message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "errors": errors or {}}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        body = error_body(exc.code, exc.message, exc.fields) | exc.details
        if isinstance(exc, VersionConflict):
            body["current_version"] = exc.current_version
        return Response(body, status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        message = _("The request body is larger than the limit of %(limit)s bytes.") % {"limit": limit}
        return Response(error_body("request_too_large", message), status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("validation_error", _("Please correct the errors below."), _flatten(exc.detail))
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        message = str(detail) if not isinstance(detail, (dict, list)) else _("Request failed.")
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = error_body(str(code), message)
        # DRF sets Throttled.wait in __init__; the stubs do not declare it.
        wait: float | None = getattr(exc, "wait", None) if isinstance(exc, exceptions.Throttled) else None
        if wait is not None:
            body["retry_after"] = int(wait)
            if detail == exceptions.Throttled(wait).detail:
                # The framework translates only the first sentence of its own text: say it all in the language.
                body["message"] = " ".join(
                    (
                        _("Request was throttled."),
                        ngettext(
                            "Expected available in %(wait)s second.",
                            "Expected available in %(wait)s seconds.",
                            int(wait),
                        )
                        % {"wait": int(wait)},
                    )
                )
    else:  # pragma: no cover - DRF only returns responses for APIException
        body = error_body("error", _("Request failed."))
    response.data = body
    return response
