from .views import decisions, history, registrations, reports, scoring_sheets, scoring_tables, titles, votes

app_name = "awards"

urlpatterns = [
    *titles.urlpatterns,
    *registrations.urlpatterns,
    *votes.urlpatterns,
    *reports.urlpatterns,
    *scoring_tables.urlpatterns,
    *scoring_sheets.urlpatterns,
    *decisions.urlpatterns,
    *history.urlpatterns,
]
