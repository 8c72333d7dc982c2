"""The work page's cached part, and the one query that says whether it is still current.

The work page (`WorkDetailView`) shows a work, its progress, flags, labour and
beneficiary figures, the chart, its reports, its status steps, handover, maintenance
checks and history, and the forms to act on it. Rendering all that is nearly all of the
page's cost. The whole of it is rendered once and kept in the cache (`{% cache %}` in
works/work_detail.html) under a key made of everything it shows, read by one light
query on every request:

- the work's row (every field, its version included: a save bumps it, kotaku.locking);
- the names the page prints of its kelurahan, type, RT/RW, slum area, builder and RKM
  proposal (and their versions);
- its reports: how many, the sum of their versions (every save bumps one), the newest
  key and the newest creation time — a report added, changed, reviewed or deleted
  changes one of them; the same for their photos (added or deleted, never edited);
- its status steps, maintenance checks and history entries (how many, the newest, the
  checks' versions), its handover and the KPP it went to (versions);
- the KPPs of its kelurahan (the handover form offers them);
- the newest entry of the users' history: any change of a user (their name, shown by
  the steps, checks and history) is recorded there;
- today (the "no report for 30 days" flag and the forms' dates move with the date), the
  language, and what the user may do there (links, buttons and forms).

A page is therefore never older than the data. The forms' CSRF tokens are the only part
that differs between requests: the cached part holds a placeholder that each response
replaces with its own token (kotaku.middleware.CsrfPlaceholderMiddleware). A form shown
again with its errors is rendered without the cache.
"""

import functools
import hashlib

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property

from accounts.scoping import scope_of, scope_q
from kotaku.precompiled import PLACEHOLDER, ByKey
from locations.models import Region, RtRw
from programs.models import CommunityGroup, RkmProposal
from slums.models import SlumArea

from . import selectors
from .models import (
    KPP_KIND,
    Handover,
    MaintenanceCheck,
    ProgressReport,
    ReportPhoto,
    Work,
    WorkStatusChange,
    WorkType,
)

# Seconds a fragment stays in the cache; its key changes with every change of the data,
# so this only bounds memory for pages nobody opens again.
TIMEOUT = 60 * 60

# What the cached part prints of the rows the work points to, with their versions:
# (model, the work's column pointing to it, its columns).
_RELATED = (
    (Region, "kelurahan", ("name",)),
    (WorkType, "work_type", ("version", "name")),
    (RtRw, "rtrw", ("version", "rt", "rw")),
    (SlumArea, "slum_area", ("version", "name")),
    (CommunityGroup, "builder", ("version", "name")),
    (RkmProposal, "proposal", ("version", "year", "priority", "work_type")),
)


def _joined(values) -> str:
    """SQL joining `values` (SQL expressions) as text, '-' for a NULL."""
    return " || ',' || ".join(f"COALESCE(CAST({value} AS TEXT), '-')" for value in values)


