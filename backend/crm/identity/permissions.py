from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from .models import User


class IsOrgAdmin(BasePermission):
    """Owners and Admins of the organization."""

    message = gettext_lazy("Only an administrator can do this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_admin)


class AdminWriteOrReadOnly(BasePermission):
    """Everybody reads; only Owners and Admins write (product catalog, settings)."""

    message = gettext_lazy("Only an administrator can change this.")

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return request.method in ("GET", "HEAD", "OPTIONS") or user.is_admin


def request_user(request: Request) -> User:
    """The signed-in user of a request that passed authentication (an anonymous one is refused)."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user
