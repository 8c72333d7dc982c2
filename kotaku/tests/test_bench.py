"""The benchmark's measuring code, on a small set of works made by factories.

Timings are never asserted (they depend on the machine): these tests check that each
function measures what it says — the queries a page runs, the rows in its scope counted
by the ORM, the floor of its own SQL, the whole CSV export — and that the command prints
a line for every page.
"""

import datetime
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

from conftest import BUKUR, KAB_MADIUN, KAB_PACITAN, KLAGENSERUT, TANJUNGSARI
from kotaku.benchmark import report
from kotaku.benchmark.export import export_all_works, memory_kb, own_peak_note, reset_peak
from kotaku.benchmark.measure import (
    Measurement,
    measure_page,
    page_statements,
    percentile,
    production_like,
    reads_of,
    sql_floor,
)
from kotaku.benchmark.pages import pages_for, url_for
from kotaku.benchmark.subjects import NoData, choose
from works.models import Work
from works.tests.factories import ReportFactory, WorkFactory


@pytest.fixture
def works(national_officer, facilitator):
    """Five works in Klagenserut (one with three reports), one in Bukur, one in
    Tanjungsari (Kabupaten Pacitan), and the cast's national officer and facilitator."""
    made = WorkFactory.create_batch(5, kelurahan_id=KLAGENSERUT)
    WorkFactory(kelurahan_id=BUKUR)
    WorkFactory(kelurahan_id=TANJUNGSARI)
    for day in (1, 10, 20):
        ReportFactory(work=made[2], report_date=datetime.date(2020, 7, day))
    return made


@pytest.fixture
def officer_client(client, national_officer):
    client.force_login(national_officer)
    return client


def test_choose_finds_the_heaviest_and_lightest_places(works, national_officer, facilitator):
    subjects = choose()
    assert subjects.national == national_officer
    assert subjects.facilitator == facilitator
    assert (subjects.district, subjects.district_small) == (KAB_MADIUN, KAB_PACITAN)
    assert (subjects.kelurahan, subjects.kelurahan_small) == (KLAGENSERUT, TANJUNGSARI)
    assert subjects.work == works[2].pk
    assert subjects.work_small != works[2].pk
    assert (subjects.year, subjects.month) == (2020, 7)
    assert subjects.fiscal_year == 2020


def test_choose_refuses_an_empty_database(db):
    with pytest.raises(NoData):
        choose()


def test_pages_count_their_rows_with_the_orm(works, facilitator):
    pages = {page.name: page for page in pages_for(choose())}
    assert pages["works list national first (p1)"].rows() == Work.objects.count() == 7
    assert pages["works list facilitator first (p1)"].rows() == 6  # Klagenserut and Bukur
    assert pages[f"dashboard district {KAB_MADIUN}"].rows() == 6
    assert pages[f"work detail {works[2].pk}"].rows() == 3
    assert pages[f"work detail {works[2].pk}"].url == f"/kegiatan/{works[2].pk}/"


def test_measure_page_counts_queries_and_finds_the_sql_floor(works, officer_client):
    url = url_for("works:work_list")
    with production_like():
        measurement = measure_page(
            officer_client,
            url,
            name="works",
            kind="list",
            repeat=3,
            rows=7,
            small_url=f"{url}?region={TANJUNGSARI}",
        )
    assert measurement.status == "ok"
    assert measurement.requests == 3
    assert 0 <= measurement.median <= measurement.p95
    assert measurement.queries > 0
    assert measurement.queries_small == measurement.queries  # the count does not grow
    assert measurement.sql > 0
    assert measurement.ratio == measurement.median / measurement.sql


def test_the_sql_is_timed_after_each_request_and_its_median_pass_is_the_floor(
    works, officer_client, monkeypatch
):
    from kotaku.benchmark import measure

    firsts = iter([0.004, 0.001, 0.002])
    calls = []

    def timed_pass(reads):
        calls.append(list(reads))
        return [next(firsts), *[0.001] * (len(reads) - 1)]

    monkeypatch.setattr(measure, "timed_pass", timed_pass)
    with production_like():
        measurement = measure_page(
            officer_client, url_for("works:work_list"), name="w", kind="list", repeat=3
        )
    assert len(calls) == 3  # one pass per request
    assert all(sql.lstrip().lower().startswith(("select", "with")) for sql in calls[0])
    others = 0.001 * (len(calls[0]) - 1)
    assert measurement.sql == pytest.approx(0.002 + others)  # the median pass
    assert measurement.slowest[0] == (pytest.approx(0.002), calls[0][0])  # per statement


def test_page_statements_are_the_pages_own_queries(works, officer_client):
    status, statements = page_statements(officer_client, f"/kegiatan/{works[2].pk}/")
    assert status == 200
    assert statements
    assert not [sql for sql in statements if sql.lower().startswith("savepoint")]
    assert any(str(works[2].pk) in sql and "works_work" in sql for sql in statements)


def test_sql_floor_reruns_only_reads(db):
    # The write would fail if it ran: the floor is made of reads only.
    seconds = sql_floor(["SELECT 1", "DELETE FROM no_such_table"], repeat=2)
    assert seconds >= 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def test_the_floor_keeps_every_read_of_a_dashboard(works, officer_client):
    """A UNION that Django writes in parentheses is a read like any other: the floor of
    a dashboard holds every query the page ran (it writes nothing)."""
    assert reads_of(["(SELECT 1) UNION (SELECT 2)", "\n  WITH x AS (SELECT 1) SELECT 1"]) == [
        "(SELECT 1) UNION (SELECT 2)",
        "\n  WITH x AS (SELECT 1) SELECT 1",
    ]
    assert reads_of(["DELETE FROM x", "(DELETE FROM x)", "UPDATE x SET y = 1"]) == []
    url = url_for("dashboards:region", "35")
    with production_like():
        officer_client.get(url)
        status, statements = page_statements(officer_client, url)
    assert status == 200
    # PostgreSQL's UNION parts are parenthesized (SQLite's cannot be).
    assert connection.vendor != "postgresql" or any(sql.startswith("(") for sql in statements)
    assert reads_of(statements) == statements


