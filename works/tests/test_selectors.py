"""Roll-ups and flags on a small dataset whose totals are worked out by hand."""

import datetime
from decimal import Decimal

import pytest

from conftest import BUKUR, JIWAN, KAB_MADIUN, KLAGENSERUT, TANJUNGSARI
from works import selectors, services
from works.choices import WorkStatus
from works.models import ReportPhoto, Work

from .factories import ReportFactory, WorkFactory, photo_file

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2020, 9, 1)
SERVED = ["people", "women", "households", "poor_households", "mbr"]


def served(people, women, households, poor, mbr):
    return {
        "served_people": people,
        "served_women": women,
        "served_households": households,
        "served_poor_households": poor,
        "served_mbr": mbr,
    }


@pytest.fixture
def dataset(regions):
    """Two works in Klagenserut, one in Bukur, one in Tanjungsari (Pacitan):

    road (Klagenserut): approved 30% (HOK 60, wages 6.0M, 8 men/4 women), approved 90%
        (HOK 40, wages 4.0M, 10 men/2 women; a jump of 60; served 100 people, 50 women,
        25 KK, 8 poor KK, 20 MBR), a pending 95% (served 200/100/50/20/40);
    drain (Klagenserut): completed, approved 100% without a 100% photo, spent 90M of 80M,
        served 130/70/32/12/30;
    well (Bukur): under construction since June, last report 2020-07-20 (stale);
    far (Tanjungsari): one approved report, 50%, HOK 10, served 10/5/3/1/2.
    Every work plans 120 people, 60 women, 30 KK, 10 poor KK, 25 MBR.
    """
    road = WorkFactory(name="road")
    ReportFactory(work=road, report_date=datetime.date(2020, 7, 1), physical_progress=30)
    ReportFactory(
        work=road,
        report_date=datetime.date(2020, 8, 1),
        physical_progress=90,
        labour_days=Decimal("40"),
        wage_value=Decimal("4000000"),
        workers_men=10,
        workers_women=2,
        **served(100, 50, 25, 8, 20),
    )
    ReportFactory(
        work=road,
        report_date=datetime.date(2020, 8, 20),
        physical_progress=95,
        status="submitted",
        **served(200, 100, 50, 20, 40),  # pending: not counted
    )
    drain = WorkFactory(name="drain", status=WorkStatus.COMPLETED, status_date=TODAY)
    ReportFactory(
        work=drain,
        report_date=datetime.date(2020, 8, 25),
        physical_progress=100,
        spent_to_date=Decimal("90000000"),
        **served(130, 70, 32, 12, 30),
    )
    well = WorkFactory(name="well", kelurahan_id=BUKUR, budget=Decimal("50000000"))
    ReportFactory(
        work=well,
        report_date=datetime.date(2020, 7, 20),
        physical_progress=20,
        labour_days=Decimal("0"),
        wage_value=Decimal("0"),
    )
    far = WorkFactory(name="far", kelurahan_id=TANJUNGSARI)
    ReportFactory(
        work=far,
        report_date=datetime.date(2020, 8, 31),
        physical_progress=50,
        labour_days=10,
        **served(10, 5, 3, 1, 2),
    )
    return {"road": road, "drain": drain, "well": well, "far": far}


def by_name(queryset):
    return {work.name: work for work in queryset}


def test_latest_approved_progress_and_pending(dataset, national_officer):
    works = by_name(selectors.work_list_queryset(national_officer))
    assert works["road"].approved_progress == Decimal("90")
    assert works["road"].approved_date == datetime.date(2020, 8, 1)
    assert works["road"].has_pending is True
    assert works["road"].last_report_date == datetime.date(2020, 8, 20)
    assert works["drain"].has_pending is False


def test_labour_of_a_work_comes_from_approved_reports(dataset, national_officer):
    road = selectors.work_detail_queryset(national_officer).get(pk=dataset["road"].pk)
    assert road.labour_days_total == Decimal("100")  # 60 + 40; the pending one not counted
    assert road.wages_total == Decimal("10000000")
    assert (road.workers_men_peak, road.workers_women_peak) == (10, 4)


