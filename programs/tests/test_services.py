import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import override

from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT, SAMBIREJO
from locations.models import RtRw
from programs import services
from programs.choices import GroupStatus
from programs.models import (
    AttendanceRow,
    Bkm,
    BkmStatus,
    Commitment,
    CommunityGroup,
    Event,
    Member,
    RkmProposal,
    Rp2kpkp,
    Rplp,
)

from .factories import BkmFactory, make_event, make_group, make_member, make_proposal, region
from .test_uploads import PDF, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the interface defaults to Indonesian)."""
    with override("en"):
        yield


def messages_of(error):
    return " ".join(error.messages)


def test_second_bkm_for_a_kelurahan_is_refused(regions):
    services.bkm_create(kelurahan=region(KLAGENSERUT), name="LKM Bangkit Bersama")
    with pytest.raises(ValidationError) as caught:
        services.bkm_create(kelurahan=region(KLAGENSERUT), name="LKM Kedua")
    assert "already has a BKM" in messages_of(caught.value)
    assert Bkm.objects.count() == 1


def test_bkm_status_is_one_per_year(regions):
    bkm = BkmFactory()
    services.bkm_status_add(bkm=bkm, year=2020, status="berdaya")
    with pytest.raises(ValidationError):
        services.bkm_status_add(bkm=bkm, year=2020, status="mandiri")
    assert BkmStatus.objects.get().status == "berdaya"


def test_ksm_in_a_kelurahan_without_bkm_is_refused(regions):
    with pytest.raises(ValidationError) as caught:
        services.group_create(
            kelurahan=region(SAMBIREJO), kind="ksm", name="KSM X", formed_on=datetime.date.today()
        )
    assert "kelurahan" in caught.value.message_dict
    assert "no BKM" in messages_of(caught.value)
    assert not CommunityGroup.objects.exists()


def test_a_group_belongs_to_the_bkm_of_its_kelurahan(regions):
    group = make_group()
    assert group.bkm.kelurahan_id == group.kelurahan_id == KLAGENSERUT


def test_invalid_nik_is_refused_and_nothing_saved(regions):
    group = make_group()
    with pytest.raises(ValidationError) as caught:
        make_member(group, nik="1234")
    assert "nik" in caught.value.message_dict
    assert not Member.objects.exists()


def test_same_nik_twice_in_a_group_is_refused(regions):
    group = make_group()
    make_member(group, "Siti Aminah", nik="3519094507800001")
    with pytest.raises(ValidationError):
        make_member(group, "Siti A.", nik="3519094507800001")
    assert group.members.count() == 1


def test_same_name_and_phone_without_nik_is_refused(regions):
    group = make_group()
    make_member(group, "Siti Aminah", phone="0812-3456")
    with pytest.raises(ValidationError) as caught:
        make_member(group, "  siti   aminah ", phone="08123456")
    assert "already a member" in messages_of(caught.value)


def test_same_person_may_be_in_two_groups(regions):
    first = make_group()
    second = make_group(kind="kpp", name="KPP Lestari")
    make_member(first, "Siti", nik="3519094507800001")
    make_member(second, "Siti", nik="3519094507800001")
    assert Member.objects.count() == 2


def test_member_update_keeps_the_not_twice_rule(regions):
    group = make_group()
    make_member(group, "Siti", phone="1")
    other = make_member(group, "Ani", phone="2")
    with pytest.raises(ValidationError):
        services.member_update(member=other, name="Siti", phone="1")


def test_a_dissolved_group_is_kept_and_takes_no_new_members(regions):
    group = make_group()
    services.group_dissolve(group=group, dissolved_on=datetime.date(2022, 1, 1))
    group.refresh_from_db()
    assert group.status == GroupStatus.DISSOLVED
    with pytest.raises(ValidationError):
        make_member(group)
    with pytest.raises(ValidationError):
        services.group_dissolve(group=group, dissolved_on=datetime.date(2022, 1, 2))


def test_a_group_is_not_dissolved_before_it_was_formed(regions):
    group = make_group(formed_on=datetime.date(2020, 6, 1))
    with pytest.raises(ValidationError):
        services.group_dissolve(group=group, dissolved_on=datetime.date(2019, 1, 1))


def test_event_ending_before_it_starts_is_refused(regions):
    with pytest.raises(ValidationError) as caught:
        make_event(start=datetime.date(2020, 2, 18), end_date=datetime.date(2020, 2, 17))
    assert "end_date" in caught.value.message_dict
    assert not Event.objects.exists()


def test_event_needs_a_region(regions):
    with pytest.raises(ValidationError):
        make_event(codes=())


def test_rkm_proposal_records_its_rt_rw(regions):
    proposal = make_proposal()
    assert (proposal.rtrw.rt, proposal.rtrw.rw) == (7, 2)
    make_proposal(priority=2)
    assert RtRw.objects.count() == 1


def test_rkm_priority_is_unique_per_kelurahan_and_year(regions):
    make_proposal(priority=1)
    with pytest.raises(ValidationError):
        make_proposal(priority=1)
    make_proposal(priority=1, year=2021)
    make_proposal(code=BUKUR, priority=1)
    assert RkmProposal.objects.count() == 3


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"estimated_cost": Decimal(0)}, "estimated_cost"),
        ({"volume": Decimal(0)}, "volume"),
        ({"aspect": "nope"}, "aspect"),
    ],
)
def test_rkm_bad_values_are_refused(regions, changes, field):
    with pytest.raises(ValidationError):
        make_proposal(**changes)
    assert not RkmProposal.objects.exists()


def test_rplp_document_must_be_a_real_pdf(regions):
    fake = SimpleUploadedFile("rplp.pdf", b"plain text")
    with pytest.raises(ValidationError) as caught:
        services.rplp_create(kelurahan=region(KLAGENSERUT), title="RPLP", document=fake)
    assert "document" in caught.value.message_dict
    assert not Rplp.objects.exists()
    good = SimpleUploadedFile("RPLP final.pdf", PDF)
    plan = services.rplp_create(kelurahan=region(KLAGENSERUT), title="RPLP", document=good)
    assert plan.document.name.startswith("programs/rplp/")


def test_approved_rplp_needs_its_date(regions):
    with pytest.raises(ValidationError):
        services.rplp_create(
            kelurahan=region(KLAGENSERUT), title="RPLP", document_status="approved"
        )


def test_commitments_are_unique_per_year_and_source_and_inside_the_period(regions):
    plan = services.rp2kpkp_create(
        kabupaten=region(KAB_MADIUN), title="RP2KPKP Madiun", start_year=2020, end_year=2024
    )
    services.commitment_add(plan=plan, year=2020, funding_source="apbd_kabkota", amount=420_000_000)
    with pytest.raises(ValidationError):
        services.commitment_add(plan=plan, year=2020, funding_source="apbd_kabkota", amount=1)
    with pytest.raises(ValidationError):
        services.commitment_add(plan=plan, year=2030, funding_source="dak", amount=1)
    with pytest.raises(ValidationError):
        services.commitment_add(plan=plan, year=2021, funding_source="dak", amount=0)
    assert Commitment.objects.count() == 1
    with pytest.raises(ValidationError):
        services.rp2kpkp_update(plan=plan, start_year=2021)
    plan.refresh_from_db()
    assert plan.start_year == 2020


def test_rp2kpkp_period_in_order(regions):
    with pytest.raises(ValidationError):
        services.rp2kpkp_create(
            kabupaten=region(KAB_MADIUN), title="X", start_year=2024, end_year=2020
        )
    assert not Rp2kpkp.objects.exists()


ATTENDANCE_CSV = (
    "nama,jenis kelamin,peran,lembaga\n"
    "Siti,P,KSM,KSM Rukun\n"
    "Budi,L,BKM,LKM Bangkit\n"
    "Dewi,P,fasilitator,\n"
    "Agus,L,pemerintah,Dinas Perkim\n"
)


def test_attendance_csv_replaces_the_counts(regions):
    event = make_event(men=99, women=99)
    upload = SimpleUploadedFile("hadir.csv", ATTENDANCE_CSV.encode())
    event = services.event_attendance_upload(event=event, upload=upload)
    assert (event.men, event.women) == (2, 2)
    assert (event.ksm_participants, event.bkm_participants) == (1, 1)
    assert (event.facilitator_participants, event.government_participants) == (1, 1)
    assert AttendanceRow.objects.filter(event=event).count() == 4
    assert event.attendance_file.name.startswith("programs/attendance/")


def test_attendance_xlsx_is_read(regions):
    event = make_event()
    content = xlsx_bytes([["Name", "Sex", "Role"], ["Siti", "P", "KPP"], ["Budi", "L", "other"]])
    event = services.event_attendance_upload(
        event=event, upload=SimpleUploadedFile("hadir.xlsx", content)
    )
    assert (event.men, event.women, event.kpp_participants) == (1, 1, 1)


def test_attendance_with_bad_rows_saves_nothing_and_lists_every_row(regions):
    event = make_event(men=10, women=5)
    services.event_attendance_upload(
        event=event, upload=SimpleUploadedFile("hadir.csv", ATTENDANCE_CSV.encode())
    )
    bad = "nama,jenis kelamin,peran\nSiti,P,KSM\n,X,KSM\nBudi,L,camat\n"
    with pytest.raises(services.AttendanceImportError) as caught:
        services.event_attendance_upload(
            event=event, upload=SimpleUploadedFile("hadir.csv", bad.encode())
        )
    lines = [error.line for error in caught.value.row_errors]
    assert lines == [3, 3, 4]
    event.refresh_from_db()
    assert (event.men, event.women) == (2, 2)
    assert event.attendance.count() == 4


def test_attendance_without_required_columns_is_refused(regions):
    event = make_event()
    with pytest.raises(services.AttendanceImportError) as caught:
        services.event_attendance_upload(
            event=event, upload=SimpleUploadedFile("hadir.csv", b"nama,umur\nSiti,40\n")
        )
    assert caught.value.row_errors[0].line == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("hadir.pdf", PDF), ("hadir.csv", "nama\nÑ\n".encode("latin-1")), ("hadir.xlsx", b"text")],
)
def test_attendance_upload_that_is_not_csv_or_xlsx_is_refused(regions, name, content):
    event = make_event()
    with pytest.raises(ValidationError):
        services.event_attendance_upload(event=event, upload=SimpleUploadedFile(name, content))
    assert not AttendanceRow.objects.exists()
