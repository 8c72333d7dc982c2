import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from PIL import Image

from conftest import BUKUR, KLAGENSERUT
from works import services
from works.choices import WorkStatus
from works.models import Handover, ProgressReport, ReportPhoto, WorkStatusChange, WorkType

from .factories import (
    START,
    GroupFactory,
    WorkFactory,
    image_bytes,
    pdf_file,
    photo_file,
    work_type,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def work_data(**changes):
    data = {
        "fiscal_year": 2020,
        "kelurahan_id": KLAGENSERUT,
        "aspect": "jalan",
        "work_type": work_type(),
        "name": "Jalan paving RT 07",
        "volume": Decimal("140"),
        "unit": "m",
        "builder": GroupFactory(),
        "method": "swakelola",
        "planned_start": START,
        "planned_end": datetime.date(2020, 9, 30),
        "budget": Decimal("80000000"),
    }
    data.update(changes)
    return data


def report(work, user, **changes):
    data = {
        "report_date": datetime.date(2020, 7, 1),
        "physical_progress": Decimal("40"),
        "spent_to_date": Decimal("10000000"),
        "workers_men": 6,
        "workers_women": 3,
        "labour_days": Decimal("45"),
        "wage_value": Decimal("4500000"),
    }
    data.update(changes)
    return services.progress_report_create(work=work, user=user, **data)


def errors_of(excinfo):
    return excinfo.value.message_dict


# Works


def test_common_work_types_are_seeded_for_each_aspect():
    seeded = dict(WorkType.objects.values_list("name", "aspect"))
    assert seeded["Jalan paving"] == "jalan" and seeded["Drainase"] == "drainase"
    assert seeded["IPAL komunal"] == "air_limbah" and seeded["Sumur"] == "air_minum"
    assert seeded["TPS3R"] == "persampahan" and seeded["APAR"] == "kebakaran"


def test_work_create_records_the_rt_rw_from_its_numbers(regions):
    work = services.work_create(**work_data(), rt=7, rw=2)
    assert str(work.rtrw) == "RT 07 / RW 02"
    again = services.work_create(**work_data(name="Drainase"), rt=7, rw=2)
    assert again.rtrw_id == work.rtrw_id
    assert work.status == WorkStatus.PLANNED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"work_type": "Drainase"}, "work_type"),
        ({"volume": Decimal("0")}, "volume"),
        ({"latitude": Decimal("-7.6")}, "latitude"),
        ({"latitude": Decimal("51.5"), "longitude": Decimal("-0.12")}, "latitude"),
        ({"planned_end": datetime.date(2020, 5, 1)}, "planned_end"),
        ({"planned_people": 10, "planned_women": 11}, "planned_women"),
        ({"planned_households": 5, "planned_poor_households": 6}, "planned_poor_households"),
        ({"builder": "kpp"}, "builder"),
        ({"builder": "bukur"}, "builder"),
        ({"kelurahan_id": "35.19.09"}, "kelurahan"),
    ],
)
def test_work_create_refuses_bad_input(regions, changes, field):
    if changes.get("work_type") == "Drainase":
        changes["work_type"] = work_type("Drainase")
    if changes.get("builder") == "kpp":
        changes["builder"] = GroupFactory(kind="kpp")
    if changes.get("builder") == "bukur":
        changes["builder"] = GroupFactory(kelurahan_id=BUKUR)
    with pytest.raises(ValidationError) as excinfo:
        services.work_create(**work_data(**changes))
    assert field in errors_of(excinfo)


def test_a_point_inside_indonesia_is_kept(regions):
    work = services.work_create(
        **work_data(latitude=Decimal("-7.612"), longitude=Decimal("111.553"))
    )
    assert work.has_point


# Status steps


def test_status_moves_one_step_at_a_time_with_a_record_of_each(regions, facilitator):
    work = WorkFactory(status=WorkStatus.PLANNED, status_date=None)
    work = services.work_status_change(
        work=work, user=facilitator, to_status=WorkStatus.UNDER_CONSTRUCTION, date=START
    )
    work = services.work_status_change(
        work=work, user=facilitator, to_status=WorkStatus.COMPLETED, date=START + DAY
    )
    steps = list(WorkStatusChange.objects.filter(work=work).values_list("from_status", "to_status"))
    assert steps == [("planned", "construction"), ("construction", "completed")]
    assert work.status_date == START + DAY


def test_a_step_cannot_be_skipped(regions, facilitator):
    work = WorkFactory(status=WorkStatus.PLANNED, status_date=None)
    with pytest.raises(ValidationError) as excinfo:
        services.work_status_change(
            work=work, user=facilitator, to_status=WorkStatus.COMPLETED, date=START
        )
    assert "to_status" in errors_of(excinfo)
    work.refresh_from_db()
    assert work.status == WorkStatus.PLANNED
    assert not WorkStatusChange.objects.exists()


