from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Prefetch

from crm.records.api import RecordFilterSet, RecordViewSet, record_viewset_schema

from .. import services
from ..models import Account, Contact
from . import serializers as s


class AccountFilter(RecordFilterSet):
    type = django_filters.ChoiceFilter(choices=Account.Type.choices)
    parent_account_id = django_filters.NumberFilter()
    name = django_filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Account
        fields: list[str] = []


class ContactFilter(RecordFilterSet):
    account_id = django_filters.NumberFilter()
    account = django_filters.NumberFilter(field_name="account_id")
    reports_to_id = django_filters.NumberFilter()
    email = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Contact
        fields: list[str] = []


class AccountViewSet(RecordViewSet):
    """Client companies. Detail includes the account's active contacts."""

    model = Account
    serializer_class = s.AccountSerializer
    detail_serializer_class = s.AccountDetailSerializer
    filterset_class = AccountFilter
    list_select_related = ("owner", "parent_account")
    search_fields = ["name"]
    ordering_fields = ["name", "phone", "owner", "type", "website", "created_at", "updated_at"]
    ordering = ["name"]
    detail_prefetch = (
        Prefetch(
            "contacts",
            queryset=Contact.all_orgs.filter(is_active=True).order_by("last_name", "first_name", "id"),
            to_attr="active_contacts",
        ),
    )

    def create_record(self, data: dict[str, Any]) -> Account:
        return services.account_create(data=data, actor=self.request.user)

    def update_record(self, record: Account, data: dict[str, Any], version: int) -> Account:
        return services.account_update(account=record, data=data, expected_version=version, actor=self.request.user)


class ContactViewSet(RecordViewSet):
    """People at client accounts. Lists include the account name."""

    model = Contact
    serializer_class = s.ContactSerializer
    filterset_class = ContactFilter
    list_select_related = ("owner", "account", "reports_to")
    search_fields = ["first_name", "last_name", "email", "account__name"]
    ordering_fields = [
        "name",
        "first_name",
        "last_name",
        "account_name",
        "email",
        "phone",
        "owner",
        "title",
        "created_at",
    ]
    ordering_aliases = {"owner": "owner__name", "account_name": "account__name", "name": "last_name"}
    ordering = ["last_name", "first_name"]

    def create_record(self, data: dict[str, Any]) -> Contact:
        return services.contact_create(data=data, actor=self.request.user)

    def update_record(self, record: Contact, data: dict[str, Any], version: int) -> Contact:
        return services.contact_update(contact=record, data=data, expected_version=version, actor=self.request.user)


record_viewset_schema(AccountViewSet, "accounts")
record_viewset_schema(ContactViewSet, "contacts")
