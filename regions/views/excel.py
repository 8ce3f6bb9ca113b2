"""excel views (being written)."""

urlpatterns: list = []
