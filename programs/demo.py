"""Demo institutions, plans and an event, from public KOTAKU reports (DOMAIN.md).

Idempotent: rows are looked up by their natural keys and created once, through the
services, so a second run changes nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from accounts.models import User
from locations.models import Region

from . import services
from .choices import (
    EventKind,
    EventLevel,
    FundingSource,
    GroupKind,
    IndependenceStatus,
    MemberRole,
    Position,
    Sex,
    VolumeUnit,
)
from .models import Bkm, BkmStatus, CommunityGroup, Event, FacilitatorProfile, RkmProposal

KLAGENSERUT = "35.19.09.2010"
BONDOWOSO_KELURAHAN = {
    "35.11.11.1007": "BKM Dabasah Sejahtera",
    "35.11.11.1009": "BKM Kotakulon Mandiri",
    "35.11.11.1004": "BKM Nangkaan Maju",
    "35.11.11.2002": "LKM Sukowiryo Berdaya",
    "35.11.11.2001": "LKM Pancoran Bersatu",
    "35.01.04.2014": "LKM Tanjungsari Makmur",
}
KSM_MEMBERS = [
    ("Suparno", Sex.MALE, MemberRole.CHAIR, False),
    ("Siti Aminah", Sex.FEMALE, MemberRole.SECRETARY, True),
    ("Joko Santoso", Sex.MALE, MemberRole.TREASURER, False),
    ("Sri Wahyuni", Sex.FEMALE, MemberRole.MEMBER, True),
    ("Bambang Riyadi", Sex.MALE, MemberRole.MEMBER, False),
]


def _bkm(code, name, **extra):
    existing = Bkm.objects.filter(kelurahan_id=code).first()
    if existing:
        return existing
    return services.bkm_create(kelurahan=Region.objects.get(pk=code), name=name, **extra)


def _group(bkm, kind, name, formed_on, purpose):
    existing = CommunityGroup.objects.filter(kelurahan=bkm.kelurahan, kind=kind, name=name).first()
    if existing:
        return existing
    return services.group_create(
        kelurahan=bkm.kelurahan, kind=kind, name=name, formed_on=formed_on, purpose=purpose
    )


@transaction.atomic
def load() -> dict:
    lkm = _bkm(
        KLAGENSERUT,
        "LKM Bangkit Bersama",
        coordinator="Sugeng Riyanto",
        address="Jl. Raya Jiwan, Klagenserut, Kecamatan Jiwan, Kabupaten Madiun",
        formed_on=datetime.date(2016, 3, 1),
        deed_number="12",
        deed_date=datetime.date(2016, 4, 11),
        bank_name="Bank Jatim",
    )
    for code, name in BONDOWOSO_KELURAHAN.items():
        _bkm(code, name)
    if not BkmStatus.objects.filter(bkm=lkm, year=2020).exists():
        services.bkm_status_add(bkm=lkm, year=2020, status=IndependenceStatus.BERDAYA)

    ksm = _group(
        lkm,
        GroupKind.KSM,
        "KSM Rukun Makmur",
        datetime.date(2020, 6, 15),
        "Membangun jalan paving RT 07 (swakelola).",
    )
    if not ksm.members.exists():
        for number, (name, sex, role, poor) in enumerate(KSM_MEMBERS, start=1):
            services.member_add(
                parent=ksm,
                name=name,
                sex=sex,
                role=role,
                poor_household=poor,
                phone=f"08123450{number:04d}",
                nik="",
            )
    _group(
        lkm,
        GroupKind.KPP,
        "KPP Jalan Lestari",
        datetime.date(2020, 12, 1),
        "Memelihara jalan paving RT 07.",
    )

    if not RkmProposal.objects.filter(kelurahan_id=KLAGENSERUT, year=2020, priority=1).exists():
        services.rkm_proposal_create(
            kelurahan=lkm.kelurahan,
            rt=7,
            rw=2,
            year=2020,
            priority=1,
            aspect="jalan",
            work_type="Jalan paving, swakelola oleh KSM Rukun Makmur",
            volume=Decimal(140),
            unit=VolumeUnit.METRE,
            estimated_cost=Decimal(80_000_000),
            funding_source=FundingSource.APBD_DISTRICT,
            description="Rp 80 juta from the APBD of Kabupaten Madiun to LKM Bangkit Bersama.",
        )

    facilitator = User.objects.filter(username="fasilitator.jiwan").first()
    if facilitator and not FacilitatorProfile.objects.filter(user=facilitator).exists():
        profile = FacilitatorProfile(
            user=facilitator,
            position=Position.FACILITATOR,
            phone="081234567890",
            period_start=datetime.date(2020, 1, 1),
        )
        profile.full_clean()
        profile.save()

    if not Event.objects.filter(title="Sosialisasi KOTAKU Kecamatan Jiwan").exists():
        services.event_create(
            title="Sosialisasi KOTAKU Kecamatan Jiwan",
            kind=EventKind.SOSIALISASI,
            level=EventLevel.KELURAHAN,
            start_date=datetime.date(2020, 2, 18),
            end_date=datetime.date(2020, 2, 18),
            place="Balai Desa Klagenserut",
            organiser="Dinas Perkim Kabupaten Madiun",
            regions=[lkm.kelurahan],
            men=24,
            women=17,
            bkm_participants=9,
            ksm_participants=12,
            facilitator_participants=3,
            government_participants=6,
        )
    return {"bkm": Bkm.objects.count(), "groups": CommunityGroup.objects.count()}
