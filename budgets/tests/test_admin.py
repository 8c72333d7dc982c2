"""The admin writes through the services and never deletes money records."""

from decimal import Decimal

import pytest
from django.urls import reverse

from budgets.models import Allocation, Disbursement
from kotaku.tests.versions import with_version

from .factories import allocation, disburse

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_for(client_for, national_officer):
    national_officer.is_staff = True
    national_officer.save()
    return client_for(national_officer)


@pytest.mark.parametrize(
    "model",
    [
        "fundingsource",
        "trancheplan",
        "allocation",
        "disbursement",
        "spending",
        "swadayacontribution",
        "overrunapproval",
    ],
)
def test_admin_lists_open(admin_client_for, regions, model):
    allocation()
    response = admin_client_for.get(reverse(f"admin:budgets_{model}_changelist"))
    assert response.status_code == 200


def test_admin_cannot_delete_money_records(admin_client_for, regions):
    target = allocation()
    entry = disburse(target, 1_000)
    assert (
        admin_client_for.get(
            reverse("admin:budgets_allocation_delete", args=[target.pk])
        ).status_code
        == 403
    )
    assert (
        admin_client_for.get(
            reverse("admin:budgets_disbursement_delete", args=[entry.pk])
        ).status_code
        == 403
    )


def test_admin_disbursement_goes_through_the_service(admin_client_for, regions):
    target = allocation(amount=80_000_000)
    add = reverse("admin:budgets_disbursement_add")
    data = {"allocation": target.pk, "termin": 1, "date": "2020-07-01", "amount": "80.000.001"}
    response = admin_client_for.post(add, data)
    assert response.status_code == 200
    assert "Rp 80.000.000" in response.content.decode()
    assert not Disbursement.objects.exists()
    data["amount"] = "80.000.000"
    response = admin_client_for.post(add, data)
    assert response.status_code == 302
    assert Disbursement.objects.get().created_by.username == "nasional"


def test_admin_allocation_change_keeps_the_amount_rule(admin_client_for, regions):
    target = allocation(amount=80_000_000)
    disburse(target, 50_000_000)
    change = reverse("admin:budgets_allocation_change", args=[target.pk])
    data = {
        "decree_number": "188/2/2020",
        "decree_date": "2020-03-02",
        "amount": "49.999.999",
        "note": "",
    }
    response = admin_client_for.post(change, with_version(target, data))
    assert response.status_code == 200
    assert Allocation.objects.get().amount == Decimal(80_000_000)
    data["amount"] = "60.000.000"
    assert admin_client_for.post(change, with_version(target, data)).status_code == 302
    assert Allocation.objects.get().amount == Decimal(60_000_000)


def test_admin_tranche_plan_keeps_the_100_percent_rule(admin_client_for, regions):
    from budgets.models import TranchePlan

    from .factories import source

    bpm = source("bpm-reguler")
    add = reverse("admin:budgets_trancheplan_add")
    data = {"source": bpm.pk, "fiscal_year": 2022, "termin": 1, "percentage": "60"}
    assert admin_client_for.post(add, data).status_code == 302
    data.update(termin=2, percentage="40.5")
    assert admin_client_for.post(add, data).status_code == 200
    data["percentage"] = "40"
    assert admin_client_for.post(add, data).status_code == 302
    assert TranchePlan.objects.count() == 2
