"""Recompute the stored slum results of every area (or of the areas given) from the
surveys, and the program counts of every region from the areas' kelurahan:
`python manage.py refresh_slum_results [--area ID …]`. The services keep them up to
date; this repairs them after data was changed by hand (raw SQL, a restore)."""

import time

from django.core.management.base import BaseCommand

from slums.services import program_rollup_refresh, slum_area_results_refresh


class Command(BaseCommand):
    help = "Recompute the stored results (hectares, level, 100-0-100) of the slum areas."

    def add_arguments(self, parser):
        parser.add_argument(
            "--area", type=int, action="append", dest="areas", help="only this area (repeatable)"
        )

    def handle(self, *args, areas=None, **options):
        started = time.perf_counter()
        count = slum_area_results_refresh(area_ids=areas)
        rows = program_rollup_refresh() if areas is None else None
        seconds = time.perf_counter() - started
        self.stdout.write(f"Results of {count:,} slum areas recomputed in {seconds:.1f} s.")
        if rows is not None:
            self.stdout.write(f"Program counts of {rows:,} regions recomputed.")
