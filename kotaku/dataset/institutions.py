"""Community institutions and plans: a BKM/LKM per kelurahan/desa with its yearly
independence status and board, its KSM, KPP and Panitia with members (valid NIK and phone
numbers), the kelurahan's RPLP, and the district's RP2KPKP with its commitments."""

import datetime
from decimal import Decimal

from programs.choices import (
    DocumentStatus,
    FundingSource,
    GroupKind,
    GroupStatus,
    IndependenceStatus,
    MemberRole,
)
from programs.models import Bkm, BkmStatus, Commitment, CommunityGroup, Member, Rp2kpkp, Rplp

from . import names
from .base import FISCAL_YEARS, PLACES_PER_CHUNK, Stage, chunks, day_between, rng_for

STATUS_STEPS = list(IndependenceStatus.values)
PREFIXES = {GroupKind.KSM: "KSM", GroupKind.KPP: "KPP", GroupKind.PANITIA: "Panitia"}
BOARD = (MemberRole.CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER)


def _count(rng, mean: float) -> int:
    """A whole count around `mean` (at least 1)."""
    return max(1, int(mean) + (1 if rng.random() < mean - int(mean) else 0))


class _Members:
    def __init__(self, rng):
        self.rng, self.rows, self.sequence = rng, [], 0

    def add(self, *, place, count, bkm=None, group=None):
        rng = self.rng
        for index in range(count):
            sex = "L" if rng.random() < 0.62 else "P"
            self.sequence += 1
            self.rows.append(
                {
                    "bkm_id": bkm,
                    "group_id": group,
                    "kelurahan_id": place.code,
                    "name": names.person(rng, sex),
                    "sex": sex,
                    "role": BOARD[index] if index < len(BOARD) else MemberRole.MEMBER,
                    "poor_household": rng.random() < 0.35,
                    "phone": names.phone(rng) if rng.random() < 0.8 else "",
                    "nik": names.nik(rng, place.code, sex, self.sequence),
                }
            )


def create_institutions(ctx, out):
    rng = rng_for(ctx.seed, "institutions")
    writer = ctx.writer
    with Stage("institutions", out) as stage:
        bkm_id, group_id = writer.next_id(Bkm), writer.next_id(CommunityGroup)
        members = _Members(rng)
        for part in chunks(ctx.places, PLACES_PER_CHUNK):
            bkms, statuses, groups, plans = [], [], [], []
            members.rows = []
            for place in part:
                place.bkm = bkm_id
                formed = day_between(rng, datetime.date(2016, 1, 1), datetime.date(2019, 12, 31))
                bkms.append(
                    {
                        "id": bkm_id,
                        "kelurahan_id": place.code,
                        "name": f"{rng.choice(('BKM', 'LKM'))} {names.group_words(rng)}",
                        "coordinator": names.person(rng, "L" if rng.random() < 0.7 else "P"),
                        "address": f"{rng.choice(names.STREETS)} No. {rng.randint(1, 120)}, "
                        f"{place.name}",
                        "deed_number": f"{rng.randint(1, 99):02d}/{formed.year}",
                        "deed_date": formed + datetime.timedelta(days=rng.randint(7, 60)),
                        "bank_name": rng.choice(names.BANKS),
                        "account_number": "".join(str(rng.randrange(10)) for _ in range(12)),
                        "phone": names.phone(rng),
                        "formed_on": formed,
                    }
                )
                step = rng.randint(0, 1)
                for year in FISCAL_YEARS:
                    statuses.append(
                        {"bkm_id": bkm_id, "year": year, "status": STATUS_STEPS[step], "note": ""}
                    )
                    if rng.random() < 0.35:
                        step = min(step + 1, len(STATUS_STEPS) - 1)
                members.add(place=place, count=rng.randint(5, 9), bkm=bkm_id)
                counts = (
                    (GroupKind.KSM, _count(rng, ctx.scale.ksm_per_kelurahan), (7, 12)),
                    (GroupKind.PANITIA, 1 if rng.random() < 0.3 else 0, (5, 7)),
                    (GroupKind.KPP, _count(rng, ctx.scale.kpp_per_kelurahan), (5, 8)),
                )
                for kind, count, size in counts:
                    used = set()
                    for _number in range(count):
                        name = f"{PREFIXES[kind]} {names.group_words(rng)}"
                        while name in used:
                            name = f"{name} {len(used) + 1}"
                        used.add(name)
                        groups.append(
                            {
                                "id": group_id,
                                "kind": kind,
                                "bkm_id": bkm_id,
                                "kelurahan_id": place.code,
                                "name": name,
                                "formed_on": day_between(
                                    rng, datetime.date(2020, 1, 6), datetime.date(2021, 1, 29)
                                ),
                                "purpose": "",
                                "status": GroupStatus.ACTIVE,
                                "dissolved_on": None,
                            }
                        )
                        members.add(place=place, count=rng.randint(*size), group=group_id)
                        if kind == GroupKind.KPP:
                            place.kpp.append(group_id)
                        elif kind == GroupKind.PANITIA:
                            place.panitia.append(group_id)
                        else:
                            place.builders.append(group_id)
                        group_id += 1
                plans.append(
                    {
                        "kelurahan_id": place.code,
                        "title": f"RPLP {place.name}",
                        "document_status": DocumentStatus.APPROVED,
                        "legal_basis": f"SK Lurah/Kepala Desa No. {rng.randint(10, 99)}/2020",
                        "approved_on": day_between(
                            rng, datetime.date(2020, 6, 1), datetime.date(2020, 12, 18)
                        ),
                        "document": "",
                    }
                )
                bkm_id += 1
            stage.add("BKM", writer.insert(Bkm, bkms))
            stage.add("BKM statuses", writer.insert(BkmStatus, statuses))
            stage.add("groups", writer.insert(CommunityGroup, groups))
            stage.add("members", writer.insert(Member, members.rows))
            stage.add("RPLP", writer.insert(Rplp, plans))
        stage.add("RP2KPKP and commitments", _district_plans(ctx, rng))


def _district_plans(ctx, rng) -> int:
    writer = ctx.writer
    plan_id = writer.next_id(Rp2kpkp)
    plans, commitments = [], []
    for kab in ctx.kabupaten:
        plans.append(
            {
                "id": plan_id,
                "kabupaten_id": kab,
                "title": f"RP2KPKP {ctx.region_names[kab]}",
                "start_year": FISCAL_YEARS[0],
                "end_year": FISCAL_YEARS[-1],
                "document": "",
            }
        )
        for year in FISCAL_YEARS:
            for source, low, high in (
                (FundingSource.BPM_REGULAR, 2_000, 9_000),
                (FundingSource.APBD_DISTRICT, 300, 2_500),
            ):
                commitments.append(
                    {
                        "plan_id": plan_id,
                        "year": year,
                        "funding_source": source,
                        "amount": Decimal(rng.randint(low, high) * 1_000_000),
                    }
                )
        plan_id += 1
    return writer.insert(Rp2kpkp, plans) + writer.insert(Commitment, commitments)
