import pytest
from django.conf import settings
from django.utils import translation


@pytest.fixture(autouse=True)
def in_english(client):
    """Tests read messages in English (the msgids); the app itself opens in Indonesian."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield
