"""The one list recipe (STYLE.md §4), shared by every list page:

scoped queryset → FilterSet (filters and `sort` stay in the URL) → `?export=csv|xlsx`
streams exactly the filtered, sorted rows (every page of them), or else one page.

A list view sets `filterset_class`, `template_name`, `get_queryset()` (a scoped selector)
and `export_columns`; its FilterSet declares a `sort = SortFilter(...)` with the columns
that may be sorted on. Templates use `{% include "includes/list_tools.html" %}` for the
filter form, count and export links, `{% sort_header %}` for the column headers, and
`includes/pagination.html`.
"""

import contextlib
import itertools
from collections import OrderedDict
from dataclasses import dataclass

import django_filters
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import OrderBy
from django.forms import ModelChoiceField
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.views import FilterView

from accounts.scoping import scope_of

from .exports import EXPORT_FORMATS, ExportMixin
from .fragments import Keyed, Part, fingerprint, form_key
from .precompiled import Rows, rows_by_keys, statements

SORT_PARAM = "sort"


class SortFilter(django_filters.OrderingFilter):
    """`?sort=name` or `?sort=-name` among whitelisted columns (model fields or the
    selector's annotations). Empty values sort last both ways on every database, and the
    primary key breaks ties so that paging neither repeats nor skips a row."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort"))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            if param in EMPTY_VALUES:
                continue
            name = self.get_ordering_value(param)
            if name.startswith("-"):
                ordering.append(F(name[1:]).desc(nulls_last=True))
            else:
                ordering.append(F(name).asc(nulls_last=True))
        return qs.order_by(*ordering, "pk")


class ListFilterSet(django_filters.FilterSet):
    """A list page's FilterSet. `aliases` (old name → new name) keeps links with a
    parameter's former name working (`?year=2020` where the filter is now `fiscal_year`)
    without showing the same filter twice."""

    aliases: dict[str, str] = {}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and any(old in data for old in self.aliases):
            data = data.copy()
            for old, new in self.aliases.items():
                if old in data:
                    value = data.pop(old)[-1]
                    if not data.get(new):
                        data[new] = value
        super().__init__(data, *args, **kwargs)


class KeysFirstPaginator(Paginator):
    """A page is the rows whose keys are on it: first the page's keys (sorted, offset,
    limited), then the rows with those keys. The selector's per-row subqueries (latest
    progress, flags, …) are then computed for the rows shown only, not for every row
    before the offset, which PostgreSQL does for a plain OFFSET: page 6,000 of 150,000
    works costs what page 1 does (docs/performance.md).

    What the view gives, when it does (ListPageView), is read by SQL compiled once
    (kotaku.precompiled): `count_rows()` the count, `page_keys(bottom, top)` the page's
    keys, `rows(keys)` the rows by their keys in the keys' order.
    """

    rows = None  # set by ListPageView.get_paginator
    count_rows = None
    page_keys = None

    @cached_property
    def count(self):
        if self.count_rows is not None:
            return self.count_rows()
        return Paginator.count.func(self)

    def page(self, number):
        rows = self.object_list
        if not isinstance(rows, QuerySet) or rows.query.combinator:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if self.page_keys is not None:
            keys = self.page_keys(bottom, top) if top > bottom else []
        else:
            keys = _keys_only(rows[bottom:top].values("pk"))
            if self.rows is not None:
                keys = [row["pk"] for row in keys]
        if self.rows is not None:
            # Filtered only if narrowed further: it already holds its rows (below).
            rows._defer_next_filter = True
        object_list = rows.filter(pk__in=keys)
        if self.rows is not None:
            # A queryset of those rows that already holds them: read as a list, or
            # counted, it runs no query; narrowed further, it does.
            object_list._result_cache = self.rows(keys)
            object_list._prefetch_done = True
        return self._get_page(object_list, number, self)


def _ordering_names(query) -> set[str] | None:
    """The annotations and fields the query's ordering names (None: it can't tell)."""
    ordering = (*query.order_by, *query.extra_order_by)
    if not ordering and query.default_ordering:
        ordering = tuple(query.get_meta().ordering)
    names = set()
    pending = list(ordering)
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            names.add(item.lstrip("-?").split(LOOKUP_SEP)[0])
        elif isinstance(item, F):
            names.add(item.name.split(LOOKUP_SEP)[0])
        elif isinstance(item, OrderBy):
            pending.extend(item.get_source_expressions())
        else:
            return None
    return names


def _keys_only(keys: QuerySet) -> QuerySet:
    """The page's keys without the selector's annotations that only its rows show: the
    keys query then costs what its WHERE and ORDER BY need, not the resolving of every
    per-row subquery (1.2 ms of Python a list page). A filter on an annotation is already
    written into the WHERE clause; the ordering keeps the annotations it names."""
    query = keys.query
    if not query.annotations or query.group_by is not None or query.distinct:
        return keys  # an aggregate or DISTINCT may depend on any annotation
    names = _ordering_names(query)
    if names is None:
        return keys
    query.annotations = {
        name: annotation for name, annotation in query.annotations.items() if name in names
    }
    query._annotation_select_cache = None
    return keys


@dataclass
class _Plan:
    """What a list page makes of its query string, for one user on one day."""

    filterset: object  # bound and validated; its form is shown
    invalid: bool
    queryset: QuerySet  # the filtered, sorted rows (never evaluated: cloned per request)
    form_key: tuple  # what its form shows (kotaku.fragments.form_key)
    choices: tuple  # the model choices its form offers, when it was made
    number: int = 0  # names the plan's compiled statements (kotaku.precompiled)


class Plans:
    """List plans by key, the least recently used dropped past `limit` (a plan, with its
    FilterSet, form, queryset and statements, takes about 200 KB). Shared by a worker's
    threads: a plan is only read once made."""

    def __init__(self, limit: int = 100):
        self.limit = limit
        self.plans: OrderedDict = OrderedDict()
        self.numbers = itertools.count(1)

    def get(self, key):
        plan = self.plans.get(key)
        if plan is not None:
            with contextlib.suppress(KeyError):
                self.plans.move_to_end(key)
        return plan

    def put(self, key, plan):
        plan.number = next(self.numbers)
        self.plans[key] = plan
        with contextlib.suppress(KeyError):
            while len(self.plans) > self.limit:
                self.plans.popitem(last=False)

    def clear(self):
        self.plans.clear()


plans = Plans()


class ListPageView(ExportMixin, FilterView):
    """A list page: filters, sorting, pagination and streamed CSV/XLSX export."""

    paginate_by = 25
    paginator_class = KeysFirstPaginator
    # Rows in the order of the page when no `sort` is given (the selector's ordering wins
    # when it has one).
    default_ordering: tuple[str, ...] = ("pk",)

    @classmethod
    def as_view(cls, **initkwargs):
        # A list only reads; each statement sees what is committed when it starts (as
        # inside a READ COMMITTED transaction), without the BEGIN and COMMIT.
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS and self.get_export_columns():
            self.plan = None
            self.filterset = self.get_filterset(self.get_filterset_class())
            self.filters_invalid = self.filterset.is_bound and not self.filterset.is_valid()
            self.object_list = self.filtered(self.filterset, self.filters_invalid)
            return self.export(fmt, self.object_list)
        self.plan = self.get_plan()
        self.filterset = self.plan.filterset
        self.filters_invalid = self.plan.invalid
        self.object_list = self.plan.queryset._chain()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    def filtered(self, filterset, invalid: bool) -> QuerySet:
        if invalid and self.get_strict():
            return filterset.queryset.none()
        return filterset.qs

    # --- The plan: what the query string makes, kept per view, user, day and language ---
    #
    # Building the selector, the FilterSet and its form, and compiling the count and the
    # page's keys cost the ORM 8 to 10 ms a page, more than a facilitator's list's SQL.
    # They depend only on the view, the user's places, the day (flags count days), the
    # language, the query string and the model choices the form offers (read on every
    # request, compiled once); so they are made once per those, and the count, the keys
    # and the rows are then read by SQL compiled once. Only the compiling is kept: the
    # rows are read on every request.

    def view_key(self) -> tuple:
        """What the selector (`get_queryset()`) depends on (once per request: the view is
        made for each)."""
        key = self.__dict__.get("_view_key")
        if key is None:
            user = self.request.user
            key = self._view_key = (
                f"{type(self).__module__}.{type(self).__qualname__}",
                tuple(sorted(self.kwargs.items())),
                user.pk,
                scope_of(user),
                timezone.localdate(),
            )
        return key

    def plan_key(self) -> tuple:
        query = tuple(
            sorted(
                (name, tuple(values))
                for name, values in self.request.GET.lists()
                if name != self.page_kwarg
            )
        )
        return (*self.view_key(), translation.get_language(), query)

    def get_plan(self) -> _Plan:
        key, view_key = self.plan_key(), self.view_key()
        plan = plans.get(key)
        if plan is not None and self._choices(view_key, plan.filterset.form) == plan.choices:
            return plan
        filterset = self.get_filterset(self.get_filterset_class())
        invalid = filterset.is_bound and not filterset.is_valid()
        plan = _Plan(
            filterset=filterset,
            invalid=invalid,
            queryset=self.filtered(filterset, invalid),
            form_key=form_key(filterset.form),
            choices=self._choices(view_key, filterset.form),
        )
        plans.put(key, plan)
        return plan

    @staticmethod
    def _choices(view_key, form) -> tuple:
        """The rows of every model choice the form offers, read by SQL compiled once:
        the form's choices and which values are valid depend on them."""
        choices = []
        for name, field in form.fields.items():
            if isinstance(field, ModelChoiceField):
                model = field.queryset.model
                columns = [f.attname for f in model._meta.concrete_fields]
                choices.append(
                    statements.rows(
                        (view_key, "choices", name),
                        lambda field=field, columns=columns: field.queryset.values_list(*columns),
                    )
                )
        return tuple(choices)

    def count_rows(self) -> int:
        queryset = self.plan.queryset
        return statements.scalar(("list", self.plan.number, "count"), lambda: queryset.count())

    def page_keys(self, bottom: int, top: int) -> list:
        queryset = self.plan.queryset
        return statements.rows(
            ("list", self.plan.number, "keys", bottom, top),
            lambda: _keys_only(queryset[bottom:top].values_list("pk", flat=True)),
        )

    # A selector function of the user that returns the scoped rows (or override
    # get_queryset).
    selector = None
    # The permission that the list's "new" button needs: shown when `can_add`.
    add_permission = None

    def get_queryset(self):
        if self.selector is not None:
            return type(self).selector(self.request.user)
        return super().get_queryset()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        if not kwargs["queryset"].ordered:
            kwargs["queryset"] = kwargs["queryset"].order_by(*self.default_ordering)
        return kwargs

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.rows = self.page_rows
        if getattr(self, "plan", None) is not None:
            paginator.count_rows = self.count_rows
            paginator.page_keys = self.page_keys
        return paginator

    def page_rows(self, keys) -> list:
        """The rows of the selector (`get_queryset()`) with these keys, in their order.
        The SQL is compiled once per view, user, day (flags count days) and page length:
        the selector depends on nothing else (its filters only chose the keys)."""
        return rows_by_keys.fetch(self.view_key(), self.get_queryset, keys)

    def paginate_queryset(self, queryset, page_size):
        """A page number past the end shows the last page, and one that is not a number
        the first: a shared or bookmarked link never ends in an error."""
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("filters_invalid", self.filters_invalid)
        # The filter form is rendered once per what it shows (includes/list_tools.html).
        form = self.filterset.form
        key = self.plan.form_key if getattr(self, "plan", None) else form_key(form)
        kwargs.setdefault("filter_form", Keyed(form, key))
        kwargs.setdefault("filter_path", self.request.path)
        kwargs.setdefault("filter_open", bool(self.request.GET))
        kwargs.setdefault("export_formats", EXPORT_FORMATS if self.get_export_columns() else ())
        if self.add_permission:  # the list's "new" button (a part's key can't read `perms`)
            kwargs.setdefault("can_add", self.request.user.has_perm(self.add_permission))
        context = super().get_context_data(**kwargs)
        context["list_part"] = self.list_part(context)
        return context

    # What a list template's `{% once list_part … %}` shows (works/work_list.html): the
    # filter form, count, export links, sorted headers, rows and pagination, rendered
    # once per plan, query string, page and the database's rows of the page.
    PART_NAMES = (
        "object_list",
        "page_obj",
        "paginator",
        "is_paginated",
        "filter_form",
        "filter_path",
        "filter_open",
        "filters_invalid",
        "export_formats",
    )

    def list_part(self, context) -> Part:
        names = [*self.PART_NAMES, self.get_context_object_name(self.object_list)]
        values = {name: context[name] for name in names if name in context}
        values["url_query"] = self.request.GET
        page = values.get("page_obj")
        rows = page.object_list if page else values.get("object_list")
        plan = getattr(self, "plan", None)
        key = (
            self.request.get_full_path(),
            (page.number, page.paginator.count, page.paginator.per_page) if page else None,
            values.get("filters_invalid"),
            values.get("filter_open"),
            tuple(values.get("export_formats", ())),
            ("plan", plan.number) if plan else fingerprint(values.get("filter_form")),
        )
        cached = getattr(rows, "_result_cache", None)
        if plan is not None and isinstance(cached, Rows):
            # The plan names the SQL those rows were read by (the view, user and day).
            with contextlib.suppress(TypeError):  # a raw value it can't read
                return Part(values, (*key, "rows", fingerprint(cached.key)))
        return Part(values, (*key, "instances", fingerprint(list(rows or ()))))
