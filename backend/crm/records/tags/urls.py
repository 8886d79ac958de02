from crm.core.routers import OptionalSlashRouter

from .api import TagViewSet

router = OptionalSlashRouter()
router.register("tags", TagViewSet, basename="tag")

urlpatterns = router.urls
