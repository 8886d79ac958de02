from __future__ import annotations

from typing import Literal, TypedDict

from rest_framework import serializers

from ..models import AuthToken, Invitation, Organization, Role, User


class InvitedBy(TypedDict):
    id: int
    name: str


class OrganizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["id", "name", "currency"]


class OrganizationSettingsSerializer(serializers.ModelSerializer):
    """The organization's settings; administrators change them with the version they read."""

    version = serializers.IntegerField(min_value=1, help_text="The version you read; 409 when stale.")
    logo_url = serializers.SerializerMethodField(help_text="Served to signed-in members only; null without a logo.")
    fiscal_year_start_month = serializers.IntegerField(min_value=1, max_value=12, required=False)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
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
            "allow_fulfill_before_payment",
            "logo_url",
            "version",
        ]
        read_only_fields = ["id"]

    def get_logo_url(self, organization: Organization) -> str | None:
        if not organization.logo:
            return None
        return f"/api/v1/organization/logo?v={organization.version}"


class OrganizationLogoSerializer(serializers.Serializer):
    logo = serializers.FileField(help_text="PNG, JPEG, GIF or WebP; at most ORGANIZATION_LOGO_MAX_BYTES (1 MB).")


class MeSerializer(serializers.ModelSerializer):
    organization = OrganizationSerializer(read_only=True)
    is_admin = serializers.BooleanField(read_only=True)
    effective_time_zone = serializers.SerializerMethodField(help_text="`time_zone`, else the organization's.")

    class Meta:
        model = User
        fields = [
            "id",
            "name",
            "email",
            "role",
            "is_admin",
            "language",
            "time_zone",
            "effective_time_zone",
            "version",
            "organization",
        ]

    def get_effective_time_zone(self, user: User) -> str:
        return user.time_zone or user.organization.time_zone


class ProfileUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    language = serializers.CharField(max_length=8, required=False)
    time_zone = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="Empty: the organization's."
    )
    version = serializers.IntegerField(min_value=1, help_text="The version you read; 409 when stale.")


class PasswordChangeSerializer(serializers.Serializer):
    current_password = serializers.CharField(max_length=256, trim_whitespace=False)
    new_password = serializers.CharField(max_length=256, trim_whitespace=False)


class LoginSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    organization = serializers.IntegerField(
        min_value=1, required=False, help_text="Needed only when the answer was `organization_required`."
    )
    issue_token = serializers.BooleanField(
        default=False, help_text="Return the bearer token in the body (API clients); the web app uses the cookie."
    )


class LoginResponseSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, help_text="Only when `issue_token` was true.")
    user = MeSerializer()


class OrganizationChoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class OrganizationRequiredSerializer(serializers.Serializer):
    """400 `organization_required`; other 400s have the usual error shape without `organizations`."""

    code = serializers.CharField()
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    organizations = OrganizationChoiceSerializer(many=True, required=False)


class PasswordResetSerializer(serializers.Serializer):
    email = serializers.EmailField()


class PasswordSetSerializer(serializers.Serializer):
    uid = serializers.CharField(max_length=64)
    token = serializers.CharField(max_length=128)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class UserSerializer(serializers.ModelSerializer):
    """Admin view of a user."""

    role = serializers.ChoiceField(choices=Role.choices)
    version = serializers.IntegerField(min_value=1, required=False, help_text="Required on update.")
    manager_id = serializers.IntegerField(
        allow_null=True,
        required=False,
        min_value=1,
        help_text="The user's manager (sees what they own under Private sharing).",
    )

    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "is_active", "manager_id", "version", "last_login", "created_at"]
        read_only_fields = ["last_login", "created_at"]
        extra_kwargs = {"email": {"validators": []}, "name": {"required": True}}


class UserUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=150, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)
    manager_id = serializers.IntegerField(allow_null=True, required=False, min_value=1)
    version = serializers.IntegerField(min_value=1)


class UserLookupSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "name", "email", "role", "is_active"]


class AuthTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuthToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "can_manage_tokens"]


class AuthTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    expires_in_days = serializers.IntegerField(
        min_value=1, max_value=3650, required=False, help_text="Default: PERSONAL_TOKEN_TTL_DAYS (90)."
    )
    never = serializers.BooleanField(default=False, help_text="A token that never expires; not with expires_in_days.")
    can_manage_tokens = serializers.BooleanField(default=False, help_text="Requests with this token may create tokens.")


class AuthTokenCreatedSerializer(AuthTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it now.")

    class Meta(AuthTokenSerializer.Meta):
        fields = [*AuthTokenSerializer.Meta.fields, "token"]


class InvitationSerializer(serializers.ModelSerializer):
    """An invitation as administrators see it (never its token)."""

    status = serializers.SerializerMethodField(
        help_text="pending, expired (pending, its time up), accepted or revoked."
    )
    invited_by = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = ["id", "email", "role", "status", "invited_by", "sent_at", "expires_at", "created_at"]

    def get_status(self, invitation: Invitation) -> Literal["pending", "expired", "accepted", "revoked"]:
        return invitation.effective_status  # type: ignore[return-value]

    def get_invited_by(self, invitation: Invitation) -> InvitedBy:
        return {"id": invitation.invited_by_id, "name": invitation.invited_by.name}


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)


class InvitationCheckSerializer(serializers.Serializer):
    """What the accept page shows; when `valid` is false, `code` and `message` say why."""

    email = serializers.EmailField()
    organization = serializers.CharField(help_text="The inviting organization's name.")
    role = serializers.ChoiceField(choices=Role.choices)
    expires_at = serializers.DateTimeField()
    valid = serializers.BooleanField()
    code = serializers.ChoiceField(
        choices=["invitation_used", "invitation_revoked", "invitation_expired"], allow_null=True
    )
    message = serializers.CharField(allow_blank=True)


class InvitationCheckQuerySerializer(serializers.Serializer):
    token = serializers.CharField(max_length=128)


class InvitationAcceptSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=128)
    name = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})
    issue_token = serializers.BooleanField(
        default=False, help_text="Return the bearer token in the body (API clients); the web app uses the cookie."
    )
