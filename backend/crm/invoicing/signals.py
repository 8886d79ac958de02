"""A synced quote mirrors its opportunity's lines: every change of an opportunity line, however it
is made, is applied to the synced quote's line in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver

from crm.sales.models import OpportunityLineItem

from .services.quotes import quote_mirror_line_changed, quote_mirror_line_deleted


@receiver(post_save, sender=OpportunityLineItem, dispatch_uid="invoicing.quote_mirror_save")
def _line_saved(sender: type[OpportunityLineItem], instance: OpportunityLineItem, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    quote_mirror_line_changed(line=instance)


@receiver(pre_delete, sender=OpportunityLineItem, dispatch_uid="invoicing.quote_mirror_delete")
def _line_deleted(sender: type[OpportunityLineItem], instance: OpportunityLineItem, **kwargs: Any) -> None:
    quote_mirror_line_deleted(line=instance)
