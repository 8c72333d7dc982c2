"""The national region import, timed in a scratch database (fresh, then again)."""

import statistics
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from locations.models import Region
from locations.services import regions_import

from .measure import Measurement


class MissingRegionFile(Exception):
    pass


def _timed(function):
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def measure_region_import(repeat: int) -> list[Measurement]:
    """Import the national list into the (empty, scratch) database `repeat` times, each
    time fresh and then again with no changes. Deletes every region: never call it on a
    real database."""
    path = Path(settings.KOTAKU_SHARED_DIR) / "data" / "wilayah" / "wilayah.csv"
    if not path.is_file():
        raise MissingRegionFile(f"The national region list is missing at {path}")
    raw = path.read_bytes()
    fresh, again = [], []
    for _ in range(repeat):
        with connection.cursor() as cursor:  # the scratch database: start empty
            cursor.execute(f"DELETE FROM {Region._meta.db_table}")  # noqa: S608 (no user input)
        seconds, report = _timed(lambda: regions_import(raw=raw))
        fresh.append(seconds)
        seconds, again_report = _timed(lambda: regions_import(raw=raw))
        again.append(seconds)
    return [
        Measurement(
            name="import_regions fresh",
            kind="import",
            median=statistics.median(fresh),
            p95=max(fresh),
            requests=repeat,
            rows=report.rows,
            note=f"created {report.created}",
        ),
        Measurement(
            name="import_regions re-import",
            kind="import",
            median=statistics.median(again),
            p95=max(again),
            requests=repeat,
            rows=again_report.rows,
            note=f"unchanged {again_report.unchanged}",
        ),
    ]
