import pytest

from kotaku.tests.test_browser import browser  # noqa: F401 — the shared Chromium fixture


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded photos and documents go to a temporary folder, not the project's media."""
    settings.MEDIA_ROOT = tmp_path / "media"
