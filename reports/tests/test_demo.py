"""The demo's public sums as the monthly report shows them (budgets/demo.py: Kabupaten
Madiun 2020, APBD Rp 420.000.000 decreed on 2 March, Rp 80.000.000 of it to the LKM of
Klagenserut, a first tranche of Rp 40.000.000 on 1 July, Rp 32.500.000 spent on 20 July)."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from conftest import KAB_MADIUN
from locations.models import Region
from reports import selectors

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(regions):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_madiun_report_of_2020_carries_the_demo_sums(demo, client):
    perkim = User.objects.get(username="perkim.madiun")
    report = selectors.monthly_report(perkim, Region.objects.get(code=KAB_MADIUN), 2020, 8)
    assert report.money_total.allocated == 420_000_000
    recipients = {row.name: row for row in report.recipients}
    assert recipients["Klagenserut"].allocated == 80_000_000
    assert recipients["Kabupaten Madiun"].allocated == 340_000_000
    assert (report.money_total.disbursed, report.money_total.spent) == (40_000_000, 32_500_000)
    assert report.swadaya["pending"] == 6_000_000  # the residents' labour, not yet reviewed
    assert report.works_total["pending"] == 1  # the paving road's report waits for review

    client.force_login(perkim)
    html = client.get(reverse("reports:monthly", args=[KAB_MADIUN, 2020, 8])).content.decode()
    assert "Rp 420.000.000" in html
    assert "Rp 80.000.000" in html
    assert "Jalan paving RT 07 Klagenserut" in html


def test_before_the_decree_there_is_no_money_yet(demo):
    perkim = User.objects.get(username="perkim.madiun")
    report = selectors.monthly_report(perkim, Region.objects.get(code=KAB_MADIUN), 2020, 2)
    assert report.money == [] and report.money_total.allocated == 0


def test_facilitator_of_jiwan_sees_klagenserut_s_share(demo):
    facilitator = User.objects.get(username="fasilitator.jiwan")
    report = selectors.monthly_report(facilitator, Region.objects.get(code=KAB_MADIUN), 2020, 7)
    assert report.partial is True
    assert report.money_total.allocated == 80_000_000
    assert [row.name for row in report.recipients] == ["Klagenserut"]
