from .export_views import app_name, urlpatterns  # noqa: F401 (the URLconf of core: export jobs)
