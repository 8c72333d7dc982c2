"""Charts are drawn once per set of figures and language, and never shown stale."""

import pygal
from django.core.cache import cache
from django.utils import translation

from dashboards import charts as dashboard_charts
from kotaku.charts import cached_svg


def counting_build(values, calls):
    def build():
        calls.append(values)
        chart = pygal.Bar(js=[], title=translation.gettext("Works"))
        chart.add("x", values)
        return chart

    return build


def test_same_figures_are_drawn_once():
    cache.clear()
    calls = []
    first = cached_svg("test", [1, 2], counting_build([1, 2], calls))
    second = cached_svg("test", [1, 2], counting_build([1, 2], calls))
    assert first == second and "<svg" in first and "<script" not in first
    assert len(calls) == 1


def test_other_figures_or_language_draw_again():
    cache.clear()
    calls = []
    with translation.override("id"):
        first = cached_svg("test", [1, 2], counting_build([1, 2], calls))
        changed = cached_svg("test", [1, 3], counting_build([1, 3], calls))
    with translation.override("en"):
        english = cached_svg("test", [1, 2], counting_build([1, 2], calls))
    assert len(calls) == 3
    assert first != changed
    assert "Kegiatan" in first and "Works" in english


def test_dashboard_chart_follows_its_figures():
    cache.clear()
    month = dashboard_charts.works_by_aspect([("a", "Drainase", 3), ("b", "Jalan", 0)])
    more = dashboard_charts.works_by_aspect([("a", "Drainase", 4), ("b", "Jalan", 0)])
    assert month != more
    assert "Drainase" in month and "Jalan" not in month
    assert dashboard_charts.works_by_aspect([("a", "Drainase", 0)]) == ""
