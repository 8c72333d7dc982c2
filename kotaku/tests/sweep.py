"""What the access sweep and the form fuzzer share: every URL pattern found through the
resolver, the object kind behind each, and one object of each kind inside and outside
the in-area facilitator's places."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.apps import apps
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, PathConverter

from conftest import KAB_MADIUN, KAB_PACITAN, KLAGENSERUT, TANJUNGSARI
from locations.models import Region
from locations.urls import RegionCodeConverter

# Django's admin has its own staff check (tested below); the auth views take no object.
SKIPPED_PREFIXES = ("admin/",)
# An id no row has: the first query that looks it up names the object's table.
PROBE_PK = 987_654_321

# URL parameters that are not objects, with a value that exists in the test data.
PARAMETERS = {"year": 2020, "month": 7}


@dataclass
class Route:
    route: str
    name: str
    callback: object

    @property
    def view_class(self):
        return getattr(self.callback, "view_class", None)

    @cached_property
    def kwargs(self) -> dict:
        return dict(self.pattern.converters)

    @property
    def object_kwarg(self) -> str | None:
        """The kwarg naming the object; the others are parameters such as a year."""
        names = [name for name in self.kwargs if name not in PARAMETERS]
        return names[0] if len(names) == 1 else None

    def url(self, value=None, query="") -> str:
        """`value` fills the object kwarg, or every kwarg when it is a dict."""

        def fill(match):
            name = match.group(1)
            if isinstance(value, dict):
                return str(value[name])
            return str(PARAMETERS.get(name, value))

        path = re.sub(r"<(?:\w+:)?(\w+)>", fill, self.route)
        return f"/{path}{query}"

    def allows(self, method: str) -> bool:
        view = self.view_class
        if view is None:
            return True
        return method in view.http_method_names and hasattr(view, method)

    @property
    def is_form_page(self) -> bool:
        """A page that shows a create or edit form on GET."""
        view = self.view_class
        return bool(view) and self.allows("get") and hasattr(view, "get_form")


def client_for_user(user):
    """A test client of its own per user (the `client_for` fixture shares one)."""
    client = Client()
    client.force_login(user)
    return client


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            route = Route(prefix + str(pattern.pattern), pattern.name or "", pattern.callback)
            route.pattern = pattern.pattern
            yield route


def all_routes() -> list[Route]:
    return [
        route
        for route in _walk(get_resolver().url_patterns)
        if not route.route.startswith(SKIPPED_PREFIXES)
    ]


def _is_django_view(route: Route) -> bool:
    """Django's own login, logout and password views take no scoped object."""
    return route.view_class is not None and route.view_class.__module__.startswith("django.")


def object_routes() -> list[Route]:
    return [route for route in all_routes() if route.kwargs and not _is_django_view(route)]


def list_routes() -> list[Route]:
    """Pages without an id, apart from Django's own login/password views."""
    return [
        route
        for route in all_routes()
        if not route.kwargs and route.view_class is not None and not _is_django_view(route)
    ]


def _model_of_table(table: str):
    for model in apps.get_models():
        if model._meta.db_table == table:
            return model
    return None


def probe_model(route: Route, client):
    """The model whose table the view looks an unknown id up in (as a national officer,
    who sees every row and holds every permission)."""
    method = "get" if route.allows("get") else "post"
    with CaptureQueriesContext(connection) as queries:
        getattr(client, method)(route.url(PROBE_PK))
    lookup = re.compile(rf'"(\w+)"\."\w+" = {PROBE_PK}\b')
    for query in queries.captured_queries:
        found = lookup.search(query["sql"])
        if found:
            return _model_of_table(found.group(1))
    return None


class UploadedFile:
    """The object kind of a URL that serves an uploaded file by its storage name."""

    class _meta:  # noqa: N801 — quacks like a model for the sweep's bookkeeping
        label = "kotaku.UploadedFile"


class HistoryEntry:
    """The object kind of a URL showing one historical row (`kind` + `history_id`)."""

    class _meta:  # noqa: N801
        label = "kotaku.HistoryEntry"


def object_kind(route: Route, client):
    """The model an object URL is about, or None when the view cannot tell."""
    if set(route.kwargs) == {"kind", "history_id"}:
        return HistoryEntry
    if route.object_kwarg is None:
        return None
    converter = route.kwargs[route.object_kwarg]
    if isinstance(converter, RegionCodeConverter):
        return Region
    if isinstance(converter, PathConverter):
        return UploadedFile
    if not isinstance(converter, IntConverter) or route.view_class is None:
        return None
    declared = getattr(route.view_class, "sweep_model", None)
    return declared or probe_model(route, client)


# --- One object of each kind inside and outside the in-area facilitator's places -------


class World:
    """Objects made on demand: `world.get(Model, "in")` is in Klagenserut (Kabupaten
    Madiun), `"out"` in Tanjungsari (Kabupaten Pacitan)."""

    places = {"in": (KLAGENSERUT, KAB_MADIUN), "out": (TANJUNGSARI, KAB_PACITAN)}

    def __init__(self):
        self.made = {}

    def get(self, model, side):
        key = (model._meta.label, side)
        if key not in self.made:
            builder = BUILDERS.get(model._meta.label)
            assert builder, f"the sweep has no builder for {model._meta.label}: add one"
            self.made[key] = builder(self, side, *self.places[side])
        return self.made[key]

    def values(self, model, side) -> list:
        """The URL values of the object; for regions, the desa and its kabupaten."""
        if model is Region:
            return list(self.places[side])
        if model is UploadedFile:
            return [self.get(model, side).document.name]
        if model is HistoryEntry:
            return [
                {"kind": record._meta.label_lower, "history_id": record.history.latest().pk}
                for record in self.get(model, side)
            ]
        return [self.get(model, side).pk]


