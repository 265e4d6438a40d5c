"""WSGI entry point (gunicorn, uWSGI or mod_wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "povertyops.settings")
application = get_wsgi_application()
