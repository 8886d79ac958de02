from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from crm.accounts.models import Account, Contact
from crm.records.api import RecordSerializer, ScopedRelatedField
from crm.records.fields import BoundedDateField, WebAddressField
from crm.records.query import UserRefParam
from crm.records.registry import ObjectFields, declare

from ..models import Lead, Opportunity, OpportunityContactRole, OpportunityLineItem, Product
from ..services.stages import stage_get_active

MONEY = {"max_digits": 14, "decimal_places": 2}

# --- leads -----------------------------------------------------------------------------------


# Each object's fields, declared once: the serializers' fields, the /meta/objects field definitions
# and the web form (objects.py) are derived from these.
LEAD_FIELDS = ObjectFields(
    Lead,
    declare("name", meta=False),
    declare("first_name", form=True, label="First Name"),
    declare("last_name", form=True, label="Last Name"),
    declare("company", form=True),
    declare("title", form=True),
    declare("email", form=True),
    declare("phone", form=True, type="phone"),
    declare("website", form=True, type="url"),
    declare("address", form=True),
    declare("status", form=True, required=True),
    declare("lead_source", form=True, label="Lead Source"),
    declare("industry", form=True),
    declare("description", form=True),
    declare("campaign_id", form=True, label="Primary Campaign Source"),
    declare("owner_id", label="Lead Owner", lookup="user"),
    declare("converted_at", label="Converted At", readonly=True),
    declare("converted_account_id", label="Converted Account", readonly=True),
    declare("converted_contact_id", label="Converted Contact", readonly=True),
    declare("converted_opportunity_id", label="Converted Opportunity", readonly=True),
)
PRODUCT_FIELDS = ObjectFields(
    Product,
    declare("name", form=True, label="Product Name"),
    declare("product_code", form=True, label="Product Code"),
    declare("standard_list_price", form=True, label="Standard List Price"),
    declare("is_retainer_product", form=True, label="Retainer Product"),
    declare("description", form=True),
    declare("is_active", label="Active"),
)
OPPORTUNITY_FIELDS = ObjectFields(
    Opportunity,
    declare("name", form=True, label="Opportunity Name"),
    declare("account_id", form=True, label="Account Name"),
    declare("stage", form=True, type="picklist", required=True, max_length=None, help_text="Loaded from stages_path."),
    declare("amount", label="Amount", readonly=True, help_text="Sum of the line items."),
    declare("calculated_amount", meta=False),  # seed 003 §1.7's name for `amount`
    declare("probability", label="Probability (%)", type="percent", readonly=True),
    declare("close_date", form=True, label="Close Date"),
    declare("lead_source", form=True, label="Lead Source"),
    declare("next_step", form=True, label="Next Step"),
    declare("campaign_id", form=True, label="Primary Campaign Source"),
    declare("description", form=True),
    declare("owner_id", label="Opportunity Owner", lookup="user"),
)


class LeadSerializer(RecordSerializer):
    name = serializers.SerializerMethodField()
    website = WebAddressField()
    status = serializers.ChoiceField(choices=Lead.Status.choices)
    converted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    converted_account_id = serializers.IntegerField(read_only=True, allow_null=True)
    converted_contact_id = serializers.IntegerField(read_only=True, allow_null=True)
    converted_opportunity_id = serializers.IntegerField(read_only=True, allow_null=True)
    campaign_id = ScopedRelatedField("marketing.Campaign", source="campaign", required=False, allow_null=True)

    class Meta:
        model = Lead
        fields = LEAD_FIELDS.serializer_fields(RecordSerializer.record_fields, displays=False)

    # The same value from columns, for the list's fast read path (crm/records/rows.py).
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "name": (("first_name", "last_name"), lambda first, last: f"{first} {last}".strip()),
    }

    def get_name(self, obj: Lead) -> str:
        return str(obj)

    def validate_status(self, value: str) -> str:
        if value == Lead.Status.CONVERTED:
            raise serializers.ValidationError(_("Use the Convert action to convert a lead."))
        return value


class LeadDetailSerializer(LeadSerializer):
    converted_account_name = serializers.CharField(
        source="converted_account.name", read_only=True, default=None, allow_null=True
    )
    converted_contact_name = serializers.SerializerMethodField()
    converted_opportunity_name = serializers.CharField(
        source="converted_opportunity.name", read_only=True, default=None, allow_null=True
    )
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, default=None, allow_null=True)

    class Meta(LeadSerializer.Meta):
        fields = LEAD_FIELDS.serializer_fields(RecordSerializer.record_fields)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_converted_contact_name(self, obj: Lead) -> str | None:
        return str(obj.converted_contact) if obj.converted_contact_id else None


