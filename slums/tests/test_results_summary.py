"""The stored results (SlumAreaResult, SlumAreaYearResult) that the pages read are what
the rules (selectors.compute_results, current_ha) give, after every kind of write."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import BUKUR, JAWA_TIMUR, KAB_BONDOWOSO, KAB_MADIUN, KLAGENSERUT, SAMBIREJO
from locations.models import Region, RtRw
from slums import selectors, services
from slums.choices import SurveyKind
from slums.models import SlumArea, SlumAreaResult, SlumAreaYearResult
from slums.tests.factories import HEADER, SlumAreaFactory, make_survey, saved_area

pytestmark = pytest.mark.django_db

HEAVY = dict.fromkeys(["1a", "1c", "7a", "7b"], 200) | dict.fromkeys(
    ["3a", "3b", "5a", "5b", "6a", "6b"], 300
)
MEDIUM = dict.fromkeys(["1a", "1c", "7a"], 150) | {"3a": 120, "5a": 90}
LIGHTER = {"3a": 30}  # not a slum
FIELDS = ["pk", *selectors.RESULT_FIELDS, "reduced_ha"]
BONDOWOSO_DESA = "35.11.11.1007"


def header(ha, households=300):
    return {**HEADER, "area_ha": Decimal(ha), "households": households}


def stored(areas):
    return list(selectors.with_results(areas).order_by("pk").values(*FIELDS))


def live(areas):
    return list(selectors.compute_results(areas).order_by("pk").values(*FIELDS))


def old_results_table(user, region):
    """results_table as it was computed before the results were stored."""
    areas = selectors.compute_results(selectors.results_areas(user, region))
    total = selectors._finish(areas.aggregate(**selectors._totals()))
    rows = list(
        areas.annotate(key=selectors.child_key(region))
        .values("key")
        .annotate(**selectors._totals())
        .order_by("key")
    )
    if region is not None and region.level >= 2:
        rows = [row for row in rows if row["key"] and selectors._within(row["key"], region.code)]
    return [selectors._finish(row) for row in rows], total


def assert_all_agree(users):
    """Per area, the totals by region and the series by year: stored == live."""
    assert stored(SlumArea.objects.all()) == live(SlumArea.objects.all())
    regions = [None, *Region.objects.filter(code__in=[JAWA_TIMUR, KAB_MADIUN, BUKUR])]
    for user in users:
        for region in regions:
            rows, total = selectors.results_table(user, region)
            old_rows, old_total = old_results_table(user, region)
            assert total == old_total, (user, region)
            assert [{k: v for k, v in row.items() if k != "name"} for row in rows] == old_rows
            areas = selectors.results_areas(user, region)
            assert selectors.results_by_year(user, region) == (
                selectors.compute_results_by_year(areas)
            ), (user, region)


@pytest.fixture
def varied(regions):
    """Areas in every state the rules know:
    A: baseline slum → update smaller → final not a slum (all approved, approved out of
       order), plus an approved survey of one RT (does not count);
    B: covers two desa; baseline not a slum, update 2022 slum again, 2024 submitted only;
    C: (Bondowoso) a draft baseline only; D: no survey at all;
    E: an update approved but no baseline; years with gaps (2019, 2023);
    F: baseline approved in 2022 only, so earlier years count its baseline figure."""
    a = SlumAreaFactory(name="A", area_ha=Decimal(12))
    b = SlumAreaFactory(name="B", area_ha=Decimal(5), kelurahan=[KLAGENSERUT, BUKUR])
    c = SlumAreaFactory(
        name="C", area_ha=Decimal(7), kabupaten_id=KAB_BONDOWOSO, kelurahan=[BONDOWOSO_DESA]
    )
    d = SlumAreaFactory(name="D", area_ha=Decimal("3.5"), kelurahan=[SAMBIREJO])
    e = SlumAreaFactory(name="E", area_ha=Decimal(9), kelurahan=[BUKUR])
    f = SlumAreaFactory(name="F", area_ha=Decimal(4), kelurahan=[SAMBIREJO])
    final = make_survey(area=a, year=2023, kind=SurveyKind.FINAL, header=header(8),
                        volumes=LIGHTER, status="verified")  # fmt: skip
    make_survey(area=a, year=2019, header=header(12), volumes=HEAVY, status="approved")
    make_survey(area=a, year=2021, kind=SurveyKind.UPDATE, header=header(8, 250),
                volumes=MEDIUM, status="approved")  # fmt: skip
    services.survey_review(survey=final, user=final.created_by, action="approve")
    unit = RtRw.objects.create(kelurahan_id=KLAGENSERUT, rt=7, rw=2)
    a.rt_rw.add(unit)
    make_survey(area=a, rt=unit, year=2024, kind=SurveyKind.UPDATE, header=header(1),
                volumes=HEAVY, status="approved")  # fmt: skip
    make_survey(area=b, year=2020, header=header(5), volumes=LIGHTER, status="approved")
    make_survey(area=b, year=2022, kind=SurveyKind.UPDATE, header=header(5, 280),
                volumes=MEDIUM, status="approved")  # fmt: skip
    make_survey(area=b, year=2024, kind=SurveyKind.UPDATE, header=header(5), volumes=LIGHTER,
                status="submitted")  # fmt: skip
    make_survey(area=c, year=2021, header=header(7), volumes=HEAVY)
    make_survey(area=e, year=2019, kind=SurveyKind.UPDATE, header=header(9), volumes=HEAVY,
                status="approved")  # fmt: skip
    make_survey(area=e, year=2023, kind=SurveyKind.UPDATE, header=header(6), volumes=MEDIUM,
                status="approved")  # fmt: skip
    make_survey(area=f, year=2022, header=header(4), volumes=HEAVY, status="approved")
    # G: surveyed every year, 2020 changes nothing; H: one baseline in a year of its own
    g = SlumAreaFactory(name="G", area_ha=Decimal(6), kelurahan=[KLAGENSERUT])
    make_survey(area=g, year=2019, header=header(6), volumes=HEAVY, status="approved")
    make_survey(area=g, year=2020, kind=SurveyKind.UPDATE, header=header(6),
                volumes=HEAVY | {"1a": 100}, status="approved")  # fmt: skip
    make_survey(area=g, year=2021, kind=SurveyKind.UPDATE, header=header(6), volumes=LIGHTER,
                status="approved")  # fmt: skip
    h = SlumAreaFactory(name="H", area_ha=Decimal(2), kelurahan=[BUKUR])
    make_survey(area=h, year=2025, header=header(2), volumes=MEDIUM, status="approved")
    return {area.name: area for area in (a, b, c, d, e, f, g, h)}


def test_stored_results_equal_the_rules(varied, national_officer, district_reader, facilitator):
    assert SlumAreaResult.objects.count() == SlumArea.objects.count() == 8
    by_name = {row["pk"]: row for row in stored(SlumArea.objects.all())}
    a = by_name[varied["A"].pk]
    assert (a["baseline_ha"], a["current_ha"], a["level"], a["latest_year"]) == (
        Decimal(12), Decimal(0), "tidak_kumuh", 2023
    )  # fmt: skip
    assert by_name[varied["D"].pk]["level"] is None
    assert_all_agree([national_officer, district_reader, facilitator])
    assert [year for year, _ha in selectors.results_by_year(national_officer, None)] == [
        2019, 2020, 2021, 2022, 2023, 2025
    ]  # fmt: skip
    # G's 2020 and H's only year have no row: they come from the spans
    assert not SlumAreaYearResult.objects.filter(area=varied["H"]).exists()
    assert not SlumAreaYearResult.objects.filter(area=varied["G"], year=2020).exists()


def test_an_edited_area_refreshes_its_results(varied, national_officer, district_reader):
    area = varied["D"]
    services.slum_area_save(
        area=area, kelurahan=Region.objects.filter(code=SAMBIREJO), area_ha=Decimal("6.25")
    )
    assert SlumAreaResult.objects.get(pk=area.pk).baseline_ha == Decimal("6.25")
    # the kabupaten changes with its kelurahan: the stored row follows
    services.slum_area_save(
        area=varied["B"],
        kelurahan=Region.objects.filter(code=BONDOWOSO_DESA),
        kabupaten=Region.objects.get(code=KAB_BONDOWOSO),
    )
    assert SlumAreaResult.objects.get(pk=varied["B"].pk).kabupaten_id == KAB_BONDOWOSO
    assert_all_agree([national_officer, district_reader])


def test_a_new_area_has_its_row_at_once(regions, national_officer):
    area = saved_area()
    row = SlumAreaResult.objects.get(pk=area.pk)
    assert (row.baseline_ha, row.current_ha, row.level, row.area_ha) == (
        Decimal("2.5"), Decimal("2.5"), None, Decimal("2.5")
    )  # fmt: skip
    _rows, total = selectors.results_table(national_officer, None)
    assert total["areas"] == 1 and total["sk_ha"] == Decimal("2.5")


def test_only_approval_changes_the_results(regions, national_officer):
    area = SlumAreaFactory(area_ha=Decimal(10))
    survey = make_survey(area=area, year=2020, header=header(6), volumes=HEAVY, status="verified")
    assert SlumAreaResult.objects.get(pk=area.pk).current_ha == Decimal(10)
    assert not SlumAreaYearResult.objects.exists()
    services.survey_review(survey=survey, user=survey.created_by, action="approve")
    row = SlumAreaResult.objects.get(pk=area.pk)
    assert (row.baseline_ha, row.current_ha, row.level) == (Decimal(6), Decimal(6), "sedang")
    assert (row.first_year, row.latest_year, row.every_year) == (2020, 2020, True)
    # a year that changes nothing in an area surveyed every year needs no row
    assert not SlumAreaYearResult.objects.exists()
    assert selectors.results_by_year(national_officer, None) == [(2020, Decimal(6))]
    later = make_survey(area=area, year=2022, kind=SurveyKind.UPDATE, header=header(6),
                        volumes=LIGHTER, status="approved")  # fmt: skip
    row = SlumAreaResult.objects.get(pk=area.pk)
    assert (row.first_year, row.latest_year, row.every_year) == (2020, 2022, False)
    assert list(
        SlumAreaYearResult.objects.filter(area=area).values_list("year", "slum_ha", "change_ha")
    ) == [(2020, Decimal(6), Decimal(0)), (2022, Decimal(0), Decimal(-6))]
    assert selectors.results_by_year(national_officer, None) == [
        (2020, Decimal(6)), (2022, Decimal(0))
    ]  # fmt: skip
    assert later.status == "approved"


def test_the_refresh_locks_the_areas_and_takes_fixed_queries(varied):
    ids = [area.pk for area in varied.values()]
    with CaptureQueriesContext(connection) as few:
        services.slum_area_results_refresh(area_ids=ids[:1])
    with CaptureQueriesContext(connection) as many:
        services.slum_area_results_refresh(area_ids=ids)
    few, many = (
        [q["sql"] for q in captured if "SAVEPOINT" not in q["sql"]]
        for captured in (few.captured_queries, many.captured_queries)
    )
    assert len(many) == len(few) <= 6
    if connection.features.has_select_for_update:
        assert "FOR UPDATE" in many[0]


def test_the_command_repairs_rows_changed_by_hand(varied, national_officer, capsys):
    SlumAreaResult.objects.filter(pk=varied["A"].pk).update(current_ha=Decimal(99))
    SlumAreaYearResult.objects.filter(area=varied["B"]).delete()
    SlumAreaResult.objects.filter(pk=varied["E"].pk).delete()
    # an area without a stored row still lists with its SK area
    row = selectors.with_results(SlumArea.objects.filter(pk=varied["E"].pk)).get()
    assert (row.baseline_ha, row.current_ha, row.level) == (Decimal(9), Decimal(9), None)
    call_command("refresh_slum_results")
    assert "8 slum areas" in capsys.readouterr().out
    assert_all_agree([national_officer])
    call_command("refresh_slum_results", "--area", str(varied["A"].pk))
    assert "1 slum areas" in capsys.readouterr().out


def test_admin_saves_refresh_the_results(varied, client_for, national_officer):
    national_officer.is_staff = True
    national_officer.save()
    area = varied["D"]
    client = client_for(national_officer)
    response = client.post(
        reverse("admin:slums_slumarea_change", args=[area.pk]),
        {
            "name": area.name, "sk_number": area.sk_number, "sk_date": "2020-03-02",
            "sk_issued_by": "Bupati", "area_ha": "8.75", "location_kind": "peningkatan",
            "kabupaten": KAB_MADIUN, "kelurahan": [SAMBIREJO], "outline_text": "",
            "version": area.version,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert SlumAreaResult.objects.get(pk=area.pk).baseline_ha == Decimal("8.75")
    value = varied["A"].surveys.get(year=2023).values.get(indicator__code="3a")
    response = client.post(
        reverse("admin:slums_surveyindicatorvalue_delete", args=[value.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert SlumAreaResult.objects.get(pk=varied["A"].pk).no_water is None
    assert_all_agree([national_officer])


def test_deleting_an_area_deletes_its_rows(varied):
    area = varied["D"]
    area.delete()
    assert not SlumAreaResult.objects.filter(pk=area.pk).exists()


def test_results_by_year_without_any_approved_survey(regions, national_officer):
    SlumAreaFactory()
    assert selectors.results_by_year(national_officer, None) == []


@pytest.mark.postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_approvals_in_one_area_are_all_counted(regions, national_officer):
    """Three surveys of one area approved at the same moment: each refresh waits for the
    area lock and sees the approvals committed before it, so the last one is complete."""
    from django.db import connections

    from kotaku.tests.test_locking import run_together

    area = SlumAreaFactory(area_ha=Decimal(12))
    other = SlumAreaFactory(area_ha=Decimal(3), kelurahan=[BUKUR])
    surveys = [
        make_survey(area=area, year=2019, header=header(12), volumes=HEAVY, status="verified"),
        make_survey(
            area=area,
            year=2020,
            kind=SurveyKind.UPDATE,
            header=header(9),
            volumes=MEDIUM,
            status="verified",
        ),  # fmt: skip
        make_survey(
            area=area,
            year=2021,
            kind=SurveyKind.UPDATE,
            header=header(9),
            volumes=LIGHTER,
            status="verified",
        ),  # fmt: skip
        make_survey(area=other, year=2021, header=header(3), volumes=HEAVY, status="verified"),
    ]

    def approve(index):
        services.survey_review(
            survey=surveys[index], user=surveys[index].created_by, action="approve"
        )

    assert run_together(len(surveys), approve) == [None] * len(surveys)
    connections.close_all()
    assert stored(SlumArea.objects.all()) == live(SlumArea.objects.all())
    assert selectors.results_by_year(national_officer, None) == (
        selectors.compute_results_by_year(SlumArea.objects.all())
    )
