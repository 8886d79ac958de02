from crm.core.routers import OptionalSlashRouter

from . import views

router = OptionalSlashRouter()
router.register("accounts", views.AccountViewSet, basename="account")
router.register("contacts", views.ContactViewSet, basename="contact")

urlpatterns = router.urls
