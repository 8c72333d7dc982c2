"""Reads of money records: lists with their totals, an allocation's ledger, and the
realization roll-up per region, year and source — all summed in the database."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import DecimalField, F, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Left, TruncMonth

from accounts.scoping import covered_q, scope_of
from kotaku.precompiled import statements
from kotaku.workflow import PENDING, ReviewStatus
from locations import codes
from locations.models import Region
from works.models import Work

from .models import (
    Allocation,
    Disbursement,
    FundingSource,
    OverrunApproval,
    RegionMoney,
    Spending,
    SpendingMonth,
    SwadayaContribution,
    TranchePlan,
)

CODE_LENGTH = {1: 2, 2: 5, 3: 8, 4: 13}
MONEY_FIELDS = ("allocated", "disbursed", "spent", "pending")
MONEY = DecimalField(max_digits=17, decimal_places=0)
ZERO = Value(Decimal(0), output_field=MONEY)
APPROVED = Q(status=ReviewStatus.APPROVED)
IS_PENDING = Q(status__in=PENDING)


def _sum_of(model, *, condition=None, field="amount", link="allocation"):
    """A subquery: the sum of `model.field` for the outer allocation."""
    rows = (
        model.objects.filter(condition or Q(), **{link: OuterRef("pk")})
        .order_by()
        .values(link)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), ZERO, output_field=MONEY)


def with_totals(allocations):
    """Each allocation with `disbursed`, `spent` (approved), `pending` and `passed_on`."""
    return allocations.annotate(
        disbursed=_sum_of(Disbursement),
        spent=_sum_of(Spending, condition=APPROVED),
        pending=_sum_of(Spending, condition=IS_PENDING),
        passed_on=_sum_of(Allocation, link="part_of"),
    )


def allocation_queryset(user):
    return with_totals(
        Allocation.objects.for_user(user).select_related(
            "source", "region", "bkm", "kabupaten", "part_of"
        )
    )


def allocation_visible(user, allocation_id) -> bool:
    """Whether the user's places cover the allocation with this key, so that a page may
    link to it. A BKM's part of a district's allocation, or a district's money spent on
    a work in a facilitator's desa, names an allocation that the user cannot open."""
    if allocation_id is None:
        return False
    return Allocation.objects.for_user(user).filter(pk=allocation_id).exists()


def disbursement_queryset(user):
    return Disbursement.objects.for_user(user).select_related(
        "allocation__source", "allocation__region", "allocation__bkm", "allocation__kabupaten"
    )


def spending_queryset(user):
    return Spending.objects.for_user(user).select_related(
        "allocation__source", "allocation__bkm", "allocation__kabupaten", "work__kelurahan"
    )


def swadaya_queryset(user):
    return SwadayaContribution.objects.for_user(user).select_related("work__kelurahan")


def allocations_for_work(work, user):
    """Allocations that may pay for `work`: its BKM's, or its kabupaten's."""
    kabupaten = ".".join(work.kelurahan_id.split(".")[:2])
    return (
        Allocation.objects.for_user(user)
        .filter(Q(region_id=work.kelurahan_id) | Q(region_id=kabupaten))
        .select_related("source", "bkm", "kabupaten")
    )


def next_tranche(allocation) -> tuple[int, Decimal | None]:
    """The next termin number and the amount its tranche plan suggests (None without a
    plan), capped at what remains to disburse."""
    entries = list(allocation.disbursements.filter(reverses__isnull=True, reversed_by__isnull=True))
    termin = max((entry.termin for entry in entries), default=0) + 1
    plan = TranchePlan.objects.filter(
        source_id=allocation.source_id, fiscal_year=allocation.fiscal_year, termin=termin
    ).first()
    if plan is None:
        return termin, None
    share = allocation.amount - (allocation.passed_on or 0)
    suggested = (share * plan.percentage / 100).quantize(Decimal(1))
    remaining = share - (allocation.disbursed or 0)
    return termin, max(min(suggested, remaining), Decimal(0))


@dataclass
class LedgerRow:
    date: object
    kind: str
    entry: object
    money_in: Decimal = Decimal(0)
    money_out: Decimal = Decimal(0)
    balance: Decimal = Decimal(0)


