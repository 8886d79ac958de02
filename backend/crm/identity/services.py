"""Identity actions: organizations, users, sign-in with lockout, tokens, passwords."""

from __future__ import annotations

import logging
import secrets
import threading
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core import limits
from crm.core.errors import ApplicationError, VersionConflict
from crm.core.organizations import organization_initialise
from crm.core.scoping import org_scope

from . import locks
from .models import ADMIN_ROLES, AuthToken, Invitation, Organization, Role, User, hash_token

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

log = logging.getLogger("crm.identity")

GENERIC_LOGIN_ERROR = gettext_lazy("Invalid email or password.")
# Compared against when the email is unknown, so both failures cost the same time.
_DUMMY_HASH = make_password("not-a-real-password-used-for-timing")


@transaction.atomic
def organization_create(*, name: str, admin_email: str, admin_password: str | None, admin_name: str = "") -> User:
    """A new tenant with its first user as Owner."""
    # Emails are unique per organization; the new organization has no users yet.
    email = admin_email.strip().lower()
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
        raise ApplicationError("weak_password", _("Choose a stronger password."), {"password": exc.messages}) from exc


def _send_link_mail_rollback_unsafe(
    *, to: str, language: str, names: dict[str, str], subject: StrOrPromise, parts: list[StrOrPromise]
) -> None:
    """The one shape of every mail that carries a single-use link (welcome, reset, invitation).

    ``subject`` and ``parts`` (the paragraphs above the link, the line that introduces it, and the
    lines below it) are lazy translations filled with ``names`` in ``language`` (English when the
    language is not available); ``names["link"]`` stands on its own line.
    """
    *above, call, below = parts
    with translation.override(language if translation.check_for_language(language) else "en"):
        text = "\n\n".join(str(part) % names for part in above)
        body = f"{text}\n\n{str(call) % names}\n{names['link']}\n\n{str(below) % names}\n"
        title = str(subject) % names
    send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [to])


def _send_set_password_mail_rollback_unsafe(user_id: int, *, welcome: bool) -> None:
    user = User.objects.select_related("organization").get(pk=user_id)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    page = "set-password" if welcome else "reset-password"
    link = f"{settings.CRM_BASE_URL}/{page}?uid={uid}&token={token}"
    names = {"organization": user.organization.name, "name": user.name, "email": user.email, "link": link}
    if welcome:
        subject = gettext_lazy("Your account at %(organization)s")
        intro = gettext_lazy("An administrator created a CRM account for you at %(organization)s.")
    else:
        subject = gettext_lazy("Reset your CRM password at %(organization)s")
        intro = gettext_lazy("Somebody asked to reset the password of your CRM account at %(organization)s.")
    _send_link_mail_rollback_unsafe(
        to=user.email,
        language=user.language,
        names=names,
        subject=subject,
        parts=[
            gettext_lazy("Hello %(name)s,"),
            intro,
            gettext_lazy("Set your password here (the link works once):"),
            gettext_lazy("Sign in with this email address: %(email)s (organization: %(organization)s)"),
        ],
    )


def _check_manager(*, organization_id: int, user_id: int | None, manager_id: int | None) -> None:
    """A manager is a user of the same organization, and the chain above them never
    reaches the user again (a cycle would make everyone their own manager)."""
    if manager_id is None:
        return
    # Two managers changed at once could close a cycle neither sees: one organization at a time.
    locks.organization_for_update(organization_id=organization_id)
    chain = dict(User.objects.filter(organization_id=organization_id).values_list("id", "manager_id"))
    if manager_id not in chain:
        raise ApplicationError(
            "validation_error",
            _("No such user."),
            {"manager_id": _("No user with id %(manager_id)s.") % {"manager_id": manager_id}},
        )
    seen: set[int] = set()
    current: int | None = manager_id
    while current is not None and current not in seen:  # bounded by the organization's users
        if current == user_id:
            raise ApplicationError(
                "manager_cycle",
                _("A user cannot report to themselves or to someone who reports to them."),
                {"manager_id": _("This manager reports to the user (directly or further down).")},
            )
        seen.add(current)
        current = chain.get(current)


def _seat_check(*, organization_id: int) -> None:
    """The plan's seats (SaaS mode), asked with the organization row locked until the caller's
    transaction ends: concurrent invitations, accepts and new users of one organization take the
    last free seat one at a time, so they never add more users than the plan has seats."""
    locks.organization_for_update(organization_id=organization_id)
    limits.check_add_user(organization_id=organization_id)


