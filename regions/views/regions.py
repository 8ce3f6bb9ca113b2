"""regions views (being written)."""

urlpatterns: list = []
