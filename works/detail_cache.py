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
replaces with its own token (`with_csrf_token`). A form shown again with its errors is
rendered without the cache.
"""

import functools
import hashlib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import TextField
from django.db.models.expressions import RawSQL
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property

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
    def of_this_work(model, link="work"):
        return f"FROM {q(model._meta.db_table)} t WHERE t.{column(model, link)} = {work}.{q('id')}"

    changes = of_this_work(WorkStatusChange)
    checks = of_this_work(MaintenanceCheck)
    history = of_this_work(Work.history.model, "id")
    handover = of_this_work(Handover)
    groups = q(CommunityGroup._meta.db_table)
    kpps = (
        f"FROM {groups} g WHERE g.{column(CommunityGroup, 'kelurahan')}"
        f" = {work}.{column(Work, 'kelurahan')} AND g.{column(CommunityGroup, 'kind')} = '{KPP_KIND}'"
    )
    users = get_user_model().history.model
    parts = [
        # The status steps, handover, maintenance checks and history shown below.
        f"SELECT COUNT(*) {changes}",
        f"SELECT MAX(t.{q('id')}) {changes}",
        f"SELECT COUNT(*) {checks}",
        f"SELECT MAX(t.{q('id')}) {checks}",
        f"SELECT SUM(t.{column(MaintenanceCheck, 'version')}) {checks}",
        f"SELECT t.{column(Handover, 'version')} {handover}",
        f"SELECT k.{column(CommunityGroup, 'version')} FROM {q(Handover._meta.db_table)} t"
        f" INNER JOIN {groups} k ON k.{q('id')} = t.{column(Handover, 'kpp')}"
        f" WHERE t.{column(Handover, 'work')} = {work}.{q('id')}",
        f"SELECT COUNT(*) {history}",
        f"SELECT MAX(t.{q('history_id')}) {history}",
        # The handover form's choice of KPP (the kelurahan's).
        f"SELECT COUNT(*) {kpps}",
        f"SELECT MAX(g.{q('id')}) {kpps}",
        f"SELECT SUM(g.{column(CommunityGroup, 'version')}) {kpps}",
        # Names of people (who took a step, checked, changed): any change of a user is
        # recorded in their history, so its newest entry moves.
        f"SELECT MAX({q('history_id')}) FROM {q(users._meta.db_table)}",
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


@functools.cache
def csrf_placeholder() -> str:
    """What the cached part holds where a form's CSRF token goes; each response puts the
    request's own token there (`with_csrf_token`). Derived from the secret key, so that
    no text typed into a work can name it."""
    digest = hashlib.sha256(f"kotaku-csrf-placeholder:{settings.SECRET_KEY}".encode())
    return f"csrf{digest.hexdigest()[:40]}"


def with_csrf_token(request, response):
    """Put `request`'s CSRF token where the cached part holds the placeholder."""
    placeholder = f'value="{csrf_placeholder()}"'.encode()
    if placeholder in response.content:
        token = f'value="{get_token(request)}"'.encode()
        response.content = response.content.replace(placeholder, token)
    return response


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