def allocation_ledger(allocation) -> list[LedgerRow]:
    """Disbursements in and approved spending out, in date order, with the running cash
    balance of the recipient (disbursed − spent). Two queries."""
    rows = [
        LedgerRow(entry.date, "disbursement", entry, money_in=entry.amount)
        for entry in allocation.disbursements.select_related("reverses", "reversed_by")
    ]
    rows += [
        LedgerRow(entry.date, "spending", entry, money_out=entry.amount)
        for entry in allocation.spendings.filter(APPROVED).select_related("work", "reverses")
    ]
    rows.sort(key=lambda row: (row.date, row.kind != "disbursement", row.entry.pk))
    balance = Decimal(0)
    for row in rows:
        balance += row.money_in - row.money_out
        row.balance = balance
    return rows


def works_paid_by(allocation):
    """The works an allocation pays for, with approved and pending sums."""
    return (
        allocation.spendings.values("work", "work__name", "work__kelurahan__name", "work__budget")
        .annotate(
            spent=Coalesce(Sum("amount", filter=APPROVED), ZERO, output_field=MONEY),
            pending=Coalesce(Sum("amount", filter=IS_PENDING), ZERO, output_field=MONEY),
        )
        .order_by("work__name")
    )


def works_not_yet_charged(allocation, user, limit=50):
    """Works of the allocation's year and place, in the user's scope, that have no
    spending on it yet: where a facilitator records the first spending."""
    return (
        Work.objects.for_user(user)
        .filter(covered_q([allocation.region_id], "kelurahan__code"))
        .filter(fiscal_year=allocation.fiscal_year)
        .exclude(spendings__allocation=allocation)
        .select_related("kelurahan")
        .order_by("kelurahan_id", "name")[:limit]
    )


def work_money(work):
    """A work's spending, swadaya and overruns, with totals (four queries)."""
    spending = list(work.spendings.select_related("allocation__source", "reverses"))
    swadaya = list(work.swadaya_contributions.select_related("reverses"))
    overruns = list(OverrunApproval.objects.filter(work=work).select_related("approved_by"))
    allowed = work.budget + sum((o.amount for o in overruns), Decimal(0))
    spent = sum((s.amount for s in spending if s.status == ReviewStatus.APPROVED), Decimal(0))
    pending = sum((s.amount for s in spending if s.is_pending), Decimal(0))
    return {
        "spending": spending,
        "swadaya": swadaya,
        "overruns": overruns,
        "allowed": allowed,
        "spent": spent,
        "pending": pending,
        "left": allowed - spent - pending,
        "swadaya_total": sum(
            (s.value for s in swadaya if s.status == ReviewStatus.APPROVED), Decimal(0)
        ),
    }


