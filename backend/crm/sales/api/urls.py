from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("leads", views.LeadViewSet, basename="lead")
router.register("products", views.ProductViewSet, basename="product")
router.register("opportunities", views.OpportunityViewSet, basename="opportunity")

urlpatterns = [
    re_path(r"^opportunity-stages/?$", views.OpportunityStageView.as_view(), name="opportunity-stages"),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/line_items/?$",
        views.OpportunityLineItemListView.as_view(),
        name="opportunity-line-items",
    ),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/line_items/(?P<item_id>[0-9]+)/?$",
        views.OpportunityLineItemDetailView.as_view(),
        name="opportunity-line-item",
    ),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/contact_roles/?$",
        views.OpportunityContactRoleListView.as_view(),
        name="opportunity-contact-roles",
    ),
    re_path(
        r"^opportunities/(?P<pk>[0-9]+)/contact_roles/(?P<role_id>[0-9]+)/?$",
        views.OpportunityContactRoleDetailView.as_view(),
        name="opportunity-contact-role",
    ),
    *router.urls,
]
