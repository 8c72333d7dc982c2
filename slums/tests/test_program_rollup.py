"""The stored program counts (ProgramRollup) that the dashboards read for a user who sees
a whole region are what the slum areas' kelurahan give, after every kind of write."""

from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from conftest import BUKUR, KAB_BONDOWOSO, KAB_MADIUN, KLAGENSERUT, SAMBIREJO
from dashboards import selectors as dashboards
from locations.models import Region
from slums import services
from slums.models import ProgramRollup, SlumArea
from slums.tests.factories import SlumAreaFactory, saved_area

pytestmark = pytest.mark.django_db

BONDOWOSO_DESA = "35.11.11.1007"


def live_counts():
    """{code: (kelurahan, upgrading, prevention, areas)} counted from the pairs in Python."""
    counts = {}
    pairs = SlumArea.kelurahan.through.objects.values_list(
        "region_id", "slumarea_id", "slumarea__location_kind"
    )
    for kelurahan, area, kind in pairs:
        parts = kelurahan.split(".")
        for depth in range(1, 5):
            code = ".".join(parts[:depth])
            entry = counts.setdefault(code, (set(), set(), set(), set()))
            entry[0].add(kelurahan)
            {"peningkatan": entry[1], "pencegahan": entry[2]}[kind].add(kelurahan)
            entry[3].add(area)
    return {code: tuple(len(part) for part in entry) for code, entry in counts.items()}


def stored_counts():
    return {
        row.code: (row.kelurahan, row.upgrading, row.prevention, row.areas)
        for row in ProgramRollup.objects.all()
    }


def assert_agree():
    assert stored_counts() == live_counts()
    for row in ProgramRollup.objects.all():
        assert row.parent == row.code.rpartition(".")[0]


@pytest.fixture
def areas(regions):
    return {
        "A": SlumAreaFactory(name="A", kelurahan=[KLAGENSERUT, SAMBIREJO]),
        "B": SlumAreaFactory(name="B", kelurahan=[KLAGENSERUT], location_kind="pencegahan"),
        "C": SlumAreaFactory(name="C", kelurahan=[BUKUR]),
    }


def test_the_stored_counts_are_those_of_the_areas(areas):
    assert_agree()
    assert stored_counts()[KLAGENSERUT] == (1, 1, 1, 2)


def test_saving_an_area_recounts_its_places(areas):
    services.slum_area_save(
        area=areas["A"], kelurahan=Region.objects.filter(code=BUKUR), location_kind="pencegahan"
    )
    assert_agree()
    # moved to another kabupaten: both are recounted
    services.slum_area_save(
        area=areas["C"],
        kelurahan=Region.objects.filter(code=BONDOWOSO_DESA),
        kabupaten=Region.objects.get(code=KAB_BONDOWOSO),
    )
    assert_agree()
    assert BONDOWOSO_DESA in stored_counts()
    new = saved_area(code=SAMBIREJO, sk_number="2/2024")
    assert new.pk and SAMBIREJO in stored_counts()
    assert_agree()


def test_admin_save_and_delete_recount(areas, client_for, national_officer):
    national_officer.is_staff = True
    national_officer.save()
    client = client_for(national_officer)
    area = areas["B"]
    response = client.post(
        reverse("admin:slums_slumarea_change", args=[area.pk]),
        {
            "name": area.name, "sk_number": area.sk_number, "sk_date": "2020-03-02",
            "sk_issued_by": "Bupati", "area_ha": "8.75", "location_kind": "peningkatan",
            "kabupaten": KAB_MADIUN, "kelurahan": [SAMBIREJO, BUKUR], "outline_text": "",
            "version": area.version,
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_agree()
    response = client.post(
        reverse("admin:slums_slumarea_delete", args=[areas["C"].pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not SlumArea.objects.filter(pk=areas["C"].pk).exists()
    assert_agree()


def test_the_command_repairs_counts_changed_by_hand(areas, capsys):
    ProgramRollup.objects.filter(code=KLAGENSERUT).update(kelurahan=99)
    ProgramRollup.objects.filter(code=BUKUR).delete()
    call_command("refresh_slum_results")
    assert "Program counts" in capsys.readouterr().out
    assert_agree()


def test_dashboards_read_the_same_counts_either_way(areas, national_officer, district_editor):
    """The stored rows (read for a user who sees the whole region) and the live count
    (for anyone else) give the same figures, for a region and for its children."""
    codes = ("", KAB_MADIUN.split(".")[0], KAB_MADIUN)
    with mock.patch.object(dashboards.rollups, "covers", return_value=False):
        live = {code: dashboards.program_figures(national_officer, code) for code in codes}
        live_children = {
            code: [(c.code, c.n_kelurahan, c.n_areas) for c in dashboards.child_rows(
                national_officer, code)]
            for code in codes
        }  # fmt: skip
    stored = {code: dashboards.program_figures(national_officer, code) for code in codes}
    stored_children = {
        code: [(c.code, c.n_kelurahan, c.n_areas) for c in dashboards.child_rows(
            national_officer, code)]
        for code in codes
    }  # fmt: skip
    assert live == stored
    assert live_children == stored_children
    assert stored[""] == {"kelurahan": 3, "upgrading": 3, "prevention": 1}
    # The district editor sees only Kabupaten Madiun: the same figures there.
    assert dashboards.program_figures(district_editor, KAB_MADIUN) == stored[KAB_MADIUN]
