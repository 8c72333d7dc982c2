"""The stored money totals (budgets.rollups) kept by the services always equal the live
sums (`realization_live`, `spending_by_month_live`), and a full rebuild gives the same
rows as the deltas."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from accounts.choices import Role
from budgets import selectors, services
from budgets.models import RegionMoney, SpendingMonth
from conftest import (
    BUKUR,
    JAWA_TIMUR,
    JIWAN,
    KAB_MADIUN,
    KAB_PACITAN,
    KLAGENSERUT,
    SAMBIREJO,
    TANJUNGSARI,
)

from .factories import DAY, WorkFactory, allocation, disburse, source

pytestmark = pytest.mark.django_db

PLACES = ["", JAWA_TIMUR, KAB_MADIUN, KAB_PACITAN, JIWAN, KLAGENSERUT, BUKUR, TANJUNGSARI]


def _plain(result) -> dict:
    def figures(rows):
        return [
            (row.key, row.name, row.allocated, row.disbursed, row.spent, row.pending, row.drill)
            + tuple(sorted(row.extra.items()))
            for row in rows
        ]

    total = result["total"]
    return {
        "level": result["level"],
        "rows": figures(result["rows"]),
        "total": (total.allocated, total.disbursed, total.spent, total.pending),
        "by_year_source": figures(result["by_year_source"]),
    }


def assert_totals_equal_live(user, places=PLACES):
    for within in places:
        for fiscal_year in (None, 2020, 2021):
            for funding in (None, source("apbd-kabkota")):
                stored = selectors.realization(
                    user, within=within, fiscal_year=fiscal_year, source=funding
                )
                live = selectors.realization_live(
                    user, within=within, fiscal_year=fiscal_year, source=funding
                )
                assert _plain(stored) == _plain(live), (within, fiscal_year, funding)
            stored = selectors.spending_by_month(user, within=within, fiscal_year=fiscal_year)
            live = selectors.spending_by_month_live(user, within=within, fiscal_year=fiscal_year)
            assert stored == live, (within, fiscal_year)


def _rows():
    money = RegionMoney.objects.order_by("code", "fiscal_year", "source")
    months = SpendingMonth.objects.order_by("code", "fiscal_year", "month")
    fields = ["code", "parent", "fiscal_year", "source", "allocations", "allocated"]
    fields += ["disbursed", "spent", "pending"]
    return (
        [tuple(row) for row in money.values_list(*fields)],
        [
            tuple(row)
            for row in months.values_list(
                "code", "parent", "fiscal_year", "month", "entries", "amount"
            )
        ],
    )


def _review(entry, *actions, users):
    for action in actions:
        entry = services.spending_review(
            spending=entry, user=users[action], action=action, comment="Perbaiki nota"
        )
    return entry


def test_stored_totals_follow_every_service_write(
    regions, national_officer, facilitator, district_reader, district_editor
):
    users = {
        "submit": facilitator,
        "verify": district_reader,
        "return": district_reader,
        "approve": district_editor,
    }
    bkm = allocation(amount=100_000_000)
    bkm_2021 = allocation(amount=50_000_000, fiscal_year=2021, source=source("dak"))
    district = allocation(kabupaten=KAB_MADIUN, amount=300_000_000)
    part = allocation(kelurahan=BUKUR, amount=40_000_000, part_of=district)
    allocation(kelurahan=TANJUNGSARI, amount=20_000_000)
    fully_passed = allocation(kabupaten=KAB_PACITAN, amount=10_000_000)
    allocation(kelurahan=TANJUNGSARI, amount=10_000_000, part_of=fully_passed, fiscal_year=2020)
    assert_totals_equal_live(national_officer)

    paid = disburse(bkm, 60_000_000)
    disburse(bkm, 20_000_000, termin=2)
    disburse(bkm_2021, 50_000_000)
    disburse(district, 100_000_000)
    disburse(part, 40_000_000)
    services.disbursement_reverse(disbursement=paid, user=district_editor, reason="salah")
    services.allocation_update(
        allocation=part, user=district_editor, amount=Decimal(45_000_000), reason="revisi"
    )
    services.allocation_update(
        allocation=district, user=district_editor, amount=Decimal(280_000_000), reason="revisi"
    )
    assert_totals_equal_live(national_officer)

    work = WorkFactory(budget=Decimal(100_000_000))
    work_bukur = WorkFactory(kelurahan_id=BUKUR, budget=Decimal(100_000_000))
    work_sambirejo = WorkFactory(kelurahan_id=SAMBIREJO, budget=Decimal(100_000_000))

    def create(target, on, amount, day=DAY, submit=True):
        return services.spending_create(
            allocation=target,
            work=on,
            user=facilitator,
            date=day,
            amount=Decimal(amount),
            category="materials",
            submit=submit,
        )

    approved = _review(create(bkm, work, 5_000_000), "verify", "approve", users=users)
    _review(create(bkm, work, 3_000_000, datetime.date(2020, 9, 15)), "verify", users=users)
    returned = _review(create(bkm, work, 2_000_000), "return", users=users)
    draft = create(bkm, work, 1_000_000, submit=False)
    _review(
        create(bkm_2021, work, 7_000_000, datetime.date(2021, 2, 3)),
        "verify",
        "approve",
        users=users,
    )
    _review(create(district, work_sambirejo, 9_000_000), "verify", "approve", users=users)
    _review(create(part, work_bukur, 4_000_000), "verify", "approve", users=users)
    assert_totals_equal_live(national_officer)

    services.spending_update(spending=returned, amount=Decimal(2_500_000))
    _review(returned, "submit", "verify", "approve", users=users)
    services.spending_update(spending=draft, date=datetime.date(2020, 10, 1))
    _review(draft, "submit", users=users)
    services.spending_reverse(spending=approved, user=district_editor, reason="Nota ganda")
    assert_totals_equal_live(national_officer)
    # A facilitator (Klagenserut and Bukur, in part of Kabupaten Madiun) gets the live sums.
    assert not selectors.sees_whole(facilitator, KAB_MADIUN)
    assert_totals_equal_live(facilitator, places=["", KAB_MADIUN, JIWAN, KLAGENSERUT])

    # A work moving kelurahan takes its approved spending along in the monthly totals.
    services.work_moved(work_id=work.pk, old_kelurahan=KLAGENSERUT, new_kelurahan=SAMBIREJO)
    type(work).objects.filter(pk=work.pk).update(kelurahan_id=SAMBIREJO)
    assert_totals_equal_live(national_officer)
    type(work).objects.filter(pk=work.pk).update(kelurahan_id=KLAGENSERUT)
    services.work_moved(work_id=work.pk, old_kelurahan=SAMBIREJO, new_kelurahan=KLAGENSERUT)

    # The set-wise rebuild gives exactly the rows the deltas kept (zero rows aside).
    kept = _rows()
    call_command("refresh_budget_totals", stdout=open("/dev/null", "w"))  # noqa: SIM115
    rebuilt = _rows()
    assert rebuilt[0] == kept[0]
    assert rebuilt[1] == [row for row in kept[1] if row[-2]]
    assert_totals_equal_live(national_officer)


def test_realization_reads_few_queries_from_the_stored_totals(
    regions, national_officer, django_assert_max_num_queries
):
    for code in (KLAGENSERUT, BUKUR, TANJUNGSARI):
        target = allocation(kelurahan=code, amount=1_000)
        disburse(target, 500)
    assert selectors.sees_whole(national_officer)  # the role, read once per request
    for within in ("", JAWA_TIMUR, KAB_MADIUN, JIWAN, KLAGENSERUT):
        with django_assert_max_num_queries(3):
            selectors.realization(national_officer, within=within)
        with django_assert_max_num_queries(1):
            selectors.spending_by_month(national_officer, within=within)


def test_an_allocation_rolled_back_leaves_no_total(regions, national_officer):
    with pytest.raises(Exception, match="more than the district allocation"):
        district = allocation(kabupaten=KAB_MADIUN, amount=1_000)
        allocation(kelurahan=BUKUR, amount=2_000, part_of=district)
    assert selectors.realization(national_officer)["total"].allocated == 1_000
    assert_totals_equal_live(national_officer, places=["", KAB_MADIUN])


@pytest.mark.parametrize(
    ("places", "within", "stored_only"),
    [
        ([JAWA_TIMUR], "", True),  # a province's coordinator on the nation's page
        ([KAB_MADIUN, KAB_PACITAN], JAWA_TIMUR, True),
        ([KLAGENSERUT, BUKUR], JIWAN, True),  # a facilitator on their kecamatan's page
        ([KAB_MADIUN, KLAGENSERUT], JAWA_TIMUR, False),  # not all right below: live
        ([KAB_MADIUN], "", False),  # a kabupaten/kota on the nation's page: live
    ],
)
def test_whole_regions_right_below_the_page_read_the_stored_totals(
    regions, make_user, monkeypatch, places, within, stored_only
):
    """A user whose places are whole regions right below the page sees exactly those
    regions' stored totals; the figures equal the live sums either way."""
    district = allocation(kabupaten=KAB_MADIUN, amount=300_000_000)
    disburse(district, 100_000_000)
    disburse(allocation(kelurahan=BUKUR, amount=40_000_000, part_of=district), 10_000_000)
    disburse(allocation(amount=100_000_000), 60_000_000)  # Klagenserut
    allocation(kelurahan=TANJUNGSARI, amount=20_000_000, fiscal_year=2021)
    user = make_user("u", Role.DISTRICT_STAFF, places)
    for fiscal_year in (None, 2020, 2021):
        live = selectors.realization_live(user, within=within, fiscal_year=fiscal_year)
        if stored_only:
            monkeypatch.setattr(selectors, "realization_live", None)
        stored = selectors.realization(user, within=within, fiscal_year=fiscal_year)
        monkeypatch.undo()
        assert _plain(stored) == _plain(live), fiscal_year
    assert selectors.realization(user, within=within)["total"].allocated > 0
