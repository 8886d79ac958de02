"""UI metadata for Accounts and Contacts."""

from crm.records.registry import ObjectMeta, RelatedListMeta, field_from_model, register
from crm.records.search import SearchProvider, register_search

from .api.serializers import ACCOUNT_FORM, CONTACT_FORM
from .models import Account, Contact

register(
    ObjectMeta(
        name="account",
        label="Account",
        label_plural="Accounts",
        api_path="accounts",
        icon="account",
        title_field="name",
        fields=(
            field_from_model(Account, "name", label="Account Name"),
            field_from_model(Account, "phone", type="phone"),
            field_from_model(Account, "website", type="url"),
            field_from_model(Account, "type"),
            field_from_model(Account, "parent_account_id", label="Parent Account", display="parent_account_name"),
            field_from_model(Account, "billing_address", label="Billing Address"),
            field_from_model(Account, "shipping_address", label="Shipping Address"),
            field_from_model(Account, "description"),
            field_from_model(Account, "owner_id", label="Account Owner", display="owner_name", lookup="user"),
        ),
        list_columns=("name", "phone", "website", "type", "owner_id"),
        highlight_fields=("type", "phone", "website", "owner_id"),
        form_fields=ACCOUNT_FORM,
        filters=("owner", "type"),
        related=(
            RelatedListMeta(
                object="contact",
                field="account_id",
                label="Contacts",
                columns=("name", "title", "email", "phone"),
                key="contacts",
            ),
        ),
        default_ordering="name",
    )
)

register(
    ObjectMeta(
        name="contact",
        label="Contact",
        label_plural="Contacts",
        api_path="contacts",
        icon="contact",
        title_field="name",
        fields=(
            field_from_model(Contact, "first_name", label="First Name"),
            field_from_model(Contact, "last_name", label="Last Name"),
            field_from_model(Contact, "account_id", label="Account Name", display="account_name"),
            field_from_model(Contact, "title"),
            field_from_model(Contact, "email"),
            field_from_model(Contact, "phone", type="phone"),
            field_from_model(Contact, "reports_to_id", label="Reports To", display="reports_to_name"),
            field_from_model(Contact, "description"),
            field_from_model(Contact, "owner_id", label="Contact Owner", display="owner_name", lookup="user"),
        ),
        list_columns=("name", "account_id", "title", "email", "phone", "owner_id"),
        highlight_fields=("account_id", "title", "email", "phone"),
        form_fields=CONTACT_FORM,
        filters=("owner", "account_id"),
        default_ordering="last_name",
    )
)

register_search(
    SearchProvider(
        object="account",
        model=Account,
        fields=("name", "website", "phone"),
        title=lambda row: row.name,
        subtitle=lambda row: row.type or row.website,
    )
)
register_search(
    SearchProvider(
        object="contact",
        model=Contact,
        fields=("first_name", "last_name", "email"),
        title=str,
        subtitle=lambda row: row.account.name,
        select_related=("account",),
    )
)
