"""Web-to-lead forms: what an administrator defines, and the public submission that makes a lead."""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.html import escape
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError, VersionConflict
from crm.marketing.models import Campaign, CampaignMember
from crm.marketing.services.campaigns import campaign_member_add
from crm.records import events
from crm.sales.models import Lead
from crm.sales.services.leads import lead_create_nested

from .. import locks
from ..models import WebForm, WebFormSubmission

if TYPE_CHECKING:
    from crm.identity.models import User

FORM_SUBMITTED = "form.submitted"

# The lead fields a form may ask for, and those a lead cannot be saved without.
FORM_FIELDS = (
    "first_name",
    "last_name",
    "company",
    "title",
    "email",
    "phone",
    "website",
    "address",
    "description",
    "industry",
)
REQUIRED_LEAD_FIELDS = ("last_name", "company")
# Filled in by bots only: the snippet hides it from people.
HONEYPOT = "contact_me_by_fax"
MAX_FIELDS = 20


def _clean_fields(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise ApplicationError(
            "invalid_form", _("Please correct the errors below."), {"fields": _("List at least one field.")}
        )
    if len(value) > MAX_FIELDS:
        raise ApplicationError(
            "invalid_form",
            _("Please correct the errors below."),
            {"fields": _("A form has at most %(count)s fields.") % {"count": MAX_FIELDS}},
        )
    cleaned: list[dict[str, Any]] = []
    errors: dict[str, list[str]] = {}
    seen: set[str] = set()
    for index, item in enumerate(value):
        name = item.get("field") if isinstance(item, dict) else None
        if name not in FORM_FIELDS:
            errors[f"fields.{index}.field"] = [
                _("Pick one of: %(choices)s.") % {"choices": ", ".join(FORM_FIELDS)},
            ]
            continue
        if name in seen:
            errors[f"fields.{index}.field"] = [_("This field is already on the form.")]
            continue
        seen.add(name)
        label = item.get("label") or str(Lead._meta.get_field(name).verbose_name).capitalize()  # type: ignore[union-attr]
        if not isinstance(label, str) or len(label) > 100:
            errors[f"fields.{index}.label"] = [_("Give a label of at most 100 characters.")]
            continue
        required = item.get("required", False)
        if not isinstance(required, bool):
            errors[f"fields.{index}.required"] = [_("Give true or false.")]
            continue
        cleaned.append({"field": name, "label": label, "required": required or name in REQUIRED_LEAD_FIELDS})
    for name in REQUIRED_LEAD_FIELDS:
        if name not in seen and not any(key.startswith("fields.") for key in errors):
            errors.setdefault("fields", []).append(
                _("A lead needs %(field)s: add it to the form.") % {"field": name},
            )
    if errors:
        raise ApplicationError("invalid_form", _("Please correct the errors below."), errors)
    return cleaned


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: data[key]
        for key in ("name", "lead_source", "thank_you_url", "lead_owner", "is_active", "campaign")
        if key in data
    }
    campaign = values.get("campaign")
    if campaign is not None and not campaign.is_active:
        raise ApplicationError(
            "invalid_form",
            _("Please correct the errors below."),
            {"campaign_id": [_("This campaign is deactivated; pick an active one.")]},
        )
    if "fields" in data:
        values["fields"] = _clean_fields(data["fields"])
    return values


@transaction.atomic(durable=True)
def web_form_create(*, data: dict[str, Any], actor: User) -> WebForm:
    values = _values(data)
    if "fields" not in values:
        values["fields"] = _clean_fields(None)
    values.setdefault("lead_owner", actor)
    return WebForm.objects.create(**values, created_by=actor)


@transaction.atomic(durable=True)
def web_form_update(*, form_id: int, data: dict[str, Any], expected_version: int, actor: User) -> WebForm:
    form = locks.web_form_for_update(form_id=form_id)
    if form.version != expected_version:
        raise VersionConflict(current_version=form.version)
    values = _values(data)
    changed = [name for name, value in values.items() if getattr(form, name) != value]
    if not changed:
        return form
    for name in changed:
        setattr(form, name, values[name])
    form.version += 1
    form.save(update_fields=[*changed, "version", "updated_at"])
    return form


