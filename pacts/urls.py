from .views import audit, board, campaigns, documents, drafting, movements, progress, signing

app_name = "pacts"

urlpatterns = [
    *campaigns.urlpatterns,
    *drafting.urlpatterns,
    *signing.urlpatterns,
    *progress.urlpatterns,
    *audit.urlpatterns,
    *documents.urlpatterns,
    *board.urlpatterns,
    *movements.urlpatterns,
]
