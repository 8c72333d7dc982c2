from django import template

from ..choices import IndependenceStatus

register = template.Library()


@register.filter
def independence_label(value):
    """`"mandiri"` → its label, for statuses annotated as raw values."""
    return str(IndependenceStatus(value).label) if value in IndependenceStatus.values else "–"


@register.inclusion_tag("programs/_kelurahan_institutions.html", takes_context=True)
def kelurahan_institutions(context, region):
    """`{% kelurahan_institutions region %}`: the BKM, KSM and KPP of a kelurahan page
    (two queries, whatever the number of groups)."""
    from ..selectors import kelurahan_institutions as select

    user = context["request"].user
    return {"institutions": select(region, user), "region": region, "perms": context.get("perms")}
