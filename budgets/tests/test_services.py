"""Every money rule at its edge: exactly the remaining amount passes, one rupiah more
fails with a message naming what remains."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from budgets import services
from budgets.models import Allocation, Disbursement, Spending, SwadayaContribution
from conftest import BUKUR, KAB_MADIUN, KLAGENSERUT, TANJUNGSARI
from kotaku.workflow import ReviewStatus

from .factories import DAY, WorkFactory, allocation, disburse, source, spend

pytestmark = pytest.mark.django_db


def message(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture
def bkm_allocation(regions):
    return allocation(amount=80_000_000)


# Allocations


def test_allocation_goes_to_exactly_one_recipient(regions):
    with pytest.raises(ValidationError, match="either a BKM/LKM or a kabupaten"):
        services.allocation_create(
            user=None,
            fiscal_year=2020,
            source=source(),
            amount=Decimal(1),
            decree_number="x",
            decree_date=DAY,
        )


def test_allocation_region_is_the_bkm_kelurahan_or_the_kabupaten(regions):
    assert allocation().region_id == KLAGENSERUT
    assert allocation(kabupaten=KAB_MADIUN).region_id == KAB_MADIUN


@pytest.mark.parametrize("amount", [0, -5, Decimal("10.5")])
def test_allocation_amount_must_be_whole_and_positive(regions, amount):
    with pytest.raises(ValidationError, match="whole number of rupiah"):
        allocation(amount=amount)


def test_database_refuses_two_recipients_and_zero_amounts(bkm_allocation):
    from locations.models import Region

    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=bkm_allocation.pk).update(
            kabupaten=Region.objects.get(pk=KAB_MADIUN)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.filter(pk=bkm_allocation.pk).update(amount=0)


def test_allocation_cannot_shrink_below_what_was_disbursed(bkm_allocation):
    disburse(bkm_allocation, 30_000_000)
    updated = services.allocation_update(
        allocation=bkm_allocation, user=None, amount=Decimal(30_000_000), reason="revisi"
    )
    assert updated.amount == 30_000_000
    with pytest.raises(ValidationError, match=r"Rp 30\.000\.000"):
        services.allocation_update(allocation=bkm_allocation, user=None, amount=Decimal(29_999_999))


def test_a_part_passed_on_fits_in_what_the_district_allocation_has_free(regions):
    district = allocation(kabupaten=KAB_MADIUN, amount=420_000_000)
    disburse(district, 20_000_000)
    part = allocation(part_of=district, amount=400_000_000)  # exactly what is free
    assert part.region_id == KLAGENSERUT
    with pytest.raises(ValidationError, match=r"free.*Rp 0"):
        allocation(kelurahan=BUKUR, part_of=district, amount=1)


def test_a_part_must_be_in_the_same_kabupaten_year_and_source(regions):
    district = allocation(kabupaten=KAB_MADIUN, amount=420_000_000)
    with pytest.raises(ValidationError, match="same kabupaten"):
        allocation(kelurahan=TANJUNGSARI, part_of=district, amount=1)
    with pytest.raises(ValidationError, match="same fiscal year"):
        allocation(part_of=district, amount=1, fiscal_year=2021)
    with pytest.raises(ValidationError, match="same fiscal year"):
        allocation(part_of=district, amount=1, source=source("dak"))


# Disbursements: disbursed ≤ allocated


def test_exactly_the_remaining_amount_can_be_disbursed_one_rupiah_more_cannot(bkm_allocation):
    disburse(bkm_allocation, 30_000_000)
    with pytest.raises(ValidationError) as error:
        disburse(bkm_allocation, 50_000_001, termin=2)
    assert "Rp 50.000.000" in message(error.value)
    disburse(bkm_allocation, 50_000_000, termin=2)
    assert services.remaining_to_disburse(bkm_allocation) == 0
    assert Disbursement.objects.count() == 2


def test_district_allocation_disburses_only_what_it_did_not_pass_on(regions):
    district = allocation(kabupaten=KAB_MADIUN, amount=420_000_000)
    allocation(part_of=district, amount=80_000_000)
    with pytest.raises(ValidationError, match=r"Rp 340\.000\.000"):
        disburse(district, 340_000_001)
    disburse(district, 340_000_000)


@pytest.mark.parametrize("amount", [0, -1])
def test_a_disbursement_must_be_positive(bkm_allocation, amount):
    with pytest.raises(ValidationError, match="more than zero"):
        disburse(bkm_allocation, amount)


def test_reversing_a_disbursement_adds_a_negative_entry_with_its_reason(bkm_allocation):
    entry = disburse(bkm_allocation, 30_000_000)
    with pytest.raises(ValidationError, match="Say why"):
        services.disbursement_reverse(disbursement=entry, user=None, reason=" ")
    correction = services.disbursement_reverse(
        disbursement=entry, user=None, reason="Salah rekening"
    )
    assert correction.amount == -30_000_000
    assert correction.reverses == entry
    assert services.disbursed_total(bkm_allocation) == 0
    assert Disbursement.objects.count() == 2  # both kept
    assert correction.history.first().history_change_reason == "Salah rekening"
    with pytest.raises(ValidationError, match="already reversed"):
        services.disbursement_reverse(disbursement=entry, user=None, reason="lagi")
    with pytest.raises(ValidationError, match="correction"):
        services.disbursement_reverse(disbursement=correction, user=None, reason="lagi")


def test_a_disbursement_already_spent_cannot_be_reversed(bkm_allocation):
    first = disburse(bkm_allocation, 30_000_000)
    disburse(bkm_allocation, 10_000_000, termin=2)
    work = WorkFactory()
    spend(bkm_allocation, work, 10_000_001, status=ReviewStatus.SUBMITTED)
    with pytest.raises(ValidationError, match=r"Rp 10\.000\.001.*Rp 10\.000\.000"):
        services.disbursement_reverse(disbursement=first, user=None, reason="salah")


def test_database_refuses_a_negative_entry_that_reverses_nothing(bkm_allocation):
    entry = disburse(bkm_allocation, 1_000)
    with pytest.raises(IntegrityError), transaction.atomic():
        Disbursement.objects.filter(pk=entry.pk).update(amount=-1_000)


# Spending: spent (approved + pending) ≤ disbursed; a work's spending ≤ its budget


@pytest.fixture
def funded(bkm_allocation):
    disburse(bkm_allocation, 50_000_000)
    return bkm_allocation, WorkFactory(budget=Decimal(80_000_000))


def test_exactly_the_disbursed_money_can_be_spent_one_rupiah_more_cannot(funded):
    target, work = funded
    spend(target, work, 20_000_000)  # approved
    spend(target, work, 10_000_000, status=ReviewStatus.SUBMITTED)  # pending holds money too
    with pytest.raises(ValidationError) as error:
        spend(target, work, 20_000_001)
    assert "Rp 20.000.000" in message(error.value)
    spend(target, work, 20_000_000)


def test_a_draft_holds_no_money_but_is_checked_again_when_submitted(funded, facilitator):
    target, work = funded
    work.kelurahan_id = KLAGENSERUT
    draft = spend(target, work, 30_000_000, status=ReviewStatus.DRAFT)
    spend(target, work, 30_000_000, status=ReviewStatus.SUBMITTED)
    with pytest.raises(ValidationError, match=r"Rp 20\.000\.000"):
        services.spending_review(spending=draft, user=facilitator, action="submit")
    draft.refresh_from_db()
    assert draft.status == ReviewStatus.DRAFT


def test_returned_spending_does_not_hold_money(funded):
    target, work = funded
    spend(target, work, 50_000_000, status=ReviewStatus.RETURNED)
    spend(target, work, 50_000_000)


def test_a_works_spending_stays_within_its_budget_unless_an_overrun_is_approved(
    bkm_allocation, district_editor
):
    disburse(bkm_allocation, 80_000_000)
    work = WorkFactory(budget=Decimal(30_000_000))
    spend(bkm_allocation, work, 25_000_000)
    with pytest.raises(ValidationError) as error:
        spend(bkm_allocation, work, 5_000_001)
    assert "Rp 5.000.000" in message(error.value) and "overrun" in message(error.value)
    with pytest.raises(ValidationError, match="Say why"):
        services.overrun_approve(
            work=work, user=district_editor, amount=Decimal(1_000_000), reason=""
        )
    services.overrun_approve(
        work=work, user=district_editor, amount=Decimal(1_000_000), reason="Harga semen naik"
    )
    with pytest.raises(ValidationError, match=r"Rp 6\.000\.000"):
        spend(bkm_allocation, work, 6_000_001)
    spend(bkm_allocation, work, 6_000_000)


def test_spending_must_be_for_a_work_where_the_allocation_goes(funded):
    target, _work = funded
    elsewhere = WorkFactory(kelurahan_id=BUKUR)
    with pytest.raises(ValidationError, match="not for the work"):
        spend(target, elsewhere, 1)


def test_a_district_allocation_pays_for_works_anywhere_in_its_kabupaten(regions):
    district = allocation(kabupaten=KAB_MADIUN, amount=100_000_000)
    disburse(district, 100_000_000)
    spend(district, WorkFactory(kelurahan_id=BUKUR), 1_000_000)
    with pytest.raises(ValidationError, match="not for the work"):
        spend(district, WorkFactory(kelurahan_id=TANJUNGSARI), 1)


def test_reversing_approved_spending_frees_the_money(funded, district_editor):
    target, work = funded
    entry = spend(target, work, 50_000_000)
    with pytest.raises(ValidationError):
        spend(target, work, 1)
    correction = services.spending_reverse(
        spending=entry, user=district_editor, reason="Nota ganda"
    )
    assert correction.amount == -50_000_000
    assert correction.status == ReviewStatus.APPROVED
    assert services.committed_spending(target) == 0
    spend(target, work, 50_000_000)
    assert Spending.objects.filter(work=work).count() == 3


def test_only_approved_spending_is_reversed(funded, district_editor):
    target, work = funded
    entry = spend(target, work, 1_000, status=ReviewStatus.SUBMITTED)
    with pytest.raises(ValidationError, match="Only approved"):
        services.spending_reverse(spending=entry, user=district_editor, reason="x")


def test_spending_goes_through_the_review_workflow(
    funded, facilitator, district_reader, district_editor
):
    target, work = funded
    entry = services.spending_create(
        allocation=target,
        work=work,
        user=facilitator,
        date=DAY,
        amount=Decimal(5_000_000),
        category="wages",
        submit=True,
    )
    assert entry.status == ReviewStatus.SUBMITTED
    entry = services.spending_review(spending=entry, user=district_reader, action="verify")
    entry = services.spending_review(spending=entry, user=district_editor, action="approve")
    assert entry.status == ReviewStatus.APPROVED
    assert entry.approved_by == district_editor


def test_only_a_draft_or_returned_entry_can_be_corrected(funded):
    target, work = funded
    entry = spend(target, work, 1_000, status=ReviewStatus.RETURNED)
    updated = services.spending_update(spending=entry, amount=Decimal(2_000))
    assert updated.amount == 2_000
    Spending.objects.filter(pk=entry.pk).update(status=ReviewStatus.APPROVED)
    with pytest.raises(ValidationError, match="draft or returned"):
        services.spending_update(spending=entry, amount=Decimal(3_000))


# Swadaya


def test_swadaya_is_positive_and_reversed_by_a_correcting_entry(regions, district_editor):
    work = WorkFactory()
    with pytest.raises(ValidationError, match="more than zero"):
        services.swadaya_create(
            work=work, user=None, date=DAY, kind="cash", value=Decimal(0), description="x"
        )
    entry = services.swadaya_create(
        work=work,
        user=None,
        date=DAY,
        kind="in_kind",
        value=Decimal(2_500_000),
        description="Tenaga kerja warga",
    )
    with pytest.raises(ValidationError, match="Only an approved"):
        services.swadaya_reverse(contribution=entry, user=district_editor, reason="x")
    SwadayaContribution.objects.filter(pk=entry.pk).update(status=ReviewStatus.APPROVED)
    correction = services.swadaya_reverse(
        contribution=entry, user=district_editor, reason="Dihitung dua kali"
    )
    assert correction.value == -2_500_000
    assert SwadayaContribution.objects.count() == 2


def test_tranche_plans_of_a_source_and_year_add_up_to_at_most_100_percent(regions):
    from budgets.models import TranchePlan

    bpm = source("bpm-reguler")
    for termin, share in ((1, 40), (2, 40)):
        services.tranche_plan_save(
            plan=TranchePlan(source=bpm, fiscal_year=2022, termin=termin, percentage=share)
        )
    with pytest.raises(ValidationError, match="20% is left"):
        services.tranche_plan_save(
            plan=TranchePlan(source=bpm, fiscal_year=2022, termin=3, percentage=Decimal("20.01"))
        )
    services.tranche_plan_save(
        plan=TranchePlan(source=bpm, fiscal_year=2022, termin=3, percentage=20)
    )
    services.tranche_plan_save(
        plan=TranchePlan(source=bpm, fiscal_year=2023, termin=1, percentage=100)
    )
