"""Django authentication backend for email + password with emails unique per organization.

The API signs in through `services.login` (lockout, tokens); this backend makes
`django.contrib.auth.authenticate()` apply the same rule, and its presence is why Django's
USERNAME_FIELD uniqueness check is only a warning (silenced in the settings).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.http import HttpRequest

from . import services
from .models import User


class EmailPasswordBackend(BaseBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        email: str | None = None,
        password: str | None = None,
        organization: int | None = None,
        **kwargs: Any,
    ) -> User | None:
        if email is None or password is None:
            return None
        matches = services.users_matching_credentials(email=email, password=password)
        if organization is not None:
            matches = [user for user in matches if user.organization_id == organization]
        # Ambiguous without an organization: refuse rather than guess.
        return matches[0] if len(matches) == 1 else None

    def get_user(self, user_id: int) -> User | None:
        return User.objects.select_related("organization").filter(pk=user_id, is_active=True).first()
