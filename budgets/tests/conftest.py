import pytest
from django.utils import translation

from kotaku.tests.test_browser import browser  # noqa: F401 — the shared Chromium fixture


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded documents go to a temporary folder, not the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def english():
    """Messages raised by services are read in English (the interface default is Indonesian)."""
    with translation.override("en"):
        yield
