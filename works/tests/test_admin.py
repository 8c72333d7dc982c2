import datetime

import pytest
from django.urls import reverse

from works.models import ProgressReport

from .factories import ReportFactory, WorkFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model",
    ["work", "worktype", "progressreport", "reportphoto", "handover", "maintenancecheck"],
)
def test_admin_lists_open(admin_client, regions, model):
    WorkFactory()
    response = admin_client.get(reverse(f"admin:works_{model}_changelist"))
    assert response.status_code == 200


def test_admin_work_page_has_its_inlines(admin_client, regions):
    work = WorkFactory()
    ReportFactory(work=work)
    response = admin_client.get(reverse("admin:works_work_change", args=[work.pk]))
    assert response.status_code == 200
    assert b"status_changes" in response.content and b"reports" in response.content


def test_admin_shows_reports_and_photos_read_only(admin_client, regions):
    """Reports are filed and reviewed through the services (the work row locked, the
    status and ordering rules kept); the admin only shows them."""
    work = WorkFactory()
    report = ReportFactory(work=work, report_date=datetime.date(2020, 7, 10))
    data = {"work": work.pk, "report_date": "2020-07-12", "physical_progress": "50"}
    assert admin_client.get(reverse("admin:works_progressreport_add")).status_code == 403
    assert admin_client.post(reverse("admin:works_progressreport_add"), data).status_code == 403
    change = reverse("admin:works_progressreport_change", args=[report.pk])
    response = admin_client.get(change)
    assert response.status_code == 200 and b'name="_save"' not in response.content
    data.update({"photos-TOTAL_FORMS": "0", "photos-INITIAL_FORMS": "0"})
    assert admin_client.post(change, data).status_code == 403
    report.refresh_from_db()
    assert report.physical_progress == 30
    assert ProgressReport.objects.count() == 1
    assert admin_client.get(reverse("admin:works_reportphoto_add")).status_code == 403
