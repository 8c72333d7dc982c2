import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from conftest import BUKUR, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku.tests.versions import with_version
from works import services
from works.models import ProgressReport, Work, WorkStatusChange

from .factories import (
    GroupFactory,
    ReportFactory,
    WorkFactory,
    image_bytes,
    pdf_file,
    photo_file,
    work_type,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(regions):
    """One work in each of Klagenserut, Bukur, Sambirejo (Jiwan) and Tanjungsari."""
    return {
        code: WorkFactory(name=f"Jalan {code}", kelurahan_id=code)
        for code in (KLAGENSERUT, BUKUR, SAMBIREJO, TANJUNGSARI)
    }


def list_names(response):
    return sorted(work.name for work in response.context["works"])


def url(name, *args):
    return reverse(f"works:{name}", args=args)


# The list


def test_list_is_scoped_to_the_users_places(client_for, works, facilitator, district_reader):
    response = client_for(facilitator).get(url("work_list"))
    assert response.status_code == 200
    assert list_names(response) == [f"Jalan {BUKUR}", f"Jalan {KLAGENSERUT}"]
    response = client_for(district_reader).get(url("work_list"))
    assert len(response.context["works"]) == 3  # not Tanjungsari


def test_list_filters_by_region_status_and_flags(client_for, works, national_officer):
    client = client_for(national_officer)
    response = client.get(url("work_list"), {"region": "35.19.09", "q": "2010"})
    assert list_names(response) == [f"Jalan {KLAGENSERUT}"]
    Work.objects.update(status="planned")  # under construction they would all be stale
    ReportFactory(work=works[BUKUR], physical_progress=Decimal("80"))  # a jump from 0
    response = client.get(url("work_list"), {"flagged": "true"})
    assert list_names(response) == [f"Jalan {BUKUR}"]
    response = client.get(url("work_list"), {"status": "completed"})
    assert list_names(response) == []


def test_list_query_count_does_not_grow_with_rows(
    client_for, works, district_reader, django_assert_max_num_queries
):
    client = client_for(district_reader)
    with django_assert_max_num_queries(12):
        client.get(url("work_list"))
    for _n in range(10):
        ReportFactory(work=WorkFactory(kelurahan_id=BUKUR))
    with django_assert_max_num_queries(12):
        response = client.get(url("work_list"))
    assert len(response.context["works"]) == 13


def test_list_exports_the_filtered_rows_as_csv(client_for, works, facilitator):
    response = client_for(facilitator).get(url("work_list"), {"export": "csv", "region": BUKUR})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert f"Jalan {BUKUR}" in text
    assert f"Jalan {KLAGENSERUT}" not in text


# The detail


def test_detail_shows_approved_progress_and_marks_the_pending_one(
    client_for, works, facilitator, django_assert_max_num_queries
):
    work = works[KLAGENSERUT]
    ReportFactory(work=work, physical_progress=Decimal("30"))
    ReportFactory(
        work=work,
        report_date=datetime.date(2020, 7, 15),
        physical_progress=Decimal("45"),
        status="submitted",
    )
    client = client_for(facilitator)
    with django_assert_max_num_queries(25):
        response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    assert response.context["work"].approved_progress == Decimal("30")
    assert response.context["work"].served_people == 0
    assert response.context["work"].has_pending
    assert b'data-testid="pending"' in response.content
    assert b"<svg" in response.content and b"<script" not in response.content.split(b"<svg")[1]
    for day in range(2, 12):
        ReportFactory(work=work, report_date=datetime.date(2020, 8, day))
    with django_assert_max_num_queries(25):
        client.get(work.get_absolute_url())


def test_detail_out_of_area_is_404(client_for, works, facilitator, outsider):
    assert client_for(facilitator).get(works[SAMBIREJO].get_absolute_url()).status_code == 404
    assert client_for(outsider).get(works[KLAGENSERUT].get_absolute_url()).status_code == 404
    assert client_for(outsider).get(url("work_detail", 99999)).status_code == 404


# Create and edit


def form_data(builder, **changes):
    data = {
        "fiscal_year": "2020",
        "kelurahan": KLAGENSERUT,
        "rt": "7",
        "rw": "2",
        "aspect": "jalan",
        "work_type": str(work_type().pk),
        "name": "Jalan paving RT 07",
        "scale": "lingkungan",
        "volume": "140",
        "unit": "m",
        "latitude": "-7.612300",
        "longitude": "111.553100",
        "builder": str(builder.pk),
        "method": "swakelola",
        "planned_start": "2020-06-01",
        "planned_end": "2020-09-30",
        "budget": "80.000.000",
        "planned_people": "120",
        "planned_women": "60",
        "planned_households": "30",
        "planned_poor_households": "10",
        "planned_mbr": "25",
    }
    data.update(changes)
    return data


def test_facilitator_creates_a_work_in_their_desa(client_for, facilitator):
    builder = GroupFactory()
    response = client_for(facilitator).post(url("work_create"), form_data(builder))
    work = Work.objects.get()
    assert response.status_code == 302 and response.url == work.get_absolute_url()
    assert (work.budget, str(work.rtrw), work.status) == (
        Decimal("80000000"),
        "RT 07 / RW 02",
        "planned",
    )


def test_a_national_officer_chooses_the_kelurahan_first_then_its_choices(
    client_for, regions, national_officer, district_editor
):
    """The nation's (or a province's) groups, proposals and slum areas are too many for
    one select (7 s and megabytes on the national dataset): the work form offers those
    of the chosen kelurahan only. A district's staff still get all of their district's."""
    here, there = GroupFactory(kelurahan_id=KLAGENSERUT), GroupFactory(kelurahan_id=BUKUR)
    client = client_for(national_officer)
    response = client.get(url("work_create"))
    assert list(response.context["form"].fields["builder"].queryset) == []
    assert 'data-testid="choose-kelurahan"' in response.text
    response = client.get(url("work_create"), {"kelurahan": KLAGENSERUT})
    form = response.context["form"]
    assert list(form.fields["builder"].queryset) == [here]
    assert form["kelurahan"].value() == KLAGENSERUT
    assert f'value="{KLAGENSERUT}"' in response.text
    # Posted with another kelurahan's group: refused, and what was typed is kept.
    response = client.post(url("work_create"), form_data(there))
    assert "builder" in response.context["form"].errors and not Work.objects.exists()
    assert "Jalan paving RT 07" in response.text
    response = client.post(url("work_create"), form_data(here))
    assert response.status_code == 302 and Work.objects.get().builder == here
    response = client_for(district_editor).get(url("work_create"))
    form = response.context["form"]
    assert set(form.fields["builder"].queryset) == {here, there}
    assert form.chosen_kelurahan is None
    assert 'data-testid="choose-kelurahan"' not in response.text


@pytest.mark.parametrize("typed", ["\x00", "35.19.09.2010'", "Klagenserut"])
def test_a_chosen_kelurahan_that_is_no_code_is_told_not_queried(
    client_for, regions, national_officer, typed
):
    """A NUL byte once reached PostgreSQL from the chooser (a 500): anything that is no
    region code offers nothing, and says so, on the form and after a POST."""
    GroupFactory(kelurahan_id=KLAGENSERUT)
    client = client_for(national_officer)
    response = client.get(url("work_create"), {"kelurahan": typed})
    assert response.status_code == 200
    assert list(response.context["form"].fields["builder"].queryset) == []
    assert 'data-testid="choose-error"' in response.text
    assert "bukan kode wilayah. Ketik kode seperti 35.19.09.2010." in response.text
    response = client.post(url("work_create"), {"kelurahan": typed, "name": "x"})
    assert response.status_code == 200 and "kelurahan" in response.context["form"].errors
    assert not Work.objects.exists()


def test_create_refuses_a_point_outside_indonesia_and_keeps_what_was_typed(client_for, facilitator):
    builder = GroupFactory()
    response = client_for(facilitator).post(
        url("work_create"), form_data(builder, latitude="51.5", longitude="-0.12")
    )
    assert response.status_code == 200
    assert "latitude" in response.context["form"].errors
    assert b"Jalan paving RT 07" in response.content
    assert not Work.objects.exists()


def test_create_refuses_a_kelurahan_out_of_area(client_for, facilitator):
    builder = GroupFactory(kelurahan_id=SAMBIREJO)
    response = client_for(facilitator).post(
        url("work_create"), form_data(builder, kelurahan=SAMBIREJO)
    )
    assert "kelurahan" in response.context["form"].errors
    assert not Work.objects.exists()


def test_city_coordinator_cannot_create_or_edit(client_for, works, district_reader):
    client = client_for(district_reader)
    assert client.get(url("work_create")).status_code == 403
    assert client.get(url("work_update", works[KLAGENSERUT].pk)).status_code == 403


def test_edit_out_of_area_is_404(client_for, works, facilitator):
    assert client_for(facilitator).get(url("work_update", works[SAMBIREJO].pk)).status_code == 404


def test_district_staff_edit_a_work(client_for, works, district_editor):
    work = works[KLAGENSERUT]
    data = with_version(work, form_data(work.builder, name="Jalan paving RT 07 (revisi)"))
    response = client_for(district_editor).post(url("work_update", work.pk), data)
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.name == "Jalan paving RT 07 (revisi)"


# Status steps


def test_status_step_and_refused_skip(client_for, works, facilitator, district_reader):
    work = works[KLAGENSERUT]
    today = timezone.localdate().isoformat()
    client = client_for(facilitator)
    response = client.post(url("work_status", work.pk), {"to_status": "handed_over", "date": today})
    assert response.status_code == 400
    response = client.post(url("work_status", work.pk), {"to_status": "completed", "date": today})
    assert response.status_code == 302
    assert WorkStatusChange.objects.get().to_status == "completed"
    data = {"to_status": "construction", "date": today}
    assert client_for(district_reader).post(url("work_status", work.pk), data).status_code == 403
    assert (
        client_for(facilitator).post(url("work_status", works[SAMBIREJO].pk), data).status_code
        == 404
    )


# Progress reports


def report_data(**changes):
    data = {
        "report_date": "2020-07-01",
        "physical_progress": "35",
        "spent_to_date": "25.000.000",
        "workers_men": "6",
        "workers_women": "3",
        "labour_days": "45",
        "wage_value": "4.500.000",
        "stage": "50",
        "submit": "1",
    }
    data.update(changes)
    return data


def test_facilitator_reports_with_a_photo_and_submits(client_for, works, facilitator):
    work = works[KLAGENSERUT]
    response = client_for(facilitator).post(
        url("report_create", work.pk), report_data(photo=photo_file("foto.png"))
    )
    report = ProgressReport.objects.get()
    assert response.status_code == 302 and response.url == report.get_absolute_url()
    assert report.status == "submitted"
    assert report.photos.get().stage == "50"


def test_success_message_says_what_was_saved_and_sent(client_for, works, facilitator):
    work = works[KLAGENSERUT]
    response = client_for(facilitator).post(
        url("report_create", work.pk),
        report_data(photo=photo_file("foto.jpg", image_bytes("JPEG", (1600, 1200)))),
    )
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("id"):  # the interface's language
        sent = gettext("Report saved and sent to the city coordinator: %(work)s, %(progress)s%%.")
        photos = ngettext("%(count)d photo attached.", "%(count)d photos attached.", 1)
    assert message == f"{sent % {'work': work.name, 'progress': '35'}} {photos % {'count': 1}}"


def test_served_beneficiaries_are_reported_and_carried_to_the_next_report(
    client_for, works, facilitator
):
    work = works[KLAGENSERUT]
    client = client_for(facilitator)
    served = {
        "served_people": "118",
        "served_women": "61",
        "served_households": "31",
        "served_poor_households": "9",
        "served_mbr": "24",
    }
    response = client.post(url("report_create", work.pk), report_data(**served))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert (report.served_people, report.served_women, report.served_mbr) == (118, 61, 24)
    form = client.get(url("report_create", work.pk)).context["form"]
    assert form.initial["served_people"] == 118 and form.initial["served_mbr"] == 24
    response = client.post(
        url("report_create", work.pk),
        report_data(report_date="2020-07-08", served_people="5", served_women="6"),
    )
    assert "served_women" in response.context["form"].errors
    assert ProgressReport.objects.count() == 1


def test_no_report_on_a_planned_or_certified_work(client_for, works, facilitator):
    work = works[KLAGENSERUT]
    client = client_for(facilitator)
    for status, code in (("planned", "not_started"), ("certified", "closed")):
        Work.objects.filter(pk=work.pk).update(status=status)
        response = client.get(url("report_create", work.pk))
        assert response.status_code == 302 and response.url == work.get_absolute_url()
        [message] = [str(m) for m in get_messages(response.wsgi_request)]
        work.refresh_from_db()
        with translation.override("id"), pytest.raises(ValidationError) as excinfo:
            services.check_reportable(work)
        assert excinfo.value.code == code and message == excinfo.value.messages[0]
        response = client.post(url("report_create", work.pk), report_data())
        assert response.status_code == 302
        page = client.get(work.get_absolute_url())
        assert url("report_create", work.pk).encode() not in page.content
    assert not ProgressReport.objects.exists()


def test_several_photos_are_attached_at_once_and_a_bad_one_is_named(client_for, works, facilitator):
    work = works[KLAGENSERUT]
    client = client_for(facilitator)
    fake = photo_file("bukan-foto.jpg", b"not a photo\n")
    response = client.post(
        url("report_create", work.pk),
        report_data(photo=[photo_file("a.jpg", image_bytes()), fake], stage="100"),
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["photo"]
    assert error.startswith("bukan-foto.jpg: ")
    assert not ProgressReport.objects.exists()
    six = [photo_file(f"{n}.jpg", image_bytes()) for n in range(6)]
    response = client.post(url("report_create", work.pk), report_data(photo=six))
    assert response.context["form"].has_error("photo", "too_many")
    photos = [photo_file("a.jpg", image_bytes()), photo_file("b.png", image_bytes("PNG"))]
    response = client.post(url("report_create", work.pk), report_data(photo=photos, stage="100"))
    assert response.status_code == 302
    report = ProgressReport.objects.get()
    assert sorted(report.photos.values_list("stage", "image_format")) == [
        ("100", "jpg"),
        ("100", "png"),
    ]


def test_report_with_a_text_file_renamed_jpg_is_refused(client_for, works, facilitator):
    fake = photo_file("foto.jpg", b"this is not a photo\n")
    response = client_for(facilitator).post(
        url("report_create", works[KLAGENSERUT].pk), report_data(photo=fake)
    )
    assert response.status_code == 200
    assert "photo" in response.context["form"].errors
    assert not ProgressReport.objects.exists()


def test_report_lower_progress_without_reason_shows_the_rule(client_for, works, facilitator):
    work = works[KLAGENSERUT]
    ReportFactory(work=work, physical_progress=Decimal("50"))
    response = client_for(facilitator).post(
        url("report_create", work.pk), report_data(report_date="2020-07-05")
    )
    assert "reason_for_decrease" in response.context["form"].errors
    assert ProgressReport.objects.count() == 1


def test_report_form_scope_and_role(client_for, works, facilitator, district_reader):
    assert client_for(facilitator).get(url("report_create", works[SAMBIREJO].pk)).status_code == 404
    response = client_for(facilitator).get(url("report_create", works[KLAGENSERUT].pk))
    assert b'capture="environment"' in response.content
    assert (
        client_for(district_reader).get(url("report_create", works[KLAGENSERUT].pk)).status_code
        == 403
    )


def test_review_verify_then_approve(client_for, works, district_reader, district_editor):
    report = ReportFactory(work=works[KLAGENSERUT], status="submitted")
    review = url("report_review", report.pk)
    assert client_for(district_editor).post(review, {"action": "verify"}).status_code == 403
    client_for(district_reader).post(review, {"action": "verify"})
    client_for(district_editor).post(review, {"action": "approve"})
    report.refresh_from_db()
    assert report.status == "approved"
    assert report.verified_by == district_reader and report.approved_by == district_editor


def test_report_detail_scope_and_queries(
    client_for, works, facilitator, outsider, django_assert_max_num_queries
):
    report = ReportFactory(work=works[KLAGENSERUT], status="submitted", served_people=77)
    client = client_for(facilitator)
    with django_assert_max_num_queries(15):
        response = client.get(report.get_absolute_url())
    assert response.status_code == 200
    assert b"77" in response.content.split(b'data-testid="served"')[1].split(b"</dd>")[0]
    assert client_for(outsider).get(report.get_absolute_url()).status_code == 404


def test_returned_report_is_corrected_and_sent_again(client_for, works, facilitator):
    report = ReportFactory(
        work=works[KLAGENSERUT], status="returned", return_comment="Photo missing"
    )
    client = client_for(facilitator)
    response = client.get(url("my_works"))
    assert [r.pk for r in response.context["returned"]] == [report.pk]
    response = client.post(
        url("report_update", report.pk),
        with_version(report, report_data(photo=photo_file(), stage="50")),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.photos.count() == 1


def test_my_works_lists_due_works_in_few_queries(
    client_for, works, facilitator, django_assert_max_num_queries
):
    client = client_for(facilitator)
    with django_assert_max_num_queries(10):
        response = client.get(url("my_works"))
    assert sorted(work.name for work in response.context["works"]) == [
        f"Jalan {BUKUR}",
        f"Jalan {KLAGENSERUT}",
    ]
    assert all(work.report_due for work in response.context["works"])


def test_my_works_offers_reporting_only_to_those_who_may_report(
    client_for, works, facilitator, district_reader
):
    """The city coordinator reads and verifies: their "My works" lists the same works
    and returned reports, without the buttons to report or correct (403 for them)."""
    report = ReportFactory(work=works[KLAGENSERUT], status="returned", return_comment="Foto")
    report_new = url("report_create", works[KLAGENSERUT].pk)
    correct = url("report_update", report.pk)
    response = client_for(facilitator).get(url("my_works"))
    assert f'href="{report_new}"' in response.text and f'href="{correct}"' in response.text
    response = client_for(district_reader).get(url("my_works"))
    assert works[KLAGENSERUT].name in response.text
    assert f'href="{report_new}"' not in response.text
    assert f'href="{correct}"' not in response.text
    assert f'href="{report.get_absolute_url()}"' in response.text
    assert client_for(district_reader).get(report_new).status_code == 403


def test_rollup_page_is_scoped(
    client_for, works, district_reader, facilitator, django_assert_max_num_queries
):
    ReportFactory(work=works[KLAGENSERUT], served_people=111, served_women=55)
    ReportFactory(work=works[TANJUNGSARI], served_people=999)  # outside Kabupaten Madiun
    client = client_for(district_reader)
    with django_assert_max_num_queries(10):
        response = client.get(url("rollup"), {"level": "2"})
    assert [row["code"] for row in response.context["rows"]] == ["35.19"]
    row = response.context["rows"][0]
    assert row["works"] == 3
    assert (row["served_people"], row["planned_people"]) == (111, 360)
    assert b"111 / 360" in response.content
    for _n in range(5):
        ReportFactory(work=WorkFactory(kelurahan_id=BUKUR), served_people=1)
    with django_assert_max_num_queries(10):
        client.get(url("rollup"), {"level": "4"})
    assert client_for(facilitator).get(url("rollup")).status_code == 200


def test_rollup_page_shows_100_regions_a_page(client_for, regions, national_officer, monkeypatch):
    """The nation's kelurahan are 11,000 rows: the page shows them a hundred at a time."""
    from works.views import RegionRollupView

    monkeypatch.setattr(RegionRollupView, "paginate_by", 2)
    for code in (KLAGENSERUT, BUKUR, SAMBIREJO):
        WorkFactory(kelurahan_id=code)
    client = client_for(national_officer)
    first = client.get(url("rollup"), {"level": "4"})
    assert [row["code"] for row in first.context["rows"]] == [BUKUR, SAMBIREJO]
    assert [row["name"] for row in first.context["rows"]] == ["Bukur", "Sambirejo"]
    assert first.context["page_obj"].paginator.count == 3
    assert 'href="?level=4&amp;page=2"' in first.text
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url("rollup"), {"level": "4", "page": "2"})
    assert [row["code"] for row in second.context["rows"]] == [KLAGENSERUT]
    assert second.context["rows"][0]["works"] == 1
    # Only the page's regions are summed: the database limits the grouped rows.
    summed = [q["sql"] for q in queries.captured_queries if '"wages"' in q["sql"]]
    assert len(summed) == 1 and "LIMIT 1 OFFSET 2" in summed[0], summed


def test_rollup_page_leaves_out_a_region_whose_works_moved_away(
    client_for, regions, national_officer
):
    """A kelurahan keeps its stored rollup row, at zero, after its only work moves to
    another kelurahan: the page neither shows it nor counts it."""
    moved = WorkFactory(kelurahan_id=BUKUR)
    WorkFactory(kelurahan_id=KLAGENSERUT)
    builder = GroupFactory(kelurahan_id=SAMBIREJO)
    services.work_update(work=moved, kelurahan_id=SAMBIREJO, builder_id=builder.pk)
    response = client_for(national_officer).get(url("rollup"), {"level": "4"})
    assert [row["code"] for row in response.context["rows"]] == [SAMBIREJO, KLAGENSERUT]
    assert response.context["page_obj"].paginator.count == 2


# Handover and maintenance


def test_district_staff_record_the_handover_with_its_pdf(client_for, works, district_editor):
    work = works[KLAGENSERUT]
    Work.objects.filter(pk=work.pk).update(status="certified")
    kpp = GroupFactory(kind="kpp")
    today = timezone.localdate().isoformat()
    client = client_for(district_editor)
    fake = photo_file("bast.pdf", b"hello")
    response = client.post(
        url("handover_create", work.pk), {"kpp": kpp.pk, "date": today, "document": fake}
    )
    assert response.status_code == 400
    assert "document" in response.context["handover_form"].errors
    response = client.post(
        url("handover_create", work.pk), {"kpp": kpp.pk, "date": today, "document": pdf_file()}
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.status == "handed_over" and work.handover.kpp == kpp


def test_handover_scope_and_role(client_for, works, facilitator, district_reader):
    data = {"to_district": "on", "date": "2020-10-01"}
    assert (
        client_for(district_reader)
        .post(url("handover_create", works[KLAGENSERUT].pk), data)
        .status_code
        == 403
    )
    assert (
        client_for(facilitator).post(url("handover_create", works[SAMBIREJO].pk), data).status_code
        == 404
    )


def test_facilitator_records_a_maintenance_check(client_for, works, facilitator):
    work = works[BUKUR]
    Work.objects.filter(pk=work.pk).update(status="handed_over", status_date=None)
    response = client_for(facilitator).post(
        url("maintenance_create", work.pk),
        {
            "checked_on": timezone.localdate().isoformat(),
            "exists": "on",
            "used": "on",
            "notes": "Cracks near the drain",
            "photo": photo_file(),
        },
    )
    assert response.status_code == 302
    check = work.maintenance_checks.get()
    assert (check.exists, check.good_condition, check.used) == (True, False, True)
    work.refresh_from_db()
    assert work.status == "maintained"


def test_edit_clears_the_rt_rw_when_both_are_emptied(client_for, works, district_editor):
    work = works[KLAGENSERUT]
    client = client_for(district_editor)
    client.post(url("work_update", work.pk), with_version(work, form_data(work.builder)))
    work.refresh_from_db()
    assert str(work.rtrw) == "RT 07 / RW 02"
    client.post(
        url("work_update", work.pk), with_version(work, form_data(work.builder, rt="", rw=""))
    )
    work.refresh_from_db()
    assert work.rtrw is None


def test_group_page_lists_the_works_it_builds(client_for, facilitator, outsider):
    work = WorkFactory(name="Jalan paving RT 07")
    other = WorkFactory(name="Drainase RT 02")  # built by another group
    url = reverse("programs:group_detail", args=[work.builder_id])
    response = client_for(facilitator).get(url)
    assert response.status_code == 200
    assert [w.name for w in response.context["works"]] == ["Jalan paving RT 07"]
    assert other.name not in response.content.decode()
    assert client_for(outsider).get(url).status_code == 404


def test_my_works_is_paged_and_cuts_the_returned_reports(
    client_for, works, district_editor, django_assert_max_num_queries
):
    """A district's officer opens "My works" too: its works come 50 to a page, and the
    returned reports are cut at 20 with a link to all of them (the page once listed
    thousands at national scale, in 7 seconds)."""
    from works.views import MyWorksView

    many = WorkFactory.create_batch(MyWorksView.paginate_by, kelurahan_id=KLAGENSERUT)
    for work in many[: MyWorksView.RETURNED_SHOWN + 1]:
        ReportFactory(work=work, status="returned", return_comment="Foto")
    client = client_for(district_editor)
    with django_assert_max_num_queries(12):
        response = client.get(url("my_works"))
    page = response.context["page_obj"]
    assert page.paginator.count == len(many) + 3  # and the fixture's three in Madiun
    assert len(response.context["works"]) == MyWorksView.paginate_by
    assert len(response.context["returned"]) == MyWorksView.RETURNED_SHOWN
    assert f'href="{url("report_list")}?status=returned"' in response.text
    second = client.get(url("my_works"), {"page": 2})
    assert len(second.context["works"]) == 3
    shown = {w.pk for w in response.context["works"]} | {w.pk for w in second.context["works"]}
    assert len(shown) == len(many) + 3
