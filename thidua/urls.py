from django.contrib import admin
from django.urls import include, path

from . import progress, views

urlpatterns = [
    path("", views.home, name="home"),
    path("signing-progress/", progress.region_progress, name="signing_progress"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    path("accounts/", include("accounts.urls")),
    path("people/", include("people.urls")),
    path("legal-documents/", include("legal.urls")),
    path("", include("regions.urls")),
    path("", include("pacts.urls")),
    path("", include("awards.urls")),
    path("", include("reports.urls")),
    path("exports/", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