@extend_schema_field(OpenApiTypes.INT)
class AccountIdField(ScopedRelatedField):
    """An account id of the caller's organization (documented as an integer)."""


class LeadConvertSerializer(serializers.Serializer):
    opportunity_name = serializers.CharField(
        max_length=255,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required unless create_opportunity is false.",
    )
    account_id = AccountIdField(
        Account,
        source="account",
        required=False,
        allow_null=True,
        help_text="Attach the contact and opportunity to this existing account instead of creating one.",
    )
    create_opportunity = serializers.BooleanField(required=False, default=True)
    opportunity_stage = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="Defaults to the first open stage."
    )
    close_date = BoundedDateField(required=False, allow_null=True, default=None)


class LeadConversionRecordsSerializer(serializers.Serializer):
    account = serializers.DictField(help_text="The account, as GET /accounts/{id} shows it.")
    contact = serializers.DictField(help_text="The contact, as GET /contacts/{id} shows it.")
    opportunity = serializers.DictField(allow_null=True, help_text="The opportunity, or null when none was created.")


class LeadConversionSerializer(serializers.Serializer):
    message = serializers.CharField()
    lead_id = serializers.IntegerField()
    created_records = LeadConversionRecordsSerializer()


# --- products --------------------------------------------------------------------------------


class ProductSerializer(RecordSerializer):
    standard_list_price = serializers.DecimalField(**MONEY, min_value=Decimal("0"), required=False)

    class Meta:
        model = Product
        fields = PRODUCT_FIELDS.serializer_fields(RecordSerializer.record_fields)


# --- opportunities ---------------------------------------------------------------------------


def validate_stage_name(value: str) -> str:
    if stage_get_active(name=value) is None:
        raise serializers.ValidationError(
            _("'%(value)s' is not an active stage of your organization.") % {"value": value}
        )
    return value


class OpportunitySerializer(RecordSerializer):
    stage = serializers.CharField(max_length=40, help_text="One of the organization's active stages.")
    probability = serializers.IntegerField(read_only=True, help_text="Set from the stage.")
    amount = serializers.DecimalField(
        max_digits=18, decimal_places=2, read_only=True, help_text="The sum of quantity x sale price of the lines."
    )
    calculated_amount = serializers.DecimalField(
        source="amount", max_digits=18, decimal_places=2, read_only=True, help_text="The same as `amount` (seed 003)."
    )
    account_id = ScopedRelatedField(Account, source="account")
    account_name = serializers.CharField(source="account.name", read_only=True)
    campaign_id = ScopedRelatedField("marketing.Campaign", source="campaign", required=False, allow_null=True)
    campaign_name = serializers.CharField(source="campaign.name", read_only=True, default=None, allow_null=True)

    class Meta:
        model = Opportunity
        fields = OPPORTUNITY_FIELDS.serializer_fields(RecordSerializer.record_fields)

    def validate_stage(self, value: str) -> str:
        if self.instance is not None and value == self.instance.stage:
            return value
        return validate_stage_name(value)


class LineItemProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OpportunityLineItemSerializer(serializers.ModelSerializer):
    product = LineItemProductSerializer(read_only=True)
    product_id = ScopedRelatedField(Product, source="product")
    product_name = serializers.CharField(source="product.name", read_only=True)
    product_code = serializers.CharField(source="product.product_code", read_only=True)
    is_retainer_product = serializers.BooleanField(source="product.is_retainer_product", read_only=True)
    quantity = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    sale_price = serializers.DecimalField(
        **MONEY, min_value=Decimal("0"), required=False, help_text="Defaults to the product's list price."
    )
    total = serializers.SerializerMethodField()

    class Meta:
        model = OpportunityLineItem
        fields = [
            "id",
            "product",
            "product_id",
            "product_name",
            "product_code",
            "is_retainer_product",
            "quantity",
            "sale_price",
            "total",
            "description",
            "version",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_total(self, obj: OpportunityLineItem) -> str:
        return str((obj.quantity * obj.sale_price).quantize(Decimal("0.01")))

    def validate_product_id(self, product: Product) -> Product:
        unchanged = self.instance is not None and self.instance.product_id == product.pk
        if not product.is_active and not unchanged:
            raise serializers.ValidationError(
                _("'%(name)s' is inactive and cannot be added to a deal.") % {"name": product.name}
            )
        return product


class LineItemWriteSerializer(OpportunityLineItemSerializer):
    """A new line: nothing to be stale against, so no version."""

    class Meta(OpportunityLineItemSerializer.Meta):
        read_only_fields = ["version"]


class LineItemUpdateSerializer(OpportunityLineItemSerializer):
    """An edit of a line names the line's version the client read (409 when stale)."""

    version = serializers.IntegerField(min_value=1, help_text="The line's version you read; 409 when stale.")


class LineItemVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, help_text="The line's version you read; 409 when stale.")


