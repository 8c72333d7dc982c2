import pytest
from django.conf import settings
from django.utils import translation

from kotaku.tests.test_browser import browser  # noqa: F401 — the shared Chromium fixture


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Photos go to a temporary folder, not the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english(client):
    """Pages and PDFs read in English (the msgids); the app itself opens in Indonesian."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
