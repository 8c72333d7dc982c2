from django import template

from kotaku.money import format_rupiah

register = template.Library()


@register.filter
def rupiah(amount):
    """`{{ allocation.amount|rupiah }}` → `Rp 750.000.000`."""
    return format_rupiah(amount)


@register.filter
def thousands(number):
    """Whole numbers with Indonesian grouping: 83762 → `83.762`."""
    if number is None:
        return "–"
    return f"{int(number):,}".replace(",", ".")


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced (sorting, paging)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