class LineItemChangeSerializer(OpportunityLineItemSerializer):
    """A line item plus the opportunity's new amount and (unchanged) version."""

    opportunity_id = serializers.IntegerField(read_only=True)
    opportunity_amount = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    opportunity_version = serializers.IntegerField(read_only=True)

    class Meta(OpportunityLineItemSerializer.Meta):
        fields = [
            *OpportunityLineItemSerializer.Meta.fields,
            "opportunity_id",
            "opportunity_amount",
            "opportunity_version",
        ]


class OpportunityTotalsSerializer(serializers.Serializer):
    opportunity_id = serializers.IntegerField()
    opportunity_amount = serializers.DecimalField(max_digits=18, decimal_places=2)
    opportunity_version = serializers.IntegerField()


class ContactRoleSerializer(serializers.ModelSerializer):
    contact_id = ScopedRelatedField(Contact, source="contact")
    contact_name = serializers.SerializerMethodField()
    contact_title = serializers.CharField(source="contact.title", read_only=True)
    contact_email = serializers.CharField(source="contact.email", read_only=True)
    role = serializers.ChoiceField(choices=OpportunityContactRole.Role.choices)

    class Meta:
        model = OpportunityContactRole
        fields = ["id", "contact_id", "contact_name", "contact_title", "contact_email", "role", "is_primary"]
        read_only_fields = ["id"]

    def get_contact_name(self, obj: OpportunityContactRole) -> str:
        return str(obj.contact)


class OpportunityDetailSerializer(OpportunitySerializer):
    line_items = OpportunityLineItemSerializer(many=True, read_only=True)
    contact_roles = ContactRoleSerializer(many=True, read_only=True)

    class Meta(OpportunitySerializer.Meta):
        fields = [*OpportunitySerializer.Meta.fields, "line_items", "contact_roles"]


class OpportunityCardSerializer(serializers.ModelSerializer):
    account_name = serializers.CharField(source="account.name", read_only=True)
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = ["id", "name", "account_id", "account_name", "amount", "close_date", "owner_name", "version"]


class PipelineColumnSerializer(serializers.Serializer):
    name = serializers.CharField()
    probability = serializers.IntegerField()
    is_closed = serializers.BooleanField()
    is_won = serializers.BooleanField()
    count = serializers.IntegerField()
    # The sum of the column's amounts: each fits 18 digits, their sum may not.
    amount = serializers.DecimalField(max_digits=28, decimal_places=2)
    opportunities = OpportunityCardSerializer(many=True)


class PipelineSerializer(serializers.Serializer):
    stages = PipelineColumnSerializer(many=True)


class PipelineQuerySerializer(serializers.Serializer):
    owner = UserRefParam(required=False, help_text="A user id or 'me'.")
    limit_per_stage = serializers.IntegerField(required=False, min_value=1, max_value=100, default=25)
    stage = serializers.CharField(required=False, max_length=40, help_text="Only this column (for 'load more').")
    offset = serializers.IntegerField(required=False, min_value=0, max_value=1_000_000, default=0)


class AccountOpportunitySerializer(serializers.ModelSerializer):
    """One row of the Opportunities related list on an account."""

    owner_name = serializers.CharField(source="owner.name", read_only=True)
    amount = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Opportunity
        fields = ["id", "name", "stage", "probability", "amount", "close_date", "owner_id", "owner_name", "version"]


# --- stages ----------------------------------------------------------------------------------


class StageSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=40)
    probability = serializers.IntegerField(min_value=0, max_value=100)
    is_closed = serializers.BooleanField(default=False)
    is_won = serializers.BooleanField(default=False)
    is_active = serializers.BooleanField(default=True)
    position = serializers.IntegerField(read_only=True)

    def validate_name(self, value: str) -> str:
        value = value.strip()
        if not value:
            raise serializers.ValidationError(_("This field may not be blank."))
        return value
