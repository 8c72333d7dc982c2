"""The top bar of every page (base.html), rendered once per user, path and language
(accounts.context_processors.topbar): it shows what is true now, and its forms carry the
request's own CSRF token (kotaku.middleware.CsrfPlaceholderMiddleware)."""

import re

from django.test import Client
from django.urls import reverse

from accounts.models import PlaceAssignment
from conftest import BUKUR
from kotaku.middleware import csrf_placeholder

WORKS = "/kegiatan/"


def who(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html.split('data-testid="who">')[1].split("</span>\n    </span>")[0])


def nav(response) -> str:
    return response.content.decode().split('class="mainnav"')[1].split("</nav>")[0]


def test_the_top_bar_follows_the_user_their_places_the_path_and_the_language(
    client_for, regions, facilitator, national_officer
):
    client = client_for(facilitator)
    first = client.get(WORKS)
    assert "Klagenserut" in who(first) and "Bukur" in who(first)
    assert 'href="/kegiatan/saya/"' in nav(first)  # a facilitator's own works
    assert b'name="next" value="/kegiatan/"' in first.content
    facilitator.first_name, facilitator.last_name = "Siti", "Rahma"
    facilitator.save()
    PlaceAssignment.objects.filter(user=facilitator, region_id=BUKUR).delete()
    again = client.get(WORKS)  # the same path
    assert "Siti Rahma" in who(again)
    assert "Klagenserut" in who(again) and "Bukur" not in who(again)
    sorted_ = client.get(WORKS, {"sort": "name"})
    assert b'name="next" value="/kegiatan/?sort=name"' in sorted_.content
    client.cookies["django_language"] = "id"
    assert b"Keluar" in client.get(WORKS).content  # "Log out" in Indonesian
    officer = client_for(national_officer).get(WORKS)  # the same client: in Indonesian
    assert "Seluruh Indonesia" in who(officer) and "Petugas nasional" in who(officer)
    assert 'href="/kegiatan/saya/"' not in nav(officer)
    assert b"Login audit" not in first.content and reverse("accounts:login_audit").encode() in (
        officer.content
    )


def test_the_top_bar_forms_carry_the_requests_own_token(regions, facilitator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(facilitator)
    response = client.get(WORKS)
    html = response.content.decode()
    assert csrf_placeholder() not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert len(tokens) >= 2  # log out and the language switch
    assert client.cookies["csrftoken"].value  # the token's cookie is set
    switched = client.post(
        reverse("set_language"), {"csrfmiddlewaretoken": tokens[-1], "language": "id"}
    )
    assert switched.status_code == 302
    assert client.post(reverse("logout"), {"csrfmiddlewaretoken": "x" * 32}).status_code == 403
    logged_out = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert logged_out.status_code == 302
    assert client.get(WORKS).status_code == 302  # to the login page