def test_going_back_needs_a_reason_that_is_kept(regions, facilitator):
    work = WorkFactory(status=WorkStatus.COMPLETED, status_date=START)
    with pytest.raises(ValidationError) as excinfo:
        services.work_status_change(
            work=work, user=facilitator, to_status=WorkStatus.UNDER_CONSTRUCTION, date=START
        )
    assert "reason" in errors_of(excinfo)
    services.work_status_change(
        work=work,
        user=facilitator,
        to_status=WorkStatus.UNDER_CONSTRUCTION,
        date=START,
        reason="The drainage under the road must be redone.",
    )
    change = WorkStatusChange.objects.get()
    assert change.reason == "The drainage under the road must be redone."
    assert change.by == facilitator


def test_step_date_cannot_be_in_the_future_or_before_the_previous_step(regions, facilitator):
    work = WorkFactory(status=WorkStatus.UNDER_CONSTRUCTION, status_date=START)
    for date in (timezone.localdate() + DAY, START - DAY):
        with pytest.raises(ValidationError) as excinfo:
            services.work_status_change(
                work=work, user=facilitator, to_status=WorkStatus.COMPLETED, date=date
            )
        assert "date" in errors_of(excinfo)


def test_handover_needs_the_document_and_steps_the_work(regions, district_editor):
    work = WorkFactory(status=WorkStatus.CERTIFIED, status_date=START)
    with pytest.raises(ValidationError):
        services.work_status_change(
            work=work, user=district_editor, to_status=WorkStatus.HANDED_OVER, date=START
        )
    kpp = GroupFactory(kind="kpp")
    handover = services.work_handover(
        work=work, user=district_editor, date=START + DAY, document=pdf_file(), kpp=kpp
    )
    work.refresh_from_db()
    assert work.status == WorkStatus.HANDED_OVER
    assert handover.document.name.startswith("works/handover/")


def test_handover_refuses_a_text_file_and_a_ksm(regions, district_editor):
    work = WorkFactory(status=WorkStatus.CERTIFIED, status_date=START)
    fake = photo_file("bast.pdf", b"not a pdf at all")
    with pytest.raises(ValidationError) as excinfo:
        services.work_handover(
            work=work, user=district_editor, date=START, document=fake, to_district=True
        )
    assert "document" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        services.work_handover(
            work=work, user=district_editor, date=START, document=pdf_file(), kpp=GroupFactory()
        )
    assert "kpp" in errors_of(excinfo)
    assert not Handover.objects.exists()


def test_first_maintenance_check_marks_the_work_maintained(regions, facilitator):
    work = WorkFactory(status=WorkStatus.HANDED_OVER, status_date=START)
    services.maintenance_check_create(
        work=work, user=facilitator, checked_on=START + DAY, exists=True, good_condition=False
    )
    work.refresh_from_db()
    assert work.status == WorkStatus.MAINTAINED


# Progress reports


def test_report_is_recorded_with_its_photo_and_submitted(regions, facilitator):
    work = WorkFactory()
    new = report(work, facilitator, photos=[("50", photo_file())], submit=True)
    assert new.status == "submitted"
    assert new.submitted_by == facilitator
    [photo] = new.photos.all()
    assert photo.image.name.startswith("works/photos/")


def test_progress_lower_than_before_needs_a_reason(regions, facilitator):
    work = WorkFactory()
    report(work, facilitator, physical_progress=Decimal("60"))
    with pytest.raises(ValidationError) as excinfo:
        report(work, facilitator, report_date=datetime.date(2020, 7, 8), physical_progress=50)
    assert "reason_for_decrease" in errors_of(excinfo)
    kept = report(
        work,
        facilitator,
        report_date=datetime.date(2020, 7, 8),
        physical_progress=Decimal("50"),
        reason_for_decrease="Part of the paving was washed away by the flood.",
    )
    assert kept.pk


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2020, 6, 30),  # before the previous report
        START - DAY,  # before the work starts
        "tomorrow",
    ],
)
def test_report_dates_that_are_refused(regions, facilitator, day):
    work = WorkFactory()
    report(work, facilitator, report_date=datetime.date(2020, 7, 1))
    if day == "tomorrow":
        day = timezone.localdate() + DAY
    with pytest.raises(ValidationError) as excinfo:
        report(work, facilitator, report_date=day, physical_progress=Decimal("70"))
    assert "report_date" in errors_of(excinfo)
    assert ProgressReport.objects.count() == 1


