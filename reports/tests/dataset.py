"""A small dataset in Kabupaten Madiun whose monthly report for August 2020 is worked
out by hand (the figures are in the docstring of `august_2020`)."""

import datetime
from decimal import Decimal

from budgets.models import Spending, SwadayaContribution
from budgets.services import swadaya_create
from budgets.tests.factories import allocation, disburse, source, spend
from conftest import BUKUR, KAB_MADIUN, SAMBIREJO, TANJUNGSARI
from kotaku.workflow import ReviewStatus
from slums.choices import LocationKind, SurveyKind
from slums.tests.factories import HEADER, SlumAreaFactory, make_survey
from works.choices import WorkStatus
from works.models import ReportPhoto, WorkStatusChange
from works.tests.factories import GroupFactory, ReportFactory, WorkFactory, photo_file

D = datetime.date
# Every indicator of buildings and households at 100%: kumuh sedang (see slums tests).
HEAVY = dict.fromkeys(["1a", "1c", "7a", "7b"], 200) | dict.fromkeys(
    ["3a", "3b", "5a", "5b", "6a", "6b"], 300
)
LIGHTER = {"3a": 30}


def step(work, to_status, date, from_status=WorkStatus.PLANNED):
    WorkStatusChange.objects.create(
        work=work, from_status=from_status, to_status=to_status, date=date
    )


def _status(entry, status, date=None):
    fields = {"status": status, **({"date": date} if date else {})}
    type(entry).objects.filter(pk=entry.pk).update(**fields)


def august_2020():
    """Works (Klagenserut unless told; every budget Rp 80.000.000):

    road: under construction since 2020-07-01; approved 30% on 07-10 (HOK 60, wages 6M,
        8 men/4 women, spent 20M), approved 70% on 08-15 (HOK 40, wages 4M, 10 men/2 women,
        spent 50M, served 100/50/25/8/20), submitted 80% on 08-25 (pending), approved 90%
        on 09-05 (after the month: HOK 30, not counted).
    drain: under construction 06-01, completed 08-20; approved 100% on 08-20 (HOK 20,
        wages 2M, 5 men/1 woman, spent 75M, served 130/70/32/12/30) with a 100% photo.
    old (Bukur, fiscal 2019): under construction since 2019-05-01, no report (stale).
    future (Bukur): under construction from 09-10, so still planned at month end.
    done2019 (Bukur, fiscal 2019, completed in 2019): not in the report.
    sambirejo (Sambirejo, no recorded steps, under construction): approved 20% on 08-05
        (HOK 7, wages 700.000, 3 men).
    far (Tanjungsari, Pacitan): another kabupaten.

    August for the district: 5 works (planned 1, under construction 3, completed 1),
    completed this month 1; HOK 127 (67 this month); wages Rp 12.700.000; workers 18 men
    and 5 women; served 230 people; average progress (70 + 100 + 0 + 0 + 20) / 5 = 38.0;
    budget Rp 400.000.000; 1 report pending; 1 stale work.

    Money, fiscal 2020, APBD kabupaten/kota Rp 420.000.000 to the district with
    Rp 80.000.000 passed on to Klagenserut (disbursed 40M 07-01, 20M 08-10, 10M 09-02;
    approved spending 15M 07-01 and 10M 08-12, 5M pending 08-20, 7M approved 09-03) and
    BPM reguler Rp 100.000.000 to Bukur (04-01); BPM Rp 50.000.000 to Sambirejo decreed
    09-15 is after the month. APBD: allocated 420M, disbursed 60M (20M this month),
    spent 25M (10M this month), pending 5M. Total allocated 520M. Swadaya on road:
    approved 3M (07-10) and 2M (08-11), 1M pending.

    Slum areas: A (Klagenserut, 12 ha, upgrading) baseline 2019 slum 12 ha, update 2020
    slum 8 ha, final 2021 not slum (after); B (Bukur, 5 ha, prevention) baseline 2019 slum
    5 ha, the 2020 update waiting; C (Sambirejo, 7 ha, upgrading) no approved survey; D
    (Sambirejo) decreed in October. August: 3 areas, baseline 24, now 20, reduced 4 ha;
    2 sedang, 1 not surveyed; kelurahan 2 upgrading, 1 prevention.

    Groups: a KSM per work (6 in the district), a KPP formed 08-25, a KSM dissolved 07-15
    and one formed 09-10 (neither counted); BKM in Klagenserut, Bukur and Sambirejo.
    """
    works = {}
    works["road"] = road = WorkFactory(name="road", status_date=D(2020, 7, 1))
    step(road, WorkStatus.UNDER_CONSTRUCTION, D(2020, 7, 1))
    ReportFactory(work=road, report_date=D(2020, 7, 10), physical_progress=30)
    ReportFactory(
        work=road,
        report_date=D(2020, 8, 15),
        physical_progress=70,
        spent_to_date=Decimal(50_000_000),
        labour_days=Decimal(40),
        wage_value=Decimal(4_000_000),
        workers_men=10,
        workers_women=2,
        served_people=100,
        served_women=50,
        served_households=25,
        served_poor_households=8,
        served_mbr=20,
    )
    ReportFactory(work=road, report_date=D(2020, 8, 25), physical_progress=80, status="submitted")
    ReportFactory(work=road, report_date=D(2020, 9, 5), physical_progress=90, labour_days=30)

    works["drain"] = drain = WorkFactory(
        name="drain", status=WorkStatus.COMPLETED, status_date=D(2020, 8, 20)
    )
    step(drain, WorkStatus.UNDER_CONSTRUCTION, D(2020, 6, 1))
    step(drain, WorkStatus.COMPLETED, D(2020, 8, 20), WorkStatus.UNDER_CONSTRUCTION)
    final = ReportFactory(
        work=drain,
        report_date=D(2020, 8, 20),
        physical_progress=100,
        spent_to_date=Decimal(75_000_000),
        labour_days=Decimal(20),
        wage_value=Decimal(2_000_000),
        workers_men=5,
        workers_women=1,
        served_people=130,
        served_women=70,
        served_households=32,
        served_poor_households=12,
        served_mbr=30,
    )
    ReportPhoto.objects.create(
        report=final, stage="100", image=photo_file(), display=photo_file("tampil.png")
    )

    works["old"] = old = WorkFactory(name="old", kelurahan_id=BUKUR, fiscal_year=2019)
    step(old, WorkStatus.UNDER_CONSTRUCTION, D(2019, 5, 1))
    works["future"] = future = WorkFactory(
        name="future", kelurahan_id=BUKUR, status_date=D(2020, 9, 10)
    )
    step(future, WorkStatus.UNDER_CONSTRUCTION, D(2020, 9, 10))
    works["done2019"] = done = WorkFactory(
        name="done2019", kelurahan_id=BUKUR, fiscal_year=2019, status=WorkStatus.COMPLETED
    )
    step(done, WorkStatus.COMPLETED, D(2019, 12, 1), WorkStatus.UNDER_CONSTRUCTION)
    works["sambirejo"] = sambirejo = WorkFactory(name="sambirejo", kelurahan_id=SAMBIREJO)
    ReportFactory(
        work=sambirejo,
        report_date=D(2020, 8, 5),
        physical_progress=20,
        labour_days=Decimal(7),
        wage_value=Decimal(700_000),
        workers_men=3,
        workers_women=0,
    )
    works["far"] = far = WorkFactory(name="far", kelurahan_id=TANJUNGSARI)
    ReportFactory(work=far, report_date=D(2020, 8, 5), labour_days=Decimal(500))

    GroupFactory(kind="kpp", name="KPP Lestari", formed_on=D(2020, 8, 25))
    GroupFactory(name="Bubar", formed_on=D(2020, 2, 1), status="dissolved",
                 dissolved_on=D(2020, 7, 15))  # fmt: skip
    GroupFactory(name="Baru", formed_on=D(2020, 9, 10))

    _money(works)
    _slums()
    return works


