"""OpenAPI generation: every operation documents the error answers it can give, in one shape."""

from __future__ import annotations

from typing import Any, Literal

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text="Machine-readable error code, e.g. validation_error.")
    message = serializers.CharField(help_text="A sentence for the user.")
    # A declared field: the serializer metaclass takes it off the class, so Serializer.errors stays.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Per-field messages: {field: [message, ...]}.",
    )


class RecordAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Literal["request", "response"] = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        view = self.view
        public = any(getattr(p, "__name__", "") == "AllowAny" for p in view.permission_classes)
        codes: dict[str, str] = {}
        if self.method in ("POST", "PUT", "PATCH"):
            codes["400"] = (
                "Validation error, with per-field messages (or invalid_json, too_deep: a body that is not JSON or nests too deeply)."
            )
        if not public:
            codes["401"] = "Not signed in, or the token expired or was revoked."
            codes["403"] = "Signed in, but your role does not allow this."
        if "{id}" in self.path or "{" in self.path:
            codes["404"] = "No such record in your organization."
        if self.method in ("PUT", "PATCH") or (self.method == "POST" and "{" in self.path):
            codes["409"] = "Stale version or a state that does not allow the action."
        if getattr(view, "throttle_classes", None):
            codes["429"] = "Too many attempts; retry later."
        for code, description in codes.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)  # type: ignore[no-untyped-call]
                response["description"] = description
                responses[code] = response
        return responses

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if not operation:
            return operation
        # Query parameters are validated (bad filter values answer 400) and pages can run out (404).
        query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
        extra = {}
        if query:
            extra["400"] = "Invalid query parameter, with per-parameter messages."
        if "page" in query and self.method == "GET":
            extra["404"] = "No such page."
        responses = operation.setdefault("responses", {})
        for code, description in extra.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction="response")  # type: ignore[no-untyped-call]
                response["description"] = description
                responses[code] = response
        return operation


def strip_trailing_slashes(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Every path answers with and without a slash; document the seed's form, without it."""
    result["paths"] = {(path.rstrip("/") or "/"): item for path, item in result["paths"].items()}
    return result


def record_tags(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Record list rows and detail answers carry the record's ``tags`` (added by the record viewset)."""
    from .api import record_answer_components

    schemas = result.get("components", {}).get("schemas", {})
    if "TagRef" not in schemas:
        return result
    for name in record_answer_components():
        component = schemas.get(name)
        if component is not None and "properties" in component:
            component["properties"]["tags"] = {
                "type": "array",
                "items": {"$ref": "#/components/schemas/TagRef"},
                "readOnly": True,
                "description": "The record's tags, by name.",
            }
    return result
