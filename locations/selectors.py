"""Reads of the region tree, always through the user's scope."""

from django.db.models import Count

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
    """The ancestors of `region`, top first (one query)."""
    return list(Region.objects.filter(code__in=region.ancestor_codes).order_by("code"))


def rtrw_for_region(region: Region, user):
    return RtRw.objects.for_user(user).filter(kelurahan=region)


def region_search_queryset(user):
    return Region.objects.for_user(user).select_related("parent")
