"""The CSV export of every work: time, size and the peak memory of the process.

The peak is that of a whole process, so the export runs alone in a child process (a
fresh Python that loads Django, logs in and streams the export to the end); the parent
reads the child's peak resident memory from `getrusage(RUSAGE_CHILDREN)`.
"""

import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass

from django.conf import settings

from .measure import Measurement

# The child: set Django up, then run `child_main` (its last line of output is JSON).
CHILD_CODE = (
    "import django; django.setup(); from kotaku.benchmark.export import child_main; child_main()"
)


@dataclass
class ExportFigures:
    seconds: float
    status: int
    bytes: int
    lines: int


def export_all_works(client) -> ExportFigures:
    """GET the works list as CSV with no filter and read the stream to the end."""
    from .pages import url_for

    # Warm up on an export of no rows: a fresh process loads the URLs, views and
    # translations on its first request, which is not the export's own time.
    client.get(url_for("works:work_list", query={"export": "csv", "fiscal_year": 1}))
    started = time.perf_counter()
    response = client.get(url_for("works:work_list", query={"export": "csv"}))
    size = lines = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return ExportFigures(time.perf_counter() - started, response.status_code, size, lines)


def child_main():
    """In the child: log in as the national officer (in a transaction that is rolled
    back, so the data is untouched) and export every work."""
    from dataclasses import asdict

    from django.db import transaction
    from django.test import Client

    from .measure import production_like
    from .subjects import national_officer

    with production_like(), transaction.atomic():
        client = Client()
        client.force_login(national_officer())
        figures = export_all_works(client)
        transaction.set_rollback(True)
    print(json.dumps(asdict(figures)))  # noqa: T201 (read by the parent)


def measure_export(rows: int) -> Measurement:
    """Run the export in a child process; time it and read its peak memory."""
    measurement = Measurement(name="CSV export of all works", kind="export", rows=rows)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    result = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", CHILD_CODE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        measurement.status = "error: " + (result.stderr.strip().splitlines() or ["?"])[-1]
        return measurement
    figures = ExportFigures(**json.loads(result.stdout.strip().splitlines()[-1]))
    if figures.status != 200:
        measurement.status = f"error: HTTP {figures.status}"
        return measurement
    # ru_maxrss is in kilobytes on Linux: the largest child so far, which is this one
    # (the bench starts no other child before it).
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    measurement.median = measurement.p95 = figures.seconds
    measurement.requests = 1
    measurement.peak_mb = peak_kb / 1024
    measurement.note = f"{figures.bytes / 1e6:.1f} MB, {figures.lines - 1} data lines"
    return measurement
