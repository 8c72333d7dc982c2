"""Logging in: throttled against password guessing, and audited."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.urls import reverse

from accounts.tests.factories import PASSWORD


def attempt(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_wrong_passwords_lock_the_user_name_out(client, facilitator, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, facilitator.username, "wrong-password").status_code == 200
    response = attempt(client, facilitator.username, "wrong-password")
    assert response.status_code == 429
    assert "Terlalu banyak gagal masuk" in response.content.decode()
    assert "15 menit" in response.content.decode()
    # Even the right password is refused while the lockout lasts.
    assert attempt(client, facilitator.username, PASSWORD).status_code == 429
    attempts = AccessAttempt.objects.get(username=facilitator.username)
    assert attempts.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_a_successful_login_is_audited_and_resets_failures(client, facilitator):
    attempt(client, facilitator.username, "wrong-password")
    response = attempt(client, facilitator.username, PASSWORD)
    assert response.status_code == 302
    assert AccessLog.objects.filter(username=facilitator.username).count() == 1
    assert AccessFailureLog.objects.filter(username=facilitator.username).count() == 1
    assert not AccessAttempt.objects.filter(username=facilitator.username).exists()


def test_one_users_lockout_does_not_block_another(client, facilitator, outsider, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, facilitator.username, "wrong-password")
    assert attempt(client, outsider.username, PASSWORD).status_code == 302


def test_login_audit_is_visible_to_officers_only(client_for, national_officer, facilitator):
    national_officer.is_staff = True
    national_officer.save()
    assert client_for(national_officer).get("/admin/axes/accesslog/").status_code == 200


@pytest.mark.django_db
def test_weak_passwords_are_refused(client_for, facilitator):
    response = client_for(facilitator).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    facilitator.refresh_from_db()
    assert facilitator.check_password(PASSWORD)


def test_a_login_records_its_time_without_a_history_entry(client, facilitator):
    entries = facilitator.history.count()
    assert attempt(client, facilitator.username, PASSWORD).status_code == 302
    facilitator.refresh_from_db()
    assert facilitator.last_login is not None
    assert facilitator.history.count() == entries
