"""Document templates: one per document type and organization, created from the defaults on first
use; every save is a new version, and an older version can be made current again."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, VersionConflict

from .. import locks
from ..documents.sandbox import TemplateProblem, check_syntax
from ..models import DocumentTemplate, DocumentTemplateVersion

if TYPE_CHECKING:
    from crm.identity.models import User

NAMES = {
    "quote": "Quote",
    "invoice": "Invoice",
    "credit_note": "Credit Note",
    "payment_reminder": "Payment Reminder",
}


def templates_ensure_defaults() -> None:
    """The current organization's four templates, from the defaults, created race-free on first use."""
    from ..documents.render import DOC_TYPES, default_template

    have = set(DocumentTemplate.objects.values_list("doc_type", flat=True))
    missing = [doc_type for doc_type in DOC_TYPES if doc_type not in have]
    if not missing:
        return
    with transaction.atomic():
        rows = []
        for doc_type in missing:
            html, css = default_template(doc_type)
            rows.append(DocumentTemplate(doc_type=doc_type, name=NAMES[doc_type], html=html, css=css))
        DocumentTemplate.objects.bulk_create(rows, ignore_conflicts=True)
        for template in DocumentTemplate.objects.filter(doc_type__in=missing):
            DocumentTemplateVersion.objects.bulk_create(
                [DocumentTemplateVersion(template=template, number=1, html=template.html, css=template.css)],
                ignore_conflicts=True,
            )


def template_current(*, doc_type: str) -> DocumentTemplate:
    templates_ensure_defaults()
    return DocumentTemplate.objects.get(doc_type=doc_type)


def version_row(*, doc_type: str, number: int | None) -> DocumentTemplateVersion | None:
    if number is None:
        return None
    return DocumentTemplateVersion.objects.filter(template__doc_type=doc_type, number=number).first()


def _check(html: str, css: str) -> None:
    for field, text in (("html", html), ("css", css)):
        try:
            check_syntax(html=text)
        except TemplateProblem as exc:
            from ..documents.render import template_error

            exc.field = field
            raise template_error(exc) from None


def _store(template: DocumentTemplate, *, name: str, html: str, css: str, actor: User) -> DocumentTemplate:
    before = template.version
    template.name, template.html, template.css = name, html, css
    template.version = before + 1
    template.save()
    DocumentTemplateVersion.objects.create(
        template=template, number=template.version, html=html, css=css, created_by=actor
    )
    audit.write_event(
        record=template,
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        changes={"version": (before, template.version)},
    )
    return template


@transaction.atomic(durable=True)
def template_save(*, template_id: int, data: dict[str, Any], expected_version: int, actor: User) -> DocumentTemplate:
    """Save new HTML/CSS as the next version (a template that does not compile answers 400, with its line)."""
    template = locks.template_for_update(template_id=template_id)
    if template.version != expected_version:
        raise VersionConflict(current_version=template.version)
    html = data.get("html", template.html)
    css = data.get("css", template.css)
    if not html.strip():
        raise ApplicationError(
            "validation_error", _("Please correct the errors below."), {"html": _("The template is empty.")}
        )
    _check(html, css)
    return _store(template, name=data.get("name", template.name), html=html, css=css, actor=actor)


@transaction.atomic(durable=True)
def template_revert(*, template_id: int, number: int, expected_version: int, actor: User) -> DocumentTemplate:
    """Make version ``number`` current again, as a new version (history is never rewritten)."""
    template = locks.template_for_update(template_id=template_id)
    if template.version != expected_version:
        raise VersionConflict(current_version=template.version)
    old = DocumentTemplateVersion.objects.filter(template=template, number=number).first()
    if old is None:
        raise ApplicationError(
            "validation_error",
            _("Please correct the errors below."),
            {"number": _("No version %(number)s.") % {"number": number}},
        )
    return _store(template, name=template.name, html=old.html, css=old.css, actor=actor)
