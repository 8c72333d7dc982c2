"""Page parts rendered once per content: equal content, one rendering; any change of
what the part shows, a new one."""

import datetime
from decimal import Decimal
from unittest import mock

import pytest
from django.http import QueryDict
from django.utils import translation
from django.utils.translation import gettext_lazy

from budgets.selectors import Figures
from conftest import KLAGENSERUT
from kotaku import fragments
from kotaku.fragments import fingerprint, render_once
from locations.models import Region
from works.tests.factories import WorkFactory

TEMPLATE = "dashboards/_sort_header.html"


def test_equal_content_gives_equal_fingerprints_and_any_change_another():
    figures = {"works": 5, "spent": Decimal("20000000"), "when": datetime.date(2026, 1, 31)}
    assert fingerprint(figures) == fingerprint(dict(figures))
    assert fingerprint(figures) != fingerprint({**figures, "works": 6})
    assert fingerprint(Figures(key="35", spent=Decimal(1))) != fingerprint(
        Figures(key="35", spent=Decimal(2))
    )
    query = QueryDict("sort=-works&region=35&region=36")
    assert fingerprint(query) == fingerprint(query.copy())
    assert fingerprint(query) != fingerprint(QueryDict("sort=-works&region=35"))


def test_lazy_texts_count_in_the_language_of_the_page():
    label = gettext_lazy("Works")
    with translation.override("en"):
        english = fingerprint(label)
    with translation.override("id"):
        assert fingerprint(label) != english


@pytest.mark.django_db
def test_a_model_counts_with_its_annotations_and_related_rows(regions):
    region = Region.objects.get(code=KLAGENSERUT)
    before = fingerprint(region)
    region.n_works = 3  # what the dashboard adds to a child region
    assert fingerprint(region) != before
    work = WorkFactory(kelurahan_id=KLAGENSERUT)
    loaded = type(work).objects.select_related("kelurahan").get(pk=work.pk)
    renamed = type(work).objects.select_related("kelurahan").get(pk=work.pk)
    renamed.kelurahan.name = "Klagen"
    assert fingerprint(loaded) != fingerprint(renamed)


def test_rows_and_plain_dicts_give_what_a_value_by_value_walk_gives():
    row = ("Jalan", 3, Decimal("1.5"), datetime.date(2026, 1, 31), None, True)
    assert fingerprint(row) == row and fingerprint(list(row)) == row
    assert fingerprint({"a": 1, "b": "x"}) == (("a", 1), ("b", "x"))
    label = gettext_lazy("Works")
    assert fingerprint(("a", label)) == ("a", str(label))  # not a plain row: each value
    rows = (row, ("Gang", 4, Decimal("2"), None, None, False))
    assert fingerprint(rows) == rows and fingerprint(list(rows)) == rows  # rows as read
    assert fingerprint((row, ["Gang", 4])) == (row, ("Gang", 4))  # a list inside: a tuple
    assert fingerprint((row, ("a", label))) == (row, ("a", str(label)))
    with pytest.raises(TypeError, match="object"):
        fingerprint((row, ("a", object())))  # an unknown value inside a row
    assert fingerprint({"a": label}) == (("a", str(label)),)


def test_a_derived_value_is_keyed_by_its_name_and_computed_only_when_shown():
    from django.template import Context, Template
    from django.utils.safestring import mark_safe

    from kotaku.fragments import Derived

    drawn = []

    def draw(text):
        drawn.append(text)
        return mark_safe(text)

    chart = Derived(lambda: draw("<svg>1</svg>"), ("chart", "month", 1))
    assert fingerprint(chart) == fingerprint(Derived(lambda: draw("other"), ("chart", "month", 1)))
    assert drawn == []  # keying it drew nothing
    page = Template("{% if chart %}{{ chart }}{% else %}none{% endif %}")
    assert page.render(Context({"chart": chart})) == "<svg>1</svg>"  # safe markup kept
    empty = Derived(lambda: "", ("chart", "aspect", 1))
    assert page.render(Context({"chart": empty})) == "none"
    escaped = Derived(lambda: "<b>", ("text",))
    assert Template("{{ value }}").render(Context({"value": escaped})) == "&lt;b&gt;"
    assert drawn == ["<svg>1</svg>"]  # once, however often shown


