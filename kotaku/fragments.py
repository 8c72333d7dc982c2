"""Parts of a page rendered once per content.

A dashboard's body is 7 to 20 ms of Django template rendering (a figure, a link and a
localized number per cell, 34 to 500 child rows), a third of its time. The body depends
only on the figures it shows, the language and the code that renders it, so
`render_once` keeps the HTML in the cache under a hash of exactly those, as
`kotaku.charts.cached_svg` does for the charts: the same figures give the same HTML, any
changed figure is a new key. Nothing has to be invalidated, and a part is never older
than its data: the queries still run on every request, only their rendering is saved.

`{% once names %}…{% endonce %}` (kotaku's template tags) does the same for a part of a
template, such as the 25 rows of a list page (9 ms of a works list's rendering).

The part is rendered from its context alone, without the request and the context
processors (user, permissions, messages, CSRF token), so that it can only show what is
in its key. `fingerprint` turns the context into plain values and refuses any object it
does not know, so that a new kind of value in a context is noticed (a test fails)
instead of being left out of the key.
"""

import dataclasses
import datetime
import hashlib
import itertools
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Model, QuerySet
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

# Bump when the way parts are keyed changes. A changed template is new code: the cache is
# each worker's memory (settings.CACHES), which a deployment starts afresh; a shared cache
# would need this bumped with every template change.
VERSION = 1
# Seconds a part stays: its key changes with its content, so this only bounds memory.
TIMEOUT = 60 * 60

_PLAIN = (str, int, float, Decimal, datetime.date, datetime.time, type(None))
# Exactly these types (not their subclasses, whose repr may differ): the fast path.
_PLAIN_TYPES = frozenset(
    (str, int, bool, float, Decimal, datetime.date, datetime.datetime, datetime.time, type(None))
)
_TUPLE = frozenset((tuple,))


class Keyed:
    """`value` (an object the fingerprint cannot read, such as a form) together with
    `key`, the plain values that decide everything a part shows of it; the part reads
    `value`, the fingerprint `key`."""

    def __init__(self, value, key):
        self.value = value
        self.key = key


class Derived(Keyed):
    """A value that a part shows, computed from values already in the part's key: keyed
    by `key` alone (what it is and the version of the code that computes it), and
    computed by `compute()` only when the part is rendered (a miss). A dashboard's
    charts: their figures are in the part, so keying them again costs for nothing."""

    def __init__(self, compute, key):
        self.compute = compute
        self.key = key

    @cached_property
    def value(self):
        return self.compute()

    def __bool__(self):
        return bool(self.value)

    def __str__(self):
        return str(self.value)

    def __html__(self):
        return conditional_escape(self.value)


class Part(Keyed):
    """Keyed values for a `{% once %}` part: `values` (a dict) become the part's own
    variables, and `key` stands for all of them in its key (kotaku.lists.ListPageView:
    a list page's whole content)."""


def form_key(form) -> tuple:
    """What a form's fields show: per field its name, label, help text, value, errors,
    widget and attributes, and choices (read now: a model's choices are rows)."""
    fields = []
    for bound in form:
        field = bound.field
        choices = getattr(field, "choices", None)
        fields.append(
            (
                bound.html_name,
                bound.auto_id,
                str(bound.label),
                str(bound.help_text),
                field.required,
                type(field.widget).__qualname__,
                tuple((name, str(value)) for name, value in field.widget.attrs.items()),
                tuple(str(value) for value in _values(bound.value())),
                tuple(str(error) for error in bound.errors),
                None if choices is None else tuple((str(v), str(text)) for v, text in choices),
            )
        )
    errors = tuple(str(error) for error in form.non_field_errors())
    return (type(form).__module__, type(form).__qualname__, tuple(fields), errors)


def _values(value) -> list:
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


def fingerprint(value):
    """`value` as nested tuples of plain values, equal for equal content.

    Models give their class, their fields and annotations (`__dict__`) and the related
    objects already loaded; dataclasses their fields; lazy texts their text in the
    active language. Anything else raises TypeError.
    """
    if isinstance(value, _PLAIN):  # bool is an int; datetime a date; SafeString a str
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, Keyed):
        return ("Keyed", fingerprint(value.key))
    if isinstance(value, QuerySet):  # its rows: evaluated here, kept for the template
        return ("QuerySet", fingerprint(list(value)))
    if isinstance(value, QueryDict):  # a query string: every value, in its order
        return ("QueryDict", tuple((key, tuple(items)) for key, items in value.lists()))
    if isinstance(value, dict):
        if _PLAIN_TYPES.issuperset(map(type, value)) and _PLAIN_TYPES.issuperset(
            map(type, value.values())
        ):
            return tuple(value.items())  # no call per value
        return tuple((fingerprint(key), fingerprint(item)) for key, item in value.items())
    if isinstance(value, list | tuple):
        if _PLAIN_TYPES.issuperset(map(type, value)):  # a row: no call per value
            return tuple(value)
        if _TUPLE.issuperset(map(type, value)) and _PLAIN_TYPES.issuperset(
            map(type, itertools.chain.from_iterable(value))
        ):
            return tuple(value)  # rows of plain values, as the database gives them
        return tuple(fingerprint(item) for item in value)
    if isinstance(value, set | frozenset):
        return tuple(sorted(fingerprint(item) for item in value))
    if isinstance(value, Model):
        related = value._state.fields_cache
        own = {key: item for key, item in vars(value).items() if not key.startswith("_")}
        return (value._meta.label, fingerprint(own), fingerprint(related))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, fingerprint(vars(value)))
    raise TypeError(f"No fingerprint for {type(value).__qualname__}: give plain values.")


def cached_part(name, context: dict, render) -> str:
    """`render()`, kept under a key of `name`, the language and the content of
    `context` (everything `render` shows must be in it)."""
    digest = hashlib.sha256(
        repr((VERSION, name, translation.get_language(), fingerprint(context))).encode()
    ).hexdigest()
    key = f"kotaku:part:{digest}"
    html = cache.get(key)
    if html is None:
        html = str(render())
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)  # noqa: S308 — the template's own autoescaped output


def render_once(template_name: str, context: dict) -> str:
    """`template_name` rendered with `context` alone (no request), kept under a key of
    the template, the language and the content of `context`."""
    return cached_part(template_name, context, lambda: render_to_string(template_name, context))
