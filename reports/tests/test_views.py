"""The picker, the report page and its PDF: scoping, content and query ceilings."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import KAB_MADIUN, KAB_PACITAN
from works.choices import WorkStatus
from works.models import ReportPhoto
from works.tests.factories import ReportFactory, WorkFactory, photo_file

from .dataset import august_2020, step

pytestmark = pytest.mark.django_db

AUGUST = reverse("reports:monthly", args=[KAB_MADIUN, 2020, 8])
PICKER = reverse("reports:monthly_picker")


def text_of(html, testid):
    """The visible text of the element marked `data-testid=testid`, spaces squeezed."""
    match = re.search(rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>', html)
    assert match, testid
    inner = html[match.end() : html.index(f"</{match.group(1)}>", match.end())]
    return " ".join(re.sub(r"<[^>]+>", " ", inner).split())


@pytest.fixture
def works(regions):
    return august_2020()


def test_picker_lists_the_users_kabupaten_and_opens_the_report(client_for, facilitator):
    client = client_for(facilitator)
    page = client.get(PICKER)
    assert page.status_code == 200
    options = re.findall(r'<option value="([\d.]+)"', page.content.decode())
    assert options == [KAB_MADIUN] + [str(m) for m in range(1, 13)][: len(options) - 1]
    response = client.get(PICKER, {"kabupaten": KAB_MADIUN, "year": 2020, "month": 8})
    assert response.status_code == 302
    assert response.url == AUGUST


def test_picker_refuses_a_kabupaten_out_of_scope(client_for, outsider):
    response = client_for(outsider).get(PICKER, {"kabupaten": KAB_MADIUN, "year": 2020, "month": 8})
    assert response.status_code == 400
    assert "kabupaten" in response.context["form"].errors


def test_picker_refuses_a_month_that_does_not_exist(client_for, district_reader):
    response = client_for(district_reader).get(
        PICKER, {"kabupaten": KAB_MADIUN, "year": 2020, "month": 13}
    )
    assert response.status_code == 400


def test_district_report_shows_the_months_figures(works, client_for, district_reader):
    response = client_for(district_reader).get(AUGUST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "31 Agustus 2020" in html  # the interface speaks Indonesian
    money = text_of(html, "money-total")
    assert "Rp 520.000.000" in money and "Rp 60.000.000" in money and "Rp 25.000.000" in money
    recipients = text_of(html, "recipients")
    assert "Klagenserut Rp 80.000.000" in recipients
    assert "Kabupaten Madiun" in recipients and "Rp 340.000.000" in recipients
    works_total = text_of(html, "works-total")
    assert "Rp 400.000.000" in works_total and "Rp 12.700.000" in works_total
    assert "67,0 / 127,0" in works_total
    for name in ("road", "drain", "old", "future", "sambirejo"):
        assert f">{name}</a>" in html
    assert ">far</a>" not in html and ">done2019</a>" not in html
    assert 'data-testid="partial"' not in html
    photo = ReportPhoto.objects.get(report__work=works["drain"])
    assert f'<img src="{photo.display.url}"' in text_of_section(html, "photos")
    pdf = reverse("reports:monthly_pdf", args=[KAB_MADIUN, 2020, 8])
    assert f'href="{pdf}"' in html


def text_of_section(html, testid):
    start = html.index(f'data-testid="{testid}"')
    return html[start : html.index("</section>", start)]


def test_pending_data_is_shown_as_pending_not_counted(works, client_for, district_reader):
    html = client_for(district_reader).get(AUGUST).content.decode()
    road = re.search(rf'<tr data-work="{works["road"].pk}">(.*?)</tr>', html, re.S).group(1)
    assert "70,0%" in road and "80,0%" not in road
    assert 'class="badge status-submitted"' in road  # its 80% report waits for review
    assert "Rp 1.000.000" in text_of(html, "swadaya")  # the pending swadaya, shown apart


def test_facilitator_report_says_it_covers_only_their_desa(works, client_for, facilitator):
    response = client_for(facilitator).get(AUGUST)
    assert response.status_code == 200
    html = response.content.decode()
    partial = text_of(html, "partial")
    assert "Bukur" in partial and "Klagenserut" in partial
    assert ">sambirejo</a>" not in html
    assert "Rp 180.000.000" in text_of(html, "money-total")


@pytest.mark.parametrize(
    "path",
    [
        (KAB_MADIUN, 2020, 8),  # the outsider's kabupaten is Pacitan
        ("35.19.09", 2020, 8),  # a kecamatan is not a kabupaten
        ("35.99", 2020, 8),  # no such region
    ],
)
def test_out_of_scope_or_not_a_kabupaten_is_404(works, client_for, outsider, path):
    client = client_for(outsider)
    assert client.get(reverse("reports:monthly", args=path)).status_code == 404
    assert client.get(reverse("reports:monthly_pdf", args=path)).status_code == 404


def test_a_month_that_does_not_exist_is_404(client_for, district_reader):
    for year, month in [(2020, 13), (2020, 0), (1999, 5)]:
        url = reverse("reports:monthly", args=[KAB_MADIUN, year, month])
        assert client_for(district_reader).get(url).status_code == 404


def test_outsider_gets_their_own_kabupaten(client_for, outsider):
    url = reverse("reports:monthly", args=[KAB_PACITAN, 2020, 8])
    assert client_for(outsider).get(url).status_code == 200


def test_report_needs_a_login(client):
    response = client.get(AUGUST)
    assert response.status_code == 302 and "/akun/login/" in response.url


def test_pdf_download(works, client_for, district_reader):
    client = client_for(district_reader)
    for response in (
        client.get(AUGUST, {"format": "pdf"}),
        client.get(reverse("reports:monthly_pdf", args=[KAB_MADIUN, 2020, 8])),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="laporan-bulanan-35.19-2020-08.pdf"'
        )
        assert response.content.startswith(b"%PDF-")
        assert response.content.rstrip().endswith(b"%%EOF")


def _works_completed_in_august(count):
    """`count` works in Klagenserut, each completed in August 2020 with an approved 100%
    report carrying a photo."""
    for number in range(count):
        work = WorkFactory(name=f"work {number}", status=WorkStatus.COMPLETED)
        step(work, WorkStatus.COMPLETED, datetime.date(2020, 8, 20), WorkStatus.UNDER_CONSTRUCTION)
        report = ReportFactory(work=work, report_date=datetime.date(2020, 8, 20))
        ReportPhoto.objects.create(report=report, stage="100", image=photo_file())


def _queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context)


def test_query_count_does_not_grow_with_the_works(
    regions, client_for, district_reader, django_assert_max_num_queries
):
    client = client_for(district_reader)
    pdf = reverse("reports:monthly_pdf", args=[KAB_MADIUN, 2020, 8])
    _works_completed_in_august(1)
    client.get(AUGUST)  # the first request fills per-process caches (content types, …)
    one = (_queries(client, AUGUST), _queries(client, pdf))
    _works_completed_in_august(9)
    with django_assert_max_num_queries(25):
        html = client.get(AUGUST).content.decode()
    assert html.count("<img src=") == 10
    assert (_queries(client, AUGUST), _queries(client, pdf)) == one
