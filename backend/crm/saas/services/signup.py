"""Public sign-up: a request is mailed a verification link; verifying it creates the organization,
its Owner (with the password chosen at sign-up) and its free subscription, in one transaction."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError
from crm.core.scoping import org_scope
from crm.identity.models import User
from crm.identity.services import organization_create

from .. import locks
from ..models import SignupRequest, Subscription
from ..plans import free_plan

VERIFY_FOR = datetime.timedelta(hours=48)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def signup_request(*, email: str, name: str, organization_name: str, password: str) -> SignupRequest:
    """Keep the sign-up and mail its verification link (valid for 48 hours)."""
    email = email.strip().lower()
    try:
        validate_password(password, User(email=email, name=name))
    except ValidationError as exc:
        raise ApplicationError(
            "validation_error", _("Please correct the errors below."), {"password": list(exc.messages)}
        ) from exc
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        request = SignupRequest.objects.create(
            email=email,
            name=name.strip(),
            organization_name=organization_name.strip(),
            password_hash=make_password(password),
            token_hash=_hash(token),
            expires_at=timezone.now() + VERIFY_FOR,
        )
    link = f"{settings.CRM_BASE_URL.rstrip('/')}/signup/verify?token={token}"
    send_mail(
        subject=_("Confirm your email to create %(organization)s") % {"organization": request.organization_name},
        message=_(
            "Hello %(name)s,\n\nconfirm your email address to create the organization %(organization)s:\n"
            "%(link)s\n\nThe link works once and expires in 48 hours. If you did not sign up, ignore this mail."
        )
        % {"name": request.name, "organization": request.organization_name, "link": link},
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[email],
    )
    return request


@transaction.atomic(durable=True)
def signup_verify(*, token: str) -> User:
    """Create the organization and its Owner from a verified sign-up (a token works once)."""
    invalid = ApplicationError(
        "invalid_token", _("This verification link is invalid, has expired or has already been used.")
    )
    request = locks.signup_request_for_update(token_hash=_hash(token or ""))
    if request is None or request.verified_at is not None or request.expires_at < timezone.now():
        raise invalid
    owner = organization_create(
        name=request.organization_name, admin_email=request.email, admin_password=None, admin_name=request.name
    )
    User.objects.filter(pk=owner.pk).update(password=request.password_hash)
    with org_scope(owner.organization_id):
        Subscription.objects.create(plan=free_plan().code, status=Subscription.Status.ACTIVE)
    SignupRequest.objects.filter(pk=request.pk).update(
        verified_at=timezone.now(), created_organization_id=owner.organization_id
    )
    audit.write_event(
        record=owner,
        action=AuditEvent.Action.CREATE,
        actor=owner,
        changes={"email": (None, owner.email), "role": (None, owner.role)},
    )
    owner.refresh_from_db()
    return owner
