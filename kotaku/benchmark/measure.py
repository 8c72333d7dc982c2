"""Server time of a page, its SQL, and the floor that SQL sets.

A page is requested in-process with Django's test client, so the time is the server's
alone (no network, no browser): the view, its queries and the template. Its queries are
captured once and run again directly on the database after each request; their sum is
the floor no page can beat, and the page's time over that floor says how much Django
adds.
"""

import math
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

# What the database reads; savepoints (ATOMIC_REQUESTS inside the bench's own
# transaction) are not the page's queries: in production they are BEGIN/COMMIT.
READS = ("select", "with")
# Neither are the session's writes: the idle-timeout middleware renews the session at
# most once a minute, whatever the page.
NOT_THE_PAGES = (
    "savepoint",
    "release savepoint",
    "rollback to savepoint",
    'update "django_session"',
)
SLOWEST = 3  # queries kept per page, to explain what is slow
SLOW_SECONDS = 2  # a page this slow has its SQL floor timed once, not three times


@dataclass
class Measurement:
    """One line of the benchmark. Times are in seconds, memory in MB."""

    name: str
    kind: str  # dashboard | list | page | reference | export | import
    url: str = ""
    status: str = "ok"  # ok | skipped: … | error: …
    median: float | None = None
    p95: float | None = None
    requests: int = 0
    queries: int | None = None
    queries_small: int | None = None  # the same page over a small scope
    rows: int | None = None
    sql: float | None = None
    peak_mb: float | None = None
    note: str = ""
    slowest: list = field(default_factory=list)  # (seconds, SQL) of the slowest queries

    @property
    def ratio(self) -> float | None:
        if self.median is None or not self.sql:
            return None
        return self.median / self.sql


@contextmanager
def production_like():
    """Settings as in production for in-process requests: DEBUG off (no query log, no
    debug pages), the test client's host allowed, no HTTPS redirect (the client speaks
    plain HTTP), and static URLs without the manifest (collectstatic may not have run;
    the lookup is a dict read either way)."""
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(
        DEBUG=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "testserver"],
        SECURE_SSL_REDIRECT=False,
        STORAGES=storages,
    ):
        yield


def percentile(values, pct: float) -> float:
    """Nearest-rank percentile: the smallest value with `pct` % of values at or below."""
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


def fetch(client, url: str):
    """GET `url` and read the whole body (a streamed body is consumed to the end).

    Returns (response, seconds, bytes). The response is not closed here: the test
    client already did, and closing again would fire request_finished, which closes
    the database connection (and the bench's transaction) under our feet.
    """
    started = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response, time.perf_counter() - started, size


def page_statements(client, url: str):
    """(status code, SQL of every query the page ran, savepoints and session writes
    left out)."""
    with CaptureQueriesContext(connection) as captured:
        response, _seconds, _size = fetch(client, url)
    statements = [
        query["sql"]
        for query in captured.captured_queries
        if not query["sql"].lstrip().lower().startswith(NOT_THE_PAGES)
    ]
    return response.status_code, statements


def reads_of(statements) -> list[str]:
    """The statements that only read: a SELECT or WITH, also in parentheses (the first
    part of a UNION that Django wraps, as the dashboard's years are read)."""
    return [sql for sql in statements if sql.lstrip(" \n(").lower().startswith(READS)]


def timed_pass(reads) -> list[float]:
    """Seconds of each of `reads` run once directly on the database, fetched to the end."""
    seconds = []
    with connection.cursor() as cursor:
        for sql in reads:
            started = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            seconds.append(time.perf_counter() - started)
    return seconds


def statement_times(statements, repeat: int = 3) -> list[tuple[float, str]]:
    """(seconds, SQL) of each read query run directly on the database and fetched to the
    end, the median of `repeat` runs; the slowest first."""
    reads = reads_of(statements)
    passes = [timed_pass(reads) for _ in range(repeat)]
    return _by_statement(reads, passes)


def _by_statement(reads, passes) -> list[tuple[float, str]]:
    timed = [
        (statistics.median(run[index] for run in passes), sql) for index, sql in enumerate(reads)
    ]
    return sorted(timed, key=lambda pair: pair[0], reverse=True)


def sql_floor(statements, repeat: int = 3) -> float:
    """Seconds that the page's read queries take run directly on the database: the floor
    no page can beat."""
    return sum(seconds for seconds, _sql in statement_times(statements, repeat))


def measure_page(
    client, url: str, *, name: str, kind: str, repeat: int, rows=None, small_url="", budget=None
):
    """Median and 95th percentile of `repeat` requests (after one to warm up), the query
    count of a warm request (also over a small scope when `small_url` is given) and the
    SQL floor of those queries.

    A page so slow that `repeat` requests would take more than `budget` seconds is
    requested fewer times (at least 3), and one slower than the whole budget only once:
    it misses its target either way, and the benchmark must end.
    """
    measurement = Measurement(name=name, kind=kind, url=url, rows=rows)
    started = time.perf_counter()
    status, statements = page_statements(client, url)  # also warms up
    first = time.perf_counter() - started
    if status != 200:
        measurement.status = f"error: HTTP {status} after {first:.1f} s"
        return measurement
    measurement.queries = len(statements)
    if budget and first > budget:
        measurement.median = measurement.p95 = first
        measurement.requests = 1
        measurement.note = "over the budget: 1 request, SQL not timed"
        return measurement
    # The queries of a warm worker: what it keeps once (a role's permissions, the charts,
    # the work page's cached part) is kept, as on a running server.
    _status, statements = page_statements(client, url)
    measurement.queries = len(statements)
    if budget and first * repeat > budget:
        repeat = max(3, int(budget / first))
        measurement.note = f"slow: {repeat} requests"
    # Each request is followed by a pass of its SQL run directly (a slow page's SQL is
    # timed once): the machine's speed wanders within minutes, and the ratio of the two
    # medians compares them under the same conditions.
    reads = reads_of(statements)
    times, passes = [], []
    for _ in range(repeat):
        times.append(fetch(client, url)[1])
        if first <= SLOW_SECONDS or not passes:
            passes.append(timed_pass(reads))
    measurement.median = statistics.median(times)
    measurement.p95 = percentile(times, 95)
    measurement.requests = repeat
    measurement.sql = statistics.median(sum(run) for run in passes)
    measurement.slowest = _by_statement(reads, passes)[:SLOWEST]
    if small_url:
        fetch(client, small_url)  # warm as well
        small_status, small_statements = page_statements(client, small_url)
        if small_status == 200:
            measurement.queries_small = len(small_statements)
        else:
            measurement.note = f"small scope: HTTP {small_status}"
    return measurement
