from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag(takes_context=True)
def dash_url(context, code=""):
    """The dashboard of region `code` ("" for the nation), keeping the fiscal year."""
    url = reverse("dashboards:region", args=[code]) if code else reverse("dashboards:home")
    year = context.get("fiscal_year")
    return f"{url}?{urlencode({'fiscal_year': year})}" if year else url


@register.simple_tag(takes_context=True)
def list_url(context, name, years=True, **params):
    """The list behind a figure: `name` filtered to the dashboard's region (and fiscal
    year unless `years=False`) and `params`."""
    query = {"region": context.get("code") or None}
    if years:
        query["fiscal_year"] = context.get("fiscal_year")
    query.update(params)
    encoded = urlencode({key: value for key, value in query.items() if value not in (None, "")})
    url = reverse(name)
    return f"{url}?{encoded}" if encoded else url


@register.simple_tag(takes_context=True)
def sort_url(context, key):
    """The current dashboard (its query string: `query`) sorted by `key`; the same key
    again turns the order round."""
    query = context["query"].copy()
    query["sort"] = f"-{key}" if context.get("sort") == key else key
    return f"?{query.urlencode()}"