def _slum_area(world, side, kelurahan, kabupaten):
    from slums.tests.factories import SlumAreaFactory

    return SlumAreaFactory(
        name=f"Kawasan sweep {side}", kabupaten_id=kabupaten, kelurahan=[kelurahan]
    )


def _slum_survey(world, side, kelurahan, kabupaten):
    from slums.tests.factories import make_survey

    return make_survey(area=world.get(apps.get_model("slums.SlumArea"), side))


def _bkm(world, side, kelurahan, kabupaten):
    from programs.tests.factories import BkmFactory, region

    return BkmFactory(kelurahan=region(kelurahan), name=f"LKM sweep {side}")


def _group(world, side, kelurahan, kabupaten):
    from programs.tests.factories import make_group

    world.get(apps.get_model("programs.Bkm"), side)
    return make_group(kelurahan, name=f"KSM sweep {side}")


def _member(world, side, kelurahan, kabupaten):
    from programs.tests.factories import make_member

    group = world.get(apps.get_model("programs.CommunityGroup"), side)
    return make_member(group, name=f"Warga sweep {side}")


def _rplp(world, side, kelurahan, kabupaten):
    from programs import services
    from programs.tests.factories import region
    from works.tests.factories import pdf_file

    return services.rplp_create(
        kelurahan=region(kelurahan), title=f"RPLP sweep {side}", document=pdf_file("rplp.pdf")
    )


def _rkm(world, side, kelurahan, kabupaten):
    from programs.tests.factories import make_proposal

    return make_proposal(kelurahan, work_type=f"Jalan sweep {side}")


def _rp2kpkp(world, side, kelurahan, kabupaten):
    from programs import services
    from programs.tests.factories import region

    return services.rp2kpkp_create(
        kabupaten=region(kabupaten), title=f"RP2KPKP sweep {side}", start_year=2020, end_year=2024
    )


def _event(world, side, kelurahan, kabupaten):
    from programs.tests.factories import make_event

    return make_event(codes=(kelurahan,), title=f"Pelatihan sweep {side}")


def _work(world, side, kelurahan, kabupaten):
    from works.tests.factories import WorkFactory

    return WorkFactory(kelurahan_id=kelurahan, name=f"Jalan paving sweep {side}")


def _report(world, side, kelurahan, kabupaten):
    from works.tests.factories import ReportFactory

    return ReportFactory(work=world.get(apps.get_model("works.Work"), side), status="draft")


def _allocation(world, side, kelurahan, kabupaten):
    from budgets.tests.factories import allocation

    return allocation(kelurahan=kelurahan, decree_number=f"188/sweep-{side}/2020")


def _disbursement(world, side, kelurahan, kabupaten):
    from budgets.tests.factories import disburse

    return disburse(world.get(apps.get_model("budgets.Allocation"), side), 1_000_000)


def _spending(world, side, kelurahan, kabupaten):
    from budgets.tests.factories import spend

    target = world.get(apps.get_model("budgets.Allocation"), side)
    world.get(apps.get_model("budgets.Disbursement"), side)
    work = world.get(apps.get_model("works.Work"), side)
    return spend(target, work, 500_000, status="draft")


def _swadaya(world, side, kelurahan, kabupaten):
    from budgets import services

    return services.swadaya_create(
        work=world.get(apps.get_model("works.Work"), side),
        user=None,
        date=datetime.date(2020, 7, 1),
        kind="cash",
        value=Decimal(250_000),
        description=f"Iuran warga sweep {side}",
    )


def _region(world, side, kelurahan, kabupaten):
    return Region.objects.get(pk=kelurahan)


BUILDERS = {
    "locations.Region": _region,
    "slums.SlumArea": _slum_area,
    "slums.SlumSurvey": _slum_survey,
    "programs.Bkm": _bkm,
    "programs.CommunityGroup": _group,
    "programs.Member": _member,
    "programs.Rplp": _rplp,
    # A served upload: the document of the RPLP above.
    # History rows of a work and of a member (whose history holds a phone number).
    "kotaku.HistoryEntry": lambda world, side, *places: [
        world.get(apps.get_model(label), side) for label in ("works.Work", "programs.Member")
    ],
    "kotaku.UploadedFile": lambda world, side, *places: world.get(
        apps.get_model("programs.Rplp"), side
    ),
    "programs.RkmProposal": _rkm,
    "programs.Rp2kpkp": _rp2kpkp,
    "programs.Event": _event,
    "works.Work": _work,
    "works.ProgressReport": _report,
    "budgets.Allocation": _allocation,
    "budgets.Disbursement": _disbursement,
    "budgets.Spending": _spending,
    "budgets.SwadayaContribution": _swadaya,
}

# Names the builders give to the out-of-scope objects: no list may show them.
OUT_OF_SCOPE_NAMES = [
    "Kawasan sweep out",
    "LKM sweep out",
    "KSM sweep out",
    "RPLP sweep out",
    "RP2KPKP sweep out",
    "Pelatihan sweep out",
    "Jalan paving sweep out",
    "188/sweep-out/2020",
    "Iuran warga sweep out",
]
