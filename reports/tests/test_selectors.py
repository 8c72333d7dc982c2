"""The report's figures on the hand-worked dataset (see dataset.august_2020)."""

from decimal import Decimal

import pytest

from conftest import KAB_MADIUN
from locations.models import Region
from reports import selectors

from .dataset import august_2020

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def madiun(regions):
    return Region.objects.get(code=KAB_MADIUN)


@pytest.fixture
def works(regions):
    return august_2020()


def test_works_of_the_month_with_their_state_at_month_end(works, madiun, district_editor):
    report = selectors.monthly_report(district_editor, madiun, 2020, 8)
    rows = {work.name: work for work in report.works}
    assert sorted(rows) == ["drain", "future", "old", "road", "sambirejo"]
    assert {name: row.status_at_end for name, row in rows.items()} == {
        "road": "construction",
        "drain": "completed",
        "old": "construction",  # fiscal 2019, still being built
        "future": "planned",  # its construction starts in September
        "sambirejo": "construction",  # no recorded steps: its current status
    }
    road = rows["road"]
    # the approved 70% of 15 August; the pending 80% and September's 90% do not count
    assert (road.approved_progress, road.financial_progress) == (Decimal(70), Decimal("62.5"))
    assert road.has_pending is True
    assert (road.labour_days_total, road.labour_days_month) == (100, 40)
    assert (road.wages_total, road.workers_men_peak, road.workers_women_peak) == (
        10_000_000,
        10,
        4,
    )
    assert (road.served_people, road.served_women, road.served_households) == (100, 50, 25)
    assert rows["drain"].financial_progress == Decimal("93.8")
    assert rows["old"].approved_progress is None and rows["old"].flag_stale is True
    assert rows["drain"].flag_labels == ["progress jumped over 50 points"]


def test_works_totals_by_hand(works, madiun, district_editor):
    total = selectors.monthly_report(district_editor, madiun, 2020, 8).works_total
    assert total["works"] == 5
    assert (total["status_planned"], total["status_construction"]) == (1, 3)
    assert (total["status_completed"], total["status_handed_over"]) == (1, 0)
    assert (total["started"], total["completed"], total["pending"]) == (0, 1, 1)
    assert total["budget"] == Decimal(400_000_000)
    assert total["progress"] == Decimal("38.0")
    assert (total["labour_days_total"], total["labour_days_month"]) == (127, 67)
    assert total["wages_total"] == Decimal(12_700_000)
    assert (total["workers_men_peak"], total["workers_women_peak"]) == (18, 5)
    assert (total["served_people"], total["served_women"], total["served_mbr"]) == (230, 120, 50)
    assert (total["flag_jump"], total["flag_stale"]) == (1, 1)
    assert (total["flag_no_final_photo"], total["flag_overspent"]) == (0, 0)


def test_program_summary_at_month_end(works, madiun, district_editor):
    summary = selectors.monthly_report(district_editor, madiun, 2020, 8).summary
    assert (summary["kelurahan"], summary["bkm"]) == (3, 3)
    # six KSM; the dissolved one and the one formed in September do not count
    assert (summary["ksm"], summary["kpp"], summary["panitia"]) == (6, 1, 0)
    assert (summary["upgrading"], summary["prevention"]) == (2, 1)
    assert {str(label): n for label, n in summary["by_status"]}["Planned"] == 1


def test_money_by_source_up_to_month_end(works, madiun, district_editor):
    report = selectors.monthly_report(district_editor, madiun, 2020, 8)
    money = {row.name: row for row in report.money}
    apbd = money["APBD kabupaten/kota"]
    # 420M to the district, 80M of it passed on to Klagenserut: counted once
    assert apbd.allocated == Decimal(420_000_000)
    assert (apbd.disbursed, apbd.extra["disbursed_month"]) == (60_000_000, 20_000_000)
    assert (apbd.spent, apbd.extra["spent_month"], apbd.pending) == (
        25_000_000,
        10_000_000,
        5_000_000,
    )
    assert round(apbd.realization, 2) == Decimal("5.95")
    assert money["BPM reguler"].allocated == Decimal(100_000_000)  # Sambirejo's is September's
    assert report.money_total.allocated == Decimal(520_000_000)
    assert report.swadaya == {
        "approved": Decimal(5_000_000),
        "month": Decimal(2_000_000),
        "pending": Decimal(1_000_000),
    }


def test_earlier_month_sees_less(works, madiun, district_editor):
    report = selectors.monthly_report(district_editor, madiun, 2020, 7)
    apbd = {row.name: row for row in report.money}["APBD kabupaten/kota"]
    assert (apbd.disbursed, apbd.spent, apbd.pending) == (40_000_000, 15_000_000, 0)
    rows = {work.name: work for work in report.works}
    assert rows["drain"].status_at_end == "construction"
    assert rows["road"].approved_progress == Decimal(30)
    assert report.works_total["started"] == 1  # the road
    assert report.photos == []


def test_slum_reduction_by_the_month_year(works, madiun, district_editor):
    report = selectors.monthly_report(district_editor, madiun, 2020, 8)
    total = report.slum_total
    assert total["areas"] == 3  # D is decreed in October
    assert (total["baseline_ha"], total["current_ha"], total["reduced_ha"]) == (24, 20, 4)
    assert (total["level_sedang"], total["level_none"], total["pending"]) == (2, 1, 1)
    areas = {area.name: area for area in report.slum_areas}
    assert (areas["A"].baseline_ha, areas["A"].current_ha, areas["A"].level) == (12, 8, "sedang")
    assert areas["B"].survey_pending is True


def test_photos_of_works_completed_this_month(works, madiun, district_editor):
    report = selectors.monthly_report(district_editor, madiun, 2020, 8)
    assert [(p.report.work.name, p.stage) for p in report.photos] == [("drain", "100")]
    assert report.filename == "laporan-bulanan-35.19-2020-08.pdf"


def test_facilitator_report_covers_only_their_desa(works, madiun, facilitator):
    report = selectors.monthly_report(facilitator, madiun, 2020, 8)
    assert report.partial is True
    assert [place.name for place in report.places] == ["Bukur", "Klagenserut"]
    assert sorted(work.name for work in report.works) == ["drain", "future", "old", "road"]
    assert report.works_total["labour_days_total"] == 120
    money = {row.name: row.allocated for row in report.money}
    # the district's own allocation is not theirs; the part passed to Klagenserut is
    assert money == {"APBD kabupaten/kota": 80_000_000, "BPM reguler": 100_000_000}
    assert (report.summary["bkm"], report.summary["ksm"]) == (2, 5)
    assert (report.summary["upgrading"], report.summary["prevention"]) == (1, 1)
    assert report.slum_total["areas"] == 2


def test_district_and_national_reports_cover_the_whole_kabupaten(
    works, madiun, district_editor, national_officer
):
    for user in (district_editor, national_officer):
        report = selectors.monthly_report(user, madiun, 2020, 8)
        assert report.partial is False
        assert report.works_total["works"] == 5


def test_kabupaten_for_user(facilitator, outsider, district_reader):
    assert [r.code for r in selectors.kabupaten_for_user(facilitator)] == [KAB_MADIUN]
    assert [r.code for r in selectors.kabupaten_for_user(outsider)] == ["35.01"]
    assert [r.code for r in selectors.kabupaten_for_user(district_reader)] == [KAB_MADIUN]
