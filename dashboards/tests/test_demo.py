"""The public sums of the demo data, as the dashboard shows them."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(regions):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def allocated(page: str) -> str:
    match = re.search(r'data-figure="allocated"><a [^>]+>([^<]+)</a>', page)
    return match.group(1)


def test_kabupaten_madiun_2020_and_klagenserut(client_for, demo):
    client = client_for(User.objects.get(username="perkim.madiun"))
    madiun = client.get(reverse("dashboards:region", args=["35.19"]), {"fiscal_year": 2020})
    assert allocated(madiun.content.decode()) == "Rp 420.000.000"
    desa = client.get(reverse("dashboards:region", args=["35.19.09.2010"]), {"fiscal_year": 2020})
    assert allocated(desa.content.decode()) == "Rp 80.000.000"


def test_kecamatan_bondowoso_2022_is_five_times_750_juta(client_for, demo, national_officer):
    page = (
        client_for(national_officer)
        .get(reverse("dashboards:region", args=["35.11.11"]), {"fiscal_year": 2022})
        .content.decode()
    )
    assert allocated(page) == "Rp 3.750.000.000"
    rows = re.findall(r'<tr data-code="[\d.]+">(.*?)</tr>', page, re.S)
    with_money = [row for row in rows if "Rp 750.000.000" in row]
    assert len(with_money) == 5
