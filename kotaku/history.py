"""Riwayat: every recorded change of every user-edited record, across models, in one
scoped, filterable list; a deleted record is found here with its last state.

The rows come from django-simple-history's tables. Who sees what:

- a kind of record is listed when the role may view it (`<app>.view_<model>`);
- its rows are those in the user's places: the model's `scope_field` applied to the
  historical table (whose foreign keys stay after the record is deleted), or, when the
  path cannot be followed there (a many-to-many), the live rows `for_user`;
- reference data without places (scoring methods, funding sources, users, …) is listed
  only to users who see everything;
- NIK and phone numbers are masked for roles that may not see a NIK in full.

One page costs a fixed number of queries: a UNION over the historical tables for the
page and its count, then one query per kind on the page (the page's rows together with
the rows before them, for the before/after diff).
"""

from dataclasses import dataclass
from functools import lru_cache

from django import forms
from django.apps import apps
from django.core.exceptions import FieldError
from django.core.paginator import Paginator
from django.db import models
from django.db.models import CharField, OuterRef, Q, Subquery, Value
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from accounts.scoping import user_scope_q
from programs.validators import mask_nik, sees_full_nik

PAGE_SIZE = 50
HIDDEN_FIELDS = {"version"}
MASKED_FIELDS = {"nik": mask_nik, "phone": lambda value: mask_phone(value)}
TITLE_FIELDS = ("name", "title", "decree_number", "description", "username", "code")
TYPES = [("+", _("created")), ("~", _("changed")), ("-", _("deleted"))]


def mask_phone(value: str) -> str:
    """`081234567890` → `********7890`."""
    if not value:
        return ""
    return f"{'*' * max(len(value) - 4, 0)}{value[-4:]}"


@dataclass(frozen=True)
class Kind:
    key: str  # "works.work"
    model: type[models.Model]
    historical: type[models.Model]
    scope: str  # "path" (scope_field on the history), "live" (for_user) or "" (none)

    @property
    def label(self):
        return self.model._meta.verbose_name_plural

    @property
    def verbose_name(self):
        return self.model._meta.verbose_name

    @property
    def view_permission(self):
        return f"{self.model._meta.app_label}.view_{self.model._meta.model_name}"

    def rows(self, user):
        """The historical rows of this kind that `user` may see."""
        queryset = self.historical._default_manager.all()
        if user.sees_everything:
            return queryset
        if self.scope == "path":
            return queryset.filter(user_scope_q(user, self.model.scope_field))
        if self.scope == "live":
            live = self.model._default_manager.for_user(user).values("pk")
            return queryset.filter(**{f"{self.model._meta.pk.attname}__in": live})
        return queryset.none()

    def fields(self):
        """The record's own fields, as kept on each historical row (fields the history
        leaves out, such as a user's password, are not shown)."""
        kept = {field.name for field in self.historical._meta.concrete_fields}
        return [
            field
            for field in self.model._meta.concrete_fields
            if field.name not in HIDDEN_FIELDS and not field.primary_key and field.name in kept
        ]


@lru_cache(maxsize=1)
def kinds() -> dict[str, Kind]:
    found = {}
    for model in apps.get_models():
        manager = getattr(model, "history", None)
        historical = getattr(manager, "model", None)
        if historical is None or model._meta.proxy:
            continue
        key = model._meta.label_lower
        found[key] = Kind(key, model, historical, _scope_of(model, historical))
    return dict(sorted(found.items()))


def _scope_of(model, historical) -> str:
    scope_field = getattr(model, "scope_field", None)
    if not scope_field or not hasattr(model._default_manager, "for_user"):
        return ""
    try:
        historical._default_manager.filter(**{scope_field: "0"}).query  # noqa: B018
    except FieldError:
        return "live"
    return "path"


def visible_kinds(user) -> list[Kind]:
    return [
        kind
        for kind in kinds().values()
        if user.has_perm(kind.view_permission) and (kind.scope or user.sees_everything)
    ]


class HistoryFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of record"), required=False)
    user = forms.CharField(label=_("User name"), required=False, max_length=150)
    type = forms.ChoiceField(
        label=_("Change"), required=False, choices=[("", _("All changes")), *TYPES]
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds"))] + [
            (kind.key, kind.label) for kind in kinds
        ]

    def filters(self) -> Q:
        data = self.cleaned_data
        condition = Q()
        if data.get("user"):
            condition &= Q(history_user__username__iexact=data["user"].strip())
        if data.get("type"):
            condition &= Q(history_type=data["type"])
        if data.get("date_from"):
            condition &= Q(history_date__date__gte=data["date_from"])
        if data.get("date_to"):
            condition &= Q(history_date__date__lte=data["date_to"])
        return condition


