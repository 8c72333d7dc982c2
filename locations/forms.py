import re

from django import forms
from django.utils.translation import gettext_lazy as _

RT_RW_RE = re.compile(r"^\s*(?:RT\s*)?(\d{1,3})\s*/\s*(?:RW\s*)?(\d{1,3})\s*$", re.IGNORECASE)


class RtRwForm(forms.Form):
    """RT and RW as two numbers; "RT 07 / RW 02" and "7/2" are accepted too."""

    rt = forms.IntegerField(label=_("RT"), min_value=1, max_value=999)
    rw = forms.IntegerField(label=_("RW"), min_value=1, max_value=999)

    @staticmethod
    def parse(text: str) -> tuple[int, int] | None:
        """`"RT 07 / RW 02"` → `(7, 2)`; None when it is not an RT/RW."""
        match = RT_RW_RE.match(text or "")
        return (int(match.group(1)), int(match.group(2))) if match else None
