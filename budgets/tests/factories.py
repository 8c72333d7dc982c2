"""Money records made through the services (the rules hold in every test), in
Klagenserut (Kecamatan Jiwan, Kabupaten Madiun) unless told otherwise."""

import datetime
from decimal import Decimal

from budgets import rollups, services
from budgets.models import FundingSource
from conftest import KLAGENSERUT
from kotaku.workflow import ReviewStatus
from locations.models import Region
from works.tests.factories import BkmFactory, WorkFactory  # noqa: F401 — re-exported

DAY = datetime.date(2020, 7, 1)


def source(code="apbd-kabkota"):
    services.funding_sources_ensure()  # a transactional test may have flushed the seed
    return FundingSource.objects.get(code=code)


def allocation(*, amount=80_000_000, kelurahan=KLAGENSERUT, kabupaten=None, user=None, **extra):
    """An allocation to the BKM of `kelurahan`, or to `kabupaten` (a code) if given."""
    recipient = (
        {"kabupaten": Region.objects.get(pk=kabupaten)}
        if kabupaten
        else {"bkm": BkmFactory(kelurahan_id=kelurahan)}
    )
    fields = {
        "fiscal_year": 2020,
        "source": source(),
        "decree_number": "188/1/2020",
        "decree_date": datetime.date(2020, 3, 2),
        **recipient,
        **extra,
    }
    return services.allocation_create(user=user, amount=Decimal(amount), **fields)


def disburse(target, amount, *, termin=1, user=None, date=DAY):
    return services.disbursement_create(
        allocation=target, user=user, termin=termin, date=date, amount=Decimal(amount)
    )


def spend(target, work, amount, *, user=None, status=ReviewStatus.APPROVED, category="materials"):
    """Spending saved through the service, then moved straight to `status`."""
    entry = services.spending_create(
        allocation=target,
        work=work,
        user=user,
        date=DAY,
        amount=Decimal(amount),
        category=category,
        description="Semen dan pasir",
    )
    if status != ReviewStatus.DRAFT:
        type(entry).objects.filter(pk=entry.pk).update(status=status)
        entry.refresh_from_db()
        rollups.spending_moved(entry, ReviewStatus.DRAFT)  # what the review steps keep
    return entry
