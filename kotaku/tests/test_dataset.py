"""The generated dataset (`generate_dataset --scale small`) keeps every rule of the app,
is the same for the same seed, and its pages render for a generated facilitator."""

import hashlib
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, DecimalField, Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from budgets.models import Allocation, Disbursement, OverrunApproval, Spending
from kotaku.dataset import PREFIX, base, generate
from kotaku.workflow import ReviewStatus
from locations.services import regions_import
from programs.models import Bkm, CommunityGroup, Member
from programs.validators import validate_nik
from slums import scoring
from slums import selectors as slum_selectors
from slums.models import SlumArea, SlumAreaResult, SlumSurvey
from slums.services import rules_for
from works.choices import BUILT, WorkStatus
from works.models import Handover, ProgressReport, Work
from works.selectors import with_progress
from works.services import progress_report_check

MONEY = DecimalField(max_digits=17, decimal_places=0)


@pytest.fixture
def slice_regions(db, wilayah_csv, settings, tmp_path):
    """Aceh and Jawa Timur from the national list: enough for the small scale."""
    settings.MEDIA_ROOT = tmp_path
    lines = wilayah_csv.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines[1:] if line[:3] in ("11,", "11.", "35,", "35.")]
    regions_import(raw="".join([lines[0], *kept]).encode())


@pytest.fixture
def generated(slice_regions):
    generate(scale="small", seed=1, out=lambda line: None)


