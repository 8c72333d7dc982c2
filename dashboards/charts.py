"""The dashboard's charts: server-side SVG by pygal (no JavaScript, no CDN). Each returns
'' when there is nothing to draw; the page always shows the same figures as a table."""

import pygal
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from slums.charts import INLINE_SCRIPT

STYLE = pygal.style.CleanStyle(
    font_family="system-ui, sans-serif",
    title_font_size=24,
    label_font_size=18,
    major_label_font_size=18,
    value_font_size=18,
    legend_font_size=18,
)
OPTIONS = {"js": [], "width": 800, "height": 420, "style": STYLE}
MILLION = 1_000_000


def _svg(chart) -> str:
    # pygal writes its config as an inline <script> even with js=[]: the page allows no
    # inline scripts (Content-Security-Policy) and the chart needs none, so it goes.
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True, disable_xml_declaration=True))
    # pygal escapes the labels it writes; the values are numbers.
    return mark_safe(svg)  # noqa: S308


def money_and_progress_by_month(series) -> str:
    """Approved spending to date (Rp juta, left axis) and the average progress reported
    each month (%, right axis)."""
    if not series:
        return ""
    chart = pygal.Line(
        title=_("Spending and physical progress by month"),
        secondary_range=(0, 100),
        legend_at_bottom=True,
        **OPTIONS,
    )
    chart.x_labels = [point["month"].strftime("%m/%Y") for point in series]
    chart.add(
        _("Spent to date (Rp million)"),
        [float(point["spent_to_date"]) / MILLION for point in series],
    )
    progress = [None if p["progress"] is None else float(p["progress"]) for p in series]
    # pygal cannot scale a secondary axis without a single value on it.
    if any(value is not None for value in progress):
        chart.add(_("Average progress (%)"), progress, secondary=True)
    return _svg(chart)


def works_by_aspect(by_aspect) -> str:
    rows = [(label, count) for _value, label, count in by_aspect if count]
    if not rows:
        return ""
    chart = pygal.HorizontalBar(title=_("Works by slum aspect"), show_legend=False, **OPTIONS)
    chart.x_labels = [str(label) for label, _count in rows]
    most = max(count for _label, count in rows)
    if most <= 10:  # whole works: no 0.1 steps on the axis
        chart.y_labels = list(range(most + 1))
    chart.add(_("Works"), [count for _label, count in rows])
    return _svg(chart)


def hectares_reduced_by_year(by_year) -> str:
    if not by_year:
        return ""
    chart = pygal.Bar(title=_("Slum area reduced (ha) by year"), show_legend=False, **OPTIONS)
    chart.x_labels = [str(year) for year, _ha, _reduced in by_year]
    chart.add(_("Reduced (ha)"), [float(reduced) for _year, _ha, reduced in by_year])
    return _svg(chart)


def realization_by_region(rows) -> str:
    rows = [row for row in rows if row.allocated]
    if not rows:
        return ""
    chart = pygal.HorizontalBar(
        title=_("Realization by region (%)"), show_legend=False, range=(0, 100), **OPTIONS
    )
    chart.x_labels = [row.name for row in rows]
    chart.add(_("Realization (%)"), [round(float(row.realization), 1) for row in rows])
    return _svg(chart)
