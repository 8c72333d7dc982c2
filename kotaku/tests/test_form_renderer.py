"""kotaku.form_renderer writes inputs and selects in Python: the HTML must be exactly
that of Django's templates, whatever the widget, value, attributes and language."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from kotaku.form_renderer import (
    CHOICES,
    INPUT_OPTION,
    INPUTS,
    MULTIPLE,
    OPTION,
    SELECT,
    FastWidgetRenderer,
)

DJANGO = DjangoTemplates()
FAST = FastWidgetRenderer()


class EveryKind(forms.Form):
    text = forms.CharField(label=_("Name"), help_text="help <b>", max_length=20)
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"autofocus": True}))
    number = forms.DecimalField(required=False, widget=forms.NumberInput(attrs={"step": "0.01"}))
    year = forms.IntegerField(required=False)
    day = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    email = forms.EmailField(required=False)
    secret = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    disabled = forms.CharField(required=False, disabled=True)
    choice = forms.ChoiceField(
        choices=[("", "---------"), ("a", _("Status")), ("b<", 'B "quoted" & <b>')],
        required=False,
    )
    grouped = forms.ChoiceField(
        choices=[
            ("Group <1>", [("1", "One"), ("2", "Two")]),
            ("Group 2", [(3, 2025), (4, Decimal("1.5"))]),
            ("x", "plain"),
        ],
        required=False,
    )
    many = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")], required=False)
    yes_no = forms.NullBooleanField(required=False)
    safe = forms.ChoiceField(choices=[("s", mark_safe("<em>safe</em>"))], required=False)
    area = forms.CharField(required=False, widget=forms.Textarea)
    flag = forms.BooleanField(required=False)
    boxes = forms.MultipleChoiceField(
        choices=[("a", _("Status")), ("b<", 'B "quoted" & <b>'), ("s", mark_safe("<em>s</em>"))],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "cols <2>"}),
    )
    grouped_boxes = forms.MultipleChoiceField(
        choices=[("Group <1>", [("1", "One"), ("2", "Two")]), ("x", "plain")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    radio = forms.ChoiceField(
        choices=[("a", "A"), ("b", "B")], required=False, widget=forms.RadioSelect
    )


DATA = [
    {},
    {
        "text": "a \"<b>\" & 'x'",
        "optional": "<script>",
        "number": "1.50",
        "year": "2025",
        "day": "2026-11-23",
        "email": "x@example.org",
        "secret": "p<w>",
        "hidden": "h&",
        "choice": "b<",
        "grouped": "4",
        "many": ["a", "c"],
        "yes_no": "true",
        "safe": "s",
        "area": "line\n<two>",
        "flag": "on",
        "boxes": ["b<", "s"],
        "grouped_boxes": ["2"],
        "radio": "b",
    },
    {"text": "", "year": "not a number", "day": "31-02-2026", "grouped": "nope", "radio": "z"},
]


def rendered(form, renderer):
    form.renderer = renderer
    return {name: str(form[name]) for name in form.fields}


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("data", DATA, ids=["unbound", "filled", "invalid"])
@pytest.mark.parametrize("auto_id", ["id_%s", False])
def test_the_fast_renderer_writes_what_djangos_templates_write(language, data, auto_id):
    with translation.override(language):
        bound = EveryKind(
            data or None,
            initial={"day": datetime.date(2026, 1, 2), "year": 1999},
            auto_id=auto_id,
        )
        if data:
            bound.is_valid()
        assert rendered(bound, FAST) == rendered(bound, DJANGO)


def test_inputs_selects_and_choices_skip_the_templates():
    form = EveryKind()
    form.renderer = FAST
    own = INPUTS | {SELECT, OPTION, MULTIPLE, INPUT_OPTION, *CHOICES, *CHOICES.values()}
    assert FAST._django_templates == own  # none overridden here

    def refuse(*args, **kwargs):
        raise AssertionError("rendered through a template")

    FAST.engine.get_template = refuse
    try:
        for name in ("text", "number", "day", "hidden", "choice", "grouped", "many", "yes_no") + (
            "boxes",
            "grouped_boxes",
            "radio",
        ):
            assert str(form[name])
    finally:
        del FAST.engine.get_template


@pytest.mark.django_db
def test_every_filter_form_of_the_list_pages_renders_the_same(national_officer):
    from works.filters import ProgressReportFilterSet, WorkFilterSet

    request = RequestFactory().get("/")
    request.user = national_officer
    for filterset_class in (WorkFilterSet, ProgressReportFilterSet):
        for data in ({}, {"status": "completed", "fiscal_year": "2025", "sort": "-name"}):
            form = filterset_class(data or None, request=request).form
            assert rendered(form, FAST) == rendered(form, DJANGO)
