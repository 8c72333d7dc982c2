"""The CSV export of every work: time, size and the peak memory of the process.

The peak is that of a whole process, so the export runs alone in a child process (a
fresh Python that loads Django, logs in and streams the export to the end); the parent
reads the child's peak resident memory from `getrusage(RUSAGE_CHILDREN)`.

That peak includes the process's own baseline (Python, Django, the URLs and templates
loaded by a first request: ~150 MB, whatever the rows). The child therefore also reads
its resident memory (`/proc/self/status`, Linux) just before the export — the baseline —
and its peak during the export: the peak high-water mark is reset first (`clear_refs`),
so the warm-up's own peak is not counted. The export's own cost is the difference.
"""

import gc
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
    # Resident memory of the process in kB, from /proc/self/status (None where there is
    # none): just before the export, and the highest during it.
    baseline_kb: int | None = None
    peak_kb: int | None = None


def memory_kb(field: str, status_path: str = "/proc/self/status") -> int | None:
    """A memory figure of this process in kB (`VmRSS`: now, `VmHWM`: the peak)."""
    try:
        with open(status_path) as status:
            for line in status:
                if line.startswith(f"{field}:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def reset_peak(clear_refs_path: str = "/proc/self/clear_refs") -> bool:
    """Reset this process's peak resident memory (VmHWM) to its current size (Linux 4.0
    and later: writing 5 to clear_refs). False when it cannot be reset."""
    try:
        with open(clear_refs_path, "w") as clear_refs:
            clear_refs.write("5")
    except OSError:
        return False
    return True


def own_peak_note(peak_kb: int | None, baseline_kb: int | None) -> str:
    """`peak 180 MB = baseline 150 MB + export 30 MB` (empty without the figures)."""
    if peak_kb is None or baseline_kb is None:
        return ""
    return (
        f"peak {peak_kb / 1024:.0f} MB = baseline {baseline_kb / 1024:.0f} MB"
        f" + export {max(0, peak_kb - baseline_kb) / 1024:.0f} MB"
    )


def export_all_works(client) -> ExportFigures:
    """GET the works list as CSV with no filter and read the stream to the end."""
    from .pages import url_for

    # Warm up on an export of no rows: a fresh process loads the URLs, views and
    # translations on its first request, which is not the export's own time.
    client.get(url_for("works:work_list", query={"export": "csv", "fiscal_year": 1}))
    gc.collect()
    baseline = memory_kb("VmRSS")
    peak_reset = reset_peak()
    started = time.perf_counter()
    response = client.get(url_for("works:work_list", query={"export": "csv"}))
    size = lines = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
        lines += chunk.count(b"\n")
    seconds = time.perf_counter() - started
    # Without the reset, the high-water mark may be the warm-up's: no own peak then.
    peak = memory_kb("VmHWM") if peak_reset else None
    return ExportFigures(
        seconds, response.status_code, size, lines, baseline if peak else None, peak
    )


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
    if figures.peak_kb is not None:
        # The child's own high-water mark since the warm-up request (reset before the
        # export): the process's peak while exporting, which is what the target is
        # about. ru_maxrss also holds the warm-up's peak (loading URLs, templates).
        peak_kb = figures.peak_kb
    measurement.median = measurement.p95 = figures.seconds
    measurement.requests = 1
    measurement.peak_mb = peak_kb / 1024
    measurement.note = ", ".join(
        part
        for part in (
            f"{figures.bytes / 1e6:.1f} MB",
            f"{figures.lines - 1} data lines",
            own_peak_note(figures.peak_kb, figures.baseline_kb),
        )
        if part
    )
    return measurement
