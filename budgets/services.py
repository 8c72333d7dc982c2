"""Writes of money records. Every rule across rows runs inside `transaction.atomic` with
the allocation row locked (`select_for_update`), so two people acting at the same moment
are served one after the other and cannot together pass a limit:

- disbursed ≤ allocated (less what was passed on to BKMs as parts);
- spent (approved + pending) ≤ disbursed;
- a work's spending (approved + pending) ≤ its budget plus approved overruns.

Nothing is deleted: `*_reverse` adds a correcting entry of minus the original amount.

Every write that changes money also updates the derived totals (budgets/rollups.py) in
the same transaction, so the dashboard's sums are never stale.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kotaku.money import format_rupiah
from kotaku.workflow import PENDING, ReviewAction, ReviewStatus, review_transition
from works.models import Work

from . import rollups
from .models import (
    Allocation,
    Disbursement,
    FundingSource,
    OverrunApproval,
    Spending,
    SwadayaContribution,
    TranchePlan,
)

COMMITTED = Q(status__in=(*PENDING, ReviewStatus.APPROVED))
REVIEWED_FROM = {  # a state each review step starts from (the same money held in each)
    ReviewAction.SUBMIT: ReviewStatus.DRAFT,
    ReviewAction.VERIFY: ReviewStatus.SUBMITTED,
    ReviewAction.RETURN: ReviewStatus.SUBMITTED,
    ReviewAction.APPROVE: ReviewStatus.VERIFIED,
}
ALLOCATION_FIELDS = ("decree_number", "decree_date", "document", "amount", "note")


def _total(queryset, field="amount") -> Decimal:
    return queryset.aggregate(total=Sum(field))["total"] or Decimal(0)


def _whole_positive(amount, field="amount"):
    if amount is None or amount != amount.to_integral_value() or amount <= 0:
        raise ValidationError({field: _("Enter a whole number of rupiah, more than zero.")})


def _over(field, message, remaining):
    raise ValidationError({field: message % {"remaining": format_rupiah(remaining)}})


def _lock_allocation(pk) -> Allocation:
    return Allocation.objects.select_for_update().get(pk=pk)


# What an allocation holds (call with its row locked).


def disbursed_total(allocation) -> Decimal:
    return _total(Disbursement.objects.filter(allocation=allocation))


def parts_total(allocation, exclude=None) -> Decimal:
    parts = Allocation.objects.filter(part_of=allocation)
    if exclude is not None:
        parts = parts.exclude(pk=exclude.pk)
    return _total(parts)


def committed_spending(allocation, exclude=None) -> Decimal:
    """Approved and pending spending of an allocation (reversals included)."""
    rows = Spending.objects.filter(COMMITTED, allocation=allocation)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return _total(rows)


def work_committed_spending(work, exclude=None) -> Decimal:
    rows = Spending.objects.filter(COMMITTED, work=work)
    if exclude is not None:
        rows = rows.exclude(pk=exclude.pk)
    return _total(rows)


def work_spending_limit(work) -> Decimal:
    return work.budget + _total(OverrunApproval.objects.filter(work=work))


# Allocations


def _region_for(*, bkm, kabupaten):
    if bkm is not None:
        return bkm.kelurahan
    return kabupaten


def _check_part_of(allocation: Allocation):
    parent = allocation.part_of
    if parent is None:
        return
    if parent.part_of_id or not parent.kabupaten_id:
        raise ValidationError(
            {"part_of": _("Only an allocation to a kabupaten/kota can be passed on.")}
        )
    if not allocation.bkm_id or not allocation.region_id.startswith(f"{parent.region_id}."):
        raise ValidationError(
            {"part_of": _("The part must go to a BKM/LKM in the same kabupaten/kota.")}
        )
    if (parent.fiscal_year, parent.source_id) != (allocation.fiscal_year, allocation.source_id):
        raise ValidationError(
            {"part_of": _("The part must have the same fiscal year and funding source.")}
        )
    locked = _lock_allocation(parent.pk)
    free = locked.amount - disbursed_total(locked) - parts_total(locked, exclude=allocation)
    if allocation.amount > free:
        _over(
            "amount",
            _(
                "This is more than the district allocation still has free "
                "(not disbursed nor passed on): %(remaining)s."
            ),
            free,
        )


@transaction.atomic
def allocation_create(
    *,
    user,
    fiscal_year: int,
    source,
    amount: Decimal,
    decree_number: str,
    decree_date,
    bkm=None,
    kabupaten=None,
    part_of=None,
    document=None,
    note: str = "",
) -> Allocation:
    """Record an allocation. A part of a district allocation must fit in what that
    allocation has not yet disbursed nor passed on (its row is locked)."""
    _whole_positive(amount)
    if (bkm is None) == (kabupaten is None):
        raise ValidationError(_("Choose either a BKM/LKM or a kabupaten/kota."))
    allocation = Allocation(
        fiscal_year=fiscal_year,
        source=source,
        amount=amount,
        decree_number=decree_number,
        decree_date=decree_date,
        bkm=bkm,
        kabupaten=kabupaten,
        region=_region_for(bkm=bkm, kabupaten=kabupaten),
        part_of=part_of,
        document=document or "",
        note=note,
        created_by=user,
    )
    allocation.full_clean(exclude=["region"])
    _check_part_of(allocation)
    allocation.save()
    rollups.allocation_added(allocation)
    return allocation


@transaction.atomic
def allocation_update(*, allocation: Allocation, user, reason: str = "", **changes) -> Allocation:
    """Change an allocation's decree, document, note or amount (recipient, source and year
    stay). The amount cannot go below what was disbursed plus what was passed on."""
    unknown = set(changes) - set(ALLOCATION_FIELDS)
    if unknown:
        raise ValueError(f"Cannot change {sorted(unknown)}")
    locked = _lock_allocation(allocation.pk)
    old_amount = locked.amount
    for field, value in changes.items():
        if field == "document" and not value:
            continue
        setattr(locked, field, value)
    _whole_positive(locked.amount)
    locked.full_clean(exclude=["region"])
    used = disbursed_total(locked) + parts_total(locked)
    if locked.amount < used:
        raise ValidationError(
            {
                "amount": _(
                    "The amount cannot be less than what was already disbursed or passed "
                    "on: %(used)s."
                )
                % {"used": format_rupiah(used)}
            }
        )
    _check_part_of(locked)
    locked._change_reason = reason or _("changed")
    locked.save()
    rollups.allocation_amount_changed(locked, locked.amount - old_amount)
    return locked


# Disbursements


def remaining_to_disburse(allocation) -> Decimal:
    """Call with the allocation row locked."""
    return allocation.amount - parts_total(allocation) - disbursed_total(allocation)


@transaction.atomic
def disbursement_create(
    *, allocation: Allocation, user, termin: int, date, amount: Decimal, document=None
) -> Disbursement:
    """Pay a tranche: it may not exceed what remains to disburse (allocated less what was
    disbursed and what was passed on to BKMs)."""
    _whole_positive(amount)
    locked = _lock_allocation(allocation.pk)
    remaining = remaining_to_disburse(locked)
    if amount > remaining:
        _over("amount", _("This is more than remains to be disbursed: %(remaining)s."), remaining)
    entry = Disbursement(
        allocation=locked,
        termin=termin,
        date=date,
        amount=amount,
        document=document or "",
        created_by=user,
    )
    entry.full_clean()
    entry.save()
    rollups.disbursement_added(entry)
    return entry


def _check_reason(reason):
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this entry is reversed.")})
    return reason.strip()


@transaction.atomic
def disbursement_reverse(*, disbursement: Disbursement, user, reason: str) -> Disbursement:
    """Reverse a tranche paid by mistake. The money already spent or pending must still
    be covered by what stays disbursed."""
    reason = _check_reason(reason)
    locked = _lock_allocation(disbursement.allocation_id)
    original = Disbursement.objects.select_for_update().get(pk=disbursement.pk)
    if original.reverses_id or Disbursement.objects.filter(reverses=original).exists():
        raise ValidationError(_("This entry is a correction or was already reversed."))
    left = disbursed_total(locked) - original.amount
    spent = committed_spending(locked)
    if left < spent:
        raise ValidationError(
            _(
                "This cannot be reversed: spending of %(spent)s is already recorded and only "
                "%(left)s would stay disbursed."
            )
            % {"spent": format_rupiah(spent), "left": format_rupiah(left)}
        )
    entry = Disbursement(
        allocation=locked,
        termin=original.termin,
        date=timezone.localdate(),
        amount=-original.amount,
        reverses=original,
        reason=reason,
        created_by=user,
    )
    entry.full_clean()
    entry._change_reason = reason
    entry.save()
    rollups.disbursement_added(entry)
    return entry


# Spending


def _check_spending_limits(spending: Spending):
    """Lock the allocation, then the work; the amount must fit in both."""
    locked = _lock_allocation(spending.allocation_id)
    available = disbursed_total(locked) - committed_spending(locked, exclude=spending)
    if spending.amount > available:
        _over(
            "amount",
            _("This is more than the disbursed money still available: %(remaining)s."),
            max(available, Decimal(0)),
        )
    work = Work.objects.select_for_update().get(pk=spending.work_id)
    left = work_spending_limit(work) - work_committed_spending(work, exclude=spending)
    if spending.amount > left:
        _over(
            "amount",
            _(
                "This is more than the work's budget still allows: %(remaining)s. District "
                "staff can approve an overrun with a reason."
            ),
            max(left, Decimal(0)),
        )


def _check_spending_place(spending: Spending):
    allocation, work = spending.allocation, spending.work
    region = allocation.region_id
    if work.kelurahan_id != region and not work.kelurahan_id.startswith(f"{region}."):
        raise ValidationError(
            {"allocation": _("This allocation is not for the work's kelurahan/desa.")}
        )


@transaction.atomic
def spending_create(
    *,
    allocation: Allocation,
    work,
    user,
    date,
    amount: Decimal,
    category: str,
    description: str = "",
    receipt=None,
    submit: bool = False,
) -> Spending:
    """Record spending of an allocation on a work (a draft, or submitted at once)."""
    _whole_positive(amount)
    spending = Spending(
        allocation=allocation,
        work=work,
        date=date,
        amount=amount,
        category=category,
        description=description,
        receipt=receipt or "",
        created_by=user,
    )
    spending.full_clean()
    _check_spending_place(spending)
    _check_spending_limits(spending)
    spending.save()
    if submit:
        spending = spending_review(spending=spending, user=user, action=ReviewAction.SUBMIT)
    return spending


@transaction.atomic
def spending_update(*, spending: Spending, **changes) -> Spending:
    """Correct a draft or returned entry."""
    locked = Spending.objects.select_for_update().get(pk=spending.pk)
    if not locked.is_editable or locked.reverses_id:
        raise ValidationError(_("Only a draft or returned entry can be changed."))
    for field, value in changes.items():
        if field == "receipt" and not value:
            continue
        setattr(locked, field, value)
    _whole_positive(locked.amount)
    locked.full_clean()
    _check_spending_place(locked)
    _check_spending_limits(locked)
    locked.save()
    return locked


@transaction.atomic
def spending_review(*, spending: Spending, user, action: str, comment: str = "") -> Spending:
    """A workflow step; submitting again re-checks the limits (a draft holds no money).
    Pending and approved money move in the derived totals."""
    if action == ReviewAction.SUBMIT:
        _check_spending_limits(spending)
    reviewed = review_transition(record=spending, user=user, action=action, comment=comment)
    # review_transition only moves from these states, so `action` tells where it came from.
    rollups.spending_moved(reviewed, REVIEWED_FROM[action])
    return reviewed


@transaction.atomic
def spending_reverse(*, spending: Spending, user, reason: str) -> Spending:
    """Reverse approved spending recorded by mistake: an approved entry of minus it."""
    reason = _check_reason(reason)
    _lock_allocation(spending.allocation_id)
    original = Spending.objects.select_for_update().get(pk=spending.pk)
    if original.status != ReviewStatus.APPROVED:
        raise ValidationError(_("Only approved spending is reversed; return a pending one."))
    if original.reverses_id or Spending.objects.filter(reverses=original).exists():
        raise ValidationError(_("This entry is a correction or was already reversed."))
    now = timezone.now()
    entry = Spending(
        allocation_id=original.allocation_id,
        work_id=original.work_id,
        date=timezone.localdate(),
        amount=-original.amount,
        category=original.category,
        description=original.description,
        reverses=original,
        reason=reason,
        created_by=user,
        status=ReviewStatus.APPROVED,
        approved_by=user,
        approved_at=now,
    )
    entry.full_clean()
    entry._change_reason = reason
    entry.save()
    rollups.spending_moved(entry, None)
    return entry


@transaction.atomic
def overrun_approve(*, work, user, amount: Decimal, reason: str) -> OverrunApproval:
    """District staff allow a work to spend `amount` more than its budget."""
    _whole_positive(amount)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the overrun is allowed.")})
    Work.objects.select_for_update().get(pk=work.pk)
    approval = OverrunApproval(work=work, amount=amount, reason=reason.strip(), approved_by=user)
    approval.full_clean()
    approval.save()
    return approval


# Swadaya


@transaction.atomic
def swadaya_create(
    *, work, user, date, kind: str, value: Decimal, description: str, submit: bool = False
) -> SwadayaContribution:
    _whole_positive(value, "value")
    contribution = SwadayaContribution(
        work=work, date=date, kind=kind, value=value, description=description, created_by=user
    )
    contribution.full_clean()
    contribution.save()
    if submit:
        contribution = swadaya_review(
            contribution=contribution, user=user, action=ReviewAction.SUBMIT
        )
    return contribution


def swadaya_review(
    *, contribution: SwadayaContribution, user, action: str, comment: str = ""
) -> SwadayaContribution:
    """A workflow step of a swadaya contribution."""
    return review_transition(record=contribution, user=user, action=action, comment=comment)


@transaction.atomic
def swadaya_update(*, contribution: SwadayaContribution, **changes) -> SwadayaContribution:
    locked = SwadayaContribution.objects.select_for_update().get(pk=contribution.pk)
    if not locked.is_editable or locked.reverses_id:
        raise ValidationError(_("Only a draft or returned entry can be changed."))
    for field, value in changes.items():
        setattr(locked, field, value)
    _whole_positive(locked.value, "value")
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def swadaya_reverse(*, contribution: SwadayaContribution, user, reason: str) -> SwadayaContribution:
    reason = _check_reason(reason)
    original = SwadayaContribution.objects.select_for_update().get(pk=contribution.pk)
    if original.status != ReviewStatus.APPROVED:
        raise ValidationError(_("Only an approved entry is reversed; return a pending one."))
    if original.reverses_id or SwadayaContribution.objects.filter(reverses=original).exists():
        raise ValidationError(_("This entry is a correction or was already reversed."))
    entry = SwadayaContribution(
        work_id=original.work_id,
        date=timezone.localdate(),
        kind=original.kind,
        value=-original.value,
        description=original.description,
        reverses=original,
        reason=reason,
        created_by=user,
        status=ReviewStatus.APPROVED,
        approved_by=user,
        approved_at=timezone.now(),
    )
    entry.full_clean()
    entry._change_reason = reason
    entry.save()
    return entry


def budget_totals_rebuild():
    """Recompute every derived money total from the records (set-wise)."""
    rollups.rebuild()


def work_moved(*, work_id, old_kelurahan: str, new_kelurahan: str):
    """Call (inside the transaction) when a work changes kelurahan: its approved spending
    moves with it in the monthly totals."""
    rollups.work_moved(work_id, old_kelurahan, new_kelurahan)


@transaction.atomic
def tranche_plan_save(*, plan: TranchePlan) -> TranchePlan:
    """Save a termin's share; the termins of one source and year add up to at most 100%
    (the source row is locked, so two officers cannot together pass it)."""
    plan.full_clean()
    FundingSource.objects.select_for_update().get(pk=plan.source_id)
    others = TranchePlan.objects.filter(source=plan.source_id, fiscal_year=plan.fiscal_year)
    if plan.pk:
        others = others.exclude(pk=plan.pk)
    left = Decimal(100) - _total(others, "percentage")
    if plan.percentage > left:
        raise ValidationError(
            {
                "percentage": _(
                    "The termins of a source and year add up to at most 100%%; %(left)s%% is left."
                )
                % {"left": f"{left.normalize():f}"}
            }
        )
    plan.save()
    return plan


DEFAULT_SOURCES = [
    ("bpm-reguler", "BPM reguler", False),
    ("bpm-pkt", "BPM cash for work / PKT", False),
    ("bdi", "BDI", False),
    ("apbd-provinsi", "APBD provinsi", False),
    ("apbd-kabkota", "APBD kabupaten/kota", False),
    ("dak", "DAK", False),
    ("csr", "CSR/non-government", False),
    ("swadaya", "Swadaya", True),
    ("lainnya", "Other", False),
]


def funding_sources_ensure():
    """The program's funding sources (also seeded by migration 0002); creates any that
    are missing, e.g. after a test database was flushed. Officers add more in the admin."""
    for order, (code, name, is_community) in enumerate(DEFAULT_SOURCES, start=1):
        FundingSource.objects.get_or_create(
            code=code, defaults={"name": name, "is_community": is_community, "order": order}
        )
