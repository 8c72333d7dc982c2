"""Roll-ups across levels, years and sources, summed in the database."""

import datetime
from decimal import Decimal

import pytest

from budgets import demo, selectors, services
from conftest import BUKUR, JAWA_TIMUR, JIWAN, KAB_BONDOWOSO, KAB_MADIUN, KLAGENSERUT, TANJUNGSARI
from kotaku.workflow import ReviewStatus

from .factories import WorkFactory, allocation, disburse, source, spend

pytestmark = pytest.mark.django_db


def with_totals(target):
    from budgets.models import Allocation

    return selectors.with_totals(Allocation.objects.filter(pk=target.pk)).get()


def by_key(result):
    return {row.key: row for row in result["rows"]}


@pytest.fixture
def demo_money(regions):
    from accounts import demo as accounts_demo
    from programs import demo as programs_demo

    accounts_demo.load()
    programs_demo.load()
    demo.load(say=lambda text: None)


def test_demo_sums_roll_up_to_kabupaten_kecamatan_and_kelurahan(demo_money, national_officer):
    madiun = selectors.realization(national_officer, within=KAB_MADIUN, fiscal_year=2020)
    assert madiun["total"].allocated == Decimal(420_000_000)
    rows = by_key(madiun)
    assert rows[JIWAN].allocated == Decimal(80_000_000)
    assert rows[KAB_MADIUN].allocated == Decimal(340_000_000)  # the district's own part
    assert rows[KAB_MADIUN].extra["own"] and not rows[KAB_MADIUN].drill
    jiwan = selectors.realization(national_officer, within=JIWAN)
    assert by_key(jiwan)[KLAGENSERUT].allocated == Decimal(80_000_000)

    bondowoso = selectors.realization(national_officer, within=KAB_BONDOWOSO, fiscal_year=2022)
    assert bondowoso["total"].allocated == Decimal(5 * 750_000_000)
    kecamatan = selectors.realization(national_officer, within="35.11.11", fiscal_year=2022)
    assert len(kecamatan["rows"]) == 5
    assert {row.allocated for row in kecamatan["rows"]} == {Decimal(750_000_000)}

    province = selectors.realization(national_officer, within=JAWA_TIMUR)
    assert by_key(province)[KAB_MADIUN].allocated == Decimal(420_000_000)
    assert by_key(province)[KAB_BONDOWOSO].allocated == Decimal(3_750_000_000)
    nation = selectors.realization(national_officer)
    assert nation["total"].allocated == Decimal(4_170_000_000)
    years = {(f.extra["year"], f.extra["source_name"]): f for f in nation["by_year_source"]}
    assert years[(2020, "APBD kabupaten/kota")].allocated == Decimal(420_000_000)
    assert years[(2022, "BPM reguler")].allocated == Decimal(3_750_000_000)


def test_realization_counts_approved_spending_and_shows_pending_apart(regions, national_officer):
    target = allocation(amount=100_000_000)
    disburse(target, 60_000_000)
    work = WorkFactory(budget=Decimal(100_000_000))
    spend(target, work, 25_000_000)
    spend(target, work, 10_000_000, status=ReviewStatus.SUBMITTED)
    spend(target, work, 5_000_000, status=ReviewStatus.DRAFT)
    row = by_key(selectors.realization(national_officer, within=JIWAN))[KLAGENSERUT]
    assert (row.allocated, row.disbursed, row.spent, row.pending) == (
        100_000_000,
        60_000_000,
        25_000_000,
        10_000_000,
    )
    assert row.remaining == 75_000_000
    assert row.realization == 25
    assert row.disbursement_rate == 60


def test_reversals_net_out_of_the_roll_up(regions, national_officer, district_editor):
    target = allocation(amount=100_000_000)
    entry = disburse(target, 60_000_000)
    services.disbursement_reverse(disbursement=entry, user=district_editor, reason="salah")
    row = by_key(selectors.realization(national_officer, within=JIWAN))[KLAGENSERUT]
    assert row.disbursed == 0


def test_roll_up_filters_by_year_and_source_and_is_scoped(
    regions, national_officer, facilitator, district_editor
):
    allocation(amount=10, fiscal_year=2020)
    allocation(amount=20, fiscal_year=2021, kelurahan=BUKUR)
    allocation(amount=40, fiscal_year=2021, source=source("dak"))
    allocation(amount=1_000, kelurahan=TANJUNGSARI)
    assert selectors.realization(national_officer)["total"].allocated == 1_070
    assert selectors.realization(national_officer, fiscal_year=2021)["total"].allocated == 60
    assert selectors.realization(national_officer, source=source("dak"))["total"].allocated == 40
    assert selectors.realization(facilitator)["total"].allocated == 70  # not Tanjungsari
    assert selectors.realization(district_editor, within=JAWA_TIMUR)["total"].allocated == 70


def test_roll_up_query_count_does_not_grow_with_rows(
    regions, national_officer, django_assert_max_num_queries
):
    for code in (KLAGENSERUT, BUKUR, TANJUNGSARI):
        target = allocation(kelurahan=code, amount=1_000)
        disburse(target, 500)
    with django_assert_max_num_queries(12):
        result = selectors.realization(national_officer, within=JAWA_TIMUR)
    assert len(result["rows"]) == 2


def test_next_tranche_follows_the_plan_of_its_source_and_year(regions):
    from budgets.models import TranchePlan

    target = allocation(amount=750_000_000)
    TranchePlan.objects.create(source=target.source, fiscal_year=2020, termin=1, percentage=40)
    TranchePlan.objects.create(source=target.source, fiscal_year=2020, termin=2, percentage=40)
    loaded = with_totals(target)
    assert selectors.next_tranche(loaded) == (1, Decimal(300_000_000))
    disburse(target, 300_000_000)
    loaded = with_totals(target)
    assert selectors.next_tranche(loaded) == (2, Decimal(300_000_000))
    disburse(target, 300_000_000, termin=2)
    loaded = with_totals(target)
    assert selectors.next_tranche(loaded) == (3, None)  # no plan for termin 3


def test_ledger_keeps_a_running_balance(regions):
    target = allocation(amount=100_000_000)
    disburse(target, 40_000_000)
    work = WorkFactory()
    spend(target, work, 15_000_000)
    disburse(target, 20_000_000, termin=2, date=datetime.date(2020, 8, 1))
    balances = [row.balance for row in selectors.allocation_ledger(target)]
    assert balances == [40_000_000, 25_000_000, 45_000_000]