@transaction.atomic(durable=True)
def user_create(*, actor: User, name: str, email: str, role: str, manager_id: int | None = None) -> User:
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError(
            "forbidden_role", _("Only an Owner can make another Owner."), {"role": _("Not allowed.")}, 403
        )
    _seat_check(organization_id=actor.organization_id)
    email = email.strip().lower()
    # Only this organization's users count (admins see them anyway); whether the address is in use
    # in another organization is not this admin's business and is never revealed.
    if User.objects.filter(organization_id=actor.organization_id, email=email).exists():
        raise ApplicationError(
            "email_taken", _("A user with this email already exists."), {"email": _("Already in use.")}
        )
    try:
        with transaction.atomic():
            _check_manager(organization_id=actor.organization_id, user_id=None, manager_id=manager_id)
            user = User.objects.create_user(
                email, None, organization=actor.organization, name=name, role=role, manager_id=manager_id
            )
    except IntegrityError as exc:
        raise ApplicationError(
            "email_taken", _("A user with this email already exists."), {"email": _("Already in use.")}
        ) from exc
    audit.write_event(
        record=user,
        action=AuditEvent.Action.CREATE,
        actor=actor,
        changes={"name": (None, user.name), "email": (None, user.email), "role": (None, user.role)},
    )
    transaction.on_commit(lambda: _send_set_password_mail_rollback_unsafe(user.pk, welcome=True))
    return user


@transaction.atomic(durable=True)
def user_update(*, actor: User, user: User, data: dict[str, Any], expected_version: int) -> User:
    touches_owner = user.role == Role.OWNER or data.get("role") == Role.OWNER
    if touches_owner and actor.role != Role.OWNER:
        raise ApplicationError(
            "forbidden_role", _("Only an Owner can change an Owner or make one."), {"role": _("Not allowed.")}, 403
        )
    if user.pk == actor.pk and (data.get("is_active") is False or ("role" in data and data["role"] not in ADMIN_ROLES)):
        raise ApplicationError(
            "self_lockout",
            _("You cannot deactivate yourself or remove your own admin role."),
            {"is_active": _("Not allowed.")},
        )
    if data.get("is_active") is True and not user.is_active:
        _seat_check(organization_id=actor.organization_id)  # a reactivated user takes a seat again
    if "manager_id" in data:
        _check_manager(organization_id=actor.organization_id, user_id=user.pk, manager_id=data["manager_id"])
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


# What an administrator may change in the organization settings.
ORGANIZATION_SETTINGS = frozenset(
    {
        "name",
        "allow_fulfill_before_payment",
        "legal_name",
        "street",
        "city",
        "postal_code",
        "country",
        "vat_number",
        "registration_number",
        "iban",
        "bic",
        "currency",
        "default_language",
        "time_zone",
        "fiscal_year_start_month",
    }
)


def _organization_profile_clean(data: dict[str, Any], organization: Organization) -> dict[str, Any]:
    """Checked and normalised profile values (VAT, IBAN/BIC, currency, language, time zone,
    country); every problem is a field error, all reported at once."""
    from babel.numbers import list_currencies
    from schwifty import BIC, IBAN
    from schwifty.exceptions import SchwiftyException
    from stdnum.eu import vat
    from stdnum.exceptions import ValidationError as NumberError

    cleaned = dict(data)
    errors: dict[str, str] = {}
    if cleaned.get("country"):
        country = cleaned["country"].strip().upper()
        if country not in _countries():
            errors["country"] = _("Not a country code (ISO 3166-1 alpha-2, e.g. BG).")
        cleaned["country"] = country
    if cleaned.get("vat_number"):
        try:
            cleaned["vat_number"] = vat.validate(cleaned["vat_number"])
        except NumberError:
            errors["vat_number"] = _("Not a valid EU VAT number (with its country prefix, e.g. BG175074752).")
    if cleaned.get("iban"):
        try:
            cleaned["iban"] = IBAN(cleaned["iban"]).compact
        except SchwiftyException:
            errors["iban"] = _("Not a valid IBAN.")
    if cleaned.get("bic"):
        try:
            cleaned["bic"] = str(BIC(cleaned["bic"]))
        except SchwiftyException:
            errors["bic"] = _("Not a valid BIC.")
    if "currency" in cleaned:
        currency = (cleaned["currency"] or "").strip().upper()
        if currency not in list_currencies():
            errors["currency"] = _("Not a currency code (ISO 4217, e.g. EUR).")
        cleaned["currency"] = currency
    if "default_language" in cleaned and cleaned["default_language"] not in LANGUAGE_CODES:
        errors["default_language"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(LANGUAGE_CODES))}
    if "time_zone" in cleaned and not _is_time_zone(cleaned["time_zone"]):
        errors["time_zone"] = _("Not a time zone (e.g. Europe/Sofia).")
    month = cleaned.get("fiscal_year_start_month")
    if month is not None and not 1 <= month <= 12:
        errors["fiscal_year_start_month"] = _("A month from 1 to 12.")
    if errors:
        raise ApplicationError("validation_error", _("Some fields are not valid."), errors)
    return cleaned


