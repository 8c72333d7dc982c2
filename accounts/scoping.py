"""Row scoping: which rows a user may see, decided in exactly one place.

A user is assigned to regions at any level; an assignment covers that region and every
region below it. Region codes are hierarchical (`35` > `35.19` > `35.19.09` >
`35.19.09.2010`), so "everything under 35.19" is `code = '35.19' OR code LIKE '35.19.%'`:
one indexed query on PostgreSQL (Django adds a `varchar_pattern_ops` index to every
indexed CharField, region foreign keys included), no walk up or down the tree.
"""

from django.db import models
from django.db.models import Q

NOTHING = Q(pk__in=[])


def covered_q(codes, field: str) -> Q:
    """Rows whose region (`field`, a region code or region foreign key) lies in or under
    any of `codes`."""
    condition = NOTHING
    for code in codes:
        condition |= Q(**{field: code}) | Q(**{f"{field}__startswith": f"{code}."})
    return condition


def ancestor_codes(code: str) -> list[str]:
    """`35.19.09.2010` → `['35', '35.19', '35.19.09']`."""
    parts = code.split(".")
    return [".".join(parts[:depth]) for depth in range(1, len(parts))]


EVERYTHING = "everything"


def scope_of(user):
    """What decides which rows the user sees, as a hashable value: None (nothing),
    EVERYTHING, or the codes of their places."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.sees_everything:
        return EVERYTHING
    return tuple(user.place_codes)


def scope_q(scope, field: str) -> Q:
    """The condition for rows of `field` (a region code path) inside a `scope_of`."""
    if scope is None:
        return NOTHING
    if scope == EVERYTHING:
        return Q()
    return covered_q(scope, field)


def spans_provinces(user) -> bool:
    """Whether the user's places are a province or more (the nation). Their groups,
    proposals, slum areas and BKM/LKM are too many for one select (tens of thousands of
    options, megabytes of HTML): forms offer those of one chosen region instead."""
    return user.sees_everything or any("." not in code for code in user.place_codes)


def user_scope_q(user, field: str) -> Q:
    """The condition for rows of `field` (a region code path) inside the user's places."""
    return scope_q(scope_of(user), field)


class ScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to a user's places.

    Models set `scope_field`: the lookup path to the region code that places each row
    (e.g. `"kelurahan__code"`; the join to the region table is trimmed away).
    """

    def for_user(self, user):
        return self.filter(user_scope_q(user, self.model.scope_field))


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
