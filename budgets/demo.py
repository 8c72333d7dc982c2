"""Demo money from public KOTAKU reports (DOMAIN.md): Kabupaten Madiun 2020, APBD
kabupaten/kota Rp 420 juta with Rp 80 juta passed on to the LKM of Klagenserut (a first
tranche paid, materials for the paving road spent and approved); Kecamatan Bondowoso
2022, BPM reguler Rp 750 juta to each of its five kelurahan/desa, with first tranches.
Idempotent: looked up by decree number, created once through the services; a BKM the
programs demo has not created is skipped with a note."""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from locations.models import Region
from programs.models import Bkm
from works.demo import DEMO_WORK
from works.models import Work

from . import services
from .models import Allocation, FundingSource, TranchePlan

KAB_MADIUN = "35.19"
KLAGENSERUT = "35.19.09.2010"
BONDOWOSO_KELURAHAN = [
    "35.11.11.1007",  # Dabasah
    "35.11.11.1009",  # Kotakulon
    "35.11.11.1004",  # Nangkaan
    "35.11.11.2002",  # Sukowiryo
    "35.11.11.2001",  # Pancoran
]
BPM_PLAN_2022 = {1: Decimal(40), 2: Decimal(40), 3: Decimal(20)}


def _user(username):
    return User.objects.filter(username=username).first()


def _allocation(decree_number, **fields):
    existing = Allocation.objects.filter(decree_number=decree_number).first()
    if existing:
        return existing, False
    return services.allocation_create(decree_number=decree_number, **fields), True


def _spending_on_the_paving_road(part, say):
    """Materials bought for the demo work: submitted, verified and approved; and the
    community's labour as swadaya, waiting for review."""
    work = Work.objects.filter(kelurahan_id=KLAGENSERUT, name=DEMO_WORK).first()
    facilitator, askot, perkim = (
        _user(name) for name in ("fasilitator.jiwan", "askot.madiun", "perkim.madiun")
    )
    if work is None or None in (facilitator, askot, perkim):
        say("Demo budgets: no demo work or users in Klagenserut; spending skipped.")
        return
    spending = services.spending_create(
        allocation=part,
        work=work,
        user=facilitator,
        date=datetime.date(2020, 7, 20),
        amount=Decimal(32_500_000),
        category="materials",
        description="Paving block, pasir dan semen",
        submit=True,
    )
    spending = services.spending_review(spending=spending, user=askot, action="verify")
    services.spending_review(spending=spending, user=perkim, action="approve")
    services.swadaya_create(
        work=work,
        user=facilitator,
        date=datetime.date(2020, 7, 25),
        kind="in_kind",
        value=Decimal(6_000_000),
        description="Kerja bakti warga RT 07 (60 HOK)",
        submit=True,
    )


@transaction.atomic
def load(say=print) -> int:
    """Create the demo allocations (once); returns how many were created."""
    created = 0
    services.funding_sources_ensure()
    apbd = FundingSource.objects.get(code="apbd-kabkota")
    bpm = FundingSource.objects.get(code="bpm-reguler")
    for termin, percentage in BPM_PLAN_2022.items():
        if not TranchePlan.objects.filter(source=bpm, fiscal_year=2022, termin=termin).exists():
            services.tranche_plan_save(
                plan=TranchePlan(source=bpm, fiscal_year=2022, termin=termin, percentage=percentage)
            )

    perkim = _user("perkim.madiun")
    district, new = _allocation(
        "188/145/KPTS/402.013/2020",
        user=perkim,
        fiscal_year=2020,
        source=apbd,
        amount=Decimal(420_000_000),
        decree_date=datetime.date(2020, 3, 2),
        kabupaten=Region.objects.get(pk=KAB_MADIUN),
        note="APBD Kabupaten Madiun untuk kegiatan KOTAKU 2020.",
    )
    created += new
    lkm = Bkm.objects.filter(kelurahan_id=KLAGENSERUT).first()
    if lkm is None:
        say("Demo budgets: no LKM in Klagenserut (load the programs demo first); skipped.")
    else:
        part, new = _allocation(
            "188/146/KPTS/402.013/2020",
            user=perkim,
            fiscal_year=2020,
            source=apbd,
            amount=Decimal(80_000_000),
            decree_date=datetime.date(2020, 3, 2),
            bkm=lkm,
            part_of=district,
        )
        created += new
        if new:
            services.disbursement_create(
                allocation=part,
                user=perkim,
                termin=1,
                date=datetime.date(2020, 7, 1),
                amount=Decimal(40_000_000),
            )
            _spending_on_the_paving_road(part, say)

    staff = _user("perkim.bondowoso")
    for number, code in enumerate(BONDOWOSO_KELURAHAN, start=1):
        bkm = Bkm.objects.filter(kelurahan_id=code).first()
        if bkm is None:
            say(f"Demo budgets: no BKM in {code} (load the programs demo first); skipped.")
            continue
        allocation, new = _allocation(
            f"050/{number:02d}/BPM/2022/{code}",
            user=staff,
            fiscal_year=2022,
            source=bpm,
            amount=Decimal(750_000_000),
            decree_date=datetime.date(2022, 4, 11),
            bkm=bkm,
        )
        created += new
        if new and number <= 2:
            services.disbursement_create(
                allocation=allocation,
                user=staff,
                termin=1,
                date=datetime.date(2022, 6, 6),
                amount=Decimal(300_000_000),
            )
    say(f"Demo budgets: {created} allocations created")
    return created
