import pytest

from accounts import demo as accounts_demo
from programs import demo as programs_demo
from works import demo
from works.models import ProgressReport, Work

pytestmark = pytest.mark.django_db


def test_demo_work_is_loaded_once_with_a_submitted_report(regions):
    accounts_demo.load()
    programs_demo.load()
    messages = []
    first = demo.load(say=messages.append)
    second = demo.load(say=messages.append)
    assert first.pk == second.pk and Work.objects.count() == 1
    assert (first.volume, first.unit, str(first.rtrw), first.method) == (
        140,
        "m",
        "RT 07 / RW 02",
        "swakelola",
    )
    assert first.builder.kind == "ksm" and first.status == "construction"
    report = ProgressReport.objects.get()
    assert report.status == "submitted" and report.submitted_by.username == "fasilitator.jiwan"


def test_demo_work_is_skipped_without_the_programs_demo(regions):
    messages = []
    assert demo.load(say=messages.append) is None
    assert "skipped" in messages[0]
    assert not Work.objects.exists()
