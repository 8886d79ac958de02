from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("jobs", views.JobViewSet, basename="job")

urlpatterns = router.urls
