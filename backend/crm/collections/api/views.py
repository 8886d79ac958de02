"""Payment reminder endpoints: levels and settings (administrators write), the reminders sent, and
the actions on an invoice (send now, pause, resume) and an account (no reminders)."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from crm.accounts.models import Account
from crm.core.errors import ApplicationError
from crm.core.views import OrgScopedViewMixin, ScopedAPIView
from crm.identity.permissions import AdminWriteOrReadOnly, IsOrgAdmin, request_user
from crm.invoicing.models import Invoice
from crm.records.api import check_record_writable
from crm.records.listing.pagination import RecordPagination

from ..models import AccountNoReminders, BankMatch, BankStatement, BankTransaction, Reminder, ReminderLevel
from ..parsers import MAX_BYTES
from ..services import reminders as services
from ..services import statements
from . import serializers as s


def _version_required() -> ApplicationError:
    return ApplicationError(
        "validation_error", _("Please correct the errors below."), {"version": [_("This field is required.")]}
    )


class ReminderLevelListView(ScopedAPIView):
    permission_classes = [AdminWriteOrReadOnly]

    @extend_schema(tags=["reminders"], responses=s.ReminderLevelSerializer(many=True))
    def get(self, request: Request) -> Response:
        """The organization's reminder levels, by days after the due date."""
        return Response(
            s.ReminderLevelSerializer(ReminderLevel.objects.order_by("days_after_due", "id"), many=True).data
        )

    @extend_schema(tags=["reminders"], request=s.ReminderLevelSerializer, responses={201: s.ReminderLevelSerializer})
    def post(self, request: Request) -> Response:
        """Add a level (administrators)."""
        body = s.ReminderLevelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = {key: value for key, value in body.validated_data.items() if key != "version"}
        level = services.reminder_level_create(data=data, actor=request_user(request))
        return Response(s.ReminderLevelSerializer(level).data, status=status.HTTP_201_CREATED)


