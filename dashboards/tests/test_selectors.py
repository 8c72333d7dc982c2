from decimal import Decimal

import pytest

from conftest import BUKUR, JIWAN, KAB_MADIUN, KLAGENSERUT, SAMBIREJO
from dashboards import selectors
from kotaku.workflow import ReviewStatus
from locations.models import Region
from works.tests.factories import ReportFactory

pytestmark = pytest.mark.django_db


def test_home_is_the_nation_one_place_or_the_lowest_common_ancestor(
    make_user, national_officer, facilitator, district_reader
):
    assert selectors.home_code(national_officer) == ""
    assert selectors.home_code(facilitator) == JIWAN  # Klagenserut and Bukur
    assert selectors.home_code(district_reader) == KAB_MADIUN
    spread = make_user("dua", "facilitator", [KLAGENSERUT, "35.01.04.2014"])
    assert selectors.home_code(spread) == "35"
    assert selectors.home_code(make_user("kosong", "facilitator")) == ""


def test_work_figures_by_hand_for_the_nation(dataset, national_officer):
    figures = selectors.work_figures(national_officer, "")
    assert figures["works"] == 5
    assert figures["status_construction"] == 2
    assert figures["status_completed"] == 1
    assert figures["status_planned"] == 2
    assert figures["completed"] == 1
    # (40 + 100 + 0 + 50 + 0) / 5: the submitted 90% of Jalan A does not count
    assert figures["progress"] == Decimal(38)
    assert figures["labour_days"] == Decimal(220)
    assert figures["wages"] == Decimal(22_000_000)
    assert (figures["workers_men"], figures["workers_women"]) == (21, 11)
    assert figures["planned_people"] == 5 * 120
    assert (figures["without_point"], figures["with_point"]) == (1, 4)
    # Jalan A and D: no report for 30 days; Jalan B: 0 → 100 at once, and no 100% photo
    assert (figures["flag_stale"], figures["flag_jump"], figures["flag_no_final_photo"]) == (
        2,
        1,
        1,
    )
    assert figures["flagged"] == 3


def test_figures_are_those_of_the_region_and_year(dataset, national_officer):
    madiun = selectors.work_figures(national_officer, KAB_MADIUN)
    assert (madiun["works"], madiun["progress"]) == (4, Decimal(35))
    in_2020 = selectors.work_figures(national_officer, KAB_MADIUN, 2020)
    assert in_2020["works"] == 3
    assert round(in_2020["progress"], 2) == Decimal("46.67")


def test_a_facilitator_counts_only_their_two_desa(dataset, facilitator):
    figures = selectors.work_figures(facilitator, KAB_MADIUN)
    assert figures["works"] == 3  # Jalan A, B, E; not C in Sambirejo
    assert round(figures["progress"], 2) == Decimal("46.67")
    assert selectors.work_figures(facilitator, KAB_MADIUN, 2020)["progress"] == Decimal(70)
    assert selectors.program_figures(facilitator, KAB_MADIUN) == {
        "kelurahan": 2,
        "upgrading": 1,
        "prevention": 1,
    }
    assert selectors.institution_figures(facilitator, KAB_MADIUN)["bkm"] == 2
    assert selectors.institution_figures(facilitator, KAB_MADIUN)["ksm"] == 3
    slums = selectors.slum_figures(facilitator, Region.objects.get(code=KAB_MADIUN))
    assert (slums["areas"], slums["baseline_ha"]) == (2, Decimal("15.00"))


def test_pending_data_is_counted_apart_and_moves_no_figure(dataset, national_officer):
    before = selectors.work_figures(national_officer, KAB_MADIUN)
    ReportFactory(work=dataset["C"], physical_progress=Decimal(80), status=ReviewStatus.VERIFIED)
    after = selectors.work_figures(national_officer, KAB_MADIUN)
    assert after["progress"] == before["progress"] == Decimal(35)
    pending = selectors.pending_figures(national_officer, None)
    assert (pending["reports_submitted"], pending["reports_verified"]) == (1, 1)
    assert (pending["spending"], pending["spending_amount"]) == (1, Decimal(5_000_000))
    assert pending["swadaya"] == 1


