"""The base of every API view: the signed-in user's organization is in scope for the request."""

from __future__ import annotations

from typing import Any, ClassVar

from rest_framework.request import Request
from rest_framework.views import APIView

from crm.core import limits
from crm.core.scoping import reset_current_org, reset_current_viewer, set_current_org, set_current_viewer, viewer_for


class OrgScopedViewMixin:
    """Puts the signed-in user's organization and visibility in scope for the request, and takes them out after."""

    # The plan feature the endpoint belongs to (``marketing``, ``ai``): in SaaS mode an organization
    # whose plan lacks it is answered with the plan's message (402) before the view runs.
    plan_feature: ClassVar[str | None] = None

    _org_token: Any = None
    _viewer_token: Any = None

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)  # type: ignore[misc]
        user = request.user
        if user is not None and user.is_authenticated:
            self._org_token = set_current_org(user.organization_id)
            # The records this user may see (sharing): every scoped queryset of the request reads it.
            self._viewer_token = set_current_viewer(viewer_for(user))

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if self.plan_feature is not None and request.user is not None and request.user.is_authenticated:
            limits.check_feature(organization_id=request.user.organization_id, feature=self.plan_feature)

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        finally:
            if self._viewer_token is not None:
                reset_current_viewer(self._viewer_token)
                self._viewer_token = None
            if self._org_token is not None:
                reset_current_org(self._org_token)
                self._org_token = None


class ScopedAPIView(OrgScopedViewMixin, APIView):
    """Base for non-CRUD endpoints (business actions, reports)."""