def form_action_url(form: WebForm) -> str:
    return f"{settings.CRM_BASE_URL.rstrip('/')}/api/v1/forms/{form.key}"


def web_form_snippet(form: WebForm) -> str:
    """The HTML to paste into another site: a plain form posting to the public endpoint, with the honeypot."""
    lines = [f'<form method="post" action="{escape(form_action_url(form))}" accept-charset="UTF-8">']
    for item in form.fields:
        name = item["field"]
        tag = "textarea" if name in ("address", "description") else "input"
        required = " required" if item["required"] else ""
        kind = {"email": "email", "phone": "tel", "website": "url"}.get(name, "text")
        label = escape(item["label"])
        lines.append(f'  <p><label for="crm-{name}">{label}</label><br>')
        if tag == "textarea":
            lines.append(f'  <textarea id="crm-{name}" name="{name}"{required}></textarea></p>')
        else:
            lines.append(f'  <input id="crm-{name}" type="{kind}" name="{name}"{required}></p>')
    lines.append(
        f'  <p style="position:absolute;left:-10000px" aria-hidden="true">'
        f'<input type="text" name="{HONEYPOT}" tabindex="-1" autocomplete="off"></p>'
    )
    lines.append('  <p><button type="submit">Submit</button></p>')
    lines.append("</form>")
    return "\n".join(lines)


def web_form_get_public(*, key: str) -> WebForm | None:
    """The active form behind a public key, whatever its organization (the key is the only credential)."""
    if not key or len(key) > 40:
        return None
    return WebForm.all_orgs.filter(key=key, is_active=True).first()


def _submitted_values(form: WebForm, data: dict[str, Any]) -> dict[str, Any]:
    if str(data.get(HONEYPOT) or "").strip():
        raise ApplicationError("spam_rejected", _("The submission was refused as spam."))
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for item in form.fields:
        name = item["field"]
        raw = data.get(name, "")
        if isinstance(raw, list):
            raw = raw[0] if raw else ""
        if not isinstance(raw, (str, int, float)):
            errors[name] = [_("Give a text value.")]
            continue
        value = str(raw).strip()
        if not value:
            if item["required"]:
                errors[name] = [_("This field is required.")]
            continue
        model_field = Lead._meta.get_field(name)
        try:
            values[name] = model_field.clean(value, None)  # type: ignore[union-attr]  # a concrete field
        except ValidationError as exc:
            errors[name] = [str(message) for message in exc.messages]
    if errors:
        raise ApplicationError("invalid_submission", _("Please correct the errors below."), errors)
    return values


@transaction.atomic(durable=True)
def web_form_submit(*, form_id: int, data: dict[str, Any], client: str) -> Lead:
    """Create the lead a public submission describes (owned by the form's lead owner), count it, make
    it a Responded member of the form's campaign (its primary campaign source), and publish "form
    submitted"; all in one transaction, and bad or spam input changes nothing. Runs in the form's
    organization. A campaign deactivated since the form was saved is left out, the lead still made."""
    form = locks.web_form_for_update(form_id=form_id)
    values = _submitted_values(form, data)
    values["lead_source"] = form.lead_source or Lead.Source.WEB
    values["owner"] = form.lead_owner
    campaign = Campaign.objects.filter(pk=form.campaign_id).first() if form.campaign_id else None
    if campaign is not None and campaign.is_active:
        values["campaign"] = campaign
    else:
        campaign = None
    lead = lead_create_nested(data=values, actor=form.lead_owner)
    if campaign is not None:
        campaign_member_add(
            campaign=campaign,
            actor=form.lead_owner,
            lead=lead,
            status=CampaignMember.Status.RESPONDED,
            if_exists="keep",
        )
    WebForm.objects.filter(pk=form.pk).update(submission_count=F("submission_count") + 1)
    WebFormSubmission.objects.create(
        form=form, lead=lead, client_hash=hashlib.sha256(f"{form.key}:{client}".encode()).hexdigest()
    )
    events.publish(
        type=FORM_SUBMITTED,
        record=lead,
        actor_id=form.lead_owner_id,
        extra={"form_id": form.pk, "form_name": form.name},
    )
    return lead