def test_money_and_swadaya(dataset, national_officer, facilitator, outsider):
    money = selectors.money_figures(national_officer, KAB_MADIUN, 2020)
    total = money["total"]
    assert (total.allocated, total.disbursed, total.spent) == (
        Decimal(80_000_000),
        Decimal(50_000_000),
        Decimal(20_000_000),
    )
    assert total.realization == Decimal(25)
    assert money["swadaya"] == {"approved": Decimal(3_000_000), "pending": Decimal(1_000_000)}
    assert selectors.money_figures(facilitator, KAB_MADIUN)["total"].allocated == 80_000_000
    assert selectors.money_figures(outsider, "")["total"].allocated == 0
    assert selectors.money_figures(national_officer, KAB_MADIUN, 2021)["total"].allocated == 0


def test_child_rows_carry_the_figures_of_each_child(dataset, national_officer):
    rows = {row.code: row for row in selectors.child_rows(national_officer, JIWAN)}
    assert len(rows) == 14
    klagenserut = rows[KLAGENSERUT]
    assert (klagenserut.n_works, klagenserut.avg_progress) == (2, Decimal(20))
    assert klagenserut.money_allocated == 80_000_000
    assert klagenserut.money_spent == 20_000_000
    assert klagenserut.money_realization == Decimal(25)
    assert (klagenserut.n_kelurahan, klagenserut.n_areas, klagenserut.n_flagged) == (1, 1, 1)
    assert (rows[BUKUR].n_works, rows[BUKUR].avg_progress, rows[BUKUR].n_completed) == (1, 100, 1)
    assert rows[SAMBIREJO].money_realization is None
    madiun = list(selectors.child_rows(national_officer, KAB_MADIUN, 2020))
    assert [(row.code, row.n_works, row.money_allocated) for row in madiun] == [
        (JIWAN, 3, 80_000_000)
    ]


def test_child_rows_sort_with_empty_values_last(dataset, national_officer, facilitator):
    by_progress = selectors.child_rows(national_officer, JIWAN, sort="-progress")
    assert [row.code for row in by_progress][:2] == [BUKUR, KLAGENSERUT]
    assert [row.code for row in selectors.child_rows(national_officer, JIWAN, sort="progress")][
        -2:
    ] == [KLAGENSERUT, BUKUR]
    for sort in ("realization", "-realization"):
        rows = selectors.child_rows(national_officer, JIWAN, sort=sort)
        assert rows[0].code == KLAGENSERUT and rows[0].money_realization == 25
        assert all(row.money_realization is None for row in rows[1:])
    by_works = [row.code for row in selectors.child_rows(national_officer, JIWAN, sort="-works")]
    assert by_works[0] == KLAGENSERUT
    mine = [row.code for row in selectors.child_rows(facilitator, JIWAN, sort="name")]
    assert mine == [BUKUR, KLAGENSERUT]


def test_monthly_series_counts_approved_spending_and_reports(dataset, national_officer):
    series = selectors.monthly_series(national_officer, KAB_MADIUN, 2020)
    months = {point["month"].strftime("%Y-%m"): point for point in series}
    assert months["2020-07"]["spent"] == Decimal(20_000_000)
    assert months["2020-07"]["progress"] == Decimal(40)
    assert months["2020-08"]["progress"] == Decimal(100)  # Jalan B; A's 90% is pending
    assert months["2020-08"]["spent_to_date"] == Decimal(20_000_000)


def test_fiscal_years_come_from_works_and_money_in_scope(dataset, national_officer, facilitator):
    assert selectors.fiscal_years(national_officer) == [2021, 2020]
    assert selectors.fiscal_years(facilitator) == [2021, 2020]
