from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard_start, name="dashboard"),
    path("dashboard/<int:year>/", views.country_dashboard, name="country_dashboard"),
    path("dashboard/<int:year>/figures.xlsx", views.country_xlsx, name="country_xlsx"),
    path("dashboard/<int:year>/region/<slug:slug>/", views.region_dashboard, name="region_dashboard"),
    path("dashboard/<int:year>/region/<slug:slug>/figures.xlsx", views.region_xlsx, name="region_xlsx"),
    path("dashboard/<int:year>/unit/<int:unit_pk>/", views.unit_dashboard, name="unit_dashboard"),
    path("dashboard/<int:year>/unit/<int:unit_pk>/figures.xlsx", views.unit_xlsx, name="unit_xlsx"),
    path("year-reports/", views.report_list, name="report_list"),
    path("year-reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("year-reports/<int:pk>/status", views.report_status, name="report_status"),
    path("year-reports/<int:pk>/generate-again", views.report_regenerate, name="report_regenerate"),
    path("year-reports/<int:pk>/download/<str:fmt>", views.report_download, name="report_download"),
]
