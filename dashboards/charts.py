"""The dashboard's charts: server-side SVG by pygal (no JavaScript, no CDN). Each returns
'' when there is nothing to draw; the page always shows the same figures as a table.

Each function first reduces its input to the plain figures it draws, then draws them
once per set of figures and language (kotaku.charts.cached_svg)."""

import pygal
from django.utils.translation import gettext as _

from kotaku.charts import cached_svg

STYLE = pygal.style.CleanStyle(
    font_family="system-ui, sans-serif",
    title_font_size=24,
    label_font_size=18,
    major_label_font_size=18,
    value_font_size=18,
)
OPTIONS = {"js": [], "width": 800, "height": 420, "style": STYLE}
MILLION = 1_000_000


def money_and_progress_by_month(series) -> str:
    """Approved spending to date (Rp juta, left axis) and the average progress reported
    each month (%, right axis)."""
    if not series:
        return ""
    months = [point["month"].strftime("%m/%Y") for point in series]
    spent = [float(point["spent_to_date"]) / MILLION for point in series]
    progress = [None if p["progress"] is None else float(p["progress"]) for p in series]

    def build():
        chart = pygal.Line(
            title=_("Spending and physical progress by month"),
            secondary_range=(0, 100),
            legend_at_bottom=True,
            **OPTIONS,
        )
        chart.x_labels = months
        chart.add(_("Spent to date (Rp million)"), spent)
        # pygal cannot scale a secondary axis without a single value on it.
        if any(value is not None for value in progress):
            chart.add(_("Average progress (%)"), progress, secondary=True)
        return chart

    return cached_svg("dashboard-month", (months, spent, progress), build)


def works_by_aspect(by_aspect) -> str:
    rows = [(str(label), count) for _value, label, count in by_aspect if count]
    if not rows:
        return ""

    def build():
        chart = pygal.HorizontalBar(title=_("Works by slum aspect"), show_legend=False, **OPTIONS)
        chart.x_labels = [label for label, _count in rows]
        most = max(count for _label, count in rows)
        if most <= 10:  # whole works: no 0.1 steps on the axis
            chart.y_labels = list(range(most + 1))
        chart.add(_("Works"), [count for _label, count in rows])
        return chart

    return cached_svg("dashboard-aspect", rows, build)


def hectares_reduced_by_year(by_year) -> str:
    if not by_year:
        return ""
    bars = [(str(year), float(reduced)) for year, _ha, reduced in by_year]

    def build():
        chart = pygal.Bar(title=_("Slum area reduced (ha) by year"), show_legend=False, **OPTIONS)
        chart.x_labels = [year for year, _reduced in bars]
        chart.add(_("Reduced (ha)"), [reduced for _year, reduced in bars])
        return chart

    return cached_svg("dashboard-hectares", bars, build)


def realization_by_region(rows) -> str:
    bars = [(str(row.name), round(float(row.realization), 1)) for row in rows if row.allocated]
    if not bars:
        return ""

    def build():
        chart = pygal.HorizontalBar(
            title=_("Realization by region (%)"), show_legend=False, range=(0, 100), **OPTIONS
        )
        chart.x_labels = [name for name, _percent in bars]
        chart.add(_("Realization (%)"), [percent for _name, percent in bars])
        return chart

    return cached_svg("dashboard-realization", bars, build)