def _per(model, parent, field="amount", **filters):
    rows = (
        model.objects.filter(**{parent: OuterRef("pk")}, **filters)
        .order_by()
        .values(parent)
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def test_small_scale_keeps_every_rule(generated):
    # Counts in the expected ranges.
    assert Bkm.objects.count() == 24
    assert 24 * 3 <= CommunityGroup.objects.filter(kind="ksm").count() <= 24 * 5
    assert 200 <= Work.objects.count() <= 500
    assert 1_500 <= ProgressReport.objects.count() <= 6_000
    assert (
        SlumSurvey.objects.count() == 5 * SlumSurvey.objects.values("slum_area").distinct().count()
    )
    assert User.objects.filter(username__startswith=PREFIX).count() > 10

    # Money: disbursed ≤ allocated, spent ≤ disbursed, a work within budget + overruns.
    allocations = Allocation.objects.annotate(
        disbursed=_per(Disbursement, "allocation"), spent=_per(Spending, "allocation")
    )
    assert allocations.filter(disbursed__gt=F("amount")).count() == 0
    assert allocations.filter(spent__gt=F("disbursed")).count() == 0
    assert allocations.filter(disbursed__lte=0).count() == 0
    works = Work.objects.annotate(
        spent=_per(Spending, "work"), allowed=_per(OverrunApproval, "work")
    )
    assert works.filter(spent__gt=F("budget") + F("allowed")).count() == 0
    assert OverrunApproval.objects.count() == works.filter(spent__gt=F("budget")).count()
    assert (
        Spending.objects.exclude(work__kelurahan__code__startswith=F("allocation__region")).count()
        == 0
    )

    # Progress never goes back; reports lie between the start and today.
    going_back = ProgressReport.objects.filter(
        work=OuterRef("work"),
        report_date__lt=OuterRef("report_date"),
        physical_progress__gt=OuterRef("physical_progress"),
    )
    assert ProgressReport.objects.filter(Exists(going_back)).count() == 0
    assert ProgressReport.objects.filter(report_date__lt=F("work__planned_start")).count() == 0
    assert ProgressReport.objects.filter(report_date__gt=timezone.localdate()).count() == 0
    assert ProgressReport.objects.filter(spent_to_date__gt=F("work__budget")).count() == (
        ProgressReport.objects.filter(work__overrun_approvals__isnull=False)
        .filter(spent_to_date__gt=F("work__budget"))
        .count()
    )
    # Built works say 100% in their latest approved report; planned ones have no report.
    built = with_progress(Work.objects.filter(status__in=BUILT))
    assert built.exists()
    assert built.exclude(approved_progress=100).count() == 0
    assert Work.objects.filter(status=WorkStatus.PLANNED, reports__isnull=False).count() == 0
    statuses = ProgressReport.objects.values("status").annotate(n=Count("pk"))
    shares = {row["status"]: row["n"] for row in statuses}
    assert shares[ReviewStatus.APPROVED] > 0.8 * sum(shares.values())
    assert set(shares) - {ReviewStatus.APPROVED}  # some wait for review or were returned

    # Builders and KPPs are groups of the work's own kelurahan.
    assert (
        Work.objects.exclude(builder=None).exclude(builder__kelurahan=F("kelurahan")).count() == 0
    )
    assert (
        Work.objects.exclude(builder=None).exclude(builder__kind__in=["ksm", "panitia"]).count()
        == 0
    )
    assert (
        Handover.objects.exclude(kpp=None).exclude(kpp__kelurahan=F("work__kelurahan")).count() == 0
    )
    assert (
        Work.objects.filter(
            status__in=[WorkStatus.HANDED_OVER, WorkStatus.MAINTAINED], handover=None
        ).count()
        == 0
    )

    # Surveys are scored as the app scores them; slum hectares shrink.
    for survey in SlumSurvey.objects.select_related("method").order_by("pk")[:40]:
        values = {v.indicator.code: v.volume for v in survey.values.select_related("indicator")}
        header = {
            name: getattr(survey, name)
            for name in ("area_ha", "buildings", "households", "road_length_m", "drainage_length_m")
        }
        result = scoring.score(rules_for(survey.method), header, values)
        assert (result.total, result.level) == (survey.total_score, survey.level)
    first = SlumSurvey.objects.filter(year=base.FISCAL_YEARS[0]).exclude(level="tidak_kumuh")
    last = SlumSurvey.objects.filter(year=base.FISCAL_YEARS[-1]).exclude(level="tidak_kumuh")
    assert last.aggregate(ha=Sum("area_ha"))["ha"] < first.aggregate(ha=Sum("area_ha"))["ha"]
    # The stored slum results (what the pages read) are what the rules compute.
    areas = SlumArea.objects.order_by("pk")
    fields = ["pk", *slum_selectors.RESULT_FIELDS]
    assert SlumAreaResult.objects.count() == areas.count()
    assert list(slum_selectors.with_results(areas).values(*fields)) == list(
        slum_selectors.compute_results(areas).values(*fields)
    )
    nation = User.objects.get(username=f"{PREFIX}nasional")
    assert slum_selectors.results_by_year(nation, None) == (
        slum_selectors.compute_results_by_year(SlumArea.objects.all())
    )
    # The stored money totals (what the dashboard reads) are the live sums.
    from budgets import selectors as budget_selectors

    def money(result):
        return [
            (row.key, row.allocated, row.disbursed, row.spent, row.pending, row.drill)
            for row in [*result["rows"], *result["by_year_source"]]
        ]

    kabupaten = Allocation.objects.filter(kabupaten__isnull=False).values_list(
        "region_id", flat=True
    )[:1]
    for within in ("", "35", *kabupaten):
        assert money(budget_selectors.realization(nation, within=within)) == money(
            budget_selectors.realization_live(nation, within=within)
        )
        assert budget_selectors.spending_by_month(
            nation, within=within
        ) == budget_selectors.spending_by_month_live(nation, within=within)

    # The works' summaries and rollups (what the dashboards read) are what the rules
    # compute from the generated rows.
    from works.tests.test_summaries import live_summaries, rollup_tables, stored_summaries

    assert stored_summaries() == live_summaries()
    assert len(live_summaries()) == Work.objects.count()
    generated_rollups = rollup_tables()
    from works import rollups

    rollups.rebuild()
    assert generated_rollups == rollup_tables() and generated_rollups[0]

    # Each sampled row passes its model's own checks.
    for member in Member.objects.order_by("pk")[:50]:
        validate_nik(member.nik)
        member.full_clean()
    for model in (Work, Allocation, Spending, Bkm, CommunityGroup, SlumSurvey):
        for row in model.objects.order_by("pk")[:25]:
            row.full_clean()
    for report in ProgressReport.objects.select_related("work").order_by("pk")[:60]:
        report.full_clean()
        progress_report_check(report, report.work)


def test_pages_render_for_a_generated_facilitator(generated, client):
    user = User.objects.get(username=f"{PREFIX}fasilitator-00001")
    work = Work.objects.for_user(user).filter(status=WorkStatus.MAINTAINED).first()
    assert work is not None
    client.force_login(user)
    listing = client.get(reverse("works:work_list"))
    assert listing.status_code == 200
    detail = client.get(reverse("works:work_detail", args=[work.pk]))
    assert detail.status_code == 200
    assert work.name in detail.content.decode()
    other = Work.objects.exclude(kelurahan__in=user.place_codes).first()
    assert client.get(reverse("works:work_detail", args=[other.pk])).status_code == 404


def _digest():
    digest = hashlib.sha256()
    for rows in (
        Work.objects.order_by("pk").values_list("pk", "name", "budget", "status", "status_date"),
        ProgressReport.objects.order_by("pk").values_list(
            "work", "report_date", "physical_progress", "spent_to_date", "status"
        ),
        Spending.objects.order_by("pk").values_list("work", "date", "amount", "status"),
        Disbursement.objects.order_by("pk").values_list("allocation", "date", "amount"),
        Member.objects.order_by("pk").values_list("name", "nik"),
        SlumSurvey.objects.order_by("pk").values_list("slum_area", "year", "total_score", "level"),
    ):
        for row in rows:
            digest.update(repr(row).encode())
    return digest.hexdigest()


class _Undo(Exception):
    pass


def _generated_digest(seed):
    try:
        with transaction.atomic():
            generate(scale="small", seed=seed, out=lambda line: None)
            result = _digest()
            raise _Undo
    except _Undo:
        return result


def test_the_same_seed_gives_the_same_data(slice_regions):
    first = _generated_digest(1)
    assert Work.objects.count() == 0
    assert _generated_digest(1) == first
    assert _generated_digest(2) != first


@pytest.mark.django_db
def test_the_command_needs_regions_and_runs_once(slice_regions, capsys):
    call_command("generate_dataset", "--scale", "small", "--seed", "3")
    out = capsys.readouterr().out
    assert "works and progress:" in out and "rows in" in out
    with pytest.raises(CommandError, match="already holds generated data"):
        call_command("generate_dataset", "--scale", "small")


@pytest.mark.django_db
def test_the_command_refuses_without_regions():
    with pytest.raises(CommandError, match="import_regions"):
        call_command("generate_dataset", "--scale", "small")


@pytest.mark.postgresql_only
@pytest.mark.django_db
def test_a_key_pointing_nowhere_fails_the_stage(slice_regions):
    """With PostgreSQL's row triggers off during a stage, the set-wise check still
    refuses a row whose foreign key points at no row."""
    from budgets.models import FundingSource, TranchePlan

    writer = base.Writer()
    missing = FundingSource.objects.order_by("-pk").first().pk + 1
    with pytest.raises(ValueError, match="point nowhere"), transaction.atomic():
        writer.begin()
        row = {"source_id": missing, "fiscal_year": 2021, "termin": 1, "percentage": 100}
        writer.insert(TranchePlan, [row])
        writer.finish()
    assert not TranchePlan.objects.exists()
