"""rosters views (being written)."""

urlpatterns: list = []
