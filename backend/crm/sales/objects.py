"""UI metadata for Leads, Products and Opportunities, the Opportunities list on an account, and
global search over the three."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from crm.records.registry import ObjectMeta, RelatedListMeta, register, register_options
from crm.records.related import register_embed
from crm.records.rows import rows_of
from crm.records.search import SearchProvider, register_search

from .api.serializers import LEAD_FIELDS, OPPORTUNITY_FIELDS, PRODUCT_FIELDS, AccountOpportunitySerializer
from .models import Lead, Opportunity, OpportunityContactRole, Product
from .selectors import account_opportunity_rows

if TYPE_CHECKING:
    from rest_framework.request import Request

    from crm.records.models import Record

register(
    ObjectMeta(
        name="lead",
        label="Lead",
        label_plural="Leads",
        api_path="leads",
        icon="lead",
        title_field="name",
        fields=LEAD_FIELDS.meta,
        list_columns=("name", "company", "email", "phone", "status", "lead_source", "owner_id"),
        highlight_fields=("company", "status", "lead_source", "owner_id"),
        form_fields=LEAD_FIELDS.form,
        filters=("owner", "status", "lead_source", "industry"),
        path_field="status",
        default_ordering="-created_at",
        extra={
            "convert_path": "leads/{id}/convert",
            "closed_status": Lead.Status.CONVERTED.value,
        },
    )
)

register(
    ObjectMeta(
        name="product",
        label="Product",
        label_plural="Products",
        api_path="products",
        icon="product",
        title_field="name",
        fields=PRODUCT_FIELDS.meta,
        list_columns=("name", "product_code", "standard_list_price", "is_retainer_product", "is_active"),
        highlight_fields=("product_code", "standard_list_price", "is_retainer_product", "is_active"),
        form_fields=PRODUCT_FIELDS.form,
        filters=("is_retainer_product",),
        default_ordering="name",
        admin_only_write=True,
    )
)

register(
    ObjectMeta(
        name="opportunity",
        label="Opportunity",
        label_plural="Opportunities",
        api_path="opportunities",
        icon="opportunity",
        title_field="name",
        fields=OPPORTUNITY_FIELDS.meta,
        list_columns=("name", "account_id", "stage", "amount", "close_date", "owner_id"),
        highlight_fields=("account_id", "stage", "amount", "close_date", "owner_id"),
        form_fields=OPPORTUNITY_FIELDS.form,
        filters=("owner", "stage", "account_id", "is_closed", "close_date_after", "close_date_before"),
        related=(
            RelatedListMeta(
                object="opportunity_line_item",
                field="opportunity_id",
                label="Line Items",
                columns=("product_name", "quantity", "sale_price", "total"),
                key="line_items",
            ),
            RelatedListMeta(
                object="opportunity_contact_role",
                field="opportunity_id",
                label="Contact Roles",
                columns=("contact_name", "role", "is_primary"),
                key="contact_roles",
            ),
        ),
        path_field="stage",
        default_ordering="close_date",
        extra={
            "stages_path": "opportunity-stages",
            "pipeline_path": "opportunities/pipeline",
            "line_items_path": "opportunities/{id}/line_items",
            "contact_roles_path": "opportunities/{id}/contact_roles",
            "contact_roles": list(OpportunityContactRole.Role.values),
        },
    )
)


def _account_opportunities(record: Record, request: Request) -> list[dict[str, Any]]:
    return rows_of(AccountOpportunitySerializer, account_opportunity_rows(account_id=record.pk))


register_embed("account", "opportunities", _account_opportunities, serializer=AccountOpportunitySerializer)

register_search(
    SearchProvider(
        object="lead",
        model=Lead,
        fields=("first_name", "last_name", "company", "email"),
        title=str,
        subtitle=lambda row: f"{row.company} · {row.status}",
    )
)
register_search(
    SearchProvider(
        object="opportunity",
        model=Opportunity,
        fields=("name",),
        title=lambda row: row.name,
        subtitle=lambda row: f"{row.account.name} · {row.stage}",
        select_related=("account",),
    )
)
register_search(
    SearchProvider(
        object="product",
        model=Product,
        fields=("name", "product_code"),
        title=lambda row: row.name,
        subtitle=lambda row: row.product_code,
    )
)


def _stage_names(organization_id: int) -> tuple[str, ...]:
    # Served by the metadata view, which runs in the scope of ``organization_id``.
    from .selectors import stage_list

    return tuple(stage.name for stage in stage_list() if stage.is_active)


register_options("opportunity", "stage", _stage_names)
