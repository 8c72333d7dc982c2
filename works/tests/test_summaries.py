"""The per-work summary and the regions' rollups, kept by the services, always equal what
the rules compute from the rows themselves."""

import datetime
from decimal import Decimal

import pytest
from django.db import connections

from conftest import BUKUR, KLAGENSERUT, TANJUNGSARI
from kotaku.tests.test_locking import run_together
from works import rollups, selectors, services
from works.models import ReportMonthRollup, Work, WorkRollup, WorkSummary

from .factories import START, GroupFactory, WorkFactory, image_bytes, photo_file
from .test_services import work_data

pytestmark = pytest.mark.django_db


def live_summaries() -> dict:
    return {row.pop("pk"): row for row in selectors.summary_source(Work.objects.all())}


def stored_summaries() -> dict:
    return {
        row.pop("work"): row
        for row in WorkSummary.objects.values("work", *selectors.SUMMARY_FIELDS)
    }


def rollup_tables() -> tuple[dict, dict]:
    """Both rollups, without rows that add up to nothing (a work that moved away leaves
    zeros behind; a rebuild does not write them)."""
    columns = rollups.COLUMNS
    works = {
        (row.pop("region_code"), row.pop("fiscal_year")): row
        for row in WorkRollup.objects.values("region_code", "fiscal_year", *columns)
        if row["works"]
    }
    months = {
        (row["region_code"], row["fiscal_year"], row["month"]): (
            row["reports"],
            row["progress_sum"],
        )
        for row in ReportMonthRollup.objects.values()
        if row["reports"]
    }
    return works, months


def assert_kept():
    """Stored summaries equal the live rules; incremental rollups equal a rebuild."""
    assert stored_summaries() == live_summaries()
    kept = rollup_tables()
    rollups.rebuild()
    assert kept == rollup_tables()


def filed(work, user, **changes):
    """A report saved and sent on (submitted) through the service."""
    data = {
        "report_date": datetime.date(2020, 7, 1),
        "physical_progress": Decimal("40"),
        "spent_to_date": Decimal("10000000"),
        "workers_men": 6,
        "workers_women": 3,
        "labour_days": Decimal("45"),
        "wage_value": Decimal("4500000"),
    } | changes
    return services.progress_report_create(work=work, user=user, submit=True, **data)


def approve(report_row, district_reader, district_editor):
    services.progress_report_review(report=report_row, user=district_reader, action="verify")
    return services.progress_report_review(
        report=report_row, user=district_editor, action="approve"
    )


