"""The login audit page: officers see logins, logouts and failed logins of the users in
their places; other roles get 403."""

import datetime

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

from accounts.choices import Role
from accounts.tests.factories import PASSWORD
from conftest import JAWA_TIMUR

URL = reverse("accounts:login_audit")


def log_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.fixture
def province_coordinator(make_user):
    return make_user("provinsi", Role.PROVINCE_COORDINATOR, [JAWA_TIMUR])


def rows(response):
    """(user name, outcome) of each entry, leaving out the viewer's own login (the
    test client's force_login is audited too)."""
    viewer = response.wsgi_request.user.username
    entries = response.context["entries"]
    return [
        (entry["username"], entry["outcome"]) for entry in entries if entry["username"] != viewer
    ]


def test_officers_see_logins_logouts_and_failures(
    client, client_for, facilitator, national_officer
):
    log_in(client, facilitator.username, "wrong-password")
    log_in(client, facilitator.username)
    client.post(reverse("logout"))
    log_in(client, "nobody-has-this-name", "x")
    response = client_for(national_officer).get(URL)
    assert response.status_code == 200
    assert rows(response) == [
        ("nobody-has-this-name", "failure"),
        ("fasilitator", "success"),
        ("fasilitator", "failure"),
    ]
    login = response.context["entries"][2]
    assert login["logout"] is not None
    page = response.content.decode()
    assert "nobody-has-this-name" in page and 'data-outcome="failure"' in page


def test_other_roles_get_403(client_for, facilitator, district_reader):
    for user in (facilitator, district_reader):
        assert client_for(user).get(URL).status_code == 403, user.username


def test_district_staff_see_only_users_placed_in_their_district(
    client, client_for, facilitator, outsider, district_editor
):
    for user in (facilitator, outsider):
        log_in(client, user.username, "wrong-password")
    log_in(client, "stranger", "x")
    response = client_for(district_editor).get(URL)
    assert response.status_code == 200
    assert rows(response) == [("fasilitator", "failure")]


def test_province_coordinator_sees_the_whole_province(
    client, client_for, facilitator, outsider, province_coordinator
):
    for user in (facilitator, outsider):
        log_in(client, user.username, "wrong-password")
    log_in(client, "stranger", "x")
    names = {name for name, _outcome in rows(client_for(province_coordinator).get(URL))}
    assert names == {"fasilitator", "luar"}  # not "stranger": that name is nobody's


def test_filters_by_user_name_outcome_and_date(client, client_for, facilitator, national_officer):
    log_in(client, facilitator.username, "wrong-password")
    log_in(client, facilitator.username)
    log_in(client, "other", "x")
    officer = client_for(national_officer)
    response = officer.get(URL, {"username": "FASILITATOR", "outcome": "failure"})
    assert rows(response) == [("fasilitator", "failure")]
    today = timezone.localdate()
    assert len(rows(officer.get(URL, {"date_from": today.isoformat()}))) == 3
    tomorrow = today + datetime.timedelta(days=1)
    assert rows(officer.get(URL, {"date_from": tomorrow.isoformat()})) == []
    # Invalid filters are ignored rather than failing.
    assert officer.get(URL, {"date_from": "2026-02-30"}).status_code == 200


def _add_entries(count):
    now = timezone.now()
    AccessLog.objects.bulk_create(
        AccessLog(username=f"u{n}", user_agent="x", ip_address="10.0.0.1", attempt_time=now)
        for n in range(count)
    )
    AccessFailureLog.objects.bulk_create(
        AccessFailureLog(username=f"u{n}", user_agent="x", ip_address="10.0.0.1")
        for n in range(count)
    )


def test_audit_is_paginated_with_a_fixed_number_of_queries(
    client_for, national_officer, django_assert_max_num_queries
):
    client = client_for(national_officer)
    _add_entries(5)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
    _add_entries(60)
    with django_assert_max_num_queries(12):
        response = client.get(URL)
    assert len(response.context["entries"]) == 50
    assert response.context["page_obj"].paginator.count == 131  # with the officer's login


def test_officers_may_read_but_not_change_the_axes_logs_in_the_admin(
    client, client_for, facilitator, national_officer
):
    log_in(client, facilitator.username, "wrong-password")
    national_officer.is_staff = True
    national_officer.save()
    officer = client_for(national_officer)
    entry = AccessFailureLog.objects.get()
    assert officer.get("/admin/axes/accessfailurelog/").status_code == 200
    change_url = f"/admin/axes/accessfailurelog/{entry.pk}/change/"
    page = officer.get(change_url)
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert officer.post(change_url, {"username": "forged"}).status_code == 403
    delete_url = f"/admin/axes/accessfailurelog/{entry.pk}/delete/"
    assert officer.post(delete_url, {"post": "yes"}).status_code == 403
    assert AccessFailureLog.objects.get().username == facilitator.username
    assert officer.get("/admin/axes/accesslog/").status_code == 200


def test_the_audit_is_linked_for_officers_only(client_for, facilitator, national_officer):
    link = f'href="{URL}"'
    assert link in client_for(national_officer).get("/").content.decode()
    assert link not in client_for(facilitator).get("/").content.decode()
