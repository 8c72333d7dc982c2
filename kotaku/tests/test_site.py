import pytest
from django.core.management import call_command
from django.urls import reverse

from locations.models import Region


@pytest.mark.django_db
def test_every_page_but_login_needs_a_login(client):
    for url in ["/", reverse("locations:region_root"), reverse("locations:region_list"), "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302, url
    assert client.get(reverse("login")).status_code == 200


def test_home_shows_role_and_places(client_for, facilitator):
    page = client_for(facilitator).get("/").content.decode()
    assert "Fasilitator" in page
    assert "Klagenserut" in page and "Bukur" in page


@pytest.mark.django_db
def test_interface_is_indonesian_by_default_even_for_an_english_browser(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in page
    assert "Masuk ke kotaku" in page


@pytest.mark.django_db
def test_language_switch_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/akun/login/"})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in page and "Log in to kotaku" in page
    client.post(reverse("set_language"), {"language": "id", "next": "/akun/login/"})
    assert "Masuk ke kotaku" in client.get(reverse("login")).content.decode()


def test_dates_show_the_indonesian_way(settings):
    import datetime

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("id"):
        rendered = Template("{{ d|date }}").render(Context({"d": datetime.date(2026, 8, 17)}))
    assert rendered == "17 Agustus 2026"


@pytest.mark.django_db
def test_load_demo_twice_changes_nothing(capsys):
    call_command("load_demo")
    first = list(Region.objects.values_list("code", "name"))
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 27 unchanged" in out
    assert list(Region.objects.values_list("code", "name")) == first
    assert "fasilitator.jiwan" in out


def test_admin_region_autocomplete_finds_by_code_prefix(client_for, national_officer):
    national_officer.is_staff = True
    national_officer.save()
    response = client_for(national_officer).get(
        "/admin/autocomplete/",
        {
            "app_label": "accounts",
            "model_name": "placeassignment",
            "field_name": "region",
            "term": "35.19.09",
        },
    )
    assert response.status_code == 200
    texts = [item["text"] for item in response.json()["results"]]
    assert "Klagenserut (35.19.09.2010)" in texts
    assert all("35.19.09" in text for text in texts)


@pytest.mark.django_db
def test_health_answers_without_login_and_checks_the_database(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_a_database_failure(client, db, monkeypatch):
    from django.db import OperationalError

    import kotaku.views

    class DownDatabase:
        def cursor(self):
            raise OperationalError("could not connect to server")

    monkeypatch.setattr(kotaku.views, "connection", DownDatabase())
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_a_page_that_cannot_reach_the_database_answers_503_not_500(facilitator, monkeypatch):
    from django.db import OperationalError, ProgrammingError
    from django.test import Client

    import accounts.sessions

    client = Client(raise_request_exception=False)
    client.force_login(facilitator)

    def down(*args, **kwargs):
        raise OperationalError("could not connect to server: Connection refused")

    monkeypatch.setattr(accounts.sessions._SESSIONS, "fetch", down)
    response = client.get("/kegiatan/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Basis data sedang tidak dapat dihubungi" in response.content.decode()
    client.cookies["django_language"] = "en"
    assert b"The database is not reachable" in client.get("/kegiatan/").content

    def bug(*args, **kwargs):
        raise ProgrammingError("column does not exist")

    monkeypatch.setattr(accounts.sessions._SESSIONS, "fetch", bug)
    response = client.get("/kegiatan/")
    assert response.status_code == 500 and b"database" not in response.content


def test_pages_carry_a_content_security_policy_without_inline_scripts(client_for, facilitator):
    response = client_for(facilitator).get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy
    assert "<script>" not in response.content.decode()


def test_facilitators_get_their_works_in_the_menu(client_for, facilitator, district_editor):
    from django.urls import reverse as url

    my_works = f'href="{url("works:my_works")}"'
    assert my_works in client_for(facilitator).get("/").content.decode()
    assert my_works not in client_for(district_editor).get("/").content.decode()


@pytest.mark.django_db
def test_the_site_icon_is_named_by_every_page_and_found_at_favicon_ico(client):
    login = client.get(reverse("login")).text
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in login
    response = client.get("/favicon.ico")  # no login needed
    assert (response.status_code, response["Location"]) == (302, "/static/favicon.svg")
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and icon["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(icon.streaming_content)


@pytest.mark.django_db
def test_the_frames_files_are_named_as_static_names_them_whatever_the_settings(client):
    """`{% asset %}` (base.html) remembers each file's URL, and forgets it when the
    static settings change (the hashed names of production's manifest, say)."""
    from django.template import Context, Template
    from django.test import override_settings

    page = Template(
        "{% load static kotaku %}{% asset 'css/kotaku.css' %}|{% static 'css/kotaku.css' %}"
    )
    assert page.render(Context()) == "/static/css/kotaku.css|/static/css/kotaku.css"
    with override_settings(STATIC_URL="/aset/"):
        assert page.render(Context()) == "/aset/css/kotaku.css|/aset/css/kotaku.css"
        assert 'href="/aset/css/kotaku.css"' in client.get(reverse("login")).text
    assert page.render(Context()) == "/static/css/kotaku.css|/static/css/kotaku.css"
