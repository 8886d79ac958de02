"""Sign-in, session, password and user-management endpoints. Views parse and call services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import FileResponse, Http404
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from crm.core.scoping import current_org_id
from crm.core.security import client_ip
from crm.core.views import OrgScopedViewMixin, ScopedAPIView

from .. import selectors, services
from ..models import AuthToken, Invitation, User, hash_token
from ..permissions import AdminWriteOrReadOnly, IsOrgAdmin
from . import serializers as s


class ClientAddressThrottle(SimpleRateThrottle):
    """Counts per client address as `client_ip` sees it (DRF's get_ident believes X-Forwarded-For)."""

    def get_ident(self, request: Request) -> str:
        return client_ip(request)

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class LoginClientThrottle(ClientAddressThrottle):
    scope = "login_client"


class LoginAccountThrottle(ClientAddressThrottle):
    scope = "login_account"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        email = request.data.get("email") if hasattr(request.data, "get") else None
        if not isinstance(email, str) or not email:
            return None
        return self.cache_format % {"scope": self.scope, "ident": hash_token(email.strip().lower())}


class PasswordResetThrottle(ClientAddressThrottle):
    scope = "password_reset"


def _set_auth_cookie(response: Response, raw: str) -> None:
    response.set_cookie(
        settings.AUTH_COOKIE_NAME,
        raw,
        max_age=settings.AUTH_TOKEN_TTL_HOURS * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.COOKIE_SECURE,
        path="/",
    )


class LoginView(ScopedAPIView):
    permission_classes = [AllowAny]
    throttle_classes = [LoginClientThrottle, LoginAccountThrottle]

    @extend_schema(
        tags=["auth"],
        request=s.LoginSerializer,
        responses={
            200: s.LoginResponseSerializer,
            400: OpenApiResponse(
                s.OrganizationRequiredSerializer,
                description="Invalid credentials or fields; `organization_required` also lists `organizations`.",
            ),
        },
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Sign in with email and password. Sets an httpOnly cookie; the body carries the token only
        when `issue_token` is true (API clients). A 400 `organization_required` lists the
        organizations whose account fits the password: send one of them as `organization`."""
        data = s.LoginSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user, _, raw = services.login(
            email=data.validated_data["email"],
            password=data.validated_data["password"],
            organization_id=data.validated_data.get("organization"),
            client_ip=client_ip(request),
        )
        request._request.user = user  # so the request log line names who signed in
        get_token(request._request)  # sets the CSRF cookie the web app echoes on writes
        body: dict[str, Any] = {"user": s.MeSerializer(user).data}
        if data.validated_data["issue_token"]:
            body["token"] = raw
        response = Response(body)
        _set_auth_cookie(response, raw)
        return response


class LogoutView(ScopedAPIView):
    @extend_schema(tags=["auth"], request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        """End this session: the token stops working at once."""
        services.logout(token=request.auth)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response.delete_cookie(settings.AUTH_COOKIE_NAME, path="/", samesite="Lax")
        return response


class MeView(ScopedAPIView):
    @extend_schema(tags=["auth"], responses=s.MeSerializer)
    def get(self, request: Request) -> Response:
        """The signed-in user, role and organization."""
        get_token(request._request)
        return Response(s.MeSerializer(request.user).data)

    @extend_schema(tags=["auth"], request=s.ProfileUpdateSerializer, responses=s.MeSerializer)
    def patch(self, request: Request) -> Response:
        """Change your name, language or time zone with the version you read (409 when stale)."""
        body = s.ProfileUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        user = services.profile_update(user=request.user, data=data, expected_version=data.pop("version"))
        return Response(s.MeSerializer(user).data)


class PasswordChangeView(ScopedAPIView):
    @extend_schema(tags=["auth"], request=s.PasswordChangeSerializer, responses={204: None})
    def post(self, request: Request) -> Response:
        """Change your password (the current one is needed); your other sessions and tokens end."""
        body = s.PasswordChangeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.password_change(
            user=request.user,
            current_password=body.validated_data["current_password"],
            new_password=body.validated_data["new_password"],
            keep_token=request.auth,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(ScopedAPIView):
    @extend_schema(tags=["auth"], request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        """End every session of yours, on every device, this one included (API tokens stay)."""
        services.sign_out_everywhere(user=request.user)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response.delete_cookie(settings.AUTH_COOKIE_NAME, path="/", samesite="Lax")
        return response


class OrganizationSettingsView(ScopedAPIView):
    """The caller's organization: every member reads it, administrators change it."""

    permission_classes = [AdminWriteOrReadOnly]

    @extend_schema(tags=["organization"], responses=s.OrganizationSettingsSerializer)
    def get(self, request: Request) -> Response:
        return Response(s.OrganizationSettingsSerializer(request.user.organization).data)

    @extend_schema(
        tags=["organization"], request=s.OrganizationSettingsSerializer, responses=s.OrganizationSettingsSerializer
    )
    def patch(self, request: Request) -> Response:
        body = s.OrganizationSettingsSerializer(request.user.organization, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        if "version" not in data:
            raise ValidationError({"version": [_("This field is required.")]})
        organization = services.organization_update(actor=request.user, data=data, expected_version=data.pop("version"))
        return Response(s.OrganizationSettingsSerializer(organization).data)


class OrganizationLogoView(ScopedAPIView):
    """The caller's organization's logo: members read it (404 without one), administrators
    upload it (multipart field `logo`) or remove it. No other address serves the file."""

    permission_classes = [AdminWriteOrReadOnly]
    parser_classes = [MultiPartParser]

    @extend_schema(
        tags=["organization"],
        responses={(200, "image/*"): OpenApiTypes.BINARY, 404: OpenApiResponse(description="No logo.")},
    )
    def get(self, request: Request) -> FileResponse:
        organization = request.user.organization
        if not organization.logo:
            raise Http404
        try:
            handle = organization.logo.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(handle, content_type=services.logo_content_type(organization.logo.name))
        response["Cache-Control"] = "private, max-age=3600"
        response["Content-Security-Policy"] = "default-src 'none'"
        return response

    @extend_schema(
        tags=["organization"],
        request={"multipart/form-data": s.OrganizationLogoSerializer},
        responses=s.OrganizationSettingsSerializer,
    )
    def post(self, request: Request) -> Response:
        body = s.OrganizationLogoSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        upload = body.validated_data["logo"]
        if upload.size > settings.ORGANIZATION_LOGO_MAX_BYTES:
            content = upload.read(settings.ORGANIZATION_LOGO_MAX_BYTES + 1)
        else:
            content = upload.read()
        organization = services.organization_logo_set(actor=request.user, content=content)
        return Response(s.OrganizationSettingsSerializer(organization).data)

    @extend_schema(tags=["organization"], responses={200: s.OrganizationSettingsSerializer})
    def delete(self, request: Request) -> Response:
        organization = services.organization_logo_set(actor=request.user, content=None)
        return Response(s.OrganizationSettingsSerializer(organization).data)


class PasswordResetView(ScopedAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PasswordResetThrottle]

    @extend_schema(tags=["auth"], request=s.PasswordResetSerializer, responses={202: None}, auth=[])
    def post(self, request: Request) -> Response:
        """Mail a set-password link if the address belongs to an active user (answers the same either way)."""
        data = s.PasswordResetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_reset_request(email=data.validated_data["email"])
        return Response(status=status.HTTP_202_ACCEPTED)


class PasswordSetThrottle(PasswordResetThrottle):
    scope = "password_set"


class PasswordSetView(ScopedAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [PasswordSetThrottle]

    @extend_schema(tags=["auth"], request=s.PasswordSetSerializer, responses={200: None}, auth=[])
    def post(self, request: Request) -> Response:
        """Set a password with the one-time link from the welcome or reset mail."""
        data = s.PasswordSetSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.password_set(**data.validated_data)
        return Response({"message": _("Your password has been set. You can sign in now.")})


class AdminUserViewSet(OrgScopedViewMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """User management for Owners and Admins."""

    permission_classes = [IsOrgAdmin]
    serializer_class = s.UserSerializer
    search_fields = ["name", "email"]
    ordering_fields = ["name", "email", "role", "created_at"]
    filterset_fields = ["role", "is_active"]
    lookup_value_regex = r"[0-9]+"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return User.objects.filter(organization_id=current_org_id()).order_by("name", "id")

    @extend_schema(tags=["admin"], request=s.UserSerializer, responses={201: s.UserSerializer})
    def create(self, request: Request) -> Response:
        """Create a user; they get an email with a one-time link to set their password."""
        data = s.UserSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = services.user_create(
            actor=request.user,
            name=data.validated_data["name"],
            email=data.validated_data["email"],
            role=data.validated_data["role"],
            manager_id=data.validated_data.get("manager_id"),
        )
        return Response(s.UserSerializer(user).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["admin"], request=s.UserUpdateSerializer, responses=s.UserSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        """Change name, role, manager or active flag (deactivating revokes every session)."""
        user = self.get_object()
        data = s.UserUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        version = values.pop("version")
        updated = services.user_update(actor=request.user, user=user, data=values, expected_version=version)
        return Response(s.UserSerializer(updated).data)

    @extend_schema(tags=["admin"], request=s.UserUpdateSerializer, responses=s.UserSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)


class UserLookupViewSet(OrgScopedViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """The organization's active users, for owner and assignee pickers."""

    serializer_class = s.UserLookupSerializer
    search_fields = ["name", "email"]
    ordering_fields = ["name"]

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return User.objects.none()
        return User.objects.filter(organization_id=current_org_id(), is_active=True).order_by("name", "id")


class PersonalTokenViewSet(OrgScopedViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Personal API tokens of the signed-in user: list, create (shown once), revoke."""

    serializer_class = s.AuthTokenSerializer
    pagination_class = None
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return AuthToken.objects.none()
        return AuthToken.objects.filter(
            user=self.request.user, kind=AuthToken.Kind.PERSONAL, revoked_at__isnull=True
        ).order_by("-created_at")

    @extend_schema(tags=["auth"], request=s.AuthTokenCreateSerializer, responses={201: s.AuthTokenCreatedSerializer})
    def create(self, request: Request) -> Response:
        """Create a personal token (shown once). It expires after `expires_in_days`, by default
        PERSONAL_TOKEN_TTL_DAYS; `"never": true` must be chosen explicitly. A request authenticated
        by a token needs a token with `can_manage_tokens`."""
        data = s.AuthTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        token, raw = services.personal_token_create(
            actor=request.user,
            via_token=request.auth,
            name=data.validated_data["name"],
            expires_in_days=data.validated_data.get("expires_in_days"),
            never_expires=data.validated_data["never"],
            can_manage_tokens=data.validated_data["can_manage_tokens"],
        )
        body = s.AuthTokenSerializer(token).data | {"token": raw}
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["auth"], responses={204: None})
    def destroy(self, request: Request, pk: str | None = None) -> Response:
        token = self.get_object()
        AuthToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        return Response(status=status.HTTP_204_NO_CONTENT)


class InvitationViewSet(OrgScopedViewMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Invitations of the organization, for Owners and Admins: pending ones, invite, resend, revoke."""

    permission_classes = [IsOrgAdmin]
    serializer_class = s.InvitationSerializer
    filter_backends: list[Any] = []
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Invitation.objects.none()
        return selectors.invitation_list_pending()

    @extend_schema(tags=["admin"])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Invitations not yet accepted or revoked, newest first (`status` expired: send it again)."""
        return super().list(request, *args, **kwargs)

    @extend_schema(tags=["admin"], request=s.InvitationCreateSerializer, responses={201: s.InvitationSerializer})
    def create(self, request: Request) -> Response:
        """Invite an email address with a role; the mail's link works once, for INVITATION_TTL_DAYS (7).
        An address that has a user, or a pending invitation (resend that one), is refused."""
        body = s.InvitationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = services.invitation_create(
            actor=request.user, email=body.validated_data["email"], role=body.validated_data["role"]
        )
        return Response(s.InvitationSerializer(invitation).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["admin"], request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    def resend(self, request: Request, pk: str | None = None) -> Response:
        """Mail a new link (the old one stops working) that works for the full time again."""
        invitation = services.invitation_resend(actor=request.user, invitation_id=int(pk or 0))
        return Response(s.InvitationSerializer(invitation).data)

    @extend_schema(tags=["admin"], request=None, responses=s.InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        """The invitation's link stops working."""
        invitation = services.invitation_revoke(actor=request.user, invitation_id=int(pk or 0))
        return Response(s.InvitationSerializer(invitation).data)


class InvitationCheckThrottle(ClientAddressThrottle):
    scope = "invitation_check"


class InvitationAcceptThrottle(ClientAddressThrottle):
    scope = "invitation_accept"


class InvitationCheckView(ScopedAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [InvitationCheckThrottle]

    @extend_schema(
        tags=["auth"],
        parameters=[OpenApiParameter("token", str, required=True, description="The token of the invitation link.")],
        responses={
            200: s.InvitationCheckSerializer,
            400: OpenApiResponse(description="`invitation_invalid`: no invitation has this token."),
        },
        auth=[],
    )
    def get(self, request: Request) -> Response:
        """The invitation a link names: email, organization, role, and whether it still works
        (`code` invitation_used, invitation_revoked or invitation_expired when not)."""
        query = s.InvitationCheckQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        check = services.invitation_check(token=query.validated_data["token"])
        return Response(s.InvitationCheckSerializer(check).data)


class InvitationAcceptView(ScopedAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes = [InvitationAcceptThrottle]

    @extend_schema(
        tags=["auth"],
        request=s.InvitationAcceptSerializer,
        responses={200: s.LoginResponseSerializer},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        """Accept an invitation: creates the user with the invited role and signs them in, like
        `POST /auth/login` (the cookie; the token in the body only with `issue_token`). A used,
        revoked or expired link answers 400 `invitation_used`, `invitation_revoked` or
        `invitation_expired`; an unknown one `invitation_invalid`."""
        body = s.InvitationAcceptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        user, _, raw = services.invitation_accept(
            token=body.validated_data["token"],
            name=body.validated_data["name"],
            password=body.validated_data["password"],
        )
        request._request.user = user  # so the request log line names who signed in
        get_token(request._request)  # sets the CSRF cookie the web app echoes on writes
        answer: dict[str, Any] = {"user": s.MeSerializer(user).data}
        if body.validated_data["issue_token"]:
            answer["token"] = raw
        response = Response(answer)
        _set_auth_cookie(response, raw)
        return response
