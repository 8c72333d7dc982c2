from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from budgets.models import Allocation, Disbursement

pytestmark = pytest.mark.django_db


def test_demo_carries_the_public_sums_and_loads_once(regions):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    madiun = Allocation.objects.get(kabupaten_id="35.19", fiscal_year=2020)
    assert madiun.amount == Decimal(420_000_000)
    assert madiun.source.name == "APBD kabupaten/kota"
    part = Allocation.objects.get(bkm__kelurahan_id="35.19.09.2010", fiscal_year=2020)
    assert (part.amount, part.part_of) == (Decimal(80_000_000), madiun)
    bondowoso = Allocation.objects.filter(region__code__startswith="35.11.11.", fiscal_year=2022)
    assert bondowoso.count() == 5
    assert set(bondowoso.values_list("amount", flat=True)) == {Decimal(750_000_000)}
    counts = (Allocation.objects.count(), Disbursement.objects.count())
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Allocation.objects.count(), Disbursement.objects.count()) == counts
    assert Disbursement.objects.aggregate(total=Sum("amount"))["total"] == Decimal(640_000_000)


def test_demo_skips_missing_bkms_with_a_note(regions):
    from budgets import demo

    said = []
    demo.load(say=said.append)
    assert any("Klagenserut" in line for line in said)
    assert sum("skipped" in line for line in said) == 6
    assert Allocation.objects.count() == 1  # the district allocation alone
