import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import BUKUR, JIWAN, KAB_MADIUN, KLAGENSERUT, SAMBIREJO
from works.tests.factories import ReportFactory, WorkFactory

pytestmark = pytest.mark.django_db
MAX_QUERIES = 40


def dashboard(code="", **params):
    url = reverse("dashboards:region", args=[code]) if code else reverse("dashboards:home")
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"{url}?{query}" if query else url


def figure(page: str, name: str) -> str:
    """The text of `data-figure="name"`, tags stripped."""
    match = re.search(rf'data-figure="{name}">(.*?)</(?:dd|p|strong)>', page, re.S)
    assert match, name
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def children(page: str) -> list[str]:
    return re.findall(r'<tr data-code="([\d.]+)">', page)


def test_the_national_officer_sees_the_nation_with_hand_counted_figures(
    client_for, dataset, national_officer
):
    page = client_for(national_officer).get(dashboard()).content.decode()
    assert figure(page, "works") == "5"
    assert figure(page, "progress") == "38.0%"
    assert figure(page, "allocated") == "Rp 80.000.000"
    assert figure(page, "spent") == "Rp 20.000.000"
    assert figure(page, "realization") == "25.0%"
    assert figure(page, "swadaya") == "Rp 3.000.000"
    assert figure(page, "kelurahan") == "3"
    assert (figure(page, "upgrading"), figure(page, "prevention")) == ("2", "1")
    assert (figure(page, "bkm"), figure(page, "flagged")) == ("4", "3")
    assert figure(page, "baseline-ha") == "22.00"
    assert figure(page, "level-none") == "3"
    assert figure(page, "hok") == "220"
    assert figure(page, "wages") == "Rp 22.000.000"
    assert children(page) == ["35"]
    assert "1 progress report waiting for verification" in page


def test_the_start_page_is_the_dashboard_of_the_users_places(client_for, dataset, facilitator):
    page = client_for(facilitator).get("/").content.decode()
    assert 'aria-current="page">Jiwan<' in page
    assert children(page) == [BUKUR, KLAGENSERUT]
    assert figure(page, "works") == "3"
    assert 'data-testid="places"' in page and "Klagenserut" in page and "Bukur" in page


def test_every_figure_is_scoped_to_the_users_places(client_for, dataset, facilitator):
    page = client_for(facilitator).get(dashboard(KAB_MADIUN)).content.decode()
    assert figure(page, "works") == "3"
    assert figure(page, "progress") == "46.7%"
    assert figure(page, "kelurahan") == "2"
    assert figure(page, "bkm") == "2"
    assert figure(page, "baseline-ha") == "15.00"
    assert figure(page, "allocated") == "Rp 80.000.000"
    assert figure(page, "status-planned") == "1"  # Jalan E; not C in Sambirejo
    assert children(page) == [JIWAN]


def test_the_district_reader_sees_kabupaten_madiun(client_for, dataset, district_reader):
    client = client_for(district_reader)
    page = client.get(dashboard(KAB_MADIUN)).content.decode()
    assert (figure(page, "works"), figure(page, "progress")) == ("4", "35.0%")
    assert figure(page, "baseline-ha") == "22.00"
    assert client.get(dashboard("35.01")).status_code == 404


def test_outside_the_users_regions_is_404(client_for, dataset, outsider, facilitator):
    assert client_for(outsider).get(dashboard(KAB_MADIUN)).status_code == 404
    assert client_for(facilitator).get(dashboard(SAMBIREJO)).status_code == 404
    home = client_for(outsider).get("/").content.decode()
    assert (figure(home, "works"), figure(home, "progress")) == ("1", "50.0%")


def test_the_fiscal_year_narrows_the_figures_and_stays_in_the_links(
    client_for, dataset, national_officer
):
    page = client_for(national_officer).get(dashboard(KAB_MADIUN, fiscal_year=2020)).content
    page = page.decode()
    assert figure(page, "works") == "3"
    assert figure(page, "progress") == "46.7%"
    assert f'href="{dashboard(JIWAN)}?fiscal_year=2020"' in page
    assert f"/kegiatan/?region={KAB_MADIUN}&amp;fiscal_year=2020&amp;status=planned" in page
    assert f"/kumuh/?region={KAB_MADIUN}&amp;level=none" in page
    assert "/anggaran/?region=35.19&amp;fiscal_year=2020" in page
    none = client_for(national_officer).get(dashboard(KAB_MADIUN, fiscal_year=2019)).content
    assert figure(none.decode(), "works") == "0"


def test_figures_link_to_lists_that_show_the_same_rows(client_for, dataset, national_officer):
    client = client_for(national_officer)
    page = client.get(dashboard(JIWAN, fiscal_year=2020)).content.decode()
    link = re.search(r'data-figure="status-construction"><a href="([^"]+)"', page).group(1)
    listed = client.get(link.replace("&amp;", "&")).content.decode()
    assert "Jalan A" in listed and "Jalan B" not in listed and "Jalan D" not in listed