def _countries() -> frozenset[str]:
    from babel import Locale

    codes = (str(code) for code in Locale("en").territories)
    return frozenset(code for code in codes if len(code) == 2 and code.isalpha())


def _is_time_zone(name: object) -> bool:
    return isinstance(name, str) and name in zoneinfo.available_timezones()


LANGUAGE_CODES = frozenset(code for code, _name in settings.LANGUAGES)


@transaction.atomic(durable=True)
def organization_update(*, actor: User, data: dict[str, Any], expected_version: int) -> Organization:
    """Change the actor's organization settings if nobody saved them since ``expected_version``."""
    if not actor.is_admin:
        raise ApplicationError("forbidden", _("Only an administrator can change the organization settings."), None, 403)
    organization = locks.organization_for_update(organization_id=actor.organization_id)
    if organization.version != expected_version:
        raise VersionConflict(current_version=organization.version)
    data = _organization_profile_clean({k: v for k, v in data.items() if k in ORGANIZATION_SETTINGS}, organization)
    changes = {k: v for k, v in data.items() if getattr(organization, k) != v}
    if not changes:
        return organization
    Organization.objects.filter(pk=organization.pk).update(**changes, version=F("version") + 1)
    audit.write_event(
        record=organization,
        organization_id=organization.pk,
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        changes={name: (getattr(organization, name), value) for name, value in changes.items()},
    )
    return Organization.objects.get(pk=organization.pk)


# Formats a logo may have (no SVG: a script inside would run when the file is opened directly).
LOGO_FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "GIF": ("gif", "image/gif"),
    "WEBP": ("webp", "image/webp"),
}
LOGO_MAX_PIXELS = 4096 * 4096