@functools.cache
def _state_sql() -> str:
    """One SQL expression (PostgreSQL and SQLite) that joins, as text, what the cached
    part depends on beyond the work's own row: one scalar subquery per table, each
    returning its few values joined. Written out rather than built by the ORM: building
    and compiling the subqueries cost 9 ms a request, and PostgreSQL plans scalar
    subqueries far faster than joins (0.6 ms against 13 ms); one subquery per table
    rather than per value halves the planning, which ran on every request."""
    q = connection.ops.quote_name

    def column(model, name):
        return q(model._meta.get_field(name).column)

    def table(model):
        return q(model._meta.db_table)

    pk = q("id")
    work_id = f"{table(Work)}.{pk}"
    work_kelurahan = f"{table(Work)}.{column(Work, 'kelurahan')}"
    handover_version = column(Handover, "version")
    group_version = column(CommunityGroup, "version")

    def of_work(model, values, link="work"):
        return (
            f"SELECT {_joined(values)} FROM {table(model)} t"  # noqa: S608 (names only)
            f" WHERE t.{column(model, link)} = {work_id}"
        )

    users = get_user_model().history.model
    parts = [
        # Its reports and their photos.
        of_work(
            ProgressReport,
            [
                "COUNT(*)",
                f"SUM(t.{column(ProgressReport, 'version')})",
                f"MAX(t.{pk})",
                f"MAX(t.{column(ProgressReport, 'created_at')})",
            ],
        ),
        f"SELECT {_joined(['COUNT(*)', f'MAX(p.{pk})'])}"  # noqa: S608 (names only)
        f" FROM {table(ReportPhoto)} p INNER JOIN {table(ProgressReport)} t"
        f" ON p.{column(ReportPhoto, 'report')} = t.{pk}"
        f" WHERE t.{column(ProgressReport, 'work')} = {work_id}",
        # The status steps, maintenance checks, history and handover shown below.
        of_work(WorkStatusChange, ["COUNT(*)", f"MAX(t.{pk})"]),
        of_work(
            MaintenanceCheck,
            ["COUNT(*)", f"MAX(t.{pk})", f"SUM(t.{column(MaintenanceCheck, 'version')})"],
        ),
        of_work(Work.history.model, ["COUNT(*)", f"MAX(t.{q('history_id')})"], link="id"),
        f"SELECT {_joined([f't.{handover_version}', f'k.{group_version}'])}"  # noqa: S608
        f" FROM {table(Handover)} t LEFT OUTER JOIN {table(CommunityGroup)} k"
        f" ON k.{pk} = t.{column(Handover, 'kpp')}"
        f" WHERE t.{column(Handover, 'work')} = {work_id}",
        # The handover form's choice of KPP (the kelurahan's).
        f"SELECT {_joined(['COUNT(*)', f'MAX(g.{pk})', f'SUM(g.{group_version})'])}"  # noqa: S608
        f" FROM {table(CommunityGroup)} g"
        f" WHERE g.{column(CommunityGroup, 'kelurahan')} = {work_kelurahan}"
        f" AND g.{column(CommunityGroup, 'kind')} = '{KPP_KIND}'",
        # Names of people (who took a step, checked, changed): any change of a user is
        # recorded in their history, so its newest entry moves.
        f"SELECT MAX({q('history_id')}) FROM {table(users)}",  # noqa: S608 (names only)
    ]
    # The names the page prints of the rows the work points to, with their versions.
    for model, foreign_key, names in _RELATED:
        parts.append(
            f"SELECT {_joined(f't.{column(model, name)}' for name in names)}"  # noqa: S608
            f" FROM {table(model)} t"
            f" WHERE t.{q(model._meta.pk.column)} = {table(Work)}.{column(Work, foreign_key)}"
        )
    return " || '|' || ".join(f"COALESCE(CAST(({part}) AS TEXT), '-')" for part in parts)


def work_page_queryset(user):
    """The works the user may open, each with `_page_state`: what decides whether its
    cached part is still current (a few index lookups, no per-report work)."""
    return _with_state(Work.objects.for_user(user))


def _with_state(works):
    # Only table and column names of kotaku's own models, no value from a request.
    return works.annotate(_page_state=RawSQL(_state_sql(), (), output_field=TextField()))  # noqa: S611


_FIELDS = [field.attname for field in Work._meta.concrete_fields]
# The row of `work_page_queryset`, compiled once per scope (kotaku.precompiled).
_ROWS = ByKey(
    lambda scope: (
        _with_state(Work.objects.filter(scope_q(scope, Work.scope_field)))
        .filter(pk=PLACEHOLDER)
        .values_list(*_FIELDS, "_page_state")
    )
)


def work_page_row(user, pk: int):
    """The work `pk` from `work_page_queryset(user)`, or None when the user may not open
    it: the same row, by SQL compiled once for the user's scope."""
    row = _ROWS.fetch(scope_of(user), pk)
    if row is None:
        return None
    work = Work.from_db(connection.alias, _FIELDS, row[:-1])
    work._page_state = row[-1]
    return work


def cache_key(work, **rights: bool) -> str:
    """The key of the cached part of `work`'s page (a work from `work_page_queryset`);
    `rights` are what the user may do there (each shows a link, a button or a form)."""
    row = [getattr(work, field.attname) for field in Work._meta.concrete_fields]
    parts = [
        *row,
        work._page_state,
        timezone.localdate(),
        translation.get_language(),
        sorted(rights.items()),
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()


class WorkPageParts:
    """What the cached part shows, computed only when it is rendered (a cache miss)."""

    def __init__(self, user, pk: int):
        self.user, self.pk = user, pk

    @cached_property
    def work(self):
        return selectors.work_detail_queryset(self.user).get(pk=self.pk)

    @cached_property
    def reports(self):
        return list(selectors.work_reports(self.work))

    def lazy(self, compute):
        """`compute(self)`, on first use only (the template asks for it on a miss)."""
        return SimpleLazyObject(lambda: compute(self))