def stored_files(settings):
    root = settings.MEDIA_ROOT
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_a_bad_photo_leaves_nothing_half_saved(regions, facilitator, settings):
    work = WorkFactory()
    good = photo_file("baik.jpg", image_bytes("JPEG", (600, 400)))
    bad = photo_file("foto.jpg", b"just some text\n")
    with pytest.raises(ValidationError) as excinfo:
        report(work, facilitator, photos=[("0", good), ("50", bad)])
    assert "image" in errors_of(excinfo)
    assert not ProgressReport.objects.exists() and not ReportPhoto.objects.exists()
    assert stored_files(settings) == []  # the first photo's three files are gone too


def test_a_failing_save_removes_the_photos_files(regions, facilitator, settings, monkeypatch):
    work = WorkFactory()

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(ReportPhoto, "save", broken_save)
    with pytest.raises(RuntimeError):
        report(work, facilitator, photos=[("0", photo_file("foto.jpg", image_bytes()))])
    assert stored_files(settings) == []
    assert not ProgressReport.objects.exists()


def test_the_original_is_kept_with_a_display_copy_and_a_thumbnail_next_to_it(regions, facilitator):
    work = WorkFactory()
    original = image_bytes("JPEG", (2000, 1500), noise=True)
    new = report(work, facilitator, photos=[("50", photo_file("IMG 0001.JPG", original))])
    photo = new.photos.get()
    with photo.image.open("rb") as stored:
        assert stored.read() == original  # byte for byte
    assert (photo.image_format, photo.width, photo.height) == ("jpg", 2000, 1500)
    folder = photo.image.name.rsplit("/", 1)[0]
    assert photo.image.name.startswith("works/photos/") and photo.image.name.endswith(".jpg")
    for copy, size in ((photo.display, (1280, 960)), (photo.thumbnail, (320, 240))):
        assert copy.name.rsplit("/", 1)[0] == folder
        assert default_storage.exists(copy.name)
        with copy.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
            assert (image.format, image.size) == ("JPEG", size)
    assert photo.display_url != photo.image.url


def test_a_png_named_jpg_is_stored_as_the_png_it_is(regions, facilitator):
    work = WorkFactory()
    new = report(work, facilitator, photos=[("0", photo_file("foto.jpg", image_bytes("PNG")))])
    photo = new.photos.get()
    assert photo.image_format == "png" and photo.image.name.endswith(".png")


def test_reports_only_on_works_under_construction_or_completed(regions, facilitator):
    work = WorkFactory(status=WorkStatus.PLANNED, status_date=None)
    with translation.override("en"), pytest.raises(ValidationError) as excinfo:
        report(work, facilitator)
    assert excinfo.value.code == "not_started"
    assert "start the work first" in excinfo.value.messages[0]
    for status in (WorkStatus.CERTIFIED, WorkStatus.HANDED_OVER, WorkStatus.MAINTAINED):
        work.status = status
        work.save()
        with pytest.raises(ValidationError) as excinfo:
            report(work, facilitator)
        assert excinfo.value.code == "closed"
    assert not ProgressReport.objects.exists()
    work.status = WorkStatus.COMPLETED
    work.save()
    assert report(work, facilitator, physical_progress=Decimal("100")).pk


def test_served_beneficiaries_are_recorded_within_their_totals(regions, facilitator):
    work = WorkFactory()
    with pytest.raises(ValidationError) as excinfo:
        report(work, facilitator, served_people=10, served_women=11)
    assert "served_women" in errors_of(excinfo)
    with pytest.raises(ValidationError) as excinfo:
        report(work, facilitator, served_households=4, served_poor_households=5)
    assert "served_poor_households" in errors_of(excinfo)
    new = report(
        work,
        facilitator,
        served_people=118,
        served_women=61,
        served_households=31,
        served_poor_households=9,
        served_mbr=24,
    )
    assert (new.served_people, new.served_poor_households) == (118, 9)


def test_returned_report_is_corrected_under_the_same_rules(regions, facilitator):
    work = WorkFactory()
    first = report(work, facilitator, physical_progress=Decimal("40"))
    second = report(
        work, facilitator, report_date=datetime.date(2020, 7, 8), physical_progress=Decimal("45")
    )
    with pytest.raises(ValidationError):
        services.progress_report_update(report=second, physical_progress=Decimal("30"))
    updated = services.progress_report_update(report=second, physical_progress=Decimal("55"))
    assert updated.physical_progress == Decimal("55")
    first.status = "approved"
    first.save()
    with pytest.raises(ValidationError):
        services.progress_report_update(report=first, notes="late change")
