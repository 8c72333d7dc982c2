"""Server-side SVG charts (pygal, no JavaScript, no CDN)."""

import re

import pygal
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


def hectares_by_year(by_year) -> str:
    """A bar chart of slum hectares at the end of each year; '' when there is no data.
    The page shows the same figures as a table (the chart's text alternative)."""
    if not by_year:
        return ""
    chart = pygal.Bar(
        js=[],
        width=800,
        height=360,
        show_legend=False,
        title=_("Slum area (ha) by year"),
        style=pygal.style.CleanStyle(
            font_family="system-ui, sans-serif",
            title_font_size=22,
            label_font_size=16,
            major_label_font_size=16,
            value_font_size=16,
        ),
    )
    chart.x_labels = [str(year) for year, _ha in by_year]
    chart.add(_("Slum area (ha)"), [float(ha) for _year, ha in by_year])
    # pygal writes its config as an inline <script> even with js=[]: the page allows no
    # inline scripts (Content-Security-Policy) and the chart needs none, so it goes.
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True, disable_xml_declaration=True))
    # pygal escapes the labels it writes; the values are numbers.
    return mark_safe(svg)  # noqa: S308
