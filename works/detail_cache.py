"""The work page's cached part, and the one query that says whether it is still current.

The work page (`WorkDetailView`) shows a work, its progress, flags, labour and
beneficiary figures, the chart and its reports. Computing them is most of the page's
cost (the selector's subqueries, the chart, the template): about 40 ms of 50. That part
is rendered once and kept in the cache (`{% cache %}` in works/work_detail.html) under a
key made of everything it shows, read by one light query on every request:

- the work's row (every field, its version included: a save bumps it, kotaku.locking);
- the names the page prints of its kelurahan, type, RT/RW, slum area, builder and RKM
  proposal (and their versions);
- its reports: how many, the sum of their versions (every save bumps one), the newest
  key and the newest creation time — a report added, changed, reviewed or deleted
  changes one of them; the same for their photos (added or deleted, never edited);
- today (the "no report for 30 days" flag moves with the date), the language, and what
  the user may do there (the Edit link and the Report button).

A page is therefore never older than the data. The parts that name people (status
steps, history), the forms (with their CSRF tokens) and the handover and maintenance
sections are rendered on every request, outside the cached part.
"""

import functools
import hashlib

from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property

from locations.models import Region, RtRw
from programs.models import CommunityGroup, RkmProposal
from slums.models import SlumArea

from . import selectors
from .models import ProgressReport, ReportPhoto, Work, WorkType

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


@functools.cache
def _state_sql() -> str:
    """One SQL expression (PostgreSQL and SQLite) that joins, as text, what the cached
    part depends on beyond the work's own row. Written out rather than built by the ORM:
    building and compiling a dozen subqueries cost 9 ms a request, and PostgreSQL plans
    scalar subqueries far faster than joins (0.6 ms against 13 ms)."""
    q = connection.ops.quote_name

    def column(model, name):
        return q(model._meta.get_field(name).column)

    work = q(Work._meta.db_table)
    reports = q(ProgressReport._meta.db_table)
    photos = q(ReportPhoto._meta.db_table)
    of_work = f"FROM {reports} r WHERE r.{column(ProgressReport, 'work')} = {work}.{q('id')}"
    photos_of_work = (
        f"FROM {photos} p INNER JOIN {reports} r"
        f" ON p.{column(ReportPhoto, 'report')} = r.{q('id')}"
        f" WHERE r.{column(ProgressReport, 'work')} = {work}.{q('id')}"
    )
    parts = [
        f"SELECT COUNT(*) {of_work}",
        f"SELECT SUM(r.{column(ProgressReport, 'version')}) {of_work}",
        f"SELECT MAX(r.{q('id')}) {of_work}",
        f"SELECT MAX(r.{column(ProgressReport, 'created_at')}) {of_work}",
        f"SELECT COUNT(*) {photos_of_work}",
        f"SELECT MAX(p.{q('id')}) {photos_of_work}",
    ]
    for model, foreign_key, names in _RELATED:
        pk = q(model._meta.pk.column)
        for name in names:
            parts.append(
                f"SELECT t.{column(model, name)} FROM {q(model._meta.db_table)} t"  # noqa: S608
                f" WHERE t.{pk} = {work}.{column(Work, foreign_key)}"
            )
    return " || '|' || ".join(f"COALESCE(CAST(({part}) AS TEXT), '-')" for part in parts)


def work_page_queryset(user):
    """The works the user may open, each with `_page_state`: what decides whether its
    cached part is still current (a few index lookups, no per-report work)."""
    return (
        Work.objects.for_user(user)
        .select_related("handover__kpp")
        # Only table and column names of kotaku's own models, no value from a request.
        .annotate(_page_state=RawSQL(_state_sql(), (), output_field=TextField()))  # noqa: S611
    )


def cache_key(work, *, can_change: bool, can_report: bool) -> str:
    """The key of the cached part of `work`'s page (a work from `work_page_queryset`)."""
    row = [getattr(work, field.attname) for field in Work._meta.concrete_fields]
    parts = [
        *row,
        work._page_state,
        timezone.localdate(),
        translation.get_language(),
        can_change,
        can_report,
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
