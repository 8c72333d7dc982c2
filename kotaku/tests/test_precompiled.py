"""Queries compiled once per scope return what the ORM returns, converted the same way."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.db.models import Count, DecimalField, Min, Q, Sum, Value
from django.db.models.functions import Coalesce

from accounts.backends import AccessBackend
from accounts.models import User
from conftest import KLAGENSERUT, TANJUNGSARI
from kotaku.precompiled import PLACEHOLDER, ByKey, RowsByKeys, Statements, aggregating
from works import detail_cache
from works.models import Work
from works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

MONEY = DecimalField(max_digits=17, decimal_places=2)
FIELDS = [field.attname for field in Work._meta.concrete_fields]


@pytest.fixture
def works(regions):
    return [
        WorkFactory(
            name="Jalan Mawar",
            kelurahan_id=KLAGENSERUT,
            budget=Decimal("150000000.00"),
            planned_start=datetime.date(2024, 3, 1),
            planned_end=datetime.date(2024, 9, 30),
        ),
        WorkFactory(name="Drainase Pacitan", kelurahan_id=TANJUNGSARI),
    ]


def test_a_row_is_the_orms_row_with_its_types(works):
    rows = ByKey(lambda _scope: Work.objects.filter(pk=PLACEHOLDER).values_list(*FIELDS))
    for work in works:
        assert rows.fetch(None, work.pk) == list(
            Work.objects.filter(pk=work.pk).values_list(*FIELDS).get()
        )
    row = dict(zip(FIELDS, rows.fetch(None, works[0].pk), strict=True))
    assert row["budget"] == Decimal("150000000.00") and isinstance(row["budget"], Decimal)
    assert row["planned_start"] == datetime.date(2024, 3, 1)
    assert rows.fetch(None, 10**9) is None


def test_compiled_once_per_scope(works):
    built = []

    def build(scope):
        built.append(scope)
        return Work.objects.filter(pk=PLACEHOLDER, kelurahan_id__in=scope).values_list("name")

    rows = ByKey(build)
    assert rows.fetch((KLAGENSERUT,), works[0].pk) == ["Jalan Mawar"]
    assert rows.fetch((KLAGENSERUT,), works[1].pk) is None  # outside that scope
    assert rows.fetch((TANJUNGSARI,), works[1].pk) == ["Drainase Pacitan"]
    assert built == [(KLAGENSERUT,), (TANJUNGSARI,)]


def test_the_placeholder_must_be_there_once(regions):
    rows = ByKey(lambda _scope: Work.objects.filter(name="x").values_list("name"))
    with pytest.raises(ValueError, match="placeholder"):
        rows.fetch(None, 1)


def test_the_work_page_row_follows_the_users_scope(works, facilitator, outsider, national_officer):
    for user in (facilitator, outsider, national_officer):
        for work in works:
            expected = detail_cache.work_page_queryset(user).filter(pk=work.pk).first()
            row = detail_cache.work_page_row(user, work.pk)
            if expected is None:
                assert row is None
            else:
                assert [getattr(row, name) for name in FIELDS] == [
                    getattr(expected, name) for name in FIELDS
                ]
                assert row._page_state == expected._page_state
                assert not row._state.adding
    assert detail_cache.work_page_row(facilitator, works[1].pk) is None  # Pacitan


def test_the_backend_loads_the_same_user(facilitator):
    user = AccessBackend().get_user(str(facilitator.pk))
    expected = User.objects.get(pk=facilitator.pk)
    assert [getattr(user, f.attname) for f in User._meta.concrete_fields] == [
        getattr(expected, f.attname) for f in User._meta.concrete_fields
    ]
    assert AccessBackend().get_user("not a number") is None
    User.objects.filter(pk=facilitator.pk).update(is_active=False)
    assert AccessBackend().get_user(facilitator.pk) is None


def test_a_full_memory_starts_over(works):
    rows = ByKey(
        lambda scope: Work.objects.filter(pk=PLACEHOLDER, name__in=scope).values_list("name")
    )
    with mock.patch("kotaku.precompiled.MAX_SCOPES", 2):
        rows.fetch(("a",), works[0].pk)
        rows.fetch(("b",), works[0].pk)
        assert len(rows.compiled) == 2
        assert rows.fetch(("Jalan Mawar",), works[0].pk) == ["Jalan Mawar"]
        assert list(rows.compiled) == [("Jalan Mawar",)]


# --- Statements: compiled once per key --------------------------------------------------------


def test_statement_rows_are_the_orms_in_every_shape(works):
    compiled = Statements()
    works_qs = Work.objects.order_by("pk")
    shapes = {
        "dicts": lambda: works_qs.values("name", "budget", "planned_start"),
        "tuples": lambda: works_qs.values_list("planned_start", "name", "budget"),
        "flat": lambda: works_qs.values_list("budget", flat=True),
        "grouped": lambda: (
            Work.objects.values("kelurahan_id")
            .annotate(n=Count("pk"), total=Sum("budget"))
            .order_by("kelurahan_id")
            .values_list("total", "kelurahan_id", "n")
        ),
    }
    for name, build in shapes.items():
        assert compiled.rows(name, build) == list(build()), name
    assert isinstance(compiled.rows("flat", shapes["flat"])[0], Decimal)


def test_scalar_runs_the_sql_django_compiled_for_a_count(works, django_assert_num_queries):
    compiled = Statements()
    counted = []

    def count(queryset):
        counted.append(1)
        return queryset.count()

    mawar = Work.objects.filter(name__startswith="Jalan")
    assert compiled.scalar("mawar", lambda: count(mawar)) == 1
    WorkFactory(name="Jalan Melati", kelurahan_id=TANJUNGSARI)
    with django_assert_num_queries(1):
        assert compiled.scalar("mawar", lambda: count(mawar)) == 2  # the rows of now
    assert counted == [1]  # built once
    # A count that needs no query (nothing can match) needs none later either.
    with django_assert_num_queries(0):
        assert compiled.scalar("none", lambda: Work.objects.none().count()) == 0
        assert compiled.scalar("none", lambda: Work.objects.none().count()) == 0
    with pytest.raises(ValueError, match="one query"):
        compiled.scalar("two", lambda: (Work.objects.count(), Work.objects.count()))


def test_instances_are_the_orms_instances(works):
    compiled = Statements()
    build = lambda: Work.objects.order_by("-pk")  # noqa: E731
    got = compiled.instances("works", Work, build)
    assert [[getattr(w, f) for f in FIELDS] for w in got] == [
        [getattr(w, f) for f in FIELDS] for w in build()
    ]
    assert not got[0]._state.adding and got[0]._state.db == "default"


def test_one_is_the_orms_aggregate_even_when_nothing_matches(works):
    compiled = Statements()
    aggregates = {
        "n": Count("pk"),
        "mawar": Count("pk", filter=Q(name__icontains="mawar")),
        "total": Sum("budget"),
        "first": Min("planned_start"),
        "safe_total": Coalesce(Sum("budget"), Value(Decimal(0)), output_field=MONEY),
    }
    cases = {
        "all": Work.objects.all(),
        "one place": Work.objects.filter(kelurahan_id=KLAGENSERUT),
        "none": Work.objects.filter(pk__in=[]),  # compiles to a false WHERE, still one row
        "no row": Work.objects.filter(name="no such work"),
    }
    for name, queryset in cases.items():
        got = compiled.one(name, lambda queryset=queryset: aggregating(queryset, **aggregates))
        assert got == queryset.aggregate(**aggregates), name
    assert compiled.one("none", None)["n"] == 0  # compiled once: `build` is not called again


def test_a_statement_reads_the_rows_of_now(works):
    """Only the SQL is kept: a changed or added row shows on the next call."""
    compiled = Statements()

    def build():
        return aggregating(Work.objects.all(), n=Count("pk"), total=Sum("budget"))

    before = compiled.one("works", build)
    WorkFactory(kelurahan_id=KLAGENSERUT, budget=Decimal("1000000.00"))
    after = compiled.one("works", build)
    assert after["n"] == before["n"] + 1
    assert after["total"] == before["total"] + Decimal("1000000.00")


def test_statements_keep_at_most_their_limit(works):
    compiled = Statements(limit=2)
    for key in ("a", "b", "c"):
        compiled.rows(key, lambda: Work.objects.values_list("pk", flat=True))
    assert list(compiled.compiled) == ["b", "c"]


def test_aggregating_refuses_what_aggregate_would_wrap_in_a_subquery():
    for queryset in (
        Work.objects.distinct(),
        Work.objects.all()[:5],
        Work.objects.values("kelurahan_id").annotate(n=Count("pk")),
    ):
        with pytest.raises(ValueError):
            aggregating(queryset, n=Count("pk"))


# --- RowsByKeys: a list page's rows --------------------------------------------------------


def test_rows_by_keys_are_the_selectors_rows_in_the_keys_order(works, national_officer):
    from works.selectors import work_list_queryset

    rows = RowsByKeys()
    built = []

    def build():
        built.append(1)
        return work_list_queryset(national_officer)

    keys = [works[1].pk, works[0].pk]
    got = rows.fetch("works", build, keys)
    assert [work.pk for work in got] == keys
    expected = {work.pk: work for work in work_list_queryset(national_officer)}
    for work in got:
        orm = expected[work.pk]
        assert work.kelurahan.name == orm.kelurahan.name  # select_related kept
        assert (work.approved_progress, work.flag_stale) == (orm.approved_progress, orm.flag_stale)
        assert [getattr(work, f) for f in FIELDS] == [getattr(orm, f) for f in FIELDS]
    assert [work.pk for work in rows.fetch("works", build, keys[::-1])] == keys[::-1]
    assert [work.pk for work in rows.fetch("works", build, keys[:1])] == keys[:1]
    assert len(built) == 2  # once for two keys, once for one
    assert rows.fetch("works", build, []) == []
    # Their key: the keys and the database's rows, which follow any change of a value.
    before = rows.fetch("works", build, keys).key
    assert before == rows.fetch("works", build, keys).key
    assert before[0] == tuple(keys)
    Work.objects.filter(pk=works[0].pk).update(volume=Decimal("141"))
    assert rows.fetch("works", build, keys).key != before


def test_rows_by_keys_builds_the_instances_when_first_read(works, national_officer):
    from django.db.models.signals import post_init

    from works.selectors import work_list_queryset

    built = []

    def count(sender, instance, **kwargs):
        built.append(instance.pk)

    keys = [works[1].pk, works[0].pk]
    post_init.connect(count, sender=Work)
    try:
        got = RowsByKeys().fetch("works", lambda: work_list_queryset(national_officer), keys)
        assert len(got) == 2 and got and got.key[0] == tuple(keys)
        assert built == []  # counted and keyed from the database's rows alone
        assert [work.pk for work in got] == keys
        assert built == keys  # once, on first read
        assert got[0].pk == keys[0] and works[0] in got and list(reversed(got))[0].pk == keys[1]
        assert built == keys
    finally:
        post_init.disconnect(count, sender=Work)


def test_rows_by_keys_with_text_keys(regions):
    from locations.models import Region

    rows = RowsByKeys()
    codes = [TANJUNGSARI, KLAGENSERUT]
    got = rows.fetch("regions", lambda: Region.objects.select_related("parent"), codes)
    assert [(region.code, region.parent_id) for region in got] == [
        (code, Region.objects.get(code=code).parent_id) for code in codes
    ]


def test_each_thread_compiles_its_own_rows(works):
    import threading

    rows = RowsByKeys()
    rows.fetch("works", lambda: Work.objects.all(), [works[0].pk])
    seen = []
    thread = threading.Thread(target=lambda: seen.append(len(rows.compiled)))
    thread.start()
    thread.join()
    assert seen == [0] and len(rows.compiled) == 1
