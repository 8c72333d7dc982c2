"""The fixed cast of users (STYLE.md §9) and shared fixtures.

Places come from the demo regions (Jawa Timur): the in-area facilitator covers the desa
Klagenserut and Bukur in Kecamatan Jiwan, Kabupaten Madiun; the out-of-area facilitator
covers Tanjungsari in Kabupaten Pacitan.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings

from accounts.choices import Role

KLAGENSERUT = "35.19.09.2010"
BUKUR = "35.19.09.2001"
SAMBIREJO = "35.19.09.2002"
TANJUNGSARI = "35.01.04.2014"
KAB_MADIUN = "35.19"
KAB_PACITAN = "35.01"
KAB_BONDOWOSO = "35.11"
JIWAN = "35.19.09"
JAWA_TIMUR = "35"

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Tests of row locks under real concurrency need PostgreSQL (SQLite serialises every
    write). On SQLite they are deselected, not skipped; CI's PostgreSQL pass runs them."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    keep = [item for item in items if not item.get_closest_marker("postgresql_only")]
    if len(keep) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if item.get_closest_marker("postgresql_only")]
        )
        items[:] = keep


def _replay_data_migrations():
    """Run every data migration's forward function again (they are idempotent)."""
    from django.apps import apps
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from django.db.migrations.operations.special import RunPython

    graph = MigrationLoader(connection).graph
    done = set()
    with connection.schema_editor(atomic=False) as schema_editor:
        for leaf in graph.leaf_nodes():
            for key in graph.forwards_plan(leaf):
                if key in done:
                    continue
                done.add(key)
                for operation in graph.nodes[key].operations:
                    if isinstance(operation, RunPython):
                        operation.code(apps, schema_editor)


@pytest.fixture(autouse=True)
def _reference_data_in_transactional_tests(request):
    """Transactional tests (browser, concurrency, backup) flush the database when they
    end, which also wipes the reference data that data migrations seed (scoring methods,
    work types, funding sources); roles come back by themselves on post_migrate. Each
    transactional test therefore starts by seeding that data again."""
    marker = request.node.get_closest_marker("django_db")
    if (marker and marker.kwargs.get("transaction")) or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _replay_data_migrations()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request through the test client
    activates the language of its cookie for the thread, and nothing resets it."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_role_permissions():
    """Each test rolls back its changes, and SQLite its key counters with them: the
    permissions a worker keeps per state of the roles (accounts.backends) start empty."""
    from accounts import backends
    from kotaku.lists import plans
    from kotaku.precompiled import rows_by_keys, statements

    backends._group_permissions.clear()
    statements.compiled.clear()  # compiled SQL holds no data, but each test starts alike
    rows_by_keys.compiled.clear()
    plans.clear()


def need(condition: bool, reason: str):
    """Skip on a developer's machine, but fail in CI: CI must run every test."""
    if not condition:
        if IN_CI:
            pytest.fail(f"{reason} (required in CI)")
        pytest.skip(reason)


@pytest.fixture
def regions(db):
    from locations import demo

    demo.load()


@pytest.fixture
def make_user(db, regions):
    from accounts.tests.factories import UserFactory

    def make(username, role, places=()):
        return UserFactory(username=username, role=role, places=list(places))

    return make


@pytest.fixture
def facilitator(make_user):
    """In-area facilitator: Klagenserut and Bukur."""
    return make_user("fasilitator", Role.FACILITATOR, [KLAGENSERUT, BUKUR])


@pytest.fixture
def outsider(make_user):
    """Out-of-area facilitator: Tanjungsari, Kabupaten Pacitan."""
    return make_user("luar", Role.FACILITATOR, [TANJUNGSARI])


@pytest.fixture
def district_reader(make_user):
    """Read-only district user: the city coordinator of Kabupaten Madiun."""
    return make_user("askot", Role.CITY_COORDINATOR, [KAB_MADIUN])


@pytest.fixture
def district_editor(make_user):
    """District staff (Dinas Perkim) of Kabupaten Madiun."""
    return make_user("perkim", Role.DISTRICT_STAFF, [KAB_MADIUN])


@pytest.fixture
def national_officer(make_user):
    return make_user("nasional", Role.NATIONAL_OFFICER)


@pytest.fixture
def client_for(client):
    """`client_for(user)`: a test client logged in as `user`."""

    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture(scope="session")
def wilayah_csv() -> Path:
    path = Path(settings.KOTAKU_SHARED_DIR) / "data" / "wilayah" / "wilayah.csv"
    need(path.is_file(), f"the national region list is missing at {path}")
    return path