def test_children_sort_on_request(client_for, dataset, national_officer):
    client = client_for(national_officer)
    page = client.get(dashboard(JIWAN, sort="-progress")).content.decode()
    assert children(page)[:2] == [BUKUR, KLAGENSERUT]
    assert 'aria-sort="descending"' in page
    page = client.get(dashboard(JIWAN, sort="-allocated")).content.decode()
    assert children(page)[0] == KLAGENSERUT
    assert len(children(client.get(dashboard(JIWAN, sort="nonsense")).content.decode())) == 14


def test_a_kelurahan_has_no_children_and_shows_its_figures(client_for, dataset, facilitator):
    page = client_for(facilitator).get(dashboard(KLAGENSERUT)).content.decode()
    assert children(page) == []
    assert figure(page, "works") == "2"
    assert figure(page, "allocated") == "Rp 80.000.000"


def test_charts_come_with_their_tables(client_for, dataset, national_officer):
    page = client_for(national_officer).get(dashboard(KAB_MADIUN)).content.decode()
    for name in ("chart-month", "chart-aspect", "chart-realization"):
        assert f'data-testid="{name}"><svg' in page
    for name in ("table-month", "table-aspect", "table-realization"):
        assert f'data-testid="{name}"' in page
    charts = re.findall(r"<svg.*?</svg>", page, re.S)
    assert len(charts) == 3  # no approved slum survey yet: no hectares chart
    assert not any("<script" in chart for chart in charts)


def test_the_map_says_what_it_shows_without_tiles(client_for, dataset, national_officer):
    client = client_for(national_officer)
    page = client.get(dashboard(KAB_MADIUN)).content.decode()
    assert "3 works on the map; 1 work has no coordinates." in page
    assert 'data-areas-url="/dasbor/35.19/peta/kawasan/"' in page
    nation = client.get(dashboard()).content.decode()
    assert "data-areas-url" not in nation
    assert "Slum area outlines show from the kabupaten/kota level down" in nation


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_query_count_does_not_grow_with_works_or_children(
    client_for, dataset, national_officer, django_assert_max_num_queries
):
    client = client_for(national_officer)
    client.get(dashboard())  # session and user caches warm up
    one_child = _queries(client, dashboard(KAB_MADIUN))  # Kabupaten Madiun: 1 kecamatan
    many_children = _queries(client, dashboard(JIWAN))  # Jiwan: 14 desa
    assert one_child == many_children
    for number in range(10):
        work = WorkFactory(name=f"Tambahan {number}", kelurahan_id=SAMBIREJO)
        ReportFactory(work=work)
    assert _queries(client, dashboard(JIWAN)) == many_children
    with django_assert_max_num_queries(MAX_QUERIES):
        client.get(dashboard(JIWAN, fiscal_year=2020, sort="-realization"))


def test_the_menu_opens_the_dashboard(client_for, dataset, district_editor):
    page = client_for(district_editor).get(reverse("works:work_list")).content.decode()
    assert f'href="{reverse("dashboards:home")}">Dashboard</a>' in page


def test_a_change_shows_on_the_next_view_whoever_saw_the_page_before(
    client_for, dataset, national_officer, facilitator
):
    """The body is rendered once per content and the SQL compiled once per scope: the
    next view still reads the data of now, and each user only their own places."""
    national, own = client_for(national_officer), Client()
    own.force_login(facilitator)
    own.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):  # the second view comes from what the first one kept
        assert figure(national.get(dashboard(KAB_MADIUN)).content.decode(), "works") == "4"
        assert figure(own.get(dashboard(KAB_MADIUN)).content.decode(), "works") == "3"
    work = WorkFactory(name="Jalan F", kelurahan_id=SAMBIREJO, fiscal_year=2021)
    ReportFactory(work=work, physical_progress=Decimal(100))
    page = national.get(dashboard(KAB_MADIUN)).content.decode()
    assert figure(page, "works") == "5"
    assert children(page) == [JIWAN]
    assert figure(own.get(dashboard(KAB_MADIUN)).content.decode(), "works") == "3"  # not hers
    assert "Average physical progress" in page  # the same figures in the other language:
    national.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = national.get(dashboard(KAB_MADIUN)).content.decode()
    assert "Rata-rata progres fisik" in page and "Average physical progress" not in page


def test_users_who_each_see_part_of_a_region_get_their_own_figures(
    client_for, dataset, facilitator, make_user
):
    """Two facilitators on the same page: the SQL compiled for one is not the other's."""
    from accounts.choices import Role

    first = client_for(facilitator)
    other = Client()
    other.force_login(make_user("fasilitator.bukur", Role.FACILITATOR, [BUKUR]))
    other.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        assert figure(first.get(dashboard(KAB_MADIUN)).content.decode(), "works") == "3"
        page = other.get(dashboard(KAB_MADIUN)).content.decode()
        assert figure(page, "works") == "1"  # Jalan B only
        assert figure(page, "allocated") == "Rp 0"
