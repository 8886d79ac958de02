"""The automation API: web forms (administrators) and the public form endpoint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import escape
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.negotiation import BaseContentNegotiation, DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from crm.core.errors import ApplicationError
from crm.core.scoping import org_scope
from crm.core.security import client_ip
from crm.identity.api.views import ClientAddressThrottle
from crm.records.parsers import JSONBodyParser

from ..models import WebForm, WebhookEndpoint
from ..services import web_forms, webhooks
from . import serializers as s
from .base import SettingViewSet


@extend_schema_view(
    list=extend_schema(tags=["automation"]),
    retrieve=extend_schema(tags=["automation"]),
    create=extend_schema(tags=["automation"]),
    update=extend_schema(tags=["automation"], description="Send the changed fields and the `version` you read."),
    partial_update=extend_schema(tags=["automation"]),
)
class WebFormViewSet(SettingViewSet):
    """Web-to-lead forms of the organization (administrators): fields, lead source, thank-you page, snippet."""

    setting_model = WebForm
    serializer_class = s.WebFormSerializer

    def filter_rows(self, queryset: Any) -> Any:
        return queryset.select_related("lead_owner")

    def perform_save(self, data: dict[str, Any], instance: Any | None, version: int | None) -> Any:
        if instance is None:
            return web_forms.web_form_create(data=data, actor=self.actor)
        assert version is not None
        return web_forms.web_form_update(form_id=instance.pk, data=data, expected_version=version, actor=self.actor)


@extend_schema_view(
    list=extend_schema(tags=["automation"]),
    retrieve=extend_schema(tags=["automation"]),
    create=extend_schema(tags=["automation"]),
    update=extend_schema(tags=["automation"], description="Send the changed fields and the `version` you read."),
    partial_update=extend_schema(tags=["automation"]),
)
class WebhookViewSet(SettingViewSet):
    """Outbound webhooks (administrators): URL, subscribed event types, signing secret, state."""

    setting_model = WebhookEndpoint
    serializer_class = s.WebhookSerializer

    def perform_save(self, data: dict[str, Any], instance: Any | None, version: int | None) -> Any:
        if instance is None:
            return webhooks.webhook_create(data=data, actor=self.actor)
        assert version is not None
        return webhooks.webhook_update(endpoint_id=instance.pk, data=data, expected_version=version, actor=self.actor)

    @extend_schema(tags=["automation"], responses=s.WebhookDeliverySerializer(many=True))
    @action(detail=True, methods=["get"])
    def deliveries(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The endpoint's delivery log, newest first (each attempt with its status code or error)."""
        endpoint = self.get_object()
        page = self.paginate_queryset(endpoint.deliveries.order_by("-created_at", "-id"))
        return self.get_paginated_response(s.WebhookDeliverySerializer(page, many=True).data)


class WebFormThrottle(ClientAddressThrottle):
    """Submissions per client address and form."""

    scope = "web_form"

    def get_rate(self) -> str:
        return str(settings.WEB_FORM_RATE)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{view.kwargs.get('key')}"}


def _is_browser_post(request: Request) -> bool:
    content_type = request.content_type or ""
    accept = request.META.get("HTTP_ACCEPT", "")
    form_encoded = content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data"))
    return form_encoded and "application/json" not in accept


def _page(title: str, body: str, code: int) -> HttpResponse:
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">'
        f'<title>{escape(title)}</title></head><body style="font-family:sans-serif;max-width:40rem;margin:3rem auto">'
        f"<h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HttpResponse(html, status=code, content_type="text/html; charset=utf-8")


class AnyAcceptNegotiation(BaseContentNegotiation):
    """A browser asks for HTML, a script for JSON: the view decides, the Accept header never refuses (406)."""

    def select_parser(self, request: Request, parsers: Any) -> Any:
        return DefaultContentNegotiation().select_parser(request, parsers)

    def select_renderer(self, request: Request, renderers: Any, format_suffix: str | None = None) -> Any:
        return (renderers[0], renderers[0].media_type)


class PublicFormView(APIView):
    """``POST /forms/<key>``: a visitor's submission of a web-to-lead form, from any site.

    No session and no cookies are involved (the form's key is the only credential), so a cross-site
    post cannot ride anybody's sign-in: CSRF does not apply, and CORS allows any origin.
    """

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]
    parser_classes = [FormParser, MultiPartParser, JSONBodyParser]
    throttle_classes = [WebFormThrottle]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = AnyAcceptNegotiation
    http_method_names = ["post", "options"]

    @extend_schema(
        tags=["automation"],
        request={"application/x-www-form-urlencoded": dict, "application/json": dict},
        responses={
            201: s.WebFormSubmittedSerializer,
            303: OpenApiResponse(description="A browser post: redirect to the form's thank-you page."),
            400: OpenApiResponse(description="Bad input or spam (the honeypot was filled in)."),
            404: OpenApiResponse(description="No active form has this key."),
            413: OpenApiResponse(description="The submission is larger than the limit."),
            429: OpenApiResponse(description="Too many submissions from this client."),
        },
    )
    def post(self, request: Request, key: str) -> Any:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > settings.WEB_FORM_MAX_BYTES:
            raise ApplicationError(
                "request_too_large",
                _("The submission is larger than the limit of %(limit)s bytes.")
                % {"limit": settings.WEB_FORM_MAX_BYTES},
                status_code=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        form = web_forms.web_form_get_public(key=key)
        if form is None:
            raise ApplicationError("not_found", _("This form does not exist or is no longer active."), status_code=404)
        data = request.data
        if not hasattr(data, "get"):
            raise ApplicationError("invalid_submission", _("Send the form's fields as form fields or a JSON object."))
        with org_scope(form.organization_id):
            lead = web_forms.web_form_submit(form_id=form.pk, data=dict(data.items()), client=client_ip(request))
        if _is_browser_post(request):
            if form.thank_you_url:
                return HttpResponseRedirect(form.thank_you_url, status=status.HTTP_303_SEE_OTHER)
            received = _("We have received your details.")
            return _page(_("Thank you"), f"<p>{escape(received)}</p>", 200)
        return Response({"status": "received", "lead_id": lead.pk}, status=status.HTTP_201_CREATED)

    def options(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        response["Access-Control-Max-Age"] = "86400"
        return response

    def handle_exception(self, exc: Exception) -> Any:
        response = super().handle_exception(exc)
        if _is_browser_post(self.request) and isinstance(getattr(response, "data", None), dict):
            data = response.data
            items = [escape(data.get("message", ""))]
            for field, messages in (data.get("errors") or {}).items():
                items.extend(f"{escape(field)}: {escape(message)}" for message in messages)
            body = "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
            back = _("Back to the form")
            body += f'<p><a href="javascript:history.back()">{escape(back)}</a></p>'
            return _page(_("The form could not be sent"), body, response.status_code)
        return response

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response
