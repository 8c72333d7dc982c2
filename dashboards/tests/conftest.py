"""A small dataset whose dashboard figures are worked out by hand in the tests.

Kabupaten Madiun, Kecamatan Jiwan:
- Klagenserut: "Jalan A" 2020, under construction, approved report 40% (and a submitted
  report of 90%, pending), with a point; "Jalan E" 2021, planned, no point.
- Bukur: "Jalan B" 2020, completed, approved report 100%, with a point.
- Sambirejo (outside the facilitator's places): "Jalan C" 2020, planned, with a point.
Kabupaten Pacitan, Tanjungsari: "Jalan D" 2021, under construction, approved 50%, point.

Money (2020, APBD kabupaten/kota): Rp 80.000.000 to the LKM of Klagenserut, Rp 50.000.000
disbursed, Rp 20.000.000 spent on Jalan A (approved) and Rp 5.000.000 pending; swadaya
Rp 3.000.000 approved on Jalan A and Rp 1.000.000 submitted.
Slum areas (no survey yet: baseline = current = SK area): upgrading over Klagenserut
(10 ha), prevention over Bukur (5 ha), upgrading over Sambirejo (7 ha).
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.utils import translation

from budgets import services as budget_services
from budgets.tests.factories import allocation, disburse, spend
from conftest import BUKUR, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku.tests.test_browser import browser  # noqa: F401 — the shared Chromium fixture
from kotaku.workflow import ReviewStatus
from slums.choices import LocationKind
from slums.tests.factories import SlumAreaFactory
from works.tests.factories import ReportFactory, WorkFactory

KLAGENSERUT_POINT = (Decimal("-7.619900"), Decimal("111.560300"))
BUKUR_POINT = (Decimal("-7.612000"), Decimal("111.571000"))
SAMBIREJO_POINT = (Decimal("-7.630000"), Decimal("111.550000"))
TANJUNGSARI_POINT = (Decimal("-8.190000"), Decimal("111.100000"))


@pytest.fixture(autouse=True)
def in_english(client):
    """Tests read the page in English (the msgids); the app itself opens in Indonesian."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _work(name, kelurahan, year, status, point=None):
    lat, lon = point or (None, None)
    return WorkFactory(
        name=name,
        kelurahan_id=kelurahan,
        fiscal_year=year,
        status=status,
        latitude=lat,
        longitude=lon,
    )


@pytest.fixture
def dataset(regions):
    works = {
        "A": _work("Jalan A", KLAGENSERUT, 2020, "construction", KLAGENSERUT_POINT),
        "B": _work("Jalan B", BUKUR, 2020, "completed", BUKUR_POINT),
        "C": _work("Jalan C", SAMBIREJO, 2020, "planned", SAMBIREJO_POINT),
        "D": _work("Jalan D", TANJUNGSARI, 2021, "construction", TANJUNGSARI_POINT),
        "E": _work("Jalan E", KLAGENSERUT, 2021, "planned"),
    }
    ReportFactory(
        work=works["A"], physical_progress=Decimal(40), report_date=datetime.date(2020, 7, 1)
    )
    ReportFactory(
        work=works["A"],
        physical_progress=Decimal(90),
        report_date=datetime.date(2020, 8, 1),
        status=ReviewStatus.SUBMITTED,
    )
    ReportFactory(
        work=works["B"],
        physical_progress=Decimal(100),
        report_date=datetime.date(2020, 8, 15),
        labour_days=Decimal(100),
        wage_value=Decimal(10_000_000),
        workers_men=5,
        workers_women=3,
    )
    ReportFactory(
        work=works["D"], physical_progress=Decimal(50), report_date=datetime.date(2021, 7, 1)
    )
    money = allocation(amount=80_000_000)
    disburse(money, 50_000_000)
    spend(money, works["A"], 20_000_000)
    spend(money, works["A"], 5_000_000, status=ReviewStatus.SUBMITTED)
    for value, status in [(3_000_000, ReviewStatus.APPROVED), (1_000_000, ReviewStatus.SUBMITTED)]:
        entry = budget_services.swadaya_create(
            work=works["A"],
            user=None,
            date=datetime.date(2020, 7, 10),
            kind="in_kind",
            value=Decimal(value),
            description="Tenaga kerja warga",
        )
        type(entry).objects.filter(pk=entry.pk).update(status=status)
    SlumAreaFactory(kelurahan=[KLAGENSERUT], area_ha=Decimal("10.00"))
    SlumAreaFactory(
        kelurahan=[BUKUR], area_ha=Decimal("5.00"), location_kind=LocationKind.PREVENTION
    )
    SlumAreaFactory(kelurahan=[SAMBIREJO], area_ha=Decimal("7.00"))
    return works
