"""Email templates: create, edit (each change keeps the previous version), revert, render.

``email_template_render(template, context)`` is the one way to turn a template into an email; the
email sends, previews and the automation app's workflow emails all use it. ``context`` is plain
data (``merge_context``), never model instances, so a merge tag can only read what is given.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from crm.accounts.models import Contact
from crm.core.errors import ApplicationError
from crm.records.services import record_create, record_update
from crm.sales.models import Lead

from .. import locks
from ..models import EmailTemplate, EmailTemplateVersion
from ..rendering import RenderedEmail, render_parts, template_check

if TYPE_CHECKING:
    from crm.identity.models import Organization, User

CONTENT = ("subject", "body", "body_format", "text_body")


def _check(values: dict[str, Any], current: EmailTemplate | None) -> None:
    def after(name: str) -> Any:
        return values[name] if name in values else getattr(current, name, "")

    template_check(
        subject=after("subject"),
        body=after("body"),
        body_format=after("body_format") or "html",
        text_body=after("text_body"),
    )


@transaction.atomic(durable=True)
def email_template_create(*, data: dict[str, Any], actor: User) -> EmailTemplate:
    values = dict(data)
    _check(values, None)
    return record_create(model=EmailTemplate, data=values, actor=actor)


def _snapshot(template: EmailTemplate, actor: User | None) -> None:
    EmailTemplateVersion.objects.get_or_create(
        template=template,
        version=template.version,
        defaults={**{name: getattr(template, name) for name in CONTENT}, "created_by": actor},
    )


@transaction.atomic(durable=True)
def email_template_update(
    *, template: EmailTemplate, data: dict[str, Any], expected_version: int, actor: User
) -> EmailTemplate:
    """Save the changes; the content as it was stays readable as the version it had."""
    template = locks.email_template_for_update(template_id=template.pk)
    values = dict(data)
    _check(values, template)
    changed = any(name in values and values[name] != getattr(template, name) for name in CONTENT)
    if changed and template.version == expected_version:
        _snapshot(template, actor)
    return record_update(record=template, data=values, expected_version=expected_version, actor=actor)


@transaction.atomic(durable=True)
def email_template_revert(
    *, template: EmailTemplate, to_version: int, expected_version: int, actor: User
) -> EmailTemplate:
    """Bring back the content of an earlier version, as a new version."""
    template = locks.email_template_for_update(template_id=template.pk)
    old = EmailTemplateVersion.objects.filter(template=template, version=to_version).first()
    if old is None:
        raise ApplicationError(
            "unknown_version", _("This template has no such version."), {"to_version": [_("No such version.")]}
        )
    if template.version == expected_version:
        _snapshot(template, actor)
    return record_update(
        record=template,
        data={name: getattr(old, name) for name in CONTENT},
        expected_version=expected_version,
        actor=actor,
    )


def merge_context(
    *,
    organization: Organization | None = None,
    contact: Contact | None = None,
    lead: Lead | None = None,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The plain data merge tags read: ``contact``, ``lead``, ``recipient`` (whichever is given),
    ``organization`` and what the caller adds (links such as ``unsubscribe_url``)."""
    context: dict[str, Any] = {}
    if organization is not None:
        context["organization"] = {"name": organization.name}
    if contact is not None:
        account = contact.account if contact.account_id else None
        context["contact"] = {
            "first_name": contact.first_name,
            "last_name": contact.last_name,
            "name": str(contact),
            "email": contact.email,
            "title": contact.title,
            "phone": contact.phone,
            "account": {"name": account.name if account else ""},
        }
        context["recipient"] = context["contact"]
    if lead is not None:
        context["lead"] = {
            "first_name": lead.first_name,
            "last_name": lead.last_name,
            "name": str(lead),
            "email": lead.email,
            "title": lead.title,
            "company": lead.company,
            "phone": lead.phone,
        }
        context.setdefault("contact", {**context["lead"], "account": {"name": lead.company}})
        context["recipient"] = context["lead"]
    context.update(extra or {})
    return context


def email_template_render(template: EmailTemplate | EmailTemplateVersion, context: dict[str, Any]) -> RenderedEmail:
    """Subject, sanitized HTML and plain text of ``template`` for ``context`` (see ``merge_context``).

    A template that cannot render raises ApplicationError ``template_error`` (400) with the field."""
    return render_parts(
        subject=template.subject,
        body=template.body,
        body_format=template.body_format,
        text_body=template.text_body,
        context=context,
    )


def email_draft_render(*, values: dict[str, Any], context: dict[str, Any]) -> RenderedEmail:
    """Render content that is not saved yet (the editor's live preview)."""
    template_check(
        subject=values["subject"], body=values["body"], body_format=values["body_format"], text_body=values["text_body"]
    )
    return render_parts(context=context, **{name: values[name] for name in CONTENT})