def _money(works):
    apbd = source("apbd-kabkota")
    district = allocation(amount=420_000_000, kabupaten=KAB_MADIUN, decree_number="188/1")
    part = allocation(amount=80_000_000, part_of=district, decree_number="188/2")
    disburse(part, 40_000_000, date=D(2020, 7, 1))
    disburse(part, 20_000_000, termin=2, date=D(2020, 8, 10))
    disburse(part, 10_000_000, termin=3, date=D(2020, 9, 2))
    spend(part, works["road"], 15_000_000)
    _status(spend(part, works["drain"], 10_000_000), ReviewStatus.APPROVED, D(2020, 8, 12))
    _status(spend(part, works["road"], 5_000_000), ReviewStatus.SUBMITTED, D(2020, 8, 20))
    _status(spend(part, works["road"], 7_000_000), ReviewStatus.APPROVED, D(2020, 9, 3))
    bpm = source("bpm-reguler")
    allocation(amount=100_000_000, kelurahan=BUKUR, source=bpm, decree_number="050/1",
               decree_date=D(2020, 4, 1))  # fmt: skip
    allocation(amount=50_000_000, kelurahan=SAMBIREJO, source=bpm, decree_number="050/2",
               decree_date=D(2020, 9, 15))  # fmt: skip
    allocation(amount=999_000_000, kabupaten=KAB_MADIUN, fiscal_year=2019, source=apbd,
               decree_number="188/2019", decree_date=D(2019, 3, 1))  # fmt: skip
    for day, value, status in [
        (D(2020, 7, 10), 3_000_000, ReviewStatus.APPROVED),
        (D(2020, 8, 11), 2_000_000, ReviewStatus.APPROVED),
        (D(2020, 8, 12), 1_000_000, ReviewStatus.SUBMITTED),
    ]:
        entry = swadaya_create(
            work=works["road"], user=None, date=day, kind="cash", value=Decimal(value),
            description="Iuran warga",
        )  # fmt: skip
        _status(entry, status)
    assert Spending.objects.count() == 4 and SwadayaContribution.objects.count() == 3


def _slums():
    def header(ha):
        return {**HEADER, "area_ha": Decimal(ha)}

    a = SlumAreaFactory(name="A", area_ha=Decimal(12))
    b = SlumAreaFactory(name="B", area_ha=Decimal(5), kelurahan=[BUKUR],
                        location_kind=LocationKind.PREVENTION)  # fmt: skip
    SlumAreaFactory(name="C", area_ha=Decimal(7), kelurahan=[SAMBIREJO])
    SlumAreaFactory(name="D", area_ha=Decimal(3), kelurahan=[SAMBIREJO], sk_date=D(2020, 10, 1))
    make_survey(area=a, year=2019, header=header(12), volumes=HEAVY, status="approved")
    make_survey(area=a, year=2020, kind=SurveyKind.UPDATE, header=header(8),
                volumes=HEAVY | {"1a": 100}, status="approved")  # fmt: skip
    make_survey(area=a, year=2021, kind=SurveyKind.FINAL, header=header(8), volumes=LIGHTER,
                status="approved")  # fmt: skip
    make_survey(area=b, year=2019, header=header(5), volumes=HEAVY, status="approved")
    make_survey(area=b, year=2020, kind=SurveyKind.UPDATE, header=header(5), volumes=LIGHTER,
                status="submitted")  # fmt: skip
