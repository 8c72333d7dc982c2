"""Programs lists (BKM, groups, RPLP, RKM, RP2KPKP, events, facilitator coverage) through
the one list recipe (kotaku.lists)."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import BUKUR, KLAGENSERUT, SAMBIREJO, TANJUNGSARI
from kotaku.tests.listing import (
    ListSpec,
    check_pagination,
    check_query_ceiling,
    check_sorted_page_and_exports,
    column,
    csv_rows,
    in_english,
)
from locations.models import Region
from programs import services
from programs.views import events, institutions, people, plans

from .factories import BkmFactory, make_event, make_group, make_member, make_proposal, region

pytestmark = pytest.mark.django_db


def _bkm(code, name, n):
    return BkmFactory(kelurahan=region(code), name=name)


def _group(code, name, n):
    return make_group(code, name=name)


def _rplp(code, name, n):
    return services.rplp_create(kelurahan=region(code), title=name, document_status="draft")


def _rkm(code, name, n):
    return make_proposal(code, priority=n + 1, work_type=name)


def _event(code, name, n):
    return make_event(codes=(code,), title=name)


def _plan(code, name, n):
    kabupaten = ".".join(code.split(".")[:2])
    return services.rp2kpkp_create(
        kabupaten=region(kabupaten), title=name, start_year=2000 + 5 * n, end_year=2004 + 5 * n
    )


def spec(url_name, context, header, sort, key="name"):
    return ListSpec(
        reverse(f"programs:{url_name}"), context, lambda r: getattr(r, key), header, sort
    )


LISTS = {
    "bkm": (spec("bkm_list", "bkms", "Name", "name"), _bkm, institutions.BkmListView),
    "group": (
        spec("group_list", "groups", "Name", "name"),
        _group,
        institutions.CommunityGroupListView,
    ),
    "rplp": (spec("rplp_list", "plans", "Title", "title", "title"), _rplp, plans.RplpListView),
    "rkm": (
        spec("rkm_list", "proposals", "Work", "work", "work_type"),
        _rkm,
        plans.RkmProposalListView,
    ),
    "event": (
        spec("event_list", "events", "Title", "title", "title"),
        _event,
        events.EventListView,
    ),
}
NAMES = list(LISTS)
# A in Klagenserut, B in Bukur (the facilitator's), C in Sambirejo (Madiun), P in Pacitan.
ROWS = [("A", KLAGENSERUT), ("B", BUKUR), ("C", SAMBIREJO), ("P", TANJUNGSARI)]


@pytest.fixture
def rows(regions, name):
    make = LISTS[name][1]
    for n, (label, code) in enumerate(ROWS):
        make(code, f"{name} {label}", n)


def labels(name, *letters):
    return [f"{name} {letter}" for letter in letters]


@pytest.mark.parametrize("name", NAMES)
def test_region_filter_sorts_both_ways_and_exports_the_same_rows(
    client_for, rows, national_officer, name
):
    client = in_english(client_for(national_officer))
    spec_ = LISTS[name][0]
    check_sorted_page_and_exports(client, spec_, {"region": "35.19"}, labels(name, "A", "B", "C"))
    check_sorted_page_and_exports(client, spec_, {"region": BUKUR}, labels(name, "B"))


@pytest.mark.parametrize("name", NAMES)
def test_pagination_keeps_filters_and_sort(client_for, rows, national_officer, name, monkeypatch):
    spec_, _make, view = LISTS[name]
    client = in_english(client_for(national_officer))
    check_pagination(
        client, spec_, {"region": "35.19"}, labels(name, "A", "B", "C"), view, monkeypatch
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", NAMES)
def test_exports_are_scoped_like_the_pages(client_for, rows, facilitator, outsider, name, fmt):
    spec_ = LISTS[name][0]
    mine = spec_.exported_keys(in_english(client_for(facilitator)), {"sort": spec_.sort}, fmt)
    assert mine == labels(name, "A", "B")
    client = in_english(client_for(outsider))
    assert spec_.exported_keys(client, {"region": "35.19"}, fmt) == []
    assert spec_.exported_keys(client, {}, fmt) == labels(name, "P")


@pytest.mark.parametrize("name", NAMES)
def test_query_count_does_not_grow_with_rows(
    client_for, regions, district_reader, django_assert_max_num_queries, name
):
    spec_, make, _view = LISTS[name]
    client = in_english(client_for(district_reader))
    desa = itertools.cycle(
        Region.objects.filter(code__startswith="35.19.", level=4).values_list("code", flat=True)[
            :12
        ]
    )
    counter = itertools.count()

    def make_rows(count):
        for _n in range(count):
            n = next(counter)
            make(next(desa), f"{name} {n:02d}", n)

    check_query_ceiling(
        client,
        spec_.url,
        {"sort": spec_.sort},
        make_rows,
        django_assert_max_num_queries,
        16 if name == "event" else 14,  # events add their totals tables
    )


def test_year_filters_and_their_former_names(client_for, regions, national_officer):
    make_proposal(KLAGENSERUT, year=2020, work_type="Old")
    make_proposal(KLAGENSERUT, year=2021, work_type="New")
    make_event(title="Early", start=datetime.date(2020, 2, 1))
    make_event(title="Late", start=datetime.date(2021, 2, 1))
    client = in_english(client_for(national_officer))
    rkm, event = LISTS["rkm"][0], LISTS["event"][0]
    for params in ({"fiscal_year": 2021}, {"year": 2021}):
        assert rkm.keys(client.get(rkm.url, params)) == ["New"]
        assert event.keys(client.get(event.url, params)) == ["Late"]


def test_bkm_sorts_by_member_counts(client_for, regions, national_officer):
    small, big = _bkm(KLAGENSERUT, "Small", 0), _bkm(BUKUR, "Big", 1)
    make_member(small, name="Siti")
    for name in ("Ani", "Budi", "Citra"):
        make_member(big, name=name)
    make_group(BUKUR, name="KSM 1")
    make_group(BUKUR, name="KSM 2", kind="kpp")
    client = in_english(client_for(national_officer))
    response = client.get(LISTS["bkm"][0].url, {"sort": "-members"})
    assert [(b.name, b.member_count) for b in response.context["bkms"]] == [
        ("Big", 3),
        ("Small", 1),
    ]


def test_bkm_and_group_lists_count_and_page_without_reading_members(
    client_for, regions, national_officer
):
    """The member counts are read for the page's rows only: the count and the page's
    keys do not touch the members (at national scale they joined every member row)."""
    bkm = _bkm(KLAGENSERUT, "Klagenserut", 0)
    group = make_group(KLAGENSERUT, name="KSM Mawar")
    make_member(bkm, name="Siti", sex="P")
    for name in ("Ani", "Budi"):
        make_member(group, name=name, sex="L")
    client = in_english(client_for(national_officer))
    for url, name, counts in (
        (LISTS["bkm"][0].url, "bkms", (1, 0, 1)),
        (reverse("programs:group_list"), "groups", (2, 2, 0)),
    ):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        (row,) = response.context[name]
        assert (row.member_count, row.men_count, row.women_count) == counts
        reading = [q["sql"] for q in queries if "programs_member" in q["sql"]]
        # Only the page's rows, read by their keys.
        assert len(reading) == 1 and f'."id" IN ({row.pk})' in reading[0], reading


# RP2KPKP: plans of a kabupaten


PLANS = spec("rp2kpkp_list", "plans", "Title", "title", "title")


@pytest.fixture
def district_plans(regions):
    _plan("35.19.09.2010", "Plan A", 0)
    _plan("35.19.09.2010", "Plan B", 1)
    _plan("35.11.01.1001", "Plan C", 0)
    _plan(TANJUNGSARI, "Plan P", 0)


def test_rp2kpkp_filters_sorts_exports_and_scopes(
    client_for, district_plans, national_officer, facilitator, outsider, monkeypatch
):
    client = in_english(client_for(national_officer))
    check_sorted_page_and_exports(client, PLANS, {"region": "35.19"}, ["Plan A", "Plan B"])
    check_sorted_page_and_exports(
        client, PLANS, {"fiscal_year": 2003}, ["Plan A", "Plan C", "Plan P"]
    )
    check_pagination(
        client,
        PLANS,
        {"region": "35"},
        ["Plan A", "Plan B", "Plan C", "Plan P"],
        plans.Rp2kpkpListView,
        monkeypatch,
    )
    for fmt in ("csv", "xlsx"):
        assert PLANS.exported_keys(in_english(client_for(facilitator)), {"sort": "title"}, fmt) == [
            "Plan A",
            "Plan B",
        ]
        assert PLANS.exported_keys(in_english(client_for(outsider)), {"region": "35.19"}, fmt) == []


def test_rp2kpkp_query_count_does_not_grow(
    client_for, regions, district_reader, django_assert_max_num_queries
):
    counter = itertools.count()
    client = in_english(client_for(district_reader))

    def make_rows(count):
        for _n in range(count):
            n = next(counter)
            _plan(KLAGENSERUT, f"Plan {n}", n)

    check_query_ceiling(
        client, PLANS.url, {"sort": "-title"}, make_rows, django_assert_max_num_queries, 13
    )


# Facilitator coverage


COVERAGE = ListSpec(
    reverse("programs:coverage"), "kelurahan_list", lambda r: r.code, "Code", "code"
)


@pytest.fixture
def program(regions):
    for code in (KLAGENSERUT, BUKUR, SAMBIREJO, TANJUNGSARI):
        BkmFactory(kelurahan=region(code))


def test_coverage_filters_sorts_and_exports(
    client_for, program, facilitator, district_editor, monkeypatch
):
    from programs.models import FacilitatorProfile

    FacilitatorProfile.objects.create(user=facilitator, position="fasilitator", phone="0812")
    client = in_english(client_for(district_editor))
    check_sorted_page_and_exports(
        client, COVERAGE, {"region": "35.19"}, [BUKUR, SAMBIREJO, KLAGENSERUT]
    )
    check_sorted_page_and_exports(client, COVERAGE, {"uncovered": "1"}, [SAMBIREJO])
    check_pagination(
        client,
        COVERAGE,
        {"region": "35.19"},
        [BUKUR, SAMBIREJO, KLAGENSERUT],
        people.CoverageView,
        monkeypatch,
    )
    rows = csv_rows(client.get(COVERAGE.url, {"sort": "code", "export": "csv"}))
    assert column(rows, "Covered") == ["yes", "no", "yes"]
    # The phone shows in the export as on the page, to the officers who may open it.
    assert "0812" in column(rows, "Covered by")[0]
    assert column(rows, "Covered by")[1] == ""


def test_coverage_export_is_scoped_and_not_for_facilitators(
    client_for, program, facilitator, make_user
):
    assert client_for(facilitator).get(COVERAGE.url, {"export": "csv"}).status_code == 403
    reader = make_user("askot-pacitan", "city_coordinator", ["35.01"])
    assert COVERAGE.exported_keys(in_english(client_for(reader)), {}, "xlsx") == [TANJUNGSARI]


def test_coverage_query_count_does_not_grow(
    client_for, regions, district_editor, django_assert_max_num_queries
):
    desa = iter(
        Region.objects.filter(code__startswith="35.19.", level=4).values_list("code", flat=True)[
            :12
        ]
    )
    client = in_english(client_for(district_editor))

    def make_rows(count):
        for _n in range(count):
            BkmFactory(kelurahan=region(next(desa)))

    check_query_ceiling(
        client, COVERAGE.url, {"sort": "-name"}, make_rows, django_assert_max_num_queries, 15
    )


@pytest.mark.parametrize(
    "view, name",
    [
        (institutions.BkmListView, "bkm"),
        (institutions.CommunityGroupListView, "group"),
        (plans.RplpListView, "rplp"),
        (plans.RkmProposalListView, "rkm"),
        (plans.Rp2kpkpListView, "rp2kpkp"),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_the_new_button_follows_the_users_right(
    client_for, regions, district_editor, district_reader, view, name
):
    """The lists are rendered once per their rows and `can_add` (kotaku.lists), which
    stands for the user's right to add one."""
    url = reverse(f"programs:{name}_list")
    button = f'href="{reverse(f"programs:{name}_create")}"'
    seen = {}
    for user in (district_editor, district_reader, district_editor):
        seen[user.username] = button in client_for(user).get(url).content.decode()
        assert seen[user.username] == user.has_perm(view.add_permission)
    assert seen == {district_editor.username: True, district_reader.username: False}
