from crm.records.listing import OptionalSlashRouter

router = OptionalSlashRouter()

urlpatterns = router.urls
