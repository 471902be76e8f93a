"""WSGI entry point (gunicorn seat_reservation.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seat_reservation.settings")

application = get_wsgi_application()
