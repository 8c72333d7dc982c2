"""Recompute every work's summary and the regions' rollups from the works, reports and
photos: `python manage.py refresh_work_summaries`. The services keep them up to date;
this repairs them after data was changed by hand (raw SQL, a restore)."""

import time

from django.core.management.base import BaseCommand

from works.services import work_summary_rebuild


class Command(BaseCommand):
    help = "Recompute the works' summaries and the regions' rollups that the dashboards read."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = work_summary_rebuild(out=self.stdout.write)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Summaries of {count:,} works and their rollups rebuilt in {seconds:.1f} s."
        )