def test_a_failing_page_is_reported_not_measured(works, client, national_officer):
    client.force_login(national_officer)
    measurement = measure_page(client, "/kegiatan/999999/", name="gone", kind="page", repeat=2)
    assert measurement.status.startswith("error: HTTP 404")
    assert measurement.median is None


def test_a_page_slower_than_the_whole_budget_is_requested_once(works, officer_client):
    with production_like():
        measurement = measure_page(
            officer_client, "/kegiatan/", name="works", kind="list", repeat=20, budget=1e-9
        )
    assert measurement.requests == 1
    assert measurement.median == measurement.p95 > 0
    assert measurement.queries > 0
    assert measurement.sql is None
    assert measurement.note.startswith("over the budget")


def test_export_streams_every_work(works, officer_client):
    with production_like():
        figures = export_all_works(officer_client)
    assert figures.status == 200
    assert figures.lines == Work.objects.count() + 1  # and the header
    assert figures.bytes > 0
    # Linux: the resident memory before the export and the peak during it.
    if memory_kb("VmRSS") is not None and reset_peak():
        assert 0 < figures.baseline_kb <= figures.peak_kb


def test_memory_figures_are_read_from_proc_status(tmp_path):
    status = tmp_path / "status"
    status.write_text("Name:\tpython\nVmHWM:\t  204800 kB\nVmRSS:\t  153600 kB\n")
    assert memory_kb("VmRSS", str(status)) == 153600
    assert memory_kb("VmHWM", str(status)) == 204800
    assert memory_kb("VmSwap", str(status)) is None
    assert memory_kb("VmRSS", str(tmp_path / "missing")) is None
    assert not reset_peak(str(tmp_path / "no-such-dir" / "clear_refs"))


def test_the_peak_of_the_export_is_told_apart_from_the_baseline():
    assert own_peak_note(204800, 153600) == "peak 200 MB = baseline 150 MB + export 50 MB"
    assert own_peak_note(None, 153600) == ""
    assert own_peak_note(204800, None) == ""


def test_reset_peak_lowers_the_high_water_mark():
    if memory_kb("VmHWM") is None or not reset_peak():
        pytest.skip("no /proc/self/status or clear_refs here")
    block = bytearray(64 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page: resident
    before = memory_kb("VmHWM")
    del block
    assert reset_peak()
    assert memory_kb("VmHWM") < before


def test_percentile_is_nearest_rank():
    values = list(range(1, 21))
    assert percentile(values, 95) == 19
    assert percentile(values, 50) == 10
    assert percentile([5.0], 95) == 5.0


def test_verdicts_hold_pages_to_the_targets():
    fast = Measurement("a", "list", median=0.05, sql=0.04, queries=9, queries_small=8)
    slow = Measurement("b", "dashboard", median=0.3, sql=0.1, queries=12, queries_small=8)
    export = Measurement("c", "export", median=3.0, peak_mb=200)
    assert report.verdict(fast, "postgresql") == "PASS"
    assert report.misses(slow, "postgresql") == [
        "queries 12 > 8 on a small scope",
        "median > 150 ms",
        "> 1.5× SQL",
    ]
    assert report.verdict(export, "postgresql") == "MISS: peak ≥ 150 MB"
    skipped = Measurement("d", "page", status="skipped: not built")
    assert report.verdict(skipped, "postgresql") == "skipped: not built"
    # The empty page only shows what every page pays: held to nothing, however slow.
    floor = Measurement("e", "reference", median=0.3, sql=0.1, queries=3)
    assert report.verdict(floor, "postgresql") == "no target"


def test_bench_prints_one_aligned_line_per_page(works, capsys):
    call_command("bench", "pages", "--repeat", "1")
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(line for line in lines if line.startswith("measured"))
    body = lines[lines.index(header) + 1 :]
    expected = {page.name for page in pages_for(choose())}
    assert {line.split("  ")[0] for line in body} == expected
    assert "error" not in out
    # Aligned: every line's verdict column starts at the same place.
    column = header.index("verdict")
    assert all(line[column - 2 : column] == "  " for line in body)


def test_the_empty_page_costs_the_login_session_and_access_only(works, capsys, tmp_path):
    """The benchmark's empty page runs what every page runs before its own work: the
    session, the user, and the user's groups, permissions and places; and it is served
    only while the benchmark runs."""
    with pytest.raises(NoReverseMatch):
        reverse("bench_empty")
    figures = tmp_path / "bench.json"
    call_command("bench", "pages", "--repeat", "2", "--json", str(figures))
    (empty,) = [
        m for m in json.loads(figures.read_text())["measurements"] if m["kind"] == "reference"
    ]
    assert empty["url"] == "/__bench__/empty/"
    assert (empty["status"], empty["queries"], empty["verdict"]) == ("ok", 3, "no target")
    assert empty["sql"] > 0 and empty["median"] > 0
    with pytest.raises(NoReverseMatch):
        reverse("bench_empty")
