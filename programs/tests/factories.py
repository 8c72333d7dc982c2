import datetime
from decimal import Decimal

import factory

from conftest import KLAGENSERUT
from locations.models import Region
from programs import services
from programs.choices import GroupKind, MemberRole, Sex
from programs.models import Bkm


def region(code):
    return Region.objects.get(pk=code)


class BkmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bkm
        django_get_or_create = ["kelurahan"]

    kelurahan = factory.LazyFunction(lambda: region(KLAGENSERUT))
    name = factory.Sequence(lambda n: f"LKM Demo {n}")
    formed_on = datetime.date(2016, 3, 1)


def make_group(code=KLAGENSERUT, kind=GroupKind.KSM, name="KSM Rukun", **extra):
    BkmFactory(kelurahan=region(code))
    return services.group_create(
        kelurahan=region(code),
        kind=kind,
        name=name,
        formed_on=extra.pop("formed_on", datetime.date(2020, 6, 1)),
        **extra,
    )


def make_member(parent, name="Siti", sex=Sex.FEMALE, **extra):
    data = {"role": MemberRole.MEMBER, "poor_household": False, "phone": "", "nik": ""}
    data.update(extra)
    return services.member_add(parent=parent, name=name, sex=sex, **data)


def make_event(
    codes=(KLAGENSERUT,), title="Sosialisasi", start=datetime.date(2020, 2, 18), **extra
):
    data = {
        "kind": "sosialisasi",
        "level": "kelurahan",
        "start_date": start,
        "end_date": start,
        "place": "Balai desa",
        "organiser": "Dinas Perkim",
        "men": 10,
        "women": 5,
    }
    data.update(extra)
    return services.event_create(title=title, regions=[region(c) for c in codes], **data)


def make_proposal(code=KLAGENSERUT, priority=1, year=2020, **extra):
    data = {
        "aspect": "jalan",
        "work_type": "Paving road",
        "volume": Decimal(140),
        "unit": "m",
        "estimated_cost": Decimal(80_000_000),
        "funding_source": "apbd_kabkota",
    }
    data.update(extra)
    return services.rkm_proposal_create(
        kelurahan=region(code), rt=7, rw=2, year=year, priority=priority, **data
    )