class ReminderLevelDetailView(ScopedAPIView):
    permission_classes = [AdminWriteOrReadOnly]

    @extend_schema(tags=["reminders"], responses=s.ReminderLevelSerializer)
    def get(self, request: Request, pk: str) -> Response:
        return Response(s.ReminderLevelSerializer(get_object_or_404(ReminderLevel.objects.all(), pk=pk)).data)

    @extend_schema(tags=["reminders"], request=s.ReminderLevelSerializer, responses=s.ReminderLevelSerializer)
    def patch(self, request: Request, pk: str) -> Response:
        """Change a level; send its ``version`` (409 when someone changed it meanwhile)."""
        level = get_object_or_404(ReminderLevel.objects.all(), pk=pk)
        body = s.ReminderLevelSerializer(level, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "version" not in data:
            raise _version_required()
        version = data.pop("version")
        saved = services.reminder_level_update(
            level_id=level.pk, data=data, expected_version=version, actor=request_user(request)
        )
        return Response(s.ReminderLevelSerializer(saved).data)

    @extend_schema(tags=["reminders"], request=s.ReminderLevelSerializer, responses=s.ReminderLevelSerializer)
    def put(self, request: Request, pk: str) -> Response:
        return self.patch(request, pk)

    @extend_schema(tags=["reminders"], parameters=[s.VersionSerializer], responses={204: None})
    def delete(self, request: Request, pk: str) -> Response:
        """Remove a level no reminder was sent with (``?version=``)."""
        level = get_object_or_404(ReminderLevel.objects.all(), pk=pk)
        query = s.VersionSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        services.reminder_level_delete(
            level_id=level.pk, expected_version=query.validated_data["version"], actor=request_user(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReminderListView(OrgScopedViewMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """Reminders sent, newest first, of the invoices the caller may read; filter by invoice, account or level."""

    serializer_class = s.ReminderSerializer
    pagination_class = RecordPagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Reminder]:
        if getattr(self, "swagger_fake_view", False):
            return Reminder.all_orgs.none()
        query = s.ReminderFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        rows = (
            Reminder.objects.filter(invoice_id__in=Invoice.objects.values("pk"))
            .select_related("invoice", "account", "level", "created_by")
            .prefetch_related("charges")
            .order_by("-created_at", "-id")
        )
        for name in ("invoice_id", "account_id", "level_id"):
            if name in query.validated_data:
                rows = rows.filter(**{name: query.validated_data[name]})
        return rows

    @extend_schema(tags=["reminders"], parameters=[s.ReminderFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ReminderPdfView(ScopedAPIView):
    @extend_schema(tags=["reminders"], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, pk: str) -> HttpResponse:
        """The PDF of a reminder sent before (inline; ``?download`` as an attachment)."""
        reminder = get_object_or_404(
            Reminder.objects.filter(invoice_id__in=Invoice.objects.values("pk")).select_related("level", "invoice"),
            pk=pk,
        )
        response = HttpResponse(services.reminder_pdf(reminder=reminder), content_type="application/pdf")
        disposition = "attachment" if "download" in request.query_params else "inline"
        name = f"{reminder.invoice.number}-reminder-{reminder.level.days_after_due}.pdf"
        response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        response["Cache-Control"] = "private, no-store"
        return response


def _invoice(request: Request, pk: str, *, write: bool) -> Invoice:
    invoice = get_object_or_404(Invoice.objects.select_related("account", "contact"), pk=pk)
    if write:
        check_record_writable(invoice)
    return invoice


class InvoiceSendReminderView(ScopedAPIView):
    @extend_schema(tags=["reminders"], request=s.SendReminderSerializer, responses={201: s.ReminderSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Send a reminder now: the given level, or the next one not sent yet."""
        invoice = _invoice(request, pk, write=True)
        body = s.SendReminderSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reminder = services.reminder_send_now(
            invoice=invoice, level_id=body.validated_data.get("level_id"), actor=request_user(request)
        )
        reminder = (
            Reminder.objects.select_related("invoice", "account", "level", "created_by")
            .prefetch_related("charges")
            .get(pk=reminder.pk)
        )
        return Response(s.ReminderSerializer(reminder).data, status=status.HTTP_201_CREATED)


class InvoiceReminderStatusView(ScopedAPIView):
    @extend_schema(tags=["reminders"], responses=s.ReminderStatusSerializer)
    def get(self, request: Request, pk: str) -> Response:
        """Whether reminders are paused for the invoice, the account's flag and the next level."""
        return Response(services.reminder_state(invoice=_invoice(request, pk, write=False)))


class InvoicePauseRemindersView(ScopedAPIView):
    @extend_schema(tags=["reminders"], request=s.PauseSerializer, responses=s.ReminderStatusSerializer)
    def post(self, request: Request, pk: str) -> Response:
        """Pause reminders for the invoice (a dispute, a payment plan) until resumed."""
        invoice = _invoice(request, pk, write=True)
        body = s.PauseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.invoice_reminders_pause(
            invoice=invoice, reason=body.validated_data.get("reason", ""), actor=request_user(request)
        )
        return Response(services.reminder_state(invoice=invoice))


class InvoiceResumeRemindersView(ScopedAPIView):
    @extend_schema(tags=["reminders"], request=None, responses=s.ReminderStatusSerializer)
    def post(self, request: Request, pk: str) -> Response:
        """Send the invoice's reminders again when due."""
        invoice = _invoice(request, pk, write=True)
        services.invoice_reminders_resume(invoice=invoice, actor=request_user(request))
        return Response(services.reminder_state(invoice=invoice))


class AccountNoRemindersView(ScopedAPIView):
    @extend_schema(tags=["reminders"], responses=s.NoRemindersSerializer)
    def get(self, request: Request, pk: str) -> Response:
        """Whether the account's invoices are never reminded."""
        account = get_object_or_404(Account.objects.all(), pk=pk)
        return Response({"no_reminders": AccountNoReminders.objects.filter(account=account).exists()})

    @extend_schema(tags=["reminders"], request=s.NoRemindersSerializer, responses=s.NoRemindersSerializer)
    def put(self, request: Request, pk: str) -> Response:
        """Turn "no reminders" on or off for the account."""
        account = get_object_or_404(Account.objects.all(), pk=pk)
        check_record_writable(account)
        body = s.NoRemindersSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        value = body.validated_data["no_reminders"]
        services.account_no_reminders_set(account=account, no_reminders=value, actor=request_user(request))
        return Response({"no_reminders": value})


class CollectionSettingsView(ScopedAPIView):
    permission_classes = [AdminWriteOrReadOnly]

    @extend_schema(tags=["reminders"], responses=s.CollectionSettingsSerializer)
    def get(self, request: Request) -> Response:
        """The reference rate of statutory late interest and the bank matching threshold."""
        return Response(s.CollectionSettingsSerializer(services.collection_settings_get()).data)

    @extend_schema(tags=["reminders"], request=s.CollectionSettingsSerializer, responses=s.CollectionSettingsSerializer)
    def patch(self, request: Request) -> Response:
        body = s.CollectionSettingsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data: dict[str, Any] = dict(body.validated_data)
        if "version" not in data:
            raise _version_required()
        version = data.pop("version")
        saved = services.collection_settings_update(data=data, expected_version=version, actor=request_user(request))
        return Response(s.CollectionSettingsSerializer(saved).data)


# --- bank statements ---------------------------------------------------------------------------------
class BankStatementListView(OrgScopedViewMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """Bank statements imported, newest first (administrators)."""

    serializer_class = s.BankStatementSerializer
    pagination_class = RecordPagination
    filter_backends: list[Any] = []
    permission_classes = [IsOrgAdmin]
    parser_classes = [MultiPartParser]

    def get_queryset(self) -> QuerySet[BankStatement]:
        if getattr(self, "swagger_fake_view", False):
            return BankStatement.all_orgs.none()
        return BankStatement.objects.order_by("-created_at", "-id")

    @extend_schema(tags=["bank"])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["bank"],
        request={"multipart/form-data": s.BankStatementUploadSerializer},
        responses={201: s.BankStatementSerializer, 202: s.BankStatementSerializer},
    )
    def post(self, request: Request) -> Response:
        """Upload a CAMT.053, MT940 or CSV statement (field ``file``). A small statement is matched at once
        (201); a large one in a job (202: follow ``processed``/``total`` on ``GET /bank-statements/{id}``)."""
        body = s.BankStatementUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["file"]
        if upload.size > MAX_BYTES:
            raise ApplicationError(
                "validation_error",
                _("Please correct the errors below."),
                {"file": [_("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}]},
            )
        statement = statements.statement_import(
            data=upload.read(),
            filename=upload.name or "statement",
            fmt=body.validated_data.get("format", "auto"),
            mapping=body.validated_data.get("mapping"),
            actor=request_user(request),
        )
        code = status.HTTP_201_CREATED if statement.status == BankStatement.Status.DONE else status.HTTP_202_ACCEPTED
        return Response(s.BankStatementSerializer(statement).data, status=code)


class BankStatementDetailView(ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["bank"], responses=s.BankStatementSerializer)
    def get(self, request: Request, pk: str) -> Response:
        """The statement with the progress of its matching."""
        return Response(s.BankStatementSerializer(get_object_or_404(BankStatement.objects.all(), pk=pk)).data)


def _transactions() -> QuerySet[BankTransaction]:
    return BankTransaction.objects.prefetch_related(
        Prefetch("matches", queryset=BankMatch.all_orgs.select_related("invoice").order_by("id"))
    )


class BankTransactionListView(OrgScopedViewMixin, generics.ListAPIView):  # type: ignore[type-arg]
    """Bank transactions; ``?status=unmatched`` is the review queue, with suggestions (administrators)."""

    serializer_class = s.BankTransactionSerializer
    pagination_class = RecordPagination
    filter_backends: list[Any] = []
    permission_classes = [IsOrgAdmin]

    def get_queryset(self) -> QuerySet[BankTransaction]:
        if getattr(self, "swagger_fake_view", False):
            return BankTransaction.all_orgs.none()
        query = s.BankTransactionFilterSerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        rows = _transactions().order_by("-booking_date", "-id")
        if "status" in query.validated_data:
            rows = rows.filter(status=query.validated_data["status"].capitalize())
        if "statement_id" in query.validated_data:
            rows = rows.filter(statement_id=query.validated_data["statement_id"])
        return rows

    @extend_schema(tags=["bank"], parameters=[s.BankTransactionFilterSerializer])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class BankTransactionDetailView(ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["bank"], responses=s.BankTransactionSerializer)
    def get(self, request: Request, pk: str) -> Response:
        return Response(s.BankTransactionSerializer(get_object_or_404(_transactions(), pk=pk)).data)


class BankTransactionMatchView(ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["bank"], request=s.BankMatchRequestSerializer, responses={201: s.BankTransactionSerializer})
    def post(self, request: Request, pk: str) -> Response:
        """Apply the transaction to one invoice (accept a suggestion) or split it over several."""
        tx = get_object_or_404(BankTransaction.objects.all(), pk=pk)
        body = s.BankMatchRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statements.bank_transaction_match(
            transaction_id=tx.pk,
            allocations=[dict(row) for row in body.validated_data["allocations"]],
            expected_version=body.validated_data["version"],
            actor=request_user(request),
        )
        return Response(s.BankTransactionSerializer(_transactions().get(pk=tx.pk)).data, status=status.HTTP_201_CREATED)


class BankTransactionRejectView(ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["bank"], request=s.VersionSerializer, responses=s.BankTransactionSerializer)
    def post(self, request: Request, pk: str) -> Response:
        """Not an invoice payment: out of the review queue."""
        tx = get_object_or_404(BankTransaction.objects.all(), pk=pk)
        body = s.VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statements.bank_transaction_reject(
            transaction_id=tx.pk, expected_version=body.validated_data["version"], actor=request_user(request)
        )
        return Response(s.BankTransactionSerializer(_transactions().get(pk=tx.pk)).data)


class BankTransactionUndoView(ScopedAPIView):
    permission_classes = [IsOrgAdmin]

    @extend_schema(tags=["bank"], request=s.VersionSerializer, responses=s.BankTransactionSerializer)
    def post(self, request: Request, pk: str) -> Response:
        """Undo a match (its payments are voided) or a rejection: the transaction is back in the queue."""
        tx = get_object_or_404(BankTransaction.objects.all(), pk=pk)
        body = s.VersionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        statements.bank_transaction_undo(
            transaction_id=tx.pk, expected_version=body.validated_data["version"], actor=request_user(request)
        )
        return Response(s.BankTransactionSerializer(_transactions().get(pk=tx.pk)).data)
