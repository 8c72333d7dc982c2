"""Demo work from public KOTAKU reports (DOMAIN.md): the paving road in RT 07 of
Klagenserut, 140 m, built in 2020 by swakelola with Rp 80 juta of APBD money, with one
progress report waiting for the city coordinator. Idempotent; needs the demo regions and
the programs demo (the KSM of Klagenserut), otherwise it says so and skips."""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from programs.models import CommunityGroup, RkmProposal

from . import services
from .choices import VolumeUnit, WorkMethod, WorkScale, WorkStatus
from .models import Work, WorkType

KLAGENSERUT = "35.19.09.2010"
DEMO_WORK = "Jalan paving RT 07 Klagenserut"
START = datetime.date(2020, 7, 1)


@transaction.atomic
def load(say=print) -> Work | None:
    """Create the demo work (once) and return it, or None when its KSM is missing."""
    existing = Work.objects.filter(kelurahan_id=KLAGENSERUT, name=DEMO_WORK).first()
    if existing:
        return existing
    ksm = CommunityGroup.objects.filter(kelurahan_id=KLAGENSERUT, kind="ksm").first()
    if ksm is None:
        say("Demo works skipped: no KSM in Klagenserut (load the programs demo first).")
        return None
    facilitator = User.objects.filter(username="fasilitator.jiwan").first()
    proposal = RkmProposal.objects.filter(
        kelurahan_id=KLAGENSERUT, year=2020, aspect="jalan"
    ).first()
    work = services.work_create(
        fiscal_year=2020,
        kelurahan_id=KLAGENSERUT,
        rt=7,
        rw=2,
        aspect="jalan",
        work_type=WorkType.objects.get_or_create(
            name="Jalan paving", defaults={"aspect": "jalan", "default_unit": VolumeUnit.METRE}
        )[0],
        name=DEMO_WORK,
        scale=WorkScale.LINGKUNGAN,
        volume=Decimal(140),
        unit=VolumeUnit.METRE,
        latitude=Decimal("-7.619900"),
        longitude=Decimal("111.560300"),
        builder=ksm,
        method=WorkMethod.SWAKELOLA,
        planned_start=START,
        planned_end=datetime.date(2020, 9, 30),
        budget=Decimal(80_000_000),
        proposal=proposal,
        planned_people=180,
        planned_women=92,
        planned_households=48,
        planned_poor_households=17,
        planned_mbr=35,
    )
    work = services.work_status_change(
        work=work, user=facilitator, to_status=WorkStatus.UNDER_CONSTRUCTION, date=START
    )
    services.progress_report_create(
        work=work,
        user=facilitator,
        submit=facilitator is not None,
        report_date=datetime.date(2020, 8, 3),
        physical_progress=Decimal(45),
        spent_to_date=Decimal(32_500_000),
        workers_men=9,
        workers_women=4,
        labour_days=Decimal(156),
        wage_value=Decimal(15_600_000),
        notes="Lapis pondasi selesai 70 m; paving block sudah dikirim.",
    )
    say(f"Demo work: {work.name}, with one submitted progress report")
    return work
