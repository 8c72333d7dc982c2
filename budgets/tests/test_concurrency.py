"""Two people disbursing at the same moment cannot together pass the limit: the
allocation row is locked, so the second waits for the first and then sees its tranche.
Needs real concurrent transactions: runs on PostgreSQL (CI's PostgreSQL pass)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections

from budgets import services
from budgets.models import Disbursement

from .factories import DAY, WorkFactory, allocation, disburse

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgresql_only]


def run_together(count, action):
    """Run `action(i)` in `count` threads that start at the same moment, each on its
    own database connection; returns what each returned or raised."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait()
            results[index] = action(index)
        except Exception as error:  # noqa: BLE001 — the outcome is what we test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_disbursements_at_once_cannot_pass_the_allocation(regions):
    target = allocation(amount=80_000_000)
    results = run_together(
        2,
        lambda i: services.disbursement_create(
            allocation=target, user=None, termin=i + 1, date=DAY, amount=Decimal(50_000_000)
        ),
    )
    passed = [r for r in results if isinstance(r, Disbursement)]
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(passed) == 1 and len(refused) == 1, results
    assert "Rp 30.000.000" in " ".join(refused[0].messages)
    assert services.disbursed_total(target) == 50_000_000


def test_four_spendings_at_once_cannot_pass_what_was_disbursed(facilitator):
    target = allocation(amount=80_000_000)
    disburse(target, 40_000_000)
    work = WorkFactory(budget=Decimal(80_000_000))

    def submit(_index):
        return services.spending_create(
            allocation=target,
            work=work,
            user=facilitator,
            date=DAY,
            amount=Decimal(15_000_000),
            category="materials",
            submit=True,
        )

    results = run_together(4, submit)
    assert sum(not isinstance(r, Exception) for r in results) == 2, results
    assert services.committed_spending(target) == 30_000_000