def history_union(user, kinds_shown, condition: Q):
    """One UNION over the historical tables: (history_id, history_date, kind), newest
    first."""
    parts = [
        kind.rows(user)
        .filter(condition)
        .order_by()
        .values("history_id", "history_date")
        .annotate(kind=Value(kind.key, output_field=CharField()))
        for kind in kinds_shown
    ]
    if not parts:
        return None
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-history_date", "-history_id")


def load_entries(page_rows, user) -> list[dict]:
    """The page's historical rows with who, what and the before/after of each changed
    field: one query per kind on the page."""
    wanted: dict[str, list[int]] = {}
    for row in page_rows:
        wanted.setdefault(row["kind"], []).append(row["history_id"])
    loaded = {}
    for key, ids in wanted.items():
        kind = kinds()[key]
        loaded.update({(key, row.history_id): row for row in _with_previous(kind, ids)})
    unmask = sees_full_nik(user)
    entries = []
    for row in page_rows:
        kind = kinds()[row["kind"]]
        record = loaded[(row["kind"], row["history_id"])]
        previous = loaded.get((row["kind"], getattr(record, "previous_id", None)))
        entries.append(
            {
                "kind": kind,
                "record": record,
                "changes": changes(kind, record, previous, unmask),
                "title": title(record),
            }
        )
    return entries


def _with_previous(kind, ids):
    """The rows `ids` and, for each, the row before it of the same record."""
    historical = kind.historical._default_manager
    pk_name = kind.model._meta.pk.attname
    previous = Subquery(
        historical.filter(
            **{pk_name: OuterRef(pk_name)},
            history_date__lt=OuterRef("history_date"),
        )
        .order_by("-history_date", "-history_id")
        .values("history_id")[:1]
    )
    previous_ids = historical.filter(history_id__in=ids).annotate(p=previous).values("p")
    rows = historical.filter(Q(history_id__in=ids) | Q(history_id__in=previous_ids))
    rows = list(rows.select_related("history_user").annotate(previous_id=previous))
    return rows


def title(record) -> str:
    """A name for the record from its own columns (no query): its name, else its id."""
    for name in TITLE_FIELDS:
        value = getattr(record, name, "")
        if value and isinstance(value, str):
            return value
    return f"#{getattr(record, record.instance_type._meta.pk.attname)}"


def changes(kind, record, previous, unmask: bool) -> list[dict]:
    """[{label, before, after}] of the fields that changed (all filled fields for a
    creation; none for a deletion, whose last state is on its own page)."""
    if record.history_type == "-":
        return []
    result = []
    for field in kind.fields():
        after = display(field, getattr(record, field.attname), unmask)
        if previous is None:
            if after != "":
                result.append({"label": str(field.verbose_name), "before": "", "after": after})
            continue
        before = display(field, getattr(previous, field.attname), unmask)
        if before != after:
            result.append({"label": str(field.verbose_name), "before": before, "after": after})
    return result


def display(field, value, unmask: bool) -> str:
    if value is None or value == "":
        return ""
    if field.name in MASKED_FIELDS and not unmask:
        return MASKED_FIELDS[field.name](str(value))
    if field.flatchoices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DateTimeField):
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(field, models.DateField):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return formats.localize(value) if not isinstance(value, str) else value


class HistoryListView(TemplateView):
    template_name = "history/history_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        shown = visible_kinds(user)
        form = HistoryFilterForm(self.request.GET or None, kinds=shown)
        condition = Q()
        if form.is_bound and form.is_valid():
            condition = form.filters()
            chosen = form.cleaned_data.get("kind")
            if chosen:
                shown = [kind for kind in shown if kind.key == chosen]
        union = history_union(user, shown, condition)
        page = Paginator(union if union is not None else [], PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        return super().get_context_data(
            form=form,
            page_obj=page,
            entries=load_entries(list(page.object_list), user),
            **kwargs,
        )


class HistoryDetailView(TemplateView):
    """One historical row: the whole record as it was (for a deletion: its last state)."""

    template_name = "history/history_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        kwargs.pop("history_id", None)
        kind = kinds().get(kwargs.pop("kind", None))
        if kind is None or kind not in visible_kinds(user):
            raise Http404
        record = (
            kind.rows(user)
            .select_related("history_user")
            .filter(history_id=self.kwargs["history_id"])
            .first()
        )
        if record is None:
            raise Http404
        unmask = sees_full_nik(user)
        values = [
            {
                "label": field.verbose_name,
                "value": display(field, getattr(record, field.attname), unmask),
            }
            for field in kind.fields()
        ]
        pk = getattr(record, kind.model._meta.pk.attname)
        live = kind.model._default_manager.filter(pk=pk).first()
        return super().get_context_data(
            kind=kind,
            record=record,
            values=values,
            live_url=_absolute_url(live),
            title=title(record),
            **kwargs,
        )


def _absolute_url(instance):
    if instance is None or not hasattr(instance, "get_absolute_url"):
        return ""
    return instance.get_absolute_url()
