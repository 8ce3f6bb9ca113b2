from .views import audit, campaigns, drafting, progress, signing

app_name = "pacts"

urlpatterns = [
    *campaigns.urlpatterns,
    *drafting.urlpatterns,
    *signing.urlpatterns,
    *progress.urlpatterns,
    *audit.urlpatterns,
]
