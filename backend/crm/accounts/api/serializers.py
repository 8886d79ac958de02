from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers

from crm.records.api import RecordSerializer, ScopedRelatedField
from crm.records.fields import WebAddressField

from ..models import Account, Contact

# The fields a user edits, declared once: the API's writable fields and the form of the web UI
# (objects.py), in the order the form shows them.
ACCOUNT_FORM = (
    "name",
    "phone",
    "website",
    "type",
    "parent_account_id",
    "billing_address",
    "shipping_address",
    "description",
)
ACCOUNT_FIELDS = [*ACCOUNT_FORM, "parent_account_name"]
CONTACT_FORM = ("first_name", "last_name", "account_id", "title", "email", "phone", "reports_to_id", "description")


class AccountSerializer(RecordSerializer):
    website = WebAddressField()
    parent_account_id = ScopedRelatedField(Account, source="parent_account", required=False, allow_null=True)
    parent_account_name = serializers.CharField(
        source="parent_account.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Account
        fields = [*RecordSerializer.record_fields, *ACCOUNT_FIELDS]


class ContactSerializer(RecordSerializer):
    account_id = ScopedRelatedField(Account, source="account")
    account_name = serializers.CharField(source="account.name", read_only=True)
    reports_to_id = ScopedRelatedField(Contact, source="reports_to", required=False, allow_null=True)
    reports_to_name = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = [*RecordSerializer.record_fields, "name", *CONTACT_FORM, "account_name", "reports_to_name"]

    # The same values from columns, for the list's fast read path (crm/records/rows.py).
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "name": (("first_name", "last_name"), lambda first, last: f"{first} {last}".strip()),
        "reports_to_name": (
            ("reports_to_id", "reports_to__first_name", "reports_to__last_name"),
            lambda pk, first, last: f"{first} {last}".strip() if pk else None,
        ),
    }

    def get_name(self, obj: Contact) -> str:
        return str(obj)

    def get_reports_to_name(self, obj: Contact) -> str | None:
        return str(obj.reports_to) if obj.reports_to_id else None


class AccountContactSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = ["id", "name", "first_name", "last_name", "title", "email", "phone", "is_active"]

    def get_name(self, obj: Contact) -> str:
        return str(obj)


class AccountDetailSerializer(AccountSerializer):
    contacts = serializers.SerializerMethodField()

    class Meta(AccountSerializer.Meta):
        fields = [*AccountSerializer.Meta.fields, "contacts"]

    def get_contacts(self, obj: Account) -> list[dict[str, Any]]:
        rows = getattr(obj, "active_contacts", None)
        if rows is None:
            rows = Contact.objects.filter(account=obj, is_active=True).order_by("last_name", "first_name", "id")
        return AccountContactSerializer(rows, many=True).data


ContactDetailSerializer = ContactSerializer
