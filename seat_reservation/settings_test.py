"""Settings for the test suite: the project settings with test-only defaults.

pytest-django sets Django up before any conftest runs, so the defaults live here. Every value can
still be overridden from the environment (``DATABASE_URL`` selects PostgreSQL).
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "insecure-key-for-tests-only")
os.environ.setdefault("DJANGO_SECURE", "0")
os.environ.setdefault("RATE_LIMITS", "0")  # tests of the limits turn them on

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast user creation
# No collectstatic in tests: serve and name static files straight from the apps.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# pgserver logs from an atexit hook, after pytest has closed the streams it captured.
LOGGING["loggers"]["pgserver"] = {"level": "WARNING"}  # noqa: F405
