"""Queries compiled once per scope return what the ORM returns, converted the same way."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest

from accounts.backends import AccessBackend
from accounts.models import User
from conftest import KLAGENSERUT, TANJUNGSARI
from kotaku.precompiled import PLACEHOLDER, ByKey
from works import detail_cache
from works.models import Work
from works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db

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
