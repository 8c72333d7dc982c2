"""Server-side SVG charts by pygal, rendered once per set of figures.

pygal builds a chart as an element tree and serializes it: 10 to 30 ms a chart, most of
a dashboard's own time. A chart depends only on the figures it is given, the language
of its texts and the code that draws it, so `cached_svg` keeps the SVG in the cache under
a hash of exactly those: the same figures give the same SVG, and any change of a figure
gives a new key. Nothing has to be invalidated, and a chart is never older than its data.
"""

import hashlib
import re

from django.core.cache import cache
from django.utils import translation
from django.utils.safestring import mark_safe

# pygal writes its config as an inline <script> even with js=[]: the pages allow no
# inline scripts (Content-Security-Policy) and the charts need none, so it goes.
INLINE_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)

# Bump when a chart's drawing code changes, so that SVGs drawn by the old code go.
VERSION = 1
# Seconds an SVG stays: its key changes with its figures, so this only bounds memory.
TIMEOUT = 60 * 60


def to_svg(chart) -> str:
    """The chart as SVG markup for a page: no XML declaration, no script."""
    svg = INLINE_SCRIPT.sub("", chart.render(is_unicode=True, disable_xml_declaration=True))
    # pygal escapes the labels it writes; the values are numbers.
    return mark_safe(svg)  # noqa: S308


def cached_svg(name: str, figures, build) -> str:
    """`to_svg(build())`, kept under a key of `name`, `figures` and the language.

    `figures` must be plain values (numbers, strings, dates, tuples and lists of them)
    holding everything `build` draws, so that their repr changes whenever the chart does.
    """
    digest = hashlib.sha256(
        repr((VERSION, name, translation.get_language(), figures)).encode()
    ).hexdigest()
    key = f"kotaku:chart:{digest}"
    svg = cache.get(key)
    if svg is None:
        svg = str(to_svg(build()))
        cache.set(key, svg, TIMEOUT)
    return mark_safe(svg)  # noqa: S308 — pygal's own escaped output, see to_svg
