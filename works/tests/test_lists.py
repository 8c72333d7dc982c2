"""The works list and the progress-report list: filters, sorting, pagination and exports
(kotaku.lists), scoped with the fixed cast."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.db.models.query import QuerySet
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import BUKUR, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku import exports
from kotaku.tests.listing import column, csv_rows, exported, in_english, norm, xlsx_rows
from works.models import Work

from .factories import ReportFactory, WorkFactory

pytestmark = pytest.mark.django_db

WORKS = reverse("works:work_list")
REPORTS = reverse("works:report_list")


@pytest.fixture
def english(client):
    return in_english(client)


@pytest.fixture
def works(regions):
    """Works in Klagenserut, Bukur and Sambirejo (Madiun) and Tanjungsari (Pacitan)."""
    return {
        code: WorkFactory(name=f"Jalan {code}", kelurahan_id=code, fiscal_year=year)
        for code, year in (
            (KLAGENSERUT, 2020),
            (BUKUR, 2021),
            (SAMBIREJO, 2020),
            (TANJUNGSARI, 2020),
        )
    }


def names(response):
    assert response.status_code == 200
    return [work.name for work in response.context["works"]]


def login(client_for, user):
    return in_english(client_for(user))


# Filters


def test_work_list_filters_by_fiscal_year_aspect_and_region(client_for, works, national_officer):
    client = login(client_for, national_officer)
    assert sorted(names(client.get(WORKS, {"fiscal_year": 2021}))) == [f"Jalan {BUKUR}"]
    assert set(names(client.get(WORKS, {"region": "35.19", "fiscal_year": 2020}))) == {
        f"Jalan {KLAGENSERUT}",
        f"Jalan {SAMBIREJO}",
    }
    assert names(client.get(WORKS, {"aspect": "drainase"})) == []


def test_work_list_filters_one_data_quality_flag(client_for, works, national_officer):
    Work.objects.update(status="planned")  # under construction they would all be stale
    ReportFactory(work=works[BUKUR], physical_progress=Decimal("80"))  # a jump from 0
    Work.objects.filter(pk=works[SAMBIREJO].pk).update(status="construction")  # stale
    client = login(client_for, national_officer)
    assert names(client.get(WORKS, {"flag": "flag_jump"})) == [f"Jalan {BUKUR}"]
    assert names(client.get(WORKS, {"flag": "flag_stale"})) == [f"Jalan {SAMBIREJO}"]
    assert set(names(client.get(WORKS, {"flagged": "true"}))) == {
        f"Jalan {BUKUR}",
        f"Jalan {SAMBIREJO}",
    }


def test_an_invalid_filter_value_shows_a_message_not_an_error(client_for, works, facilitator):
    client = login(client_for, facilitator)
    response = client.get(WORKS, {"fiscal_year": "abc"})
    assert response.status_code == 200
    assert names(response) == []
    assert b'data-testid="invalid-filters"' in response.content
    assert client.get(WORKS, {"flag": "nonsense"}).status_code == 200
    assert client.get(WORKS, {"sort": "password"}).status_code == 200
    assert client.get(WORKS, {"fiscal_year": "abc", "export": "csv"}).status_code == 200


# Sorting


def test_work_list_sorts_by_name_both_ways(client_for, works, national_officer):
    client = login(client_for, national_officer)
    ascending = names(client.get(WORKS, {"sort": "name"}))
    assert ascending == sorted(ascending) and len(ascending) == 4
    assert names(client.get(WORKS, {"sort": "-name"})) == ascending[::-1]


def test_work_list_sorts_by_annotated_progress_with_empty_last(client_for, works, national_officer):
    ReportFactory(work=works[BUKUR], physical_progress=Decimal("30"))
    ReportFactory(work=works[KLAGENSERUT], physical_progress=Decimal("60"))
    client = login(client_for, national_officer)
    up = names(client.get(WORKS, {"sort": "progress"}))
    down = names(client.get(WORKS, {"sort": "-progress"}))
    assert up[:2] == [f"Jalan {BUKUR}", f"Jalan {KLAGENSERUT}"]
    assert down[:2] == [f"Jalan {KLAGENSERUT}", f"Jalan {BUKUR}"]
    # Works without an approved report come last both ways.
    assert set(up[2:]) == set(down[2:]) == {f"Jalan {SAMBIREJO}", f"Jalan {TANJUNGSARI}"}


def test_sort_headers_toggle_and_keep_the_filters(client_for, works, national_officer):
    client = login(client_for, national_officer)
    html = client.get(WORKS, {"region": "35.19", "sort": "name"}).content.decode()
    assert 'aria-sort="ascending" data-sort="name"' in html
    assert 'href="?region=35.19&amp;sort=-name"' in html
    assert 'href="?region=35.19&amp;sort=progress"' in html
    html = client.get(WORKS, {"region": "35.19", "sort": "-name"}).content.decode()
    assert 'aria-sort="descending" data-sort="name"' in html
    assert 'href="?region=35.19&amp;sort=name"' in html


# Pagination


def test_pagination_keeps_filters_and_sort_and_survives_a_page_past_the_end(
    client_for, regions, national_officer
):
    for n in range(30):
        WorkFactory(name=f"Jalan {n:02d}", kelurahan_id=BUKUR)
    WorkFactory(name="Jalan Pacitan", kelurahan_id=TANJUNGSARI)
    client = login(client_for, national_officer)
    response = client.get(WORKS, {"region": BUKUR, "sort": "-name"})
    assert response.context["page_obj"].paginator.count == 30
    assert names(response)[0] == "Jalan 29"
    html = response.content.decode()
    assert f'href="?region={BUKUR}&amp;sort=-name&amp;page=2"' in html
    assert "30 rows" in html
    last = client.get(WORKS, {"region": BUKUR, "sort": "-name", "page": 99})
    assert last.context["page_obj"].number == 2
    assert names(last) == ["Jalan 04", "Jalan 03", "Jalan 02", "Jalan 01", "Jalan 00"]
    assert client.get(WORKS, {"page": "abc"}).context["page_obj"].number == 1


# Exports


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_exactly_the_filtered_rows_of_every_page_in_order(
    client_for, regions, national_officer, fmt
):
    for n in range(30):
        WorkFactory(name=f"Jalan {n:02d}", kelurahan_id=BUKUR, fiscal_year=2020)
    WorkFactory(name="Jalan 2021", kelurahan_id=BUKUR, fiscal_year=2021)
    WorkFactory(name="Jalan Pacitan", kelurahan_id=TANJUNGSARI, fiscal_year=2020)
    client = login(client_for, national_officer)
    params = {"region": "35.19", "fiscal_year": 2020, "sort": "-name", "page": 2}
    exported_names = exported(client, WORKS, params, "Name", fmt)
    assert exported_names == [f"Jalan {n:02d}" for n in range(29, -1, -1)]


def test_export_values_are_typed_in_xlsx(client_for, works, national_officer):
    ReportFactory(work=works[BUKUR], physical_progress=Decimal("30"))
    client = login(client_for, national_officer)
    rows = xlsx_rows(client.get(WORKS, {"region": BUKUR, "export": "xlsx"}))
    assert column(rows, "Fiscal year") == [2021]
    assert column(rows, "Budget (Rp)") == [80_000_000]
    assert column(rows, "Approved progress (%)") == [30]
    assert column(rows, "Kelurahan/desa code") == [BUKUR]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_scoped_like_the_page(client_for, works, facilitator, outsider, fmt):
    mine = exported(login(client_for, facilitator), WORKS, {}, "Name", fmt)
    assert sorted(mine) == [f"Jalan {BUKUR}", f"Jalan {KLAGENSERUT}"]
    theirs = exported(login(client_for, outsider), WORKS, {"region": "35.19"}, "Name", fmt)
    assert theirs == []
    assert exported(login(client_for, outsider), WORKS, {}, "Name", fmt) == [f"Jalan {TANJUNGSARI}"]


def test_csv_export_streams_from_a_chunked_iterator(client_for, works, national_officer):
    client = login(client_for, national_officer)
    with mock.patch.object(
        QuerySet, "iterator", autospec=True, side_effect=QuerySet.iterator
    ) as spy:
        with CaptureQueriesContext(connection) as before:
            response = client.get(WORKS, {"export": "csv"})
        assert isinstance(response, StreamingHttpResponse) and response.streaming
        spy.assert_not_called()  # nothing read yet: rows come as the response is sent
        with CaptureQueriesContext(connection) as during:
            rows = csv_rows(response)
    assert spy.call_args.kwargs == {"chunk_size": exports.CHUNK_SIZE}
    assert len(during.captured_queries) == 1  # the rows, in one query (no query per row)
    assert len(rows) == 5 and before.captured_queries


def test_export_guards_against_spreadsheet_formulas(client_for, regions, national_officer):
    WorkFactory(name="=HYPERLINK(1)", kelurahan_id=BUKUR)
    client = login(client_for, national_officer)
    assert exported(client, WORKS, {}, "Name", "csv") == ["'=HYPERLINK(1)"]
    assert exported(client, WORKS, {}, "Name", "xlsx") == ["=HYPERLINK(1)"]


# Query counts


@pytest.mark.parametrize(
    "params", [{}, {"sort": "-progress", "fiscal_year": 2020, "flagged": "true"}]
)
def test_work_list_query_count_does_not_grow_with_rows(
    client_for, regions, district_reader, django_assert_max_num_queries, params
):
    client = login(client_for, district_reader)

    def make(count):
        for _n in range(count):
            ReportFactory(work=WorkFactory(kelurahan_id=BUKUR))

    make(2)
    with django_assert_max_num_queries(15) as few:
        client.get(WORKS, params)
    make(10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(WORKS, params)
    assert len(response.context["works"]) == 12


# The progress-report list


@pytest.fixture
def reports(works):
    """Approved reports in July 2020, a submitted one in August; one per work."""
    made = {}
    for code, work in works.items():
        made[code] = ReportFactory(work=work, report_date=datetime.date(2020, 7, 1))
    made["pending"] = ReportFactory(
        work=works[KLAGENSERUT],
        report_date=datetime.date(2020, 8, 3),
        physical_progress=Decimal("45"),
        spent_to_date=Decimal("40000000"),
        status="submitted",
    )
    return made


def report_works(response):
    assert response.status_code == 200
    return [
        (report.work.name, report.report_date.isoformat()) for report in response.context["reports"]
    ]


def test_report_list_is_scoped(client_for, reports, facilitator, outsider, district_reader):
    assert sorted(report_works(login(client_for, facilitator).get(REPORTS))) == [
        (f"Jalan {BUKUR}", "2020-07-01"),
        (f"Jalan {KLAGENSERUT}", "2020-07-01"),
        (f"Jalan {KLAGENSERUT}", "2020-08-03"),
    ]
    assert report_works(login(client_for, outsider).get(REPORTS)) == [
        (f"Jalan {TANJUNGSARI}", "2020-07-01")
    ]
    assert len(report_works(login(client_for, district_reader).get(REPORTS))) == 4


def test_report_list_filters(client_for, reports, national_officer):
    client = login(client_for, national_officer)
    assert report_works(client.get(REPORTS, {"status": "submitted"})) == [
        (f"Jalan {KLAGENSERUT}", "2020-08-03")
    ]
    assert report_works(
        client.get(REPORTS, {"date_from": "2020-08-01", "date_to": "2020-08-31"})
    ) == [(f"Jalan {KLAGENSERUT}", "2020-08-03")]
    assert report_works(client.get(REPORTS, {"fiscal_year": 2021})) == [
        (f"Jalan {BUKUR}", "2020-07-01")
    ]
    assert len(report_works(client.get(REPORTS, {"region": "35.19"}))) == 4
    work = reports["pending"].work
    assert len(report_works(client.get(REPORTS, {"work": work.pk}))) == 2
    assert len(report_works(client.get(REPORTS, {"work": "09.2010"}))) == 2  # by name


def test_report_list_sorts_and_shows_financial_progress(client_for, reports, national_officer):
    client = login(client_for, national_officer)
    up = client.get(REPORTS, {"sort": "physical"})
    assert [r.physical_progress for r in up.context["reports"]][-1] == Decimal("45")
    down = client.get(REPORTS, {"sort": "-financial"})
    first = down.context["reports"][0]
    assert first.pk == reports["pending"].pk
    assert first.financial_progress == Decimal("50")  # 40 of a budget of 80 million
    assert b"50%" in down.content


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_report_list_exports_the_filtered_scoped_rows(
    client_for, reports, facilitator, outsider, fmt
):
    rows = exported(login(client_for, facilitator), REPORTS, {"sort": "-date"}, "Work", fmt)
    assert rows[0] == f"Jalan {KLAGENSERUT}" and len(rows) == 3
    client = login(client_for, facilitator)
    response = client.get(REPORTS, {"status": "submitted", "export": fmt})
    table = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert [norm(value) for value in column(table, "Financial progress (%)")] == ["50"]
    assert [norm(value) for value in column(table, "Labour days (HOK)")] == ["60"]
    assert exported(login(client_for, outsider), REPORTS, {"region": "35.19"}, "Work", fmt) == []


def test_report_list_query_count_does_not_grow_with_rows(
    client_for, regions, district_reader, django_assert_max_num_queries
):
    client = login(client_for, district_reader)
    ReportFactory.create_batch(2, work=WorkFactory(kelurahan_id=BUKUR))
    with django_assert_max_num_queries(13) as few:
        client.get(REPORTS)
    for _n in range(10):
        ReportFactory(work=WorkFactory(kelurahan_id=BUKUR))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(REPORTS)
    assert len(response.context["reports"]) == 12


def test_works_list_links_to_the_report_list(client_for, works, facilitator):
    response = login(client_for, facilitator).get(WORKS)
    assert f'href="{REPORTS}"'.encode() in response.content


# The plan of a query string, and the page rendered once per what it shows (kotaku.lists)


def test_a_list_seen_again_is_not_rebuilt_but_shows_the_rows_of_now(
    client_for, works, national_officer
):
    from kotaku.lists import ListPageView

    client = login(client_for, national_officer)
    query = {"fiscal_year": "2020", "sort": "name"}
    with mock.patch.object(
        ListPageView, "get_filterset", autospec=True, side_effect=ListPageView.get_filterset
    ) as built:
        first = client.get(WORKS, query)
        assert names(first) == [
            f"Jalan {code}" for code in sorted([KLAGENSERUT, SAMBIREJO, TANJUNGSARI])
        ]
        Work.objects.filter(pk=works[SAMBIREJO].pk).update(name="Jalan 00 baru", version=5)
        WorkFactory(name="Jalan 01 tambahan", kelurahan_id=BUKUR, fiscal_year=2020)
        again = client.get(WORKS, query)
        assert built.call_count == 1  # the plan was kept
    assert names(again)[:2] == ["Jalan 00 baru", "Jalan 01 tambahan"]
    assert b"Jalan 00 baru" in again.content and b"Jalan 01 tambahan" in again.content
    assert b"4 rows" in again.content and b"3 rows" in first.content
    # Only a value shown changes: same rows, same order, same count.
    Work.objects.filter(pk=works[TANJUNGSARI].pk).update(budget=Decimal("123456789"))
    assert b"Rp 123.456.789" in client.get(WORKS, query).content
    # Another page of the same query string is the same plan, with its own rows.
    Work.objects.exclude(pk=works[KLAGENSERUT].pk).update(fiscal_year=2020)
    page = client.get(WORKS, {**query, "page": "2"})
    assert page.status_code == 200 and page.context["page_obj"].number == 1  # one page


def test_a_list_rendered_before_builds_no_instance_of_its_rows(client_for, works, national_officer):
    from django.db.models.signals import post_init

    client = login(client_for, national_officer)
    first = client.get(WORKS, {"sort": "name"})
    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.pk)

    post_init.connect(count, sender=Work)
    try:
        again = client.get(WORKS, {"sort": "name"})
        assert built == []  # the part is keyed by the database's rows
        main = b"<main>"
        assert again.content.split(main)[1] == first.content.split(main)[1]
        Work.objects.filter(pk=works[BUKUR].pk).update(name="Jalan baru")
        changed = client.get(WORKS, {"sort": "name"})
        assert b"Jalan baru" in changed.content and len(built) == 4  # rendered anew
    finally:
        post_init.disconnect(count, sender=Work)


def test_a_kept_plan_sees_new_and_removed_choices(client_for, works, national_officer):
    from works.models import WorkType

    client = login(client_for, national_officer)
    kept = works[BUKUR].work_type
    assert b"Saluran baru" not in client.get(WORKS).content
    WorkType.objects.create(name="Saluran baru", aspect="drainase", default_unit="m")
    assert b"Saluran baru" in client.get(WORKS).content
    chosen = WorkType.objects.create(name="Sumur bor uji", aspect="air_minum", default_unit="unit")
    query = {"work_type": chosen.pk}
    response = client.get(WORKS, query)
    assert names(response) == [] and b"invalid-filters" not in response.content
    chosen.delete()  # the choice is gone: the same query string is now invalid
    response = client.get(WORKS, query)
    assert b'data-testid="invalid-filters"' in response.content
    assert len(names(client.get(WORKS, {"work_type": kept.pk}))) == 4


def test_the_kept_page_follows_the_user_the_language_and_the_query_string(
    client_for, works, national_officer, facilitator
):
    client = login(client_for, national_officer)
    everything = client.get(WORKS, {"sort": "-name"})
    assert len(names(everything)) == 4
    assert b'href="?sort=name"' in everything.content  # the header toggles the sort
    client.force_login(facilitator)
    own = client.get(WORKS, {"sort": "-name"})
    assert names(own) == [f"Jalan {KLAGENSERUT}", f"Jalan {BUKUR}"]
    assert f"Jalan {TANJUNGSARI}".encode() not in own.content
    # The same rows and filters in another order of the query string: its own links.
    reordered = client.get(f"{WORKS}?fiscal_year=2021&sort=name")
    other = client.get(f"{WORKS}?sort=name&fiscal_year=2021")
    assert b"?fiscal_year=2021&amp;sort=-name" in reordered.content
    assert b"?sort=-name&amp;fiscal_year=2021" in other.content
    client.cookies["django_language"] = "id"
    assert b"Saring dan urutkan" in client.get(WORKS, {"sort": "-name"}).content


def test_the_reports_list_counts_and_pages_without_joining_the_works(
    client_for, works, national_officer
):
    """The financial progress reads the work's budget by a subquery: the count and the
    page's keys of a national officer's reports list read the reports alone (joined to
    their works, 1.5 million reports took about 0.6 s)."""
    for work in works.values():
        ReportFactory(work=work, spent_to_date=Decimal("20000000"))
    with CaptureQueriesContext(connection) as queries:
        response = login(client_for, national_officer).get(reverse("works:report_list"))
    reports = response.context["reports"]
    assert len(reports) == len(works)
    assert {r.financial_progress for r in reports} == {
        Decimal(20_000_000 * 100) / works[KLAGENSERUT].budget
    }
    reads = [q["sql"] for q in queries if '"works_progressreport"' in q["sql"]]
    count, keys = reads[0], reads[1]
    assert "COUNT(" in count and '"works_work"' not in count
    assert "LIMIT" in keys and '"works_work"' not in keys