def test_flags_are_computed_in_the_database(dataset, national_officer):
    works = by_name(selectors.with_flags(Work.objects.for_user(national_officer), today=TODAY))
    flagged = {
        name: [flag for flag in selectors.FLAGS if getattr(work, flag)]
        for name, work in works.items()
    }
    assert flagged == {
        "road": ["flag_jump"],
        "drain": ["flag_jump", "flag_no_final_photo", "flag_overspent"],
        "well": ["flag_stale"],
        "far": [],
    }


def test_a_100_percent_photo_clears_the_photo_flag(dataset, national_officer):
    draft = ReportFactory(
        work=dataset["drain"], report_date=datetime.date(2020, 8, 30), status="draft"
    )
    ReportPhoto.objects.create(report=draft, stage="100", image=photo_file())
    drain = selectors.with_flags(Work.objects.all(), today=TODAY).get(pk=dataset["drain"].pk)
    assert drain.flag_no_final_photo is True  # a draft's photo is not sent yet
    report = dataset["drain"].reports.get(status="approved")
    ReportPhoto.objects.create(report=report, stage="100", image=photo_file())
    drain = selectors.with_flags(Work.objects.all(), today=TODAY).get(pk=dataset["drain"].pk)
    assert drain.flag_no_final_photo is False


def test_has_flags_filter(dataset, national_officer):
    flagged = selectors.with_flags(Work.objects.all(), today=TODAY).filter(selectors.any_flag_q())
    assert sorted(flagged.values_list("name", flat=True)) == ["drain", "road", "well"]


def test_region_rollup_per_kelurahan(dataset, district_reader):
    rows = {row["code"]: row for row in selectors.region_rollup(district_reader, level=4)}
    assert set(rows) == {KLAGENSERUT, BUKUR}  # Tanjungsari is outside Kabupaten Madiun
    klagenserut = rows[KLAGENSERUT]
    assert klagenserut["name"] == "Klagenserut"
    assert (klagenserut["works"], klagenserut["completed"]) == (2, 1)
    assert klagenserut["budget"] == Decimal("160000000")
    assert klagenserut["labour_days"] == Decimal("160")  # 60 + 40 + 60
    assert klagenserut["wages"] == Decimal("16000000")
    assert (klagenserut["workers_men"], klagenserut["workers_women"]) == (18, 8)
    assert klagenserut["progress"] == Decimal("95")  # (90 + 100) / 2
    assert klagenserut["planned_people"] == 240
    served_here = [klagenserut[f"served_{name}"] for name in SERVED]
    assert served_here == [230, 120, 57, 20, 50]  # road 90% + drain 100%; not the pending
    bukur = rows[BUKUR]
    assert [bukur[f"served_{name}"] for name in SERVED] == [0, 0, 0, 0, 0]
    assert [bukur[f"planned_{name}"] for name in SERVED] == [120, 60, 30, 10, 25]


def test_served_beneficiaries_of_a_work_come_from_its_latest_approved_report(
    dataset, national_officer
):
    works = by_name(selectors.work_detail_queryset(national_officer))
    assert [getattr(works["road"], f"served_{name}") for name in SERVED] == [100, 50, 25, 8, 20]
    assert works["well"].served_people == 0


def test_served_beneficiaries_roll_up_the_region_tree(dataset, national_officer):
    provinces = {row["code"]: row for row in selectors.region_rollup(national_officer, level=1)}
    assert provinces["35"]["served_people"] == 240  # 100 + 130 + 0 + 10 (Pacitan)
    assert provinces["35"]["served_women"] == 125
    assert provinces["35"]["planned_people"] == 480


def test_region_rollup_per_kabupaten_and_within(dataset, national_officer):
    rows = {row["code"]: row for row in selectors.region_rollup(national_officer, level=2)}
    assert rows[KAB_MADIUN]["works"] == 3
    assert rows[KAB_MADIUN]["labour_days"] == Decimal("160")  # the well reported none
    assert rows["35.01"]["labour_days"] == Decimal("10")
    [jiwan] = selectors.region_rollup(national_officer, level=3, within=KAB_MADIUN)
    assert jiwan["code"] == JIWAN
    assert jiwan["progress"] == Decimal("70")  # (90 + 100 + 20) / 3


