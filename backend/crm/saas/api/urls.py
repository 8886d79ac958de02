from django.urls import re_path

from . import views

urlpatterns = [
    re_path(r"^saas/plans/?$", views.PlansView.as_view(), name="saas-plans"),
    re_path(r"^saas/signup/?$", views.SignupView.as_view(), name="saas-signup"),
    re_path(r"^saas/verify/?$", views.VerifyView.as_view(), name="saas-verify"),
    re_path(r"^saas/subscription/?$", views.SubscriptionView.as_view(), name="saas-subscription"),
    re_path(r"^saas/checkout/?$", views.CheckoutView.as_view(), name="saas-checkout"),
    re_path(r"^saas/portal/?$", views.PortalView.as_view(), name="saas-portal"),
]
