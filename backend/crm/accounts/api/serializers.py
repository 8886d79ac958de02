from __future__ import annotations

from typing import Any, ClassVar

from rest_framework import serializers

from crm.records.api import RecordSerializer, ScopedRelatedField
from crm.records.fields import WebAddressField
from crm.records.registry import ObjectFields, declare

from ..models import Account, Contact

# Each object's fields, declared once: the serializers' fields, the /meta/objects field definitions
# and the web form (objects.py) are derived from these.
ACCOUNT_FIELDS = ObjectFields(
    Account,
    declare("name", form=True, label="Account Name"),
    declare("phone", form=True, type="phone"),
    declare("website", form=True, type="url"),
    declare("type", form=True),
    declare("parent_account_id", form=True, label="Parent Account"),
    declare("billing_address", form=True, label="Billing Address"),
    declare("shipping_address", form=True, label="Shipping Address"),
    declare("description", form=True),
    declare("owner_id", label="Account Owner", lookup="user"),
)
CONTACT_FIELDS = ObjectFields(
    Contact,
    declare("name", meta=False),
    declare("first_name", form=True, label="First Name"),
    declare("last_name", form=True, label="Last Name"),
    declare("account_id", form=True, label="Account Name"),
    declare("title", form=True),
    declare("email", form=True),
    declare("phone", form=True, type="phone"),
    declare("reports_to_id", form=True, label="Reports To"),
    declare("description", form=True),
    declare("owner_id", label="Contact Owner", lookup="user"),
)


class AccountSerializer(RecordSerializer):
    website = WebAddressField()
    parent_account_id = ScopedRelatedField(Account, source="parent_account", required=False, allow_null=True)
    parent_account_name = serializers.CharField(
        source="parent_account.name", read_only=True, default=None, allow_null=True
    )

    class Meta:
        model = Account
        fields = ACCOUNT_FIELDS.serializer_fields(RecordSerializer.record_fields)


class ContactSerializer(RecordSerializer):
    account_id = ScopedRelatedField(Account, source="account")
    account_name = serializers.CharField(source="account.name", read_only=True)
    reports_to_id = ScopedRelatedField(Contact, source="reports_to", required=False, allow_null=True)
    reports_to_name = serializers.SerializerMethodField()
    name = serializers.SerializerMethodField()

    class Meta:
        model = Contact
        fields = CONTACT_FIELDS.serializer_fields(RecordSerializer.record_fields)

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