def test_my_works_lists_what_needs_a_report(dataset, facilitator):
    works = list(selectors.my_works(facilitator, today=TODAY))
    assert [(work.name, work.report_due) for work in works] == [
        ("well", True),  # no report for 14 days
        ("drain", True),  # completed without its 100% photo: the final report is due
        ("road", False),
    ]
    report = dataset["drain"].reports.get()
    ReportPhoto.objects.create(report=report, stage="100", image=photo_file())
    names = [work.name for work in selectors.my_works(facilitator, today=TODAY)]
    assert names == ["well", "road"]


def test_my_works_keys_come_from_the_summaries_in_the_same_order(dataset, district_editor):
    """The page's keys are read from the stored summaries: the same works, in the same
    order, as the live query, also after a photo changes what is due."""

    def both():
        live = [work.pk for work in selectors.my_works(district_editor, today=TODAY)]
        return live, list(selectors.my_works_keys(district_editor, today=TODAY))

    live, stored = both()
    assert [dataset[name].pk for name in ("well", "drain", "road")] == live == stored
    report = dataset["drain"].reports.get()
    ReportPhoto.objects.create(report=report, stage="100", image=photo_file())
    services.work_summary_refresh(work_ids=[dataset["drain"].pk])  # as the upload does
    live, stored = both()
    assert [dataset["well"].pk, dataset["road"].pk] == live == stored


def test_stale_counts_from_the_start_of_construction_without_any_report(regions):
    started = WorkFactory(name="started", status_date=datetime.date(2020, 7, 15))
    recent = WorkFactory(name="recent", status_date=datetime.date(2020, 8, 20))
    planned = WorkFactory(name="planned", status=WorkStatus.PLANNED, status_date=None)
    works = by_name(selectors.with_flags(Work.objects.all(), today=TODAY))
    assert works["started"].flag_stale is True  # 48 days under construction, no report
    assert works["recent"].flag_stale is False
    assert works["planned"].flag_stale is False
    assert {started.pk, recent.pk, planned.pk} == {w.pk for w in works.values()}


def test_drafts_do_not_raise_jump_or_overspending_flags(regions):
    work = WorkFactory(name="draft only")
    ReportFactory(
        work=work, physical_progress=90, spent_to_date=Decimal("99000000"), status="draft"
    )
    flagged = selectors.with_flags(Work.objects.all(), today=TODAY).get(pk=work.pk)
    assert (flagged.flag_jump, flagged.flag_overspent) == (False, False)
    ReportFactory(work=work, report_date=datetime.date(2020, 8, 1), physical_progress=90)
    flagged = selectors.with_flags(Work.objects.all(), today=TODAY).get(pk=work.pk)
    assert flagged.flag_jump is True


def test_works_without_flags_include_those_never_reported(regions):
    # Under construction with no start date recorded (older data) and no report yet.
    WorkFactory(name="new", status=WorkStatus.UNDER_CONSTRUCTION, status_date=None)
    queryset = selectors.with_flags(Work.objects.all(), today=TODAY)
    assert list(queryset.exclude(selectors.any_flag_q()).values_list("name", flat=True)) == ["new"]


@pytest.mark.parametrize(
    ("level", "within"),
    [(1, ""), (2, ""), (4, ""), (2, "35"), (3, KAB_MADIUN), (4, KAB_MADIUN), (2, KAB_MADIUN)],
)
def test_the_totals_by_region_read_from_the_rollups_equal_the_live_sums(
    dataset, national_officer, monkeypatch, level, within
):
    """A user who sees the whole region gets its totals by region from the stored
    rollups; they are the same rows as the summaries summed live (which a user who sees
    only part of it gets). A level at or above `within` is always summed live."""
    if not within or len(within) < selectors.CODE_LENGTH[level]:  # from the rollups alone
        monkeypatch.setattr(selectors, "_live_rollup_rows", None)
    stored = selectors.region_rollup(national_officer, level=level, within=within)
    monkeypatch.undo()
    monkeypatch.setattr(selectors.rollups, "covers", lambda user, code: False)
    live = selectors.region_rollup(national_officer, level=level, within=within)
    assert stored == live and len(live) >= 1
