"""Time (and optionally profile) one page of `bench --load-test-setup`'s list as the
national officer, in-process (Django's test client, DEBUG off), on the configured database:

    DEBUG=false SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 PAGE=detail N=1000 \\
        .venv/bin/python manage.py shell < scripts/profile_page.py

PAGE: national province district kelurahan works works_filtered detail slums
slums_district report. USER_KIND: national (default) or facilitator. N: requests
(default 200). PROFILE=1 adds a cProfile of the same requests (SORT=cumulative|tottime,
TOP=45). Prints the page's queries of a warm request, the median, 10th percentile and
mean time of a request, and the process's CPU time per request (Python's own work: the
time PostgreSQL spends on the queries is left out).
"""

import cProfile
import os
import pstats
import time

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kotaku.benchmark.measure import production_like
from kotaku.benchmark.pages import load_test_urls
from kotaku.benchmark.subjects import choose

subjects = choose()
url = load_test_urls(subjects)[os.environ.get("PAGE", "detail")]
n = int(os.environ.get("N", "200"))
with production_like():
    client = Client()
    client.force_login(getattr(subjects, os.environ.get("USER_KIND", "national")))
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(url, "queries", len(queries.captured_queries))
    for query in queries.captured_queries:
        print("  ", query["time"], query["sql"][:150])
    times = []
    cpu = time.process_time()
    for _ in range(n):
        started = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - started)
    cpu = time.process_time() - cpu
    times.sort()
    print(
        f"ms/request median {times[n // 2] * 1000:.2f} p10 {times[n // 10] * 1000:.2f}"
        f" mean {sum(times) / n * 1000:.2f} Python CPU {cpu / n * 1000:.2f}"
    )
    if os.environ.get("PROFILE"):
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(n):
            client.get(url)
        profile.disable()
        stats = pstats.Stats(profile)
        stats.sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
            int(os.environ.get("TOP", "45"))
        )
