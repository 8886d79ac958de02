from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("cases", views.CaseViewSet, basename="case")

urlpatterns = router.urls
