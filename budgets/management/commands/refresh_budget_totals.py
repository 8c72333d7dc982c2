"""Rebuild the derived money totals (budgets.rollups) from the money records."""

import time

from django.core.management.base import BaseCommand

from budgets import services


class Command(BaseCommand):
    help = "Recompute the stored money totals per region and per month from the records."

    def handle(self, *args, **options):
        started = time.perf_counter()
        services.budget_totals_rebuild()
        self.stdout.write(f"Budget totals rebuilt in {time.perf_counter() - started:.1f} s.")
