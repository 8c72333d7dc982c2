"""Server-side SVG charts (pygal, no JavaScript, no CDN)."""

import pygal
from django.utils.translation import gettext as _

from kotaku.charts import cached_svg


def hectares_by_year(by_year) -> str:
    """A bar chart of slum hectares at the end of each year; '' when there is no data.
    The page shows the same figures as a table (the chart's text alternative)."""
    if not by_year:
        return ""
    bars = [(str(year), float(ha)) for year, ha in by_year]

    def build():
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
        chart.x_labels = [year for year, _ha in bars]
        chart.add(_("Slum area (ha)"), [ha for _year, ha in bars])
        return chart

    return cached_svg("slums-hectares", bars, build)
