"""Optimistic locking: two people edit the same record; the first save wins, the second
gets the form back with what they typed and a message saying who changed the record and
when; nothing is silently overwritten."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from accounts.choices import Role
from budgets.models import Allocation
from budgets.tests.factories import allocation
from conftest import KAB_MADIUN, KLAGENSERUT
from kotaku.locking import StaleRecord
from locations.models import RtRw
from programs.models import Member
from programs.tests.factories import make_group, make_member
from programs.tests.test_views_institutions import member_data
from slums.models import SlumArea
from slums.tests.factories import SlumAreaFactory
from slums.tests.test_views import form_data as area_data
from works.models import ProgressReport, Work
from works.tests.factories import ReportFactory, WorkFactory
from works.tests.test_views import form_data as work_data
from works.tests.test_views import report_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_editor(make_user):
    """Another district staff member of Kabupaten Madiun, with a full name."""
    user = make_user("perkim2", Role.DISTRICT_STAFF, [KAB_MADIUN])
    user.first_name, user.last_name = "Dewi", "Lestari"
    user.save()
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def edit_twice(url, first, second, first_data, second_data):
    """Both users open the edit page, then the first saves, then the second."""
    first_page, second_page = first.get(url), second.get(url)
    assert first_page.status_code == second_page.status_code == 200
    first_version = first_page.context["form"]["version"].value()
    second_version = second_page.context["form"]["version"].value()
    assert first_version == second_version
    saved = first.post(url, {**first_data, "version": first_version})
    assert saved.status_code == 302, saved.context and saved.context["form"].errors
    return second.post(url, {**second_data, "version": second_version})


def assert_refused(response, by_user, typed: dict):
    """The second save came back as the form, with the message and what was typed."""
    assert response.status_code in (200, 400)
    form = response.context["form"]
    assert form.has_error(NON_FIELD_ERRORS, "stale")
    message = form.non_field_errors()[0]  # in the user's language (Indonesian here)
    assert (by_user.get_full_name() or by_user.username) in message
    content = response.content.decode()
    assert escape(message) in content
    for name, value in typed.items():
        assert form.data[name] == value
        assert str(value) in content
    # Saving again from this form is a deliberate overwrite: it holds the current version.
    return form


def test_work_second_save_is_refused(regions, facilitator, district_editor):
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    district_editor.first_name = "Budi"
    district_editor.save()
    url = reverse("works:work_update", args=[work.pk])
    response = edit_twice(
        url,
        logged_in(district_editor),
        logged_in(facilitator),
        work_data(work.builder, name="Jalan paving (perkim)"),
        work_data(work.builder, name="Jalan paving (fasilitator)", volume="150"),
    )
    form = assert_refused(response, district_editor, {"name": "Jalan paving (fasilitator)"})
    changed = form.non_field_errors()[1]  # which fields the other person changed
    with translation.override("id"):  # the page's language
        assert str(Work._meta.get_field("name").verbose_name) in changed.lower()
    work.refresh_from_db()
    assert (work.name, work.volume) == ("Jalan paving (perkim)", Decimal("140"))
    assert work.version == 2


def test_work_refused_form_saves_when_sent_again(regions, facilitator, district_editor):
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    url = reverse("works:work_update", args=[work.pk])
    second = logged_in(facilitator)
    response = edit_twice(
        url,
        logged_in(district_editor),
        second,
        work_data(work.builder, name="Versi pertama"),
        work_data(work.builder, name="Versi kedua"),
    )
    form = response.context["form"]
    assert form["version"].value() == 2  # the refused form now carries the current version
    again = second.post(url, {**work_data(work.builder, name="Versi kedua"), "version": 2})
    assert again.status_code == 302
    work.refresh_from_db()
    assert (work.name, work.version) == ("Versi kedua", 3)


def test_progress_report_second_save_is_refused(regions, facilitator, district_editor):
    report = ReportFactory(work=WorkFactory(kelurahan_id=KLAGENSERUT), status="draft")
    url = reverse("works:report_update", args=[report.pk])
    draft = {key: value for key, value in report_data().items() if key != "submit"}
    response = edit_twice(
        url,
        logged_in(facilitator),
        logged_in(district_editor),
        {**draft, "physical_progress": "40"},
        {**draft, "physical_progress": "45", "notes": "Catatan kedua"},
    )
    assert_refused(response, facilitator, {"notes": "Catatan kedua"})
    report.refresh_from_db()
    assert report.physical_progress == Decimal("40") and report.notes == ""
    assert ProgressReport.objects.get().status == "draft"


def test_slum_area_second_save_is_refused(regions, district_editor, second_editor):
    area = SlumAreaFactory(kelurahan=[KLAGENSERUT])
    url = reverse("slums:slumarea_update", args=[area.pk])
    response = edit_twice(
        url,
        logged_in(second_editor),
        logged_in(district_editor),
        area_data(name="Kawasan Dewi"),
        area_data(name="Kawasan Perkim", sk_issued_by="Bupati"),
    )
    assert_refused(response, second_editor, {"name": "Kawasan Perkim"})
    assert SlumArea.objects.get().name == "Kawasan Dewi"


def test_member_second_save_is_refused(regions, facilitator, district_editor):
    member = make_member(make_group(), name="Siti")
    url = reverse("programs:member_update", args=[member.pk])
    response = edit_twice(
        url,
        logged_in(district_editor),
        logged_in(facilitator),
        member_data(name="Siti Aminah"),
        member_data(name="Siti Rahayu", phone="0813"),
    )
    assert_refused(response, district_editor, {"name": "Siti Rahayu", "phone": "0813"})
    assert Member.objects.get().name == "Siti Aminah"


def test_refused_member_form_keeps_the_nik_masked_for_a_facilitator(
    regions, facilitator, district_editor
):
    nik = "3519094507800001"
    member = make_member(make_group(), name="Siti", nik=nik)
    url = reverse("programs:member_update", args=[member.pk])
    response = edit_twice(
        url,
        logged_in(district_editor),
        logged_in(facilitator),
        member_data(name="Siti Aminah", nik=nik),
        member_data(name="Siti Rahayu", nik="3519********0001"),
    )
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "stale")
    content = response.content.decode()
    assert nik not in content and "3519********0001" in content


def test_allocation_second_save_is_refused(regions, district_editor, second_editor):
    target = allocation(amount=80_000_000)
    url = reverse("budgets:allocation_update", args=[target.pk])
    data = {"decree_number": "188/1/2020", "decree_date": "2020-03-02", "note": ""}
    response = edit_twice(
        url,
        logged_in(district_editor),
        logged_in(second_editor),
        {**data, "amount": "90.000.000", "reason": "APBD-P"},
        {**data, "amount": "70.000.000", "reason": "Koreksi"},
    )
    assert_refused(response, district_editor, {"amount": "70.000.000", "reason": "Koreksi"})
    assert Allocation.objects.get().amount == 90_000_000


def test_admin_change_form_refuses_a_stale_save(regions, national_officer, make_user):
    other = make_user("nasional2", Role.NATIONAL_OFFICER)
    for user in (national_officer, other):
        user.is_staff = True
        user.save()
    unit = RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    url = reverse("admin:locations_rtrw_change", args=[unit.pk])
    first, second = logged_in(national_officer), logged_in(other)
    assert first.get(url).status_code == 200
    second_page = second.get(url)
    assert 'name="version"' in second_page.content.decode()
    version = second_page.context["adminform"].form["version"].value()
    data = {"kelurahan": KLAGENSERUT, "rw": "2"}
    assert first.post(url, {**data, "rt": "8", "version": version}).status_code == 302
    response = second.post(url, {**data, "rt": "9", "version": version})
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.has_error(NON_FIELD_ERRORS, "stale")
    who = national_officer.get_full_name() or national_officer.username
    assert who in " ".join(form.non_field_errors())
    assert form.data["rt"] == "9"
    assert RtRw.objects.get().rt == 8


def test_two_saves_of_the_same_loaded_copy_cannot_both_pass(regions):
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    first, second = Work.objects.get(pk=work.pk), Work.objects.get(pk=work.pk)
    first.name = "Pertama"
    first.save()
    second.name = "Kedua"
    with pytest.raises(StaleRecord):
        second.save()
    assert Work.objects.get().name == "Pertama"


def test_a_form_without_its_version_is_refused_not_saved(regions, district_editor):
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    url = reverse("works:work_update", args=[work.pk])
    response = logged_in(district_editor).post(url, work_data(work.builder, name="Tanpa versi"))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Work.objects.get().name != "Tanpa versi"


def run_together(count, action):
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as error:  # noqa: BLE001 — the outcome is what we test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_two_truly_concurrent_saves_exactly_one_wins(regions, district_editor, second_editor):
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    url = reverse("works:work_update", args=[work.pk])
    clients = [logged_in(district_editor), logged_in(second_editor)]
    names = ["Serentak A", "Serentak B"]

    def save(index):
        return clients[index].post(
            url, {**work_data(work.builder, name=names[index]), "version": 1}
        )

    results = run_together(2, save)
    statuses = sorted(getattr(result, "status_code", result) for result in results)
    assert statuses == [200, 302], results
    work.refresh_from_db()
    winner = next(i for i, r in enumerate(results) if r.status_code == 302)
    assert (work.name, work.version) == (names[winner], 2)
    loser = results[1 - winner]
    assert loser.context["form"].has_error(NON_FIELD_ERRORS, "stale")


def test_every_admin_change_form_of_a_versioned_model_carries_the_version(
    regions, national_officer
):
    from django.contrib import admin
    from django.core.management import call_command

    from kotaku.locking import Versioned

    call_command("load_demo")
    national_officer.is_superuser = national_officer.is_staff = True
    national_officer.save()
    client = logged_in(national_officer)
    checked = []
    for model, model_admin in admin.site._registry.items():
        obj = model._default_manager.first()
        if not issubclass(model, Versioned) or obj is None:
            continue
        meta = model._meta
        response = client.get(
            reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
        )
        assert response.status_code == 200, meta.label
        if model_admin.has_change_permission(response.wsgi_request, obj):
            assert 'name="version"' in response.content.decode(), meta.label
            checked.append(meta.label)
    assert {"works.Work", "budgets.Allocation", "slums.SlumArea", "programs.Member"} <= set(checked)
