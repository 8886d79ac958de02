from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers

from crm.accounts.models import Account, Contact
from crm.records.api import RecordSerializer, ScopedRelatedField

from ..models import Case

# The fields a user edits, declared once: the API's writable fields and the form of the web UI
# (objects.py), in the order the form shows them.
CASE_FORM = ("subject", "status", "priority", "origin", "account_id", "contact_id", "description")
CASE_FIELDS = ["case_number", *CASE_FORM, "account_name", "contact_name", "is_closed", "closed_at"]


class CaseSerializer(RecordSerializer):
    case_number = serializers.CharField(read_only=True)
    account_id = ScopedRelatedField(
        Account, source="account", required=False, allow_null=True, help_text="Filled from the contact when omitted."
    )
    account_name = serializers.CharField(source="account.name", read_only=True, default=None, allow_null=True)
    contact_id = ScopedRelatedField(
        Contact, source="contact", required=False, allow_null=True, help_text="Must belong to the account."
    )
    contact_name = serializers.SerializerMethodField()
    is_closed = serializers.BooleanField(read_only=True)
    closed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Case
        fields = [*RecordSerializer.record_fields, *CASE_FIELDS]

    # The same values from columns, for the list's fast read path (crm/records/rows.py).
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "contact_name": (
            ("contact_id", "contact__first_name", "contact__last_name"),
            lambda pk, first, last: f"{first} {last}".strip() if pk else None,
        ),
        "is_closed": (("status",), lambda status: status == Case.Status.CLOSED),
    }

    def get_contact_name(self, obj: Case) -> str | None:
        return str(obj.contact) if obj.contact_id else None


class CaseRowSerializer(serializers.ModelSerializer):
    """One case in the related list of an account or a contact."""

    account_id = serializers.IntegerField(read_only=True, allow_null=True)
    contact_id = serializers.IntegerField(read_only=True, allow_null=True)
    contact_name = serializers.SerializerMethodField()
    owner_id = serializers.IntegerField(read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = Case
        fields = [
            "id",
            "case_number",
            "subject",
            "status",
            "priority",
            "origin",
            "account_id",
            "contact_id",
            "contact_name",
            "owner_id",
            "owner_name",
            "is_active",
            "closed_at",
            "created_at",
        ]

    def get_contact_name(self, obj: Case) -> str | None:
        return str(obj.contact) if obj.contact_id else None
