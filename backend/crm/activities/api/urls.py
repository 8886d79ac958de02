from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("activities", views.ActivityViewSet, basename="activity")

urlpatterns = router.urls
