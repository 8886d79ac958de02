"""The automation API: web forms (administrators) and the public form endpoint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.html import escape
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
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
from crm.core.views import OrgScopedViewMixin
from crm.identity.api.views import ClientAddressThrottle
from crm.identity.permissions import IsOrgAdmin, request_user
from crm.records.parsers import JSONBodyParser
from crm.records.query import BIGINT_MAX

from ..models import WebForm, WebhookEndpoint, Workflow, WorkflowRun
from ..services import web_forms, webhooks, workflows
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


@extend_schema_view(
    list=extend_schema(tags=["automation"]),
    retrieve=extend_schema(tags=["automation"]),
    create=extend_schema(tags=["automation"]),
    update=extend_schema(
        tags=["automation"],
        description="Send the changed fields and the `version` you read; a changed definition is a new version.",
    ),
    partial_update=extend_schema(tags=["automation"]),
)
class WorkflowViewSet(SettingViewSet):
    """Workflows (administrators): trigger, conditions and steps on one object, versioned on every change."""

    setting_model = Workflow
    serializer_class = s.WorkflowSerializer

    def filter_rows(self, queryset: Any) -> Any:
        return queryset.select_related("current", "run_as")

    def perform_save(self, data: dict[str, Any], instance: Any | None, version: int | None) -> Any:
        if instance is None:
            return workflows.workflow_create(data=data, actor=self.actor)
        assert version is not None
        return workflows.workflow_update(workflow_id=instance.pk, data=data, expected_version=version, actor=self.actor)

    @extend_schema(tags=["automation"], responses=s.WorkflowVersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def versions(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Every saved definition, newest first."""
        workflow = self.get_object()
        return Response(s.WorkflowVersionSerializer(workflow.versions.order_by("-number")[:200], many=True).data)

    @extend_schema(tags=["automation"], request=s.ManualRunSerializer, responses={201: s.WorkflowRunSerializer})
    @action(detail=True, methods=["post"])
    def run(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Start the workflow on one record now (whatever its trigger, conditions and debounce)."""
        workflow = self.get_object()
        body = s.ManualRunSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = workflows.workflow_run_manually(
            workflow_id=workflow.pk, record_id=body.validated_data["record_id"], actor=request_user(request)
        )
        return Response(s.WorkflowRunSerializer(run).data, status=status.HTTP_201_CREATED)


def _int_param(request: Request, name: str) -> int | None:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    if not raw.isdigit() or int(raw) > BIGINT_MAX:
        raise serializers.ValidationError({name: [_("Give a whole number.")]})
    return int(raw)


@extend_schema_view(
    list=extend_schema(
        tags=["automation"],
        parameters=[
            OpenApiParameter("workflow", OpenApiTypes.INT, required=False),
            OpenApiParameter("object", OpenApiTypes.STR, required=False),
            OpenApiParameter("record_id", OpenApiTypes.INT, required=False),
            OpenApiParameter("status", OpenApiTypes.STR, enum=WorkflowRun.Status.values, required=False),
        ],
    ),
    retrieve=extend_schema(tags=["automation"], responses=s.WorkflowRunDetailSerializer),
)
class WorkflowRunViewSet(
    OrgScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[Any]
):
    """Run history (administrators): per workflow or per record, each step with its input, result and error."""

    permission_classes = [IsOrgAdmin]
    serializer_class = s.WorkflowRunSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet[WorkflowRun]:
        if getattr(self, "swagger_fake_view", False):
            return WorkflowRun.all_orgs.none()
        queryset = WorkflowRun.objects.select_related("workflow", "workflow_version").order_by("-created_at", "-id")
        if self.action == "retrieve":
            return queryset.prefetch_related("step_runs")
        if self.action != "list":
            return queryset
        workflow = _int_param(self.request, "workflow")
        record_id = _int_param(self.request, "record_id")
        object_name = self.request.query_params.get("object") or None
        state = self.request.query_params.get("status") or None
        if state is not None and state not in WorkflowRun.Status.values:
            raise serializers.ValidationError(
                {"status": [_("Pick one of: %(choices)s.") % {"choices": ", ".join(WorkflowRun.Status.values)}]}
            )
        if workflow is not None:
            queryset = queryset.filter(workflow_id=workflow)
        if record_id is not None:
            queryset = queryset.filter(record_id=record_id)
        if object_name is not None:
            queryset = queryset.filter(object_name=object_name[:40])
        if state is not None:
            queryset = queryset.filter(status=state)
        return queryset

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return Response(s.WorkflowRunDetailSerializer(self.get_object()).data)

    @extend_schema(tags=["automation"], request=s.RunRetrySerializer, responses=s.WorkflowRunSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Run a failed run again from the step that failed (409 unless it failed or when the version is stale)."""
        run = self.get_object()
        body = s.RunRetrySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        retried = workflows.run_retry(run_id=run.pk, expected_version=body.validated_data["version"])
        return Response(s.WorkflowRunSerializer(retried).data)

    @extend_schema(tags=["automation"], request=s.RunReplaySerializer, responses={201: s.WorkflowRunSerializer})
    @action(detail=True, methods=["post"])
    def replay(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """A new run of the same version on the same record, from the given step."""
        run = self.get_object()
        body = s.RunReplaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        replayed = workflows.run_replay(run_id=run.pk, from_step=body.validated_data["from_step"])
        return Response(s.WorkflowRunSerializer(replayed).data, status=status.HTTP_201_CREATED)


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
