"""Views of the pacts app, one module per concept; each module exports its ``urlpatterns``."""