@dataclass
class Figures:
    """Money of a group of allocations."""

    key: str = ""
    name: str = ""
    allocated: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    pending: Decimal = Decimal(0)
    drill: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def remaining(self):
        return self.allocated - self.spent

    @property
    def realization(self):
        return self.spent * 100 / self.allocated if self.allocated else Decimal(0)

    @property
    def disbursement_rate(self):
        return self.disbursed * 100 / self.allocated if self.allocated else Decimal(0)

    def add(self, other: "Figures"):
        for name in ("allocated", "disbursed", "spent", "pending"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def _grouped(allocations, keys, key):
    """Sum allocated / disbursed / spent / pending per group, in four grouped queries.

    `allocations()` gives the allocations; `keys(prefix)` the group annotations for a
    path to an allocation (`""`, `"allocation__"`, `"part_of__"`). A part passed on to a
    BKM counts under the BKM, so it is taken off the district allocation it came from.
    The four queries are compiled once per `key` (kotaku.precompiled: it must name all
    that `allocations` and `keys` depend on).
    """
    names = list(keys("").keys())
    figures: dict[tuple, Figures] = {}

    def rows(label, build, prefix, **sums):
        for row in statements.rows(
            (*key, label),
            lambda: build().annotate(**keys(prefix)).values(*names).annotate(**sums).order_by(),
        ):
            group = tuple(row[name] for name in names)
            extra = dict(zip(names, group, strict=True))
            yield figures.setdefault(group, Figures(extra=extra)), row

    def pks():
        return allocations().values("pk")

    for figure, row in rows("allocated", allocations, "", total=Sum("amount")):
        figure.allocated += row["total"]

    def passed_on():
        return Allocation.objects.filter(part_of__in=pks())

    def disbursed():
        return Disbursement.objects.filter(allocation__in=pks())

    def spending():
        return Spending.objects.filter(allocation__in=pks())

    for figure, row in rows("passed on", passed_on, "part_of__", total=Sum("amount")):
        figure.allocated -= row["total"]
    for figure, row in rows("disbursed", disbursed, "allocation__", total=Sum("amount")):
        figure.disbursed += row["total"] or 0
    for figure, row in rows(
        "spent",
        spending,
        "allocation__",
        spent=Sum("amount", filter=APPROVED),
        pending=Sum("amount", filter=IS_PENDING),
    ):
        figure.spent += row["spent"] or 0
        figure.pending += row["pending"] or 0
    return figures


def _name_rows(children, region_names, *, within, length, level) -> Figures:
    """Name each child row, set its `drill` and `own` flags; returns their total."""
    total = Figures(name="total")
    for figure in children:
        figure.key = figure.extra["key"]
        figure.name = region_names.get(figure.key, figure.key)
        figure.drill = len(figure.key) == length and level < 4 and figure.key != within
        figure.extra["own"] = len(figure.key) < length or figure.key == within
        total.add(figure)
    return total


def _filtered(user, *, within="", fiscal_year=None, source=None):
    allocations = Allocation.objects.for_user(user)
    if within:
        allocations = allocations.filter(covered_q([within], "region__code"))
    if fiscal_year:
        allocations = allocations.filter(fiscal_year=fiscal_year)
    if source:
        allocations = allocations.filter(source=source)
    return allocations


def sees_whole(user, within: str = "") -> bool:
    """Whether the user sees every row in or under `within` (the nation when empty):
    then the stored totals answer for them."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.sees_everything:
        return True
    return bool(within) and any(
        within == code or within.startswith(f"{code}.") for code in user.place_codes
    )


def whole_children(user, within: str, length: int) -> tuple[str, ...]:
    """The user's places right below `within` (codes of `length` characters), when every
    place of theirs in or under `within` is one of them: the stored totals of those
    regions are all the user sees there. Otherwise ()."""
    if not (user.is_authenticated and user.is_active) or user.sees_everything:
        return ()
    inside = [code for code in user.place_codes if not within or code.startswith(f"{within}.")]
    if not inside or any(len(code) != length for code in inside):
        return ()
    return tuple(sorted(inside))


def realization(user, *, within: str = "", fiscal_year=None, source=None) -> dict:
    """Allocated, disbursed, spent (approved; pending apart), remaining, realization %
    (spent ÷ allocated) and disbursement % for each child region of `within` (the
    provinces when empty), each year and source, and the total. Money given to a region
    above the child level (a kabupaten's own allocation seen per kecamatan) is a row of
    its own. A part passed on to a BKM counts under the BKM.

    From the stored totals (`RegionMoney`, three small queries) when the user sees the
    whole region, or whole regions right below it (a province's coordinator on the
    nation's page); otherwise summed live in the user's scope (`realization_live`)."""
    level = min(codes.level_of(within) + 1, 4) if within else 1
    length = CODE_LENGTH[level]
    places = None if sees_whole(user, within) else whole_children(user, within, length)
    if places == ():
        return realization_live(user, within=within, fiscal_year=fiscal_year, source=source)
    source_key = getattr(source, "pk", source)
    sums = {name: Sum(name) for name in ("allocations", *MONEY_FIELDS)}

    def stored():
        rows = RegionMoney.objects.all()
        if places is not None:
            rows = rows.filter(code__in=places)
        if fiscal_year:
            rows = rows.filter(fiscal_year=fiscal_year)
        return rows.filter(source=source) if source else rows

    def figure(row, **extra) -> Figures:
        return Figures(**{name: row[name] for name in MONEY_FIELDS}, extra=extra)

    # Three statements compiled once per region, year, source and places
    # (kotaku.precompiled).
    key = (within, fiscal_year, source_key, places)
    child_rows = statements.rows(
        ("budgets.realization.children", *key),
        lambda: stored().filter(parent=within).values("code").annotate(**sums).order_by("code"),
    )
    # The region's rows per year and source (for the nation: its provinces'; for whole
    # regions below it: theirs).
    whole_rows = statements.rows(
        ("budgets.realization.whole", *key),
        lambda: (
            (
                stored().filter(code=within)
                if within and places is None
                else stored().filter(parent=within)
            )
            .values("fiscal_year", "source__name")
            .annotate(**sums)
            .order_by()
        ),
    )
    children = [figure(row, key=row["code"]) for row in child_rows if row["allocations"]]
    by_year_source = [
        figure(row, year=row["fiscal_year"], source_name=row["source__name"])
        for row in whole_rows
        if row["allocations"]
    ]
    # Money given to the region itself (not to one below it) is a row of its own.
    own_count = sum(row["allocations"] for row in whole_rows) - sum(
        row["allocations"] for row in child_rows
    )
    if within and own_count:
        own = Figures(extra={"key": within})
        for row in whole_rows:
            own.add(figure(row))
        for row in children:
            for name in MONEY_FIELDS:
                setattr(own, name, getattr(own, name) - getattr(row, name))
        children.insert(0, own)
    # The names of the region and every region right below it: the rows' keys.
    region_names = dict(
        statements.rows(
            ("budgets.realization.names", within),
            lambda: Region.objects.filter(
                Q(parent_id=within) | Q(code=within) if within else Q(level=1)
            ).values_list("code", "name"),
        )
    )
    total = _name_rows(children, region_names, within=within, length=length, level=level)
    return {
        "level": level,
        "rows": children,
        "total": total,
        "by_year_source": sorted(
            by_year_source, key=lambda f: (-f.extra["year"], f.extra["source_name"])
        ),
    }


def realization_live(user, *, within: str = "", fiscal_year=None, source=None) -> dict:
    """`realization` summed live from the money records, in the user's scope: the
    reference the stored totals must equal, and the answer for a user who sees only part
    of the region (then few rows)."""
    level = min(codes.level_of(within) + 1, 4) if within else 1
    length = CODE_LENGTH[level]

    def allocations():
        return _filtered(user, within=within, fiscal_year=fiscal_year, source=source)

    key = (scope_of(user), within, fiscal_year, getattr(source, "pk", source))
    by_region = _grouped(
        allocations,
        lambda p: {"key": Left(f"{p}region__code", length)},
        ("budgets.realization_live.regions", *key),
    )
    children = sorted(by_region.values(), key=lambda figure: figure.extra["key"])
    shown = tuple(figure.extra["key"] for figure in children)
    region_names = dict(
        statements.rows(
            ("budgets.region_names", shown),
            lambda: Region.objects.filter(code__in=shown).values_list("code", "name"),
        )
    )
    total = _name_rows(children, region_names, within=within, length=length, level=level)
    by_year_source = _grouped(
        allocations,
        lambda p: {"year": F(f"{p}fiscal_year"), "source_name": F(f"{p}source__name")},
        ("budgets.realization_live.years", *key),
    )
    return {
        "level": level,
        "rows": children,
        "total": total,
        "by_year_source": sorted(
            by_year_source.values(),
            key=lambda f: (-f.extra["year"], f.extra["source_name"]),
        ),
    }


def spending_by_month(user, *, within: str = "", fiscal_year=None) -> dict:
    """Approved spending per month ({first day of the month: amount}, in month order) of
    the works in or under `within` (the nation when empty), charged to allocations of
    `fiscal_year` (every year when None). From the stored totals (`SpendingMonth`) when
    the user sees the whole region, otherwise summed live in the user's scope."""
    if not sees_whole(user, within):
        return spending_by_month_live(user, within=within, fiscal_year=fiscal_year)

    def build():
        stored = SpendingMonth.objects.filter(**({"code": within} if within else {"parent": ""}))
        if fiscal_year:
            stored = stored.filter(fiscal_year=fiscal_year)
        rows = stored.values_list("month").annotate(n=Sum("entries"), total=Sum("amount"))
        return rows.order_by("month")

    rows = statements.rows(("budgets.spending_by_month", within, fiscal_year), build)
    return {month: total for month, n, total in rows if n}


def spending_by_month_live(user, *, within: str = "", fiscal_year=None) -> dict:
    """`spending_by_month` summed live from the spending rows (the reference)."""

    def build():
        spending = Spending.objects.for_user(user).filter(APPROVED)
        if within:
            spending = spending.filter(covered_q([within], "work__kelurahan__code"))
        if fiscal_year:
            spending = spending.filter(allocation__fiscal_year=fiscal_year)
        return (
            spending.annotate(month=TruncMonth("date"))
            .values_list("month")
            .annotate(total=Sum("amount"))
            .order_by("month")
        )

    key = ("budgets.spending_by_month_live", scope_of(user), within, fiscal_year)
    return dict(statements.rows(key, build))


def funding_sources():
    return FundingSource.objects.all()
