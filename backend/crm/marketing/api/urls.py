from django.urls import re_path

from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("email-templates", views.EmailTemplateViewSet, basename="email_template")
router.register("segments", views.SegmentViewSet, basename="segment")
router.register("email-campaigns", views.EmailCampaignViewSet, basename="email_campaign")

urlpatterns = [
    re_path(r"^campaigns/(?P<pk>[0-9]+)/members/?$", views.CampaignMemberListView.as_view(), name="campaign-members"),
    re_path(
        r"^campaigns/(?P<pk>[0-9]+)/members/(?P<member_id>[0-9]+)/?$",
        views.CampaignMemberDetailView.as_view(),
        name="campaign-member",
    ),
    re_path(
        r"^campaigns/(?P<pk>[0-9]+)/email-stats/?$", views.CampaignEmailStatsView.as_view(), name="campaign-email-stats"
    ),
    *router.urls,
]
