"""Django's form renderer, with the commonest widgets written in Python.

Django renders every widget through templates: a select is one template, plus one
`{% include %}` of the option template and one of the attributes template per option.
On a list page (a filter form of ten fields and a hundred-odd options) that was 6 ms of
the page's 15 ms of Python. `FastWidgetRenderer` produces the very same HTML as Django's
templates for text-like inputs and selects (kotaku/tests/test_form_renderer.py compares
the two on every field kind), and checkboxes and radio buttons (a slum area's form offers a
kabupaten's hundreds of kelurahan and RT/RW as checkboxes), and hands every other template
to Django.

Only Django's own templates are replaced: an app that overrides one of them would shadow
it in the template engine, so the renderer uses the Python version only while the
template found under that name is Django's.
"""

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

WIDGETS = "django/forms/widgets/"
INPUTS = frozenset(
    f"{WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
    )
)
SELECT = f"{WIDGETS}select.html"
OPTION = f"{WIDGETS}select_option.html"
# Checkboxes and radio buttons: the list, and the option template of each kind.
CHOICES = {
    f"{WIDGETS}checkbox_select.html": f"{WIDGETS}checkbox_option.html",
    f"{WIDGETS}radio.html": f"{WIDGETS}radio_option.html",
}
MULTIPLE = f"{WIDGETS}multiple_input.html"
INPUT_OPTION = f"{WIDGETS}input_option.html"
_ESCAPING = Context(autoescape=True)


def _text(value) -> str:
    """`{{ value }}` in a template: localized, escaped unless safe."""
    return render_value_in_context(value, _ESCAPING)


def _as_string(value) -> str:
    """`{{ value|stringformat:'s' }}`."""
    text = "%s" % (value,)  # noqa: UP031 — exactly the filter's formatting
    # The filter keeps a safe value safe (is_safe=True); anything else is escaped.
    safe = isinstance(value, SafeData)
    return conditional_escape(mark_safe(text) if safe else text)  # noqa: S308


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {_text(name)}" if value is True else f' {_text(name)}="{_as_string(value)}"'
        )
    return "".join(parts)


def render_input(widget: dict) -> str:
    """django/forms/widgets/input.html (and the templates that only include it)."""
    value = f' value="{_as_string(widget["value"])}"' if widget["value"] is not None else ""
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def render_select(widget: dict) -> str:
    """django/forms/widgets/select.html with select_option.html for each option."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in options:
            parts.append(
                f'\n  <option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


def render_choices(widget: dict) -> str:
    """django/forms/widgets/checkbox_select.html or radio.html: multiple_input.html with
    checkbox_option.html or radio_option.html (input_option.html) for each option."""
    element_id = widget["attrs"].get("id")
    parts = ["<div"]
    if element_id:
        parts.append(f' id="{_text(element_id)}"')
    if widget["attrs"].get("class"):
        parts.append(f' class="{_text(widget["attrs"]["class"])}"')
    parts.append(">")
    for group_name, options, _index in widget["optgroups"]:
        if group_name:
            parts.append(f"\n  <div><label>{_text(group_name)}</label>")
        for option in options:
            parts.append("<div>\n    ")
            if option["wrap_label"]:
                label_for = option["attrs"].get("id")
                parts.append(f'<label for="{_text(label_for)}">' if label_for else "<label>")
            parts.append(f"{render_input(option)}\n")
            if option["wrap_label"]:
                parts.append(f" {_text(option['label'])}</label>")
            parts.append("\n\n</div>")
        if group_name:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


class FastWidgetRenderer(DjangoTemplates):
    """`FORM_RENDERER`: Django's default renderer, with inputs, selects, checkboxes and
    radio buttons in Python."""

    @cached_property
    def _django_templates(self) -> frozenset:
        """The names above whose template is Django's own (not overridden by an app)."""
        own = set()
        for name in (*INPUTS, SELECT, OPTION, *CHOICES, *CHOICES.values(), MULTIPLE, INPUT_OPTION):
            origin = self.get_template(name).origin.name
            if origin.replace("\\", "/").endswith(f"/django/forms/templates/{name}"):
                own.add(name)
        return frozenset(own)

    def render(self, template_name, context, request=None):
        own = self._django_templates
        if template_name in INPUTS and template_name in own:
            return render_input(context["widget"])
        if template_name == SELECT and SELECT in own and OPTION in own:
            widget = context["widget"]
            if all(
                option["template_name"] == OPTION
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return render_select(widget)
        if template_name in CHOICES and {template_name, MULTIPLE, INPUT_OPTION} <= own:
            widget = context["widget"]
            option_template = CHOICES[template_name]
            if (
                option_template in own
                and f"{WIDGETS}input.html" in own
                and all(
                    option["template_name"] == option_template
                    for _name, options, _index in widget["optgroups"]
                    for option in options
                )
            ):
                return render_choices(widget)
        return super().render(template_name, context, request)
