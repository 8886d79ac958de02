"""UI metadata for Accounts and Contacts."""

from crm.records.registry import ObjectMeta, RelatedListMeta, register
from crm.records.search import SearchProvider, register_search

from .api.serializers import ACCOUNT_FIELDS, CONTACT_FIELDS
from .models import Account, Contact

register(
    ObjectMeta(
        name="account",
        label="Account",
        label_plural="Accounts",
        api_path="accounts",
        icon="account",
        title_field="name",
        fields=ACCOUNT_FIELDS.meta,
        list_columns=("name", "phone", "website", "type", "owner_id"),
        highlight_fields=("type", "phone", "website", "owner_id"),
        form_fields=ACCOUNT_FIELDS.form,
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
        fields=CONTACT_FIELDS.meta,
        list_columns=("name", "account_id", "title", "email", "phone", "owner_id"),
        highlight_fields=("account_id", "title", "email", "phone"),
        form_fields=CONTACT_FIELDS.form,
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
