"""Organizations (tenants), their users with roles, and authentication tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from crm.core.owned import OrgOwned


class Organization(models.Model):
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="EUR")
    # Off by default: an order is fulfilled only once it is paid in full.
    allow_fulfill_before_payment = models.BooleanField(default=False)
    # The organization's profile: printed on quotes, invoices and reminders, and the defaults
    # for its users (language, time zone). Validation lives in the organization settings service.
    legal_name = models.CharField(max_length=200, blank=True, default="")
    street = models.CharField(max_length=255, blank=True, default="")
    city = models.CharField(max_length=100, blank=True, default="")
    postal_code = models.CharField(max_length=20, blank=True, default="")
    country = models.CharField(max_length=2, blank=True, default="", help_text="ISO 3166-1 alpha-2")
    vat_number = models.CharField(max_length=20, blank=True, default="")
    registration_number = models.CharField(max_length=40, blank=True, default="")
    iban = models.CharField(max_length=34, blank=True, default="")
    bic = models.CharField(max_length=11, blank=True, default="")
    default_language = models.CharField(max_length=8, default="en")
    time_zone = models.CharField(max_length=64, default="Europe/Sofia")
    fiscal_year_start_month = models.PositiveSmallIntegerField(default=1)
    logo = models.FileField(upload_to="organization-logos/", blank=True, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    USER = "user", "User"


ADMIN_ROLES = frozenset({Role.OWNER, Role.ADMIN})


class UserManager(BaseUserManager["User"]):
    def create_user(
        self,
        email: str,
        password: str | None,
        *,
        organization: Organization,
        name: str = "",
        role: str = Role.USER,
        **extra: object,
    ) -> User:
        user = self.model(
            email=self.normalize_email(email).lower(), organization=organization, name=name, role=role, **extra
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        return user


class User(AbstractBaseUser):
    object_name = "user"

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="users")
    # Unique within an organization (see Meta), not globally: the same person may work for two
    # agencies, and telling an admin that an address exists elsewhere would reveal it. Stored
    # lowercased (UserManager.create_user); the constraint compares lowercased anyway.
    email = models.EmailField(db_index=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    language = models.CharField(max_length=8, default="en")
    time_zone = models.CharField(max_length=64, blank=True, default="", help_text="empty: the organization's")
    # Salesforce's role hierarchy in its simplest form: a user's manager (and theirs, up the chain)
    # sees what the user owns under Private sharing.
    manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="direct_reports")
    created_at = models.DateTimeField(auto_now_add=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "name"])]
        constraints = [
            models.UniqueConstraint(Lower("email"), "organization", name="identity_user_email_per_organization"),
        ]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def is_admin(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def is_staff(self) -> bool:
        return False


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class AuthToken(models.Model):
    """A bearer token. Only its SHA-256 is stored; the raw value is shown once."""

    class Kind(models.TextChoices):
        SESSION = "session"
        PERSONAL = "personal"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="tokens")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    name = models.CharField(max_length=100, blank=True, default="")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Whether a request authenticated by this token may create further tokens. Session tokens
    # (a password sign-in) may; a personal token only if it was created with this right.
    can_manage_tokens = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    @classmethod
    def issue(
        cls,
        *,
        user: User,
        kind: str,
        name: str = "",
        ttl: timedelta | None = None,
        never_expires: bool = False,
        can_manage_tokens: bool | None = None,
    ) -> tuple[AuthToken, str]:
        """A new token and its raw value. Without `ttl` it gets its kind's default lifetime."""
        raw = "crm_" + secrets.token_urlsafe(32)
        if ttl is None and not never_expires:
            if kind == cls.Kind.SESSION:
                ttl = timedelta(hours=settings.AUTH_TOKEN_TTL_HOURS)
            else:
                ttl = timedelta(days=settings.PERSONAL_TOKEN_TTL_DAYS)
        token = cls.objects.create(
            user=user,
            kind=kind,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[:12],
            expires_at=None if never_expires else timezone.now() + ttl,
            can_manage_tokens=kind == cls.Kind.SESSION if can_manage_tokens is None else can_manage_tokens,
        )
        return token, raw

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.kind})"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class Invitation(OrgOwned):
    """An administrator's invitation of an email address into the organization with a role.

    The mailed link carries a random token; only its SHA-256 is stored. Accepting it creates the
    user once. A resend replaces the token (the old link stops working) and starts the time again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        ACCEPTED = "accepted", "Accepted"
        REVOKED = "revoked", "Revoked"

    # Not stored: a pending invitation whose time is up reads as expired.
    EXPIRED = "expired"

    object_name = "invitation"

    email = models.EmailField()
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(help_text="When the current link was mailed (the first time or a resend).")
    accepted_user = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta(OrgOwned.Meta):
        indexes = [models.Index(fields=["organization", "status", "created_at"])]
        constraints = [
            # One open invitation per address and organization: a second one is a resend.
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=models.Q(status="pending"),
                name="identity_invitation_one_pending_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"

    @property
    def effective_status(self) -> str:
        if self.status == self.Status.PENDING and self.expires_at <= timezone.now():
            return self.EXPIRED
        return str(self.status)
