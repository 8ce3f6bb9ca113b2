"""WSGI entry point for gunicorn. With --preload the master imports this module once and forks the workers
from it: thidua.warmup loads there what each worker would otherwise load on its first request."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
application = get_wsgi_application()

from thidua.warmup import warm  # noqa: E402 (Django is set up by the line above)

warm()
