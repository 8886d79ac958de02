"""Identity actions: organizations, users, sign-in with lockout, tokens, passwords."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from crm.records import audit
from crm.records.errors import ApplicationError, VersionConflict
from crm.records.models import AuditEvent
from crm.records.organizations import organization_initialise

from .models import ADMIN_ROLES, AuthToken, Organization, Role, User

log = logging.getLogger("crm.identity")

GENERIC_LOGIN_ERROR = "Invalid email or password."
# Compared against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = make_password("not-a-real-password-used-for-timing")


@transaction.atomic
def organization_create(*, name: str, admin_email: str, admin_password: str | None, admin_name: str = "") -> User:
    """A new tenant with its first user as Owner."""
    email = admin_email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ApplicationError("email_taken", "A user with this email already exists.", {"email": "Already in use."})
    org = Organization.objects.create(name=name)
    organization_initialise(organization_id=org.pk)
    if admin_password:
        _validate_password(admin_password, User(email=email, name=admin_name))
    return User.objects.create_user(
        email, admin_password, organization=org, name=admin_name or email.split("@")[0], role=Role.OWNER
    )


def _validate_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ApplicationError("weak_password", "Choose a stronger password.", {"password": exc.messages}) from exc


def _send_set_password_mail_rollback_unsafe(user_id: int, *, welcome: bool) -> None:
    user = User.objects.select_related("organization").get(pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    link = f"{settings.CRM_BASE_URL}/set-password?uid={uid}&token={token}"
    if welcome:
        subject = f"Your account at {user.organization.name}"
        intro = f"An administrator created a CRM account for you at {user.organization.name}."
    else:
        subject = "Reset your CRM password"
        intro = "Somebody asked to reset the password of your CRM account."
    body = (
        f"Hello {user.name},\n\n{intro}\n\n"
        f"Set your password here (the link works once):\n{link}\n\n"
        f"Sign in with this email address: {user.email}\n"
    )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def user_create(*, actor: User, name: str, email: str, role: str) -> User:
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError("forbidden_role", "Only an Owner can make another Owner.", {"role": "Not allowed."}, 403)
    email = email.strip().lower()
    if User.objects.filter(email=email).exists():
        raise ApplicationError("email_taken", "A user with this email already exists.", {"email": "Already in use."})
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, None, organization=actor.organization, name=name, role=role)
    except IntegrityError as exc:
        raise ApplicationError(
            "email_taken", "A user with this email already exists.", {"email": "Already in use."}
        ) from exc
    audit.write_event(
        record=user,
        action=AuditEvent.Action.CREATE,
        actor=actor,
        changes={"name": (None, user.name), "email": (None, user.email), "role": (None, user.role)},
    )
    transaction.on_commit(lambda: _send_set_password_mail_rollback_unsafe(user.pk, welcome=True))
    return user


@transaction.atomic
def user_update(*, actor: User, user: User, data: dict[str, Any], expected_version: int) -> User:
    touches_owner = user.role == Role.OWNER or data.get("role") == Role.OWNER
    if touches_owner and actor.role != Role.OWNER:
        raise ApplicationError(
            "forbidden_role", "Only an Owner can change an Owner or make one.", {"role": "Not allowed."}, 403
        )
    if user.pk == actor.pk and (data.get("is_active") is False or ("role" in data and data["role"] not in ADMIN_ROLES)):
        raise ApplicationError(
            "self_lockout",
            "You cannot deactivate yourself or remove your own admin role.",
            {"is_active": "Not allowed."},
        )
    changes = {k: v for k, v in data.items() if getattr(user, k) != v}
    updated = User.objects.filter(pk=user.pk, organization_id=actor.organization_id, version=expected_version).update(
        **changes, version=F("version") + 1
    )
    if updated == 0:
        raise VersionConflict(current_version=User.objects.filter(pk=user.pk).values_list("version", flat=True).first())
    if changes:
        action = AuditEvent.Action.UPDATE
        if "is_active" in changes:
            action = AuditEvent.Action.REACTIVATE if changes["is_active"] else AuditEvent.Action.DEACTIVATE
        audit.write_event(
            record=user,
            action=action,
            actor=actor,
            changes={name: (getattr(user, name), value) for name, value in changes.items()},
        )
    if data.get("is_active") is False:
        tokens_revoke_all(user=user)
    return User.objects.select_related("organization").get(pk=user.pk)


def tokens_revoke_all(*, user: User) -> int:
    return AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


class LockedOut(ApplicationError):
    status_code = 429


def login(*, email: str, password: str) -> tuple[User, str]:
    """Check credentials with lockout; returns the user and a new session token."""
    email = (email or "").strip().lower()
    user = User.objects.select_related("organization").filter(email=email).first()
    now = timezone.now()
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise LockedOut(
            "locked_out",
            f"Too many failed sign-in attempts. Try again in {minutes} minute{'s' if minutes != 1 else ''}.",
        )
    if user is None:
        check_password(password, _DUMMY_HASH)
        raise ApplicationError("invalid_credentials", GENERIC_LOGIN_ERROR, status_code=400)
    if not user.check_password(password) or not user.is_active:
        _register_failure(user)
        raise ApplicationError("invalid_credentials", GENERIC_LOGIN_ERROR, status_code=400)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=0, locked_until=None, last_login=now)
        _, raw = AuthToken.issue(user=user, kind=AuthToken.Kind.SESSION)
    return user, raw


def _register_failure(user: User) -> None:
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(failed_login_count=F("failed_login_count") + 1)
        count = User.objects.filter(pk=user.pk).values_list("failed_login_count", flat=True).get()
        if count >= settings.LOGIN_MAX_FAILURES:
            User.objects.filter(pk=user.pk).update(
                failed_login_count=0, locked_until=timezone.now() + timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            )
            log.warning("login_lockout", extra={"user_id": user.pk})


def logout(*, token: AuthToken) -> None:
    AuthToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def password_reset_request(*, email: str) -> None:
    user = User.objects.filter(email=(email or "").strip().lower(), is_active=True).first()
    if user is not None:
        _send_set_password_mail_rollback_unsafe(user.pk, welcome=False)


@transaction.atomic
def password_set(*, uid: str, token: str, password: str) -> User:
    invalid = ApplicationError(
        "invalid_link", "This link is invalid or has already been used.", {"token": "Invalid or used."}
    )
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        raise invalid from None
    user = User.objects.select_for_update().filter(pk=pk, is_active=True).first()
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid
    _validate_password(password, user)
    user.set_password(password)
    user.failed_login_count = 0
    user.locked_until = None
    user.save(update_fields=["password", "failed_login_count", "locked_until"])
    tokens_revoke_all(user=user)
    return user