def _logo_checked(content: bytes) -> str:
    """The file extension of an acceptable logo image; anything else is a field error."""
    import io

    from PIL import Image, UnidentifiedImageError

    if len(content) > settings.ORGANIZATION_LOGO_MAX_BYTES:
        raise ApplicationError(
            "validation_error",
            _("The logo is too large."),
            {"logo": _("At most %(size)s KB.") % {"size": settings.ORGANIZATION_LOGO_MAX_BYTES // 1024}},
        )
    not_an_image = ApplicationError(
        "validation_error", _("The logo is not an image."), {"logo": _("Upload a PNG, JPEG, GIF or WebP image.")}
    )
    try:
        with Image.open(io.BytesIO(content)) as image:
            if image.format not in LOGO_FORMATS or image.width * image.height > LOGO_MAX_PIXELS:
                raise not_an_image
            image.verify()
            return LOGO_FORMATS[image.format][0]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise not_an_image from None


def logo_content_type(name: str) -> str:
    extension = name.rsplit(".", 1)[-1]
    return next((kind for ext, kind in LOGO_FORMATS.values() if ext == extension), "application/octet-stream")


@transaction.atomic(durable=True)
def organization_logo_set(*, actor: User, content: bytes | None) -> Organization:
    """Replace (or with None remove) the organization's logo; the old file is deleted after commit."""
    from django.core.files.base import ContentFile

    if not actor.is_admin:
        raise ApplicationError("forbidden", _("Only an administrator can change the organization settings."), None, 403)
    extension = _logo_checked(content) if content is not None else None
    organization = locks.organization_for_update(organization_id=actor.organization_id)
    old = organization.logo.name or ""
    if extension is not None and content is not None:
        organization.logo.save(
            f"{organization.pk}-{secrets.token_hex(8)}.{extension}", ContentFile(content), save=False
        )
    else:
        organization.logo = ""
    new = organization.logo.name or ""
    Organization.objects.filter(pk=organization.pk).update(logo=new, version=F("version") + 1)
    audit.write_event(
        record=organization,
        organization_id=organization.pk,
        action=AuditEvent.Action.UPDATE,
        actor=actor,
        changes={"logo": (old or None, new or None)},
    )
    storage = organization.logo.storage
    if old:
        transaction.on_commit(lambda: storage.delete(old))
    return Organization.objects.get(pk=organization.pk)


def tokens_revoke_all(*, user: User) -> int:
    return AuthToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


class LockedOut(ApplicationError):
    status_code = 429


class OrganizationRequired(ApplicationError):
    """The password fits users in several organizations: the caller must pick one."""

    def __init__(self, organizations: list[Organization]) -> None:
        super().__init__(
            "organization_required",
            _("This email and password belong to accounts in more than one organization. Choose one."),
            {"organization": _("Choose the organization to sign in to.")},
        )
        self.details = {"organizations": [{"id": org.pk, "name": org.name} for org in organizations]}


def users_matching_credentials(*, email: str, password: str) -> list[User]:
    """The active users with this email whose password is `password` (one per organization at most).

    Every candidate's hash is checked; with no candidate a dummy hash is, so the time taken does
    not tell whether the address exists.
    """
    email = (email or "").strip().lower()
    candidates = list(User.objects.select_related("organization").filter(email=email, is_active=True).order_by("pk"))
    if not candidates:
        check_password(password, _DUMMY_HASH)
        return []
    return [user for user in candidates if user.check_password(password)]


def _lockout_keys(email: str, client_ip: str) -> tuple[str, str]:
    pair = hash_token(f"{email}\n{client_ip}")
    return f"login-failures:{pair}", f"login-locked:{pair}"


def login(
    *, email: str, password: str, client_ip: str, organization_id: int | None = None
) -> tuple[User, AuthToken, str]:
    """Check credentials; returns the user, a new session token and its raw value.

    Lockout is per (email, client address): failures are counted in the cache whether or not the
    email exists, so the lockout answer reveals nothing, and nobody can lock a user out from
    another address. A password that fits users in several organizations needs `organization_id`.
    """
    email = (email or "").strip().lower()
    failures_key, locked_key = _lockout_keys(email, client_ip)
    locked_until = cache.get(locked_key)
    if locked_until is not None and locked_until > time.time():
        minutes = max(1, int((locked_until - time.time()) // 60) + 1)
        raise LockedOut(
            "locked_out",
            ngettext(
                "Too many failed sign-in attempts. Try again in %(minutes)s minute.",
                "Too many failed sign-in attempts. Try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
    matches = users_matching_credentials(email=email, password=password)
    if organization_id is not None:
        matches = [user for user in matches if user.organization_id == organization_id]
    if not matches:
        _register_failure(failures_key, locked_key, client_ip=client_ip)
        raise ApplicationError("invalid_credentials", str(GENERIC_LOGIN_ERROR), status_code=400)
    if len(matches) > 1:
        raise OrganizationRequired([user.organization for user in matches])
    user = matches[0]
    cache.delete_many([failures_key, locked_key])
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        token, raw = AuthToken.issue(user=user, kind=AuthToken.Kind.SESSION, can_manage_tokens=True)
    return user, token, raw


def _register_failure(failures_key: str, locked_key: str, *, client_ip: str) -> None:
    window = settings.LOGIN_LOCKOUT_MINUTES * 60
    cache.add(failures_key, 0, window)
    try:
        count = cache.incr(failures_key)
    except ValueError:  # expired between add and incr
        cache.set(failures_key, 1, window)
        count = 1
    if count >= settings.LOGIN_MAX_FAILURES:
        cache.set(locked_key, time.time() + window, window)
        cache.delete(failures_key)
        log.warning("login_lockout", extra={"client_ip": client_ip})


def personal_token_create(
    *,
    actor: User,
    via_token: AuthToken | None,
    name: str,
    expires_in_days: int | None = None,
    never_expires: bool = False,
    can_manage_tokens: bool = False,
) -> tuple[AuthToken, str]:
    """A personal API token for `actor`; the raw value is returned once.

    A request authenticated by a token may do this only if that token carries the right (session
    tokens from a password sign-in do), so a leaked API token cannot mint more tokens. Tokens
    expire after PERSONAL_TOKEN_TTL_DAYS unless a lifetime or `never_expires` is chosen.
    """
    if via_token is not None and not via_token.can_manage_tokens:
        raise ApplicationError(
            "token_not_allowed",
            _("This token may not create tokens. Sign in with your password, or use a token created with that right."),
            status_code=403,
        )
    if never_expires and expires_in_days is not None:
        raise ApplicationError(
            "validation_error",
            _("Choose either a lifetime or a token that never expires."),
            {"never": _("Not together with expires_in_days.")},
        )
    return AuthToken.issue(
        user=actor,
        kind=AuthToken.Kind.PERSONAL,
        name=name,
        ttl=timedelta(days=expires_in_days) if expires_in_days is not None else None,
        never_expires=never_expires,
        can_manage_tokens=can_manage_tokens,
    )


def logout(*, token: AuthToken) -> None:
    AuthToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())


def password_reset_request(*, email: str) -> None:
    """One mail per active user with this email (each names its organization); nothing else tells.

    The look-up and the mail happen off the request (MAIL_IN_BACKGROUND): the answer takes the same
    time whether or not the address exists, however slow the mail server is.
    """
    address = (email or "").strip().lower()
    off_the_request(lambda: _password_reset_send(address))


def _password_reset_send(email: str) -> None:
    for user_id in User.objects.filter(email=email, is_active=True).values_list("pk", flat=True):
        _send_set_password_mail_rollback_unsafe(user_id, welcome=False)


MAIL_THREAD_NAME = "crm-mail"


def off_the_request(task: Callable[[], None]) -> None:
    """Run ``task`` in a background thread (MAIL_IN_BACKGROUND, the default) or right away."""
    if not settings.MAIL_IN_BACKGROUND:
        task()
        return
    threading.Thread(target=_run_in_background, args=(task,), name=MAIL_THREAD_NAME, daemon=True).start()


def _run_in_background(task: Callable[[], None]) -> None:
    try:
        task()
    except Exception:
        log.exception("background_mail_failed")
    finally:
        connections.close_all()  # this thread's own database connection


@transaction.atomic(durable=True)
def password_set(*, uid: str, token: str, password: str) -> User:
    invalid = ApplicationError(
        "invalid_link", _("This link is invalid or has already been used."), {"token": _("Invalid or used.")}
    )
    try:
        pk = int(force_str(urlsafe_base64_decode(uid)))
    except (TypeError, ValueError, OverflowError):
        raise invalid from None
    user = locks.active_user_for_update(user_id=pk)
    if user is None or not default_token_generator.check_token(user, token):
        raise invalid
    _validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    tokens_revoke_all(user=user)
    return user


# What a user changes about themselves on their profile.
PROFILE_FIELDS = frozenset({"name", "language", "time_zone"})


@transaction.atomic(durable=True)
def profile_update(*, user: User, data: dict[str, Any], expected_version: int) -> User:
    """The signed-in user's name, language and time zone (empty: the organization's), if nobody
    saved the user since ``expected_version``."""
    changes = {k: v for k, v in data.items() if k in PROFILE_FIELDS}
    errors: dict[str, str] = {}
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
        if not changes["name"]:
            errors["name"] = _("This field may not be blank.")
    if "language" in changes and changes["language"] not in LANGUAGE_CODES:
        errors["language"] = _("Choose one of: %(choices)s.") % {"choices": ", ".join(sorted(LANGUAGE_CODES))}
    if changes.get("time_zone") and not _is_time_zone(changes["time_zone"]):
        errors["time_zone"] = _("Not a time zone (e.g. Europe/Sofia).")
    if errors:
        raise ApplicationError("validation_error", _("Some fields are not valid."), errors)
    current = locks.active_user_for_update(user_id=user.pk)
    if current is None or current.version != expected_version:
        raise VersionConflict(current_version=current.version if current else None)
    changed = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if changed:
        User.objects.filter(pk=user.pk).update(**changed, version=F("version") + 1)
        audit.write_event(
            record=current,
            action=AuditEvent.Action.UPDATE,
            actor=user,
            changes={name: (getattr(current, name), value) for name, value in changed.items()},
        )
    return User.objects.select_related("organization").get(pk=user.pk)


@transaction.atomic(durable=True)
def password_change(*, user: User, current_password: str, new_password: str, keep_token: AuthToken | None) -> None:
    """Change one's own password (the current one is needed); every other session and token of
    the user stops working, the one making the change goes on."""
    locked = locks.active_user_for_update(user_id=user.pk)
    if locked is None or not locked.check_password(current_password):
        raise ApplicationError(
            "wrong_password", _("The current password is not correct."), {"current_password": _("Not correct.")}
        )
    _validate_password(new_password, locked)
    locked.set_password(new_password)
    locked.save(update_fields=["password"])
    others = AuthToken.objects.filter(user=locked, revoked_at__isnull=True)
    if keep_token is not None:
        others = others.exclude(pk=keep_token.pk)
    others.update(revoked_at=timezone.now())
    audit.write_event(record=locked, action=AuditEvent.Action.ACTION, actor=user, name="user.password_change")


def sign_out_everywhere(*, user: User) -> int:
    """Revoke every session of the user, this one included (personal API tokens stay)."""
    return AuthToken.objects.filter(user=user, kind=AuthToken.Kind.SESSION, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


# --- invitations ---------------------------------------------------------------------------------

ROLE_NAMES: dict[str, StrOrPromise] = {
    Role.OWNER: gettext_lazy("Owner"),
    Role.ADMIN: gettext_lazy("Admin"),
    Role.MANAGER: gettext_lazy("Manager"),
    Role.USER: gettext_lazy("User"),
}


def _invitation_ttl() -> timedelta:
    return timedelta(days=settings.INVITATION_TTL_DAYS)


def _new_link_token() -> tuple[str, str]:
    """A random single-use link token and the hash that is stored in its place."""
    raw = secrets.token_urlsafe(32)
    return raw, hash_token(raw)


def _require_admin(actor: User) -> None:
    if not actor.is_admin:
        raise ApplicationError("forbidden", _("Only an administrator can invite users."), None, 403)


def _refuse_existing_user(*, organization_id: int, email: str) -> None:
    # Only this organization's users count; an address in use elsewhere is never revealed.
    if User.objects.filter(organization_id=organization_id, email=email).exists():
        raise ApplicationError(
            "email_taken", _("A user with this email already exists."), {"email": _("Already in use.")}
        )


def _already_invited() -> ApplicationError:
    return ApplicationError(
        "invitation_pending",
        _("This address has already been invited. Resend the pending invitation instead."),
        {"email": _("Already invited: resend the pending invitation.")},
    )


def _invitation_link(raw: str) -> str:
    return f"{settings.CRM_BASE_URL}/accept-invitation?token={raw}"


def _send_invitation_mail_rollback_unsafe(invitation_id: int, raw: str) -> None:
    """The invitation mail, in the organization's default language."""
    invitation = Invitation.all_orgs.select_related("organization", "invited_by").get(pk=invitation_id)
    organization = invitation.organization
    with translation.override(
        organization.default_language if translation.check_for_language(organization.default_language) else "en"
    ):
        role = str(ROLE_NAMES.get(invitation.role, invitation.role))
    names = {
        "organization": organization.name,
        "inviter": invitation.invited_by.name or invitation.invited_by.email,
        "email": invitation.email,
        "role": role,
        "days": str(settings.INVITATION_TTL_DAYS),
        "link": _invitation_link(raw),
    }
    _send_link_mail_rollback_unsafe(
        to=invitation.email,
        language=organization.default_language,
        names=names,
        subject=gettext_lazy("You are invited to %(organization)s"),
        parts=[
            gettext_lazy("Hello,"),
            gettext_lazy("%(inviter)s invited you to join %(organization)s in the CRM as %(role)s."),
            gettext_lazy("Accept the invitation here (the link works once and expires in %(days)s days):"),
            gettext_lazy("You will sign in with this email address: %(email)s"),
        ],
    )


def _mail_invitation_on_commit(invitation_id: int, raw: str) -> None:
    """After commit, off the request: a slow mail server does not hold the answer up."""
    transaction.on_commit(lambda: off_the_request(lambda: _send_invitation_mail_rollback_unsafe(invitation_id, raw)))


@transaction.atomic(durable=True)
def invitation_create(*, actor: User, email: str, role: str) -> Invitation:
    """Invite ``email`` into the actor's organization with ``role``; the mail carries the link.

    The one way an invitation is made (limits on seats belong here)."""
    _require_admin(actor)
    if role not in Role.values:
        raise ApplicationError(
            "validation_error",
            _("Some fields are not valid."),
            {"role": _("Choose one of: %(choices)s.") % {"choices": ", ".join(Role.values)}},
        )
    if role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError(
            "forbidden_role", _("Only an Owner can invite another Owner."), {"role": _("Not allowed.")}, 403
        )
    email = (email or "").strip().lower()
    organization_id = actor.organization_id
    _refuse_existing_user(organization_id=organization_id, email=email)
    _seat_check(organization_id=organization_id)  # the plan's seats (SaaS mode)
    with org_scope(organization_id):
        if Invitation.objects.filter(email=email, status=Invitation.Status.PENDING).exists():
            raise _already_invited()
        raw, token_hash = _new_link_token()
        now = timezone.now()
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    organization_id=organization_id,
                    email=email,
                    role=role,
                    invited_by=actor,
                    token_hash=token_hash,
                    expires_at=now + _invitation_ttl(),
                    sent_at=now,
                )
        except IntegrityError as exc:  # invited at the same moment by another administrator
            raise _already_invited() from exc
    audit.write_event(
        record=invitation,
        action=AuditEvent.Action.CREATE,
        actor=actor,
        name="invitation.create",
        changes={"email": (None, email), "role": (None, role), "status": (None, invitation.status)},
    )
    _mail_invitation_on_commit(invitation.pk, raw)
    return invitation


def _locked_invitation(*, actor: User, invitation_id: int) -> Invitation:
    _require_admin(actor)
    invitation = locks.invitation_for_update(organization_id=actor.organization_id, invitation_id=invitation_id)
    if invitation is None:
        raise ApplicationError("not_found", _("No such invitation."), None, 404)
    if invitation.status == Invitation.Status.ACCEPTED:
        raise ApplicationError("invitation_used", _("This invitation has already been accepted."))
    if invitation.status == Invitation.Status.REVOKED:
        raise ApplicationError("invitation_revoked", _("This invitation has been revoked."))
    return invitation


@transaction.atomic(durable=True)
def invitation_resend(*, actor: User, invitation_id: int) -> Invitation:
    """A new link for a pending (or expired) invitation, valid for the full time again; the old
    link stops working at once."""
    invitation = _locked_invitation(actor=actor, invitation_id=invitation_id)
    if invitation.role == Role.OWNER and actor.role != Role.OWNER:
        raise ApplicationError(
            "forbidden_role", _("Only an Owner can invite another Owner."), {"role": _("Not allowed.")}, 403
        )
    _refuse_existing_user(organization_id=invitation.organization_id, email=invitation.email)
    raw, token_hash = _new_link_token()
    now = timezone.now()
    before = invitation.expires_at
    Invitation.all_orgs.filter(pk=invitation.pk).update(
        token_hash=token_hash, expires_at=now + _invitation_ttl(), sent_at=now, updated_at=now
    )
    invitation.refresh_from_db()
    audit.write_event(
        record=invitation,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="invitation.resend",
        changes={"expires_at": (before, invitation.expires_at)},
    )
    _mail_invitation_on_commit(invitation.pk, raw)
    return invitation


@transaction.atomic(durable=True)
def invitation_revoke(*, actor: User, invitation_id: int) -> Invitation:
    """The invitation's link stops working; the address may be invited again."""
    invitation = _locked_invitation(actor=actor, invitation_id=invitation_id)
    now = timezone.now()
    Invitation.all_orgs.filter(pk=invitation.pk).update(
        status=Invitation.Status.REVOKED, revoked_at=now, updated_at=now
    )
    invitation.refresh_from_db()
    audit.write_event(
        record=invitation,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="invitation.revoke",
        changes={"status": (Invitation.Status.PENDING, Invitation.Status.REVOKED)},
    )
    return invitation


# Why a link no longer works: the code the API answers and the sentence for the user.
INVITATION_REFUSALS: dict[str, StrOrPromise] = {
    "invitation_invalid": gettext_lazy("This invitation link is not valid. Check that you copied all of it."),
    "invitation_used": gettext_lazy("This invitation has already been accepted. Sign in instead."),
    "invitation_revoked": gettext_lazy("This invitation has been revoked. Ask your administrator for a new one."),
    "invitation_expired": gettext_lazy("This invitation has expired. Ask your administrator to send it again."),
}


def _refusal(code: str) -> ApplicationError:
    return ApplicationError(code, str(INVITATION_REFUSALS[code]), {"token": str(INVITATION_REFUSALS[code])})


def _refusal_code(invitation: Invitation) -> str | None:
    status = invitation.effective_status
    if status == Invitation.Status.ACCEPTED:
        return "invitation_used"
    if status == Invitation.Status.REVOKED:
        return "invitation_revoked"
    if status == Invitation.EXPIRED:
        return "invitation_expired"
    return None


@dataclass(frozen=True)
class InvitationCheck:
    """What the accept page shows before the invitee types anything."""

    email: str
    organization: str
    role: str
    expires_at: datetime
    valid: bool
    code: str | None
    message: str


def invitation_check(*, token: str) -> InvitationCheck:
    """The invitation a link names and whether it still works (the reason when not); an unknown
    token is refused as invalid."""
    invitation = (
        Invitation.all_orgs.select_related("organization").filter(token_hash=hash_token(token or "")).first()
        if token
        else None
    )
    if invitation is None:
        raise _refusal("invitation_invalid")
    code = _refusal_code(invitation)
    return InvitationCheck(
        email=invitation.email,
        organization=invitation.organization.name,
        role=invitation.role,
        expires_at=invitation.expires_at,
        valid=code is None,
        code=code,
        message=str(INVITATION_REFUSALS[code]) if code else "",
    )


@transaction.atomic(durable=True)
def invitation_accept(*, token: str, name: str, password: str) -> tuple[User, AuthToken, str]:
    """Create the invited user with the invitation's role and sign them in (a new session token).

    The organization row is locked first (its seats are taken one at a time), then the invitation,
    so two accepts of one link create one user: the second finds it accepted."""
    token_hash = hash_token(token) if token else ""
    organization_id = (
        Invitation.all_orgs.filter(token_hash=token_hash).values_list("organization_id", flat=True).first()
        if token
        else None
    )
    if organization_id is not None:  # the lock order: the organization (its seats), then the invitation
        locks.organization_for_update(organization_id=organization_id)
    invitation = locks.invitation_by_token_for_update(token_hash=token_hash) if token else None
    if invitation is None:
        raise _refusal("invitation_invalid")
    code = _refusal_code(invitation)
    if code is not None:
        raise _refusal(code)
    name = (name or "").strip()
    if not name:
        raise ApplicationError(
            "validation_error", _("Some fields are not valid."), {"name": _("This field may not be blank.")}
        )
    organization = Organization.objects.get(pk=invitation.organization_id)
    email = invitation.email
    if User.objects.filter(organization_id=organization.pk, email=email).exists():
        raise ApplicationError(
            "email_taken",
            _("A user with this email already exists in %(organization)s. Sign in instead.")
            % {"organization": organization.name},
            {"token": _("Already in use.")},
        )
    language = organization.default_language if organization.default_language in LANGUAGE_CODES else "en"
    _validate_password(password, User(email=email, name=name))
    _seat_check(organization_id=organization.pk)  # seats may have filled since the invitation
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, organization=organization, name=name, role=invitation.role, language=language
            )
    except IntegrityError as exc:  # an administrator created the user at the same moment
        raise ApplicationError(
            "email_taken",
            _("A user with this email already exists in %(organization)s. Sign in instead.")
            % {"organization": organization.name},
            {"token": _("Already in use.")},
        ) from exc
    now = timezone.now()
    Invitation.all_orgs.filter(pk=invitation.pk).update(
        status=Invitation.Status.ACCEPTED, accepted_user=user, accepted_at=now, updated_at=now
    )
    invitation.refresh_from_db()
    audit.write_event(
        record=user,
        action=AuditEvent.Action.CREATE,
        actor=user,
        name="invitation.accept",
        changes={"name": (None, user.name), "email": (None, user.email), "role": (None, user.role)},
    )
    audit.write_event(
        record=invitation,
        action=AuditEvent.Action.ACTION,
        actor=user,
        name="invitation.accept",
        changes={"status": (Invitation.Status.PENDING, Invitation.Status.ACCEPTED), "accepted_user": (None, user.pk)},
    )
    User.objects.filter(pk=user.pk).update(last_login=now)
    session, raw = AuthToken.issue(user=user, kind=AuthToken.Kind.SESSION, can_manage_tokens=True)
    return User.objects.select_related("organization").get(pk=user.pk), session, raw
