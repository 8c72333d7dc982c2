"""Uploaded files (/berkas/…) are served only to users who may see the record holding
them, never to anyone else, with headers that keep a browser from running them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import KLAGENSERUT
from kotaku.files import clean_name
from programs.models import Rplp
from works import services
from works.tests.factories import ReportFactory, WorkFactory, image_bytes

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def plan(regions):
    return Rplp.objects.create(
        kelurahan_id=KLAGENSERUT,
        title="RPLP Klagenserut",
        document=SimpleUploadedFile("RPLP Klagenserut.pdf", PDF, "application/pdf"),
    )


def test_owner_downloads_the_document_with_safe_headers(plan, facilitator):
    url = plan.document.url
    assert url.startswith("/berkas/programs/rplp/")
    response = logged_in(facilitator).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private"


def test_outsider_gets_404_and_anonymous_the_login(plan, outsider, client):
    url = plan.document.url
    assert logged_in(outsider).get(url).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_file_no_record_holds_is_404_even_if_it_exists(plan, national_officer, settings):
    stray = settings.MEDIA_ROOT / "programs" / "rplp" / "stray.pdf"
    stray.write_bytes(PDF)
    client = logged_in(national_officer)
    assert client.get("/berkas/programs/rplp/stray.pdf").status_code == 404
    assert client.get(plan.document.url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/berkas/programs/rplp/../../../etc/passwd",
        "/berkas/programs/%2e%2e/%2e%2e/settings.py",
        "/berkas/programs//rplp/x.pdf",
        "/berkas/programs/rplp/./x.pdf",
    ],
)
def test_path_traversal_is_refused(plan, national_officer, path):
    assert logged_in(national_officer).get(path).status_code == 404


def test_clean_name_refuses_names_leaving_media_root():
    assert clean_name("programs/rplp/2026/11/ab-x.pdf") == "programs/rplp/2026/11/ab-x.pdf"
    for bad in ["../x", "a/../../x", "/etc/passwd", "a\\..\\x", "a//b", "a/./b", "", "a\x00b"]:
        assert clean_name(bad) is None


def test_photos_are_shown_inline_as_images(regions, facilitator, outsider):
    report = ReportFactory(work=WorkFactory(kelurahan_id=KLAGENSERUT), status="draft")
    upload = SimpleUploadedFile("foto.jpg", image_bytes("JPEG"), "image/jpeg")
    photo = services.report_photo_add(report=report, stage="50", image=upload)
    for field in (photo.image, photo.display, photo.thumbnail):
        response = logged_in(facilitator).get(field.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Content-Disposition"].startswith("inline;")
        assert logged_in(outsider).get(field.url).status_code == 404


def test_accel_redirect_lets_the_web_server_send_the_bytes(plan, facilitator, settings):
    settings.MEDIA_ACCEL_REDIRECT_PREFIX = "/protected-media/"
    response = logged_in(facilitator).get(plan.document.url)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/protected-media/" + plan.document.name
    assert response.content == b""
    assert response["X-Content-Type-Options"] == "nosniff"
