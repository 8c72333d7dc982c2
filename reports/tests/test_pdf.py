"""The PDF is a real PDF with the same figures as the page. Page compression is turned off
so that the text drawn by reportlab can be read back from the content streams."""

import datetime
import re

import pytest
from django.urls import reverse
from reportlab import rl_config

from conftest import KAB_MADIUN
from works.models import ReportPhoto
from works.tests.factories import ReportFactory, WorkFactory

from .dataset import august_2020

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PDF = reverse("reports:monthly_pdf", args=[KAB_MADIUN, 2020, 8])


@pytest.fixture(autouse=True)
def uncompressed(monkeypatch):
    monkeypatch.setattr(rl_config, "pageCompression", 0)


def texts(pdf: bytes) -> list[str]:
    """The strings shown with Tj (standard fonts write them as literal strings)."""
    shown = re.findall(rb"\((.*?)(?<!\\)\) Tj", pdf)
    unescape = lambda text: re.sub(  # noqa: E731
        rb"\\([0-7]{3}|.)",
        lambda m: bytes([int(m.group(1), 8)]) if len(m.group(1)) == 3 else m.group(1),
        text,
    )
    return [unescape(text).decode("cp1252") for text in shown]


@pytest.fixture
def works(regions):
    return august_2020()


def test_pdf_holds_the_figures_of_the_page(works, client_for, district_reader):
    pdf = client_for(district_reader).get(PDF).content
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    shown = texts(pdf)
    assert "Kabupaten Madiun (35.19)" in shown
    assert "August 2020 · state at 31 August 2020 · fiscal year 2020" in shown
    for figure in ("Rp 520.000.000", "Rp 340.000.000", "Rp 80.000.000", "Rp 12.700.000"):
        assert figure in shown, figure
    assert "67.0 / 127.0" in shown  # HOK this month / to date
    assert {"road", "drain", "old", "future", "sambirejo"} <= set(shown)
    assert "far" not in shown
    assert "report pending" in shown
    assert b"/Subtype /Image" in pdf  # the photo of the drain, embedded
    assert not any("covers only part" in text for text in shown)


def test_facilitator_pdf_says_it_covers_part_of_the_kabupaten(works, client_for, facilitator):
    shown = " ".join(texts(client_for(facilitator).get(PDF).content))
    assert "This report covers only part of Kabupaten Madiun" in shown
    assert "Bukur, Klagenserut." in shown
    assert "sambirejo" not in shown


def test_the_works_table_repeats_its_header_on_every_page(regions, client_for, district_reader):
    for number in range(70):
        work = WorkFactory(name=f"work {number:02d}")
        ReportFactory(work=work, report_date=datetime.date(2020, 8, 3))
    pdf = client_for(district_reader).get(PDF).content
    shown = texts(pdf)
    pages = int(re.search(rb"/Count (\d+)", pdf).group(1))
    table_pages = shown.count("Wages")
    assert table_pages >= 2 and pages >= table_pages + 1
    assert "work 69" in shown


def test_a_missing_photo_file_does_not_break_the_pdf(works, client_for, district_reader):
    photo = ReportPhoto.objects.get()
    photo.display.storage.delete(photo.display.name)
    response = client_for(district_reader).get(PDF)
    assert response.status_code == 200
    assert "The photo file is missing." in texts(response.content)
