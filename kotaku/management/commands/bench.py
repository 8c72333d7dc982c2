"""Benchmarks that print figures (not timed tests).

    python manage.py bench                 # every measurement
    python manage.py bench import_regions  # one of them

Each measurement runs in a scratch copy of the configured database (Django's test
database, created and destroyed here), so the real data is never touched.
"""

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from locations.models import Region
from locations.services import regions_import


def _timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def bench_import_regions(write, repeat: int):
    """The national region list: a fresh import, then a re-import with no changes."""
    path = Path(settings.KOTAKU_SHARED_DIR) / "data" / "wilayah" / "wilayah.csv"
    if not path.is_file():
        raise CommandError(f"The national region list is missing at {path}")
    raw = path.read_bytes()
    vendor = connection.vendor
    fresh, again = [], []
    for _ in range(repeat):
        with connection.cursor() as cursor:  # the scratch database: start empty
            cursor.execute(f"DELETE FROM {Region._meta.db_table}")  # noqa: S608 (no user input)
        seconds, report = _timed(lambda: regions_import(raw=raw))
        fresh.append(seconds)
        seconds, again_report = _timed(lambda: regions_import(raw=raw))
        again.append(seconds)
    target = 20 if vendor == "postgresql" else 30
    write(
        f"import_regions fresh    [{vendor}] rows={report.rows} created={report.created} "
        f"median={statistics.median(fresh):.2f}s max={max(fresh):.2f}s (target ≤ {target} s)"
    )
    write(
        f"import_regions re-import [{vendor}] rows={again_report.rows} "
        f"unchanged={again_report.unchanged} median={statistics.median(again):.2f}s "
        f"max={max(again):.2f}s (target ≤ 10 s)"
    )


BENCHMARKS = {"import_regions": bench_import_regions}


class Command(BaseCommand):
    help = "Run the benchmarks and print their figures."

    def add_arguments(self, parser):
        parser.add_argument("names", nargs="*", help=f"any of: {', '.join(BENCHMARKS)}")
        parser.add_argument("--repeat", type=int, default=3)

    def handle(self, *args, names, repeat, **options):
        unknown = set(names) - set(BENCHMARKS)
        if unknown:
            raise CommandError(f"Unknown benchmark(s): {', '.join(sorted(unknown))}")
        creation = connection.creation
        old_name = connection.settings_dict["NAME"]
        creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
        try:
            for name in names or BENCHMARKS:
                BENCHMARKS[name](self.stdout.write, repeat)
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
