"""Test settings: only what makes the suite fast and self-contained."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz")

# The .mo catalogues are build output; compile them before Django loads any translation.
from kotaku.translations import compile_catalogues  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, STORAGES  # noqa: E402

compile_catalogues(BASE_DIR)

DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the app folders (no collectstatic before tests).
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# SQLite: a file, not Django's shared in-memory database. With the in-memory one, every
# thread of the live server (browser tests) shares a single connection, and a page that
# fetches its map data while the next page loads breaks the other request's savepoints.
# A file gives each thread its own connection; durability is not needed in tests.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    # TEST_SQLITE_NAME lets two runs on one checkout keep apart.
    _name = os.environ.get("TEST_SQLITE_NAME", ".pytest-db.sqlite3")
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / _name)}  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (  # noqa: F405
        "PRAGMA synchronous=OFF; PRAGMA journal_mode=WAL;"
    )
