"""Views of the regions app, one module per concept; each module exports its ``urlpatterns``."""
