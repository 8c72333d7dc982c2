"""Reads of the region tree, always through the user's scope."""

from django.db import connection
from django.db.models import Count, Q

from accounts.scoping import EVERYTHING, ancestor_codes, scope_of, scope_q
from kotaku.precompiled import TEXT_PLACEHOLDER, ByKey, statements

from .models import Region, RtRw, visible_region_q


def region_roots_for_user(user):
    """The provinces the user can see, each with its number of visible children."""
    return _with_child_counts(Region.objects.for_user(user).filter(level=1), user)


def region_children_for_user(region: Region, user):
    """The visible children of `region`, each with its number of visible children."""
    return _with_child_counts(Region.objects.for_user(user).filter(parent=region), user)


def _with_child_counts(regions, user):
    visible = visible_region_q(user, "children__code")
    child_count = Count("children", filter=visible) if visible else Count("children")
    return regions.annotate(child_count=child_count).order_by("code")


def region_breadcrumb(region: Region):
    """The ancestors of `region`, top first (one query, compiled once per region)."""
    codes = region.ancestor_codes
    if not codes:  # a province
        return []
    return statements.instances(
        ("locations.breadcrumb", region.code),
        Region,
        lambda: Region.objects.filter(code__in=codes).order_by("code"),
    )


def _visible_region_q(scope) -> Q:
    """`visible_region_q` for a `scope_of(user)`."""
    if scope == EVERYTHING:
        return Q()
    above = {code for place in scope or () for code in ancestor_codes(place)}
    return scope_q(scope, "code") | Q(code__in=sorted(above))


_REGION_FIELDS = [field.attname for field in Region._meta.concrete_fields]
_VISIBLE_REGION = ByKey(
    lambda scope: (
        Region.objects.filter(_visible_region_q(scope))
        .filter(code=TEXT_PLACEHOLDER)
        .values_list(*_REGION_FIELDS)
    ),
    placeholder=TEXT_PLACEHOLDER,
)


def visible_region(user, code: str) -> Region | None:
    """The region `code` if the user may see it (`Region.objects.for_user`), else None:
    by SQL compiled once per scope."""
    row = _VISIBLE_REGION.fetch(scope_of(user), code)
    if row is None:
        return None
    return Region.from_db(connection.alias, _REGION_FIELDS, row)


def rtrw_for_region(region: Region, user):
    return RtRw.objects.for_user(user).filter(kelurahan=region)


def region_search_queryset(user):
    return Region.objects.for_user(user).select_related("parent")
