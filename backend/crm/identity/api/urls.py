from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("admin/users", views.AdminUserViewSet, basename="admin-user")
router.register("users", views.UserLookupViewSet, basename="user")
router.register("auth/tokens", views.PersonalTokenViewSet, basename="auth-token")
router.register("invitations", views.InvitationViewSet, basename="invitation")

urlpatterns = [
    re_path(r"^auth/login/?$", views.LoginView.as_view(), name="auth-login"),
    re_path(r"^auth/logout/?$", views.LogoutView.as_view(), name="auth-logout"),
    re_path(r"^auth/me/?$", views.MeView.as_view(), name="auth-me"),
    re_path(r"^auth/password/change/?$", views.PasswordChangeView.as_view(), name="auth-password-change"),
    re_path(r"^auth/sign-out-everywhere/?$", views.SignOutEverywhereView.as_view(), name="auth-sign-out-everywhere"),
    re_path(r"^organization/?$", views.OrganizationSettingsView.as_view(), name="organization"),
    re_path(r"^organization/logo/?$", views.OrganizationLogoView.as_view(), name="organization-logo"),
    re_path(r"^auth/password/reset/?$", views.PasswordResetView.as_view(), name="auth-password-reset"),
    re_path(r"^auth/password/set/?$", views.PasswordSetView.as_view(), name="auth-password-set"),
    re_path(r"^invitations/check/?$", views.InvitationCheckView.as_view(), name="invitation-check"),
    re_path(r"^invitations/accept/?$", views.InvitationAcceptView.as_view(), name="invitation-accept"),
    *router.urls,
]