def test_an_unknown_object_is_refused_not_left_out_of_the_key():
    with pytest.raises(TypeError, match="object"):
        fingerprint({"request": object()})


def test_a_part_is_rendered_once_per_content():
    context = {"key": "works", "label": "Works", "sort": "code", "query": QueryDict("")}
    with mock.patch.object(
        fragments, "render_to_string", wraps=fragments.render_to_string
    ) as rendered:
        first = render_once(TEMPLATE, context)
        assert render_once(TEMPLATE, dict(context)) == first
        assert rendered.call_count == 1
        sorted_page = render_once(TEMPLATE, {**context, "sort": "works"})
        assert rendered.call_count == 2
    assert 'aria-sort="ascending"' in sorted_page and "aria-sort" not in first


@pytest.mark.django_db
def test_once_renders_a_part_once_per_content_of_its_variables(regions):
    from django.template import Context, Template

    page = Template(
        "{% load kotaku %}<h1>{{ title }}</h1>"
        "{% once works %}{% for work in works %}<li>{{ work.name }}</li>{% endfor %}{% endonce %}"
    )
    work = WorkFactory(name="Jalan Mawar", kelurahan_id=KLAGENSERUT)
    works = type(work).objects.order_by("pk")
    with mock.patch.object(fragments.cache, "set", wraps=fragments.cache.set) as kept:
        first = page.render(Context({"title": "Satu", "works": works.all()}))
        assert first == "<h1>Satu</h1><li>Jalan Mawar</li>" and kept.call_count == 1
        # The same rows: the part comes from the cache, the rest of the page is new.
        again = page.render(Context({"title": "Dua", "works": works.all()}))
        assert again == "<h1>Dua</h1><li>Jalan Mawar</li>" and kept.call_count == 1
    type(work).objects.filter(pk=work.pk).update(name="Jalan Melati")
    changed = page.render(Context({"title": "Dua", "works": works.all()}))
    assert changed == "<h1>Dua</h1><li>Jalan Melati</li>"


def test_once_sees_only_the_variables_it_names():
    from django.template import Context, Template

    page = Template("{% load kotaku %}{% once a %}{{ a }}-{{ secret }}{% endonce %}")
    assert page.render(Context({"a": "shown", "secret": "left out"})) == "shown-"


def test_once_shows_nothing_for_a_missing_variable():
    from django.template import Context, Template

    page = Template("{% load kotaku %}{% once a b %}[{{ a }}|{{ b.c }}]{% endonce %}")
    assert page.render(Context({"a": "x"})) == "[x|]"


def test_a_part_holds_no_block_and_hides_its_nodes_from_the_block_search():
    """A block in a part could only show its own content (the part is rendered from its
    variables), so `once` refuses it; and Django's search of a parent template for its
    blocks, on every render of a page that extends it, does not walk into parts."""
    from django.template import Template, TemplateSyntaxError
    from django.template.loader_tags import BlockNode

    with pytest.raises(TemplateSyntaxError, match="block"):
        Template("{% load kotaku %}{% once a %}{% block x %}{% endblock %}{% endonce %}")
    page = Template("{% load kotaku %}{% once a %}{{ a }}{% if a %}{{ a }}{% endif %}{% endonce %}")
    assert page.nodelist.get_nodes_by_type(BlockNode) == []
    from django.template.defaulttags import IfNode

    assert page.nodelist.get_nodes_by_type(IfNode) == []  # not walked into


@pytest.mark.django_db
def test_a_filter_forms_key_follows_its_values_errors_and_choices():
    from works.filters import WorkFilterSet
    from works.models import Work, WorkType

    def key(data):
        return fingerprint(
            fragments.Keyed(
                None,
                fragments.form_key(
                    WorkFilterSet(QueryDict(data), queryset=Work.objects.all()).form
                ),
            )
        )

    empty = key("")
    assert key("") == empty
    assert key("status=completed") != empty
    invalid = WorkFilterSet(QueryDict("fiscal_year=abc"), queryset=Work.objects.all()).form
    assert not invalid.is_valid() and key("fiscal_year=abc") != key("fiscal_year=")
    WorkType.objects.create(name="Sumur resapan", aspect="drainage", default_unit="unit")
    assert key("") != empty  # a new type of work is a new option of the select
