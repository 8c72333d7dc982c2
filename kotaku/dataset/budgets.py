"""Money: the tranche plan per source and year, allocations to each BKM (and to the
kabupaten/kota for district-scale works), their tranches, the spending charged to works,
approved overruns and swadaya contributions.

The rules kept, as `budgets.services` keeps them: an allocation covers the budgets of its
works; tranches follow the TranchePlan and never exceed the allocation; a tranche is paid
before the spending that needs it, so at every date the spending recorded (whatever its
review state) stays within what was disbursed; a work spends within its budget, or
beyond it only with an overrun approved by district staff."""

import datetime
import math
from decimal import Decimal

from budgets import rollups
from budgets.choices import SpendingCategory, SwadayaKind
from budgets.models import (
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
from kotaku.workflow import ReviewStatus

from .base import AS_OF, FISCAL_YEARS, Stage, at, day_between, plus, rng_for
from .slums import review_stamps

# Termin percentages per source: (years, percentages).
TRANCHES = {
    "bpm-reguler": (((2021, 2022), (40, 40, 20)), ((2023, 2024, 2025), (30, 50, 20))),
    "bpm-pkt": ((FISCAL_YEARS, (50, 50)),),
    "bdi": ((FISCAL_YEARS, (40, 40, 20)),),
    "apbd-kabkota": ((FISCAL_YEARS, (60, 40)),),
    "dak": ((FISCAL_YEARS, (30, 40, 30)),),
    "csr": ((FISCAL_YEARS, (100,)),),
}
CATEGORIES = (SpendingCategory.MATERIALS, SpendingCategory.WAGES, SpendingCategory.TOOLS)
DESCRIPTIONS = {
    SpendingCategory.MATERIALS: "Pembelian material",
    SpendingCategory.WAGES: "Upah tenaga kerja",
    SpendingCategory.TOOLS: "Sewa dan pembelian alat",
}
SWADAYA = (
    (SwadayaKind.IN_KIND, "Tenaga kerja gotong royong warga"),
    (SwadayaKind.IN_KIND, "Pasir dan batu dari warga"),
    (SwadayaKind.CASH, "Iuran warga untuk konsumsi kerja bakti"),
)


def _tranche_plans(writer) -> dict:
    """Percentages per (source id, year); existing plans win, missing ones are added."""
    sources = dict(FundingSource.objects.values_list("code", "pk"))
    plans: dict[tuple[int, int], list[Decimal]] = {}
    for source, year, _termin, percentage in TranchePlan.objects.order_by(
        "source", "fiscal_year", "termin"
    ).values_list("source_id", "fiscal_year", "termin", "percentage"):
        plans.setdefault((source, year), []).append(percentage)
    rows = []
    for code, periods in TRANCHES.items():
        for years, percentages in periods:
            for year in years:
                if (sources[code], year) in plans:
                    continue
                plans[(sources[code], year)] = [Decimal(p) for p in percentages]
                for termin, percentage in enumerate(percentages, start=1):
                    rows.append(
                        {
                            "source_id": sources[code],
                            "fiscal_year": year,
                            "termin": termin,
                            "percentage": Decimal(percentage),
                        }
                    )
    return sources, plans, writer.insert(TranchePlan, rows)


class _Money:
    def __init__(self, ctx, rng, sources, plans):
        self.ctx, self.rng, self.sources, self.plans = ctx, rng, sources, plans
        writer = ctx.writer
        self.allocation_id = writer.next_id(Allocation)
        self.rows = {
            model: []
            for model in (
                Allocation,
                Disbursement,
                Spending,
                OverrunApproval,
                SwadayaContribution,
            )
        }

    def allocate(self, key, charges):
        """One allocation for the works in `charges`, its tranches and their spending."""
        rng, ctx = self.rng, self.ctx
        year, source, region = key
        place = charges[0].place
        district = source == "bdi"
        need = sum(charge.budget + charge.overrun for charge in charges)
        amount = math.ceil(need * rng.uniform(1.0, 1.08) / 1_000_000) * 1_000_000
        decided = day_between(rng, datetime.date(year, 1, 10), datetime.date(year, 2, 25))
        national = source.startswith("bpm") or source == "dak"
        allocation = self.allocation_id
        self.allocation_id += 1
        self.rows[Allocation].append(
            {
                "id": allocation,
                "fiscal_year": year,
                "source_id": self.sources[source],
                "bkm_id": None if district else place.bkm,
                "kabupaten_id": region if district else None,
                "region_id": region,
                "part_of_id": None,
                "decree_number": f"{rng.randint(100, 999)}/KPTS/{source.upper()}/{year}",
                "decree_date": decided,
                "document": "",
                "amount": Decimal(amount),
                "note": "",
                "created_by_id": ctx.national_officer if national else ctx.perkim[place.kabupaten],
            }
        )
        # Index breaks ties between works on the same day (charges do not compare).
        spending = sorted(
            (
                (day, index, value, status, charge)
                for index, charge in enumerate(charges)
                for day, value, status in charge.spending
            ),
            key=lambda entry: (entry[0], entry[1]),
        )
        self.tranches(allocation, year, source, amount, decided, spending)
        for day, _index, value, status, charge in spending:
            self.spend(allocation, charge, day, value, status)
        for charge in charges:
            if charge.overrun:
                self.rows[OverrunApproval].append(
                    {
                        "work_id": charge.work,
                        "amount": Decimal(charge.overrun),
                        "reason": "Kenaikan harga material; disetujui rapat dinas.",
                        "approved_by_id": ctx.perkim[charge.place.kabupaten],
                        "approved_at": at(charge.spending[0][0], 11),
                    }
                )
            for day in charge.swadaya_days:
                self.swadaya(charge, day)

    def tranches(self, allocation, year, source, amount, decided, spending):
        rng = self.rng
        shares = self.plans[(self.sources[source], year)]
        parts = [int(amount * share / 100) for share in shares]
        parts[-1] = amount - sum(parts[:-1])
        paid = disbursed = 0
        last_day = plus(decided, rng.randint(14, 40))
        if spending:
            last_day = min(last_day, spending[0][0])

        def pay(day):
            nonlocal paid, disbursed, last_day
            self.rows[Disbursement].append(
                {
                    "allocation_id": allocation,
                    "termin": paid + 1,
                    "date": day,
                    "amount": Decimal(parts[paid]),
                    "document": "",
                    "reverses_id": None,
                    "reason": "",
                    "created_by_id": self.ctx.national_officer,
                }
            )
            disbursed += parts[paid]
            paid += 1
            last_day = day

        pay(last_day)
        spent = 0
        for day, _index, value, _status, _charge in spending:
            while spent + value > disbursed:
                pay(min(day, max(last_day, plus(day, -rng.randint(3, 20)))))
            spent += value
        closing = datetime.date(year, 12, 20)
        while paid < len(parts):
            day = max(last_day, plus(last_day, rng.randint(30, 75)))
            if day > min(closing, AS_OF) or (year == FISCAL_YEARS[-1] and rng.random() < 0.5):
                break
            pay(day)

    def spend(self, allocation, charge, day, value, status):
        rng, ctx, place = self.rng, self.ctx, charge.place
        category = CATEGORIES[0] if value > 20_000_000 else rng.choice(CATEGORIES)
        self.rows[Spending].append(
            {
                "allocation_id": allocation,
                "work_id": charge.work,
                "date": day,
                "amount": Decimal(value),
                "category": category,
                "description": DESCRIPTIONS[category],
                "receipt": "",
                "reverses_id": None,
                "reason": "",
                "created_by_id": place.facilitator,
                **review_stamps(
                    rng,
                    status,
                    day,
                    submitter=place.facilitator,
                    verifier=ctx.askot[place.kabupaten],
                    approver=ctx.perkim[place.kabupaten],
                ),
            }
        )

    def swadaya(self, charge, day):
        rng, ctx, place = self.rng, self.ctx, charge.place
        kind, description = rng.choice(SWADAYA)
        self.rows[SwadayaContribution].append(
            {
                "work_id": charge.work,
                "date": day,
                "kind": kind,
                "value": Decimal(
                    max(1, int(charge.budget * rng.uniform(0.01, 0.05) / 1000)) * 1000
                ),
                "description": description,
                "reverses_id": None,
                "reason": "",
                "created_by_id": place.facilitator,
                **review_stamps(
                    rng,
                    ReviewStatus.APPROVED,
                    day,
                    submitter=place.facilitator,
                    verifier=ctx.askot[place.kabupaten],
                    approver=ctx.perkim[place.kabupaten],
                ),
            }
        )

    def flush(self, stage):
        writer = self.ctx.writer
        for model, rows in self.rows.items():
            stage.add(model.__name__, writer.insert(model, rows))
            rows.clear()


def create_budgets(ctx, out):
    rng = rng_for(ctx.seed, "budgets")
    with Stage("budgets", out) as stage:
        sources, plans, count = _tranche_plans(ctx.writer)
        stage.add("TranchePlan", count)
        groups: dict[tuple, list] = {}
        for charge in ctx.charges:
            region = charge.place.kabupaten if charge.source == "bdi" else charge.place.code
            groups.setdefault((charge.year, charge.source, region), []).append(charge)
        money = _Money(ctx, rng, sources, plans)
        for number, key in enumerate(sorted(groups), start=1):
            money.allocate(key, groups[key])
            if number % 5_000 == 0:
                money.flush(stage)
        money.flush(stage)
        # The derived totals the dashboard reads, set-wise from the rows just written.
        rollups.rebuild()
        for model in (RegionMoney, SpendingMonth):
            stage.add(model.__name__, model.objects.count())
            if model not in ctx.writer.touched:
                ctx.writer.touched.append(model)  # checked and ANALYZEd like the others
