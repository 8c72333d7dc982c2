"""Sessions end: at browser close, after an idle hour, after eight hours, and on every
other device when the password changes."""

import time

from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.middleware import IdleSessionTimeoutMiddleware
from accounts.tests.factories import PASSWORD

NEW_PASSWORD = "Kumuh-Nol-Persen-2026"


def logged_in(user):
    client = Client()
    assert client.post(reverse("login"), {"username": user.username, "password": PASSWORD})[
        "Location"
    ]
    return client


def test_session_settings():
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert 0 < settings.SESSION_IDLE_TIMEOUT <= 60 * 60


def test_changing_the_password_logs_out_the_other_sessions(facilitator):
    laptop, phone = logged_in(facilitator), logged_in(facilitator)
    assert phone.get("/").status_code == 200
    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    # The session that changed it stays in; the other one is sent to the login page.
    assert laptop.get("/").status_code == 200
    response = phone.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_password_change_page_is_linked_from_every_page(client_for, facilitator):
    page = client_for(facilitator).get("/").content.decode()
    assert f'href="{reverse("password_change")}"' in page
    form = client_for(facilitator).get(reverse("password_change"))
    assert form.status_code == 200
    assert "new_password1" in form.content.decode()
    assert form.templates[0].name == "registration/password_change_form.html"


def _age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_an_idle_session_is_logged_out(facilitator, settings):
    client = logged_in(facilitator)
    assert client.get("/").status_code == 200
    _age_session(client, last_seen=settings.SESSION_IDLE_TIMEOUT - 120)
    assert client.get("/").status_code == 200  # still inside the idle time: renewed
    _age_session(client, last_seen=settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get("/")
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_active_session_still_ends_after_the_cookie_age(facilitator, settings):
    client = logged_in(facilitator)
    client.get("/")
    _age_session(client, started=settings.SESSION_COOKIE_AGE + 1, last_seen=5)
    assert client.get("/").status_code == 302


def test_the_last_request_is_written_at_most_once_a_minute(facilitator):
    client = logged_in(facilitator)
    client.get("/")
    first = client.session[IdleSessionTimeoutMiddleware.KEY]
    client.get("/")
    assert client.session[IdleSessionTimeoutMiddleware.KEY] == first


def test_the_session_store_reads_as_djangos(db):
    """accounts.sessions reads a session as Django's database store does: the same data,
    none when expired or unknown."""
    import datetime

    from django.contrib.sessions.backends.db import SessionStore as DjangoStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from accounts.sessions import SessionStore

    store = SessionStore()
    store["answer"] = 42
    store.create()
    key = store.session_key
    assert SessionStore(session_key=key).load() == DjangoStore(session_key=key).load()
    assert SessionStore(session_key=key)["answer"] == 42
    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(session_key=key)
    assert expired.load() == {} == DjangoStore(session_key=key).load()
    assert expired.session_key is None
