import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader_tags import BlockNode
from django.templatetags.static import static
from django.utils.html import format_html

from kotaku.fragments import Part, cached_part
from kotaku.money import format_rupiah

register = template.Library()


@functools.cache
def _asset_url(path: str) -> str:
    return static(path)


@receiver(setting_changed)
def _forget_asset_urls(*, setting, **kwargs):
    if setting in ("STORAGES", "STATIC_URL"):
        _asset_url.cache_clear()


@register.simple_tag
def asset(path):
    """`{% static path %}`, its URL worked out once per process: the storage, and the
    manifest of hashed names it reads in production, do not change while a process runs
    (a test that changes the settings clears it). `{% static %}` costs 20 µs a file on
    every request, and base.html alone names two."""
    return _asset_url(path)


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


def _query(context):
    """The request's query string, or inside a `{% once %}` part the one it was keyed
    by (`url_query`, kotaku.lists)."""
    query = context.get("url_query")
    return context["request"].GET if query is None else query


@register.simple_tag(takes_context=True)
def url_with(context, **changes):
    """The current query string with some parameters replaced (sorting, paging)."""
    query = _query(context).copy()
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, param, label, css_class=""):
    """A sortable column header: a link that sorts by `param` ascending, or descending
    when it is already sorted ascending, keeping the other filters (back to page 1), and
    that tells its current direction to screen readers (`aria-sort`) and eyes (an arrow)."""
    current = _query(context).get("sort", "")
    if current == param:
        direction, arrow, target = "ascending", "▲", f"-{param}"
    elif current == f"-{param}":
        direction, arrow, target = "descending", "▼", param
    else:
        direction, arrow, target = "", "", param
    href = url_with(context, sort=target, page=None, export=None)
    return format_html(
        '<th{}{} data-sort="{}"><a href="{}">{}{}</a></th>',
        format_html(' class="{}"', css_class) if css_class else "",
        format_html(' aria-sort="{}"', direction) if direction else "",
        param,
        href,
        label,
        format_html(' <span aria-hidden="true">{}</span>', arrow) if arrow else "",
    )


class OnceNode(template.Node):
    # The part's nodes are its own: Django's search of a parent template for its blocks
    # (on every render of a page that extends it) need not walk them (`once` refuses a
    # block inside a part, which would only ever show its own content).
    child_nodelists = ()

    def __init__(self, nodelist, names, name):
        self.nodelist = nodelist
        self.names = names
        self.variables = [(name, template.Variable(name)) for name in names]
        self.name = name

    def render(self, context):
        values = {}
        for name, variable in self.variables:
            try:
                values[name] = variable.resolve(context)
            except template.VariableDoesNotExist:
                values[name] = None  # as {{ name }} shows nothing

        def render():  # only when the part is not kept yet
            shown = dict(values)
            for value in values.values():
                if isinstance(value, Part):
                    shown.update(value.value)
            own = template.Context(
                shown,
                autoescape=context.autoescape,
                use_l10n=context.use_l10n,
                use_tz=context.use_tz,
            )
            own.template = context.template  # for {% include %}
            return self.nodelist.render(own)

        # The node's identity too: two parts of one line (or of templates made from
        # strings) never share a key, and a template changed by a deployment neither.
        return cached_part((*self.name, id(self)), values, render)


@register.tag
def once(parser, token):
    """`{% once works %}…{% endonce %}`: the part rendered once per content of the named
    variables and kept (kotaku.fragments.cached_part). The part sees those variables
    only (no request, no user), so it cannot show anything its key leaves out; a queryset
    among them is evaluated for its key, and the rest of the page reuses its rows."""
    names = token.split_contents()[1:]
    if not names:
        raise template.TemplateSyntaxError("{% once %} names the variables the part shows.")
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(
            "{% once %} cannot hold a {% block %}: the part is rendered from its own variables."
        )
    origin = parser.origin.template_name if parser.origin else ""
    return OnceNode(nodelist, names, ("once", origin, token.lineno))
