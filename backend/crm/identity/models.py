"""Organizations (tenants), their users with roles, and authentication tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.utils import timezone


class Organization(models.Model):
    name = models.CharField(max_length=200)
    currency = models.CharField(max_length=3, default="EUR")
    # Off by default: an order is fulfilled only once it is paid in full.
    allow_fulfill_before_payment = models.BooleanField(default=False)
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
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=150)
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    is_active = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    language = models.CharField(max_length=8, default="en")
    created_at = models.DateTimeField(auto_now_add=True)
    failed_login_count = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    objects = UserManager()

    class Meta:
        indexes = [models.Index(fields=["organization", "name"])]

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

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    @classmethod
    def issue(cls, *, user: User, kind: str, name: str = "", ttl: timedelta | None = None) -> tuple[AuthToken, str]:
        raw = "crm_" + secrets.token_urlsafe(32)
        if ttl is None and kind == cls.Kind.SESSION:
            ttl = timedelta(hours=settings.AUTH_TOKEN_TTL_HOURS)
        token = cls.objects.create(
            user=user,
            kind=kind,
            name=name,
            key_hash=hash_token(raw),
            prefix=raw[:12],
            expires_at=timezone.now() + ttl if ttl else None,
        )
        return token, raw

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.kind})"

    @property
    def is_usable(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()
