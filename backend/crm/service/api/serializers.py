from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers

from crm.accounts.models import Account, Contact
from crm.records.api import RecordSerializer, ScopedRelatedField
from crm.records.registry import ObjectFields, declare

from ..models import Case

# The case's fields, declared once: the serializer's fields, the /meta/objects field definitions and
# the web form (objects.py) are derived from these.
CASE_FIELDS = ObjectFields(
    Case,
    declare("case_number", label="Case Number", readonly=True),
    declare("subject", form=True),
    declare("status", form=True, required=True),
    declare("priority", form=True),
    declare("origin", form=True, label="Case Origin"),
    declare("account_id", form=True, label="Account Name"),
    declare("contact_id", form=True, label="Contact Name"),
    declare("description", form=True),
    declare("owner_id", label="Case Owner", lookup="user"),
    declare("is_closed", label="Closed", type="boolean", readonly=True),
    declare("closed_at", label="Closed At", readonly=True),
    declare("created_at", label="Opened", readonly=True),
)


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
        fields = CASE_FIELDS.serializer_fields(RecordSerializer.record_fields)

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