def test_every_write_keeps_summaries_and_rollups(
    regions, facilitator, district_reader, district_editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    first = services.work_create(
        **work_data(latitude=Decimal("-7.62"), longitude=Decimal("111.56"))
    )
    second = services.work_create(
        **work_data(
            kelurahan_id=BUKUR, name="Jalan Bukur", builder=GroupFactory(kelurahan_id=BUKUR)
        )
    )
    assert_kept()
    services.work_status_change(
        work=first, user=district_editor, to_status="construction", date=START
    )
    services.work_status_change(
        work=second, user=district_editor, to_status="construction", date=START
    )
    early = filed(first, facilitator)
    approve(early, district_reader, district_editor)
    assert_kept()
    summary = WorkSummary.objects.get(pk=first.pk)
    assert (summary.approved_progress, summary.has_pending) == (Decimal("40"), False)

    # A jump of more than 50 points, pending, then returned and approved after correction.
    jump = filed(first, facilitator, report_date=datetime.date(2020, 8, 3), physical_progress=95)
    assert_kept()
    assert WorkSummary.objects.get(pk=first.pk).has_pending
    services.progress_report_review(
        report=jump, user=district_reader, action="return", comment="Cek lagi"
    )
    services.progress_report_update(
        report=jump, user=facilitator, submit=True, physical_progress=Decimal("100")
    )
    approve(jump, district_reader, district_editor)
    services.report_photo_add(report=jump, stage="100", image=photo_file(content=image_bytes()))
    assert_kept()
    summary = WorkSummary.objects.get(pk=first.pk)
    assert (summary.approved_progress, summary.flag_jump, summary.has_final_photo) == (
        Decimal("100"),
        True,
        True,
    )

    # A report on the other work, then both works move: place, year, budget.
    other = filed(second, facilitator)
    approve(other, district_reader, district_editor)
    services.work_update(work=first, fiscal_year=2021, budget=Decimal("90000000"))
    services.work_update(work=second, kelurahan_id=TANJUNGSARI, builder=None, method="contract")
    services.work_status_change(
        work=first, user=district_editor, to_status="completed", date=datetime.date(2020, 8, 10)
    )
    assert_kept()
    assert WorkRollup.objects.get(region_code="35.01", fiscal_year=2020).works == 1
    assert (
        ReportMonthRollup.objects.get(
            region_code="35", fiscal_year=2021, month=datetime.date(2020, 8, 1)
        ).reports
        == 1
    )

    # A planned work deleted (works with reports are protected).
    third = services.work_create(**work_data(name="Sumur"))
    assert rollups.region_totals("35.19", 2020)["works"] == 1
    services.work_delete(work=third)
    assert rollups.region_totals("35.19", 2020)["works"] == 0
    assert_kept()


def test_the_dashboard_reads_the_same_from_rollups_and_from_summaries(
    regions, district_editor, facilitator
):
    for kelurahan in (KLAGENSERUT, BUKUR, TANJUNGSARI):
        WorkFactory(kelurahan_id=kelurahan, latitude=Decimal("-7.6"), longitude=Decimal("111.5"))
    from dashboards import selectors as dashboard

    # The district editor sees the whole kabupaten (rollups); a facilitator only part of
    # it: the same figures from their own summaries.
    assert rollups.covers(district_editor, "35.19") and not rollups.covers(facilitator, "35.19")
    whole = dashboard.work_figures(district_editor, "35.19")
    part = dashboard.work_figures(facilitator, "35.19")
    assert whole["works"] == part["works"] == 2
    assert whole["budget"] == part["budget"] == Decimal("160000000")
    assert whole["flagged"] == part["flagged"]


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_are_all_counted(
    regions, facilitator, district_reader, district_editor
):
    """Two reports of one work, and reports of two works of one kabupaten, approved at the
    same moment: the summary and the rollups count every approval."""
    works = [
        services.work_create(
            **work_data(
                name=f"Jalan {n}",
                kelurahan_id=kelurahan,
                builder=GroupFactory(kelurahan_id=kelurahan),
            )
        )
        for n, kelurahan in enumerate((KLAGENSERUT, KLAGENSERUT, BUKUR))
    ]
    reports = []
    for work in works:
        services.work_status_change(
            work=work, user=district_editor, to_status="construction", date=START
        )
    days = [datetime.date(2020, 7, 1), datetime.date(2020, 7, 8)]
    for work, day in (
        (works[0], days[0]),
        (works[0], days[1]),
        (works[1], days[0]),
        (works[2], days[0]),
    ):
        made = filed(work, facilitator, report_date=day)
        services.progress_report_review(report=made, user=district_reader, action="verify")
        reports.append(made)

    def approve_one(index):
        services.progress_report_review(
            report=reports[index], user=district_editor, action="approve"
        )

    outcomes = run_together(len(reports), approve_one)
    connections.close_all()
    assert outcomes == [None] * len(reports)
    assert (
        ReportMonthRollup.objects.get(
            region_code="35.19", fiscal_year=2020, month=datetime.date(2020, 7, 1)
        ).reports
        == 4
    )
    assert WorkSummary.objects.get(pk=works[0].pk).approved_date == days[1]
    assert_kept()


def test_the_command_repairs_summaries_changed_by_hand(regions, capsys):
    from django.core.management import call_command

    work = WorkFactory()
    WorkSummary.objects.filter(pk=work.pk).update(budget=1, status="planned")
    WorkRollup.objects.all().delete()
    call_command("refresh_work_summaries")
    assert stored_summaries() == live_summaries()
    assert rollups.region_totals("35.19", work.fiscal_year)["budget"] == work.budget
    assert "Summaries of 1 works" in capsys.readouterr().out
