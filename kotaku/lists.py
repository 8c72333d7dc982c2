"""The one list recipe (STYLE.md §4), shared by every list page:

scoped queryset → FilterSet (filters and `sort` stay in the URL) → `?export=csv|xlsx`
streams exactly the filtered, sorted rows (every page of them), or else one page.

A list view sets `filterset_class`, `template_name`, `get_queryset()` (a scoped selector)
and `export_columns`; its FilterSet declares a `sort = SortFilter(...)` with the columns
that may be sorted on. Templates use `{% include "includes/list_tools.html" %}` for the
filter form, count and export links, `{% sort_header %}` for the column headers, and
`includes/pagination.html`.
"""

import django_filters
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.views import FilterView

from accounts.scoping import scope_of

from .exports import EXPORT_FORMATS, ExportMixin
from .fragments import Keyed, form_key
from .precompiled import rows_by_keys

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

    `rows(keys)`, when the view gives it, reads the rows by their keys with SQL compiled
    once (kotaku.precompiled.RowsByKeys), in the keys' order.
    """

    rows = None  # set by ListPageView.get_paginator

    def page(self, number):
        page = super().page(number)
        rows = self.object_list
        if isinstance(rows, QuerySet) and not rows.query.combinator:
            keys = _keys_only(page.object_list.values("pk"))
            if self.rows is None:
                page.object_list = rows.filter(pk__in=keys)
            else:
                # A queryset of those rows that already holds them: read as a list, or
                # counted, it runs no query; narrowed further, it does.
                keys = [row["pk"] for row in keys]
                page.object_list = rows.filter(pk__in=keys)
                page.object_list._result_cache = self.rows(keys)
                page.object_list._prefetch_done = True
        return page


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


class ListPageView(ExportMixin, FilterView):
    """A list page: filters, sorting, pagination and streamed CSV/XLSX export."""

    paginate_by = 25
    paginator_class = KeysFirstPaginator
    # Rows in the order of the page when no `sort` is given (the selector's ordering wins
    # when it has one).
    default_ordering: tuple[str, ...] = ("pk",)

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset(self.get_filterset_class())
        self.filters_invalid = self.filterset.is_bound and not self.filterset.is_valid()
        if self.filters_invalid and self.get_strict():
            self.object_list = self.filterset.queryset.none()
        else:
            self.object_list = self.filterset.qs
        fmt = request.GET.get("export")
        if fmt in EXPORT_FORMATS and self.get_export_columns():
            return self.export(fmt, self.object_list)
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        return self.render_to_response(context)

    # A selector function of the user that returns the scoped rows (or override
    # get_queryset).
    selector = None

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
        return paginator

    def page_rows(self, keys) -> list:
        """The rows of the selector (`get_queryset()`) with these keys, in their order.
        The SQL is compiled once per view, user, day (flags count days) and page length:
        the selector depends on nothing else (its filters only chose the keys)."""
        user = self.request.user
        key = (
            f"{type(self).__module__}.{type(self).__qualname__}",
            tuple(sorted(self.kwargs.items())),
            user.pk,
            scope_of(user),
            timezone.localdate(),
        )
        return rows_by_keys.fetch(key, self.get_queryset, keys)

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
        kwargs.setdefault("filter_form", Keyed(form, form_key(form)))
        kwargs.setdefault("filter_path", self.request.path)
        kwargs.setdefault("filter_open", bool(self.request.GET))
        kwargs.setdefault("export_formats", EXPORT_FORMATS if self.get_export_columns() else ())
        return super().get_context_data(**kwargs)
