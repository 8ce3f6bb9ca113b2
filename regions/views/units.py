"""units views (being written)."""

urlpatterns: list = []
