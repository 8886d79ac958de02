"""Building blocks shared by the billing services: numbering, won stages, locks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.core.errors import ApplicationError, InvalidStateTransition, VersionConflict
from crm.records.sequences import Numbering
from crm.sales import locks as sales_locks
from crm.sales.models import Opportunity, OpportunityLineItem, OpportunityStage

if TYPE_CHECKING:
    from crm.records.models import Record

DEFAULT_WON_STAGE = "Closed Won"
# The billing documents as messages name them.
DOCUMENT_KINDS = {"order": gettext_lazy("order"), "contract": gettext_lazy("contract")}
ORDER_NUMBERS = Numbering(key="order", prefix="ORD-", width=5)
CONTRACT_NUMBERS = Numbering(key="contract", prefix="CON-", width=5)


def won_stage_names() -> set[str]:
    """The organization's won stages; an organization without stage rows uses the default one."""
    stages = list(OpportunityStage.objects.values_list("name", "is_won"))
    if not stages:
        return {DEFAULT_WON_STAGE}
    return {name for name, is_won in stages if is_won}


def opportunity_lock_won(*, opportunity_id: int) -> Opportunity:
    """Lock the opportunity row and check that it is won and active (409 otherwise)."""
    opportunity = sales_locks.opportunity_for_update(opportunity_id=opportunity_id, with_account=True)
    if not opportunity.is_active:
        raise InvalidStateTransition("opportunity_inactive", _("A deactivated opportunity cannot be billed."))
    if opportunity.stage not in won_stage_names():
        raise InvalidStateTransition(
            "opportunity_not_won",
            _("Only a won opportunity can be billed; this one is at stage '%(stage)s'.") % {"stage": opportunity.stage},
        )
    return opportunity


def opportunity_lines(*, opportunity: Opportunity) -> list[OpportunityLineItem]:
    lines = list(OpportunityLineItem.objects.filter(opportunity=opportunity).select_related("product").order_by("id"))
    if not lines:
        raise InvalidStateTransition(
            "opportunity_has_no_line_items", _("Add at least one product to the opportunity before billing it.")
        )
    return lines


def check_version(*, record: Record, expected_version: int) -> None:
    if record.version != expected_version:
        raise VersionConflict(current_version=record.version)


def refuse_fixed_fields(*, model: type[Record], data: Mapping[str, Any], editable: Iterable[str], message: str) -> None:
    """A generated document changes only in its ``editable`` fields: any other key the caller asks to
    change (the version aside) is refused, each with ``message``, and nothing is written.

    Keys are named as the API names them: a link by its ``<name>_id``.
    """
    allowed = {*editable, "version"}
    fixed = sorted(_api_name(model, key) for key in data if key not in allowed)
    if fixed:
        raise ApplicationError("validation_error", _("Please correct the errors below."), dict.fromkeys(fixed, message))


def _api_name(model: type[Record], key: str) -> str:
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:  # not a model field: the caller's own name
        return key
    if isinstance(field, models.ForeignKey) and key == field.name:
        return f"{key}_id"
    return key
