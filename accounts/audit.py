"""The login audit: successful logins (with their logout), and failed attempts, as
django-axes records them (AccessLog, AccessFailureLog).

National officers see every entry, including attempts with user names that do not
exist. Province coordinators and district staff see the entries of the users placed
inside their own places: who logs in is personal data too.
"""

from django import forms
from django.db.models import BooleanField, CharField, DateTimeField, F, Q, Value
from django.utils.translation import gettext_lazy as _

from .choices import Role
from .models import User
from .scoping import covered_q

AUDIT_ROLES = {Role.NATIONAL_OFFICER, Role.PROVINCE_COORDINATOR, Role.DISTRICT_STAFF}
SUCCESS, FAILURE = "success", "failure"


def may_see_audit(user) -> bool:
    return user.is_superuser or user.role in AUDIT_ROLES


class AuditFilterForm(forms.Form):
    username = forms.CharField(label=_("User name"), required=False, max_length=150)
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        required=False,
        choices=[("", _("All")), (SUCCESS, _("Logged in")), (FAILURE, _("Failed"))],
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _visible_usernames(user):
    """None when the user sees every entry; otherwise the user names placed inside
    their places (a subquery)."""
    if user.sees_everything:
        return None
    placed = User.objects.filter(covered_q(user.place_codes, "assignments__region__code"))
    return placed.values("username")


def audit_entries(user, *, username="", outcome="", date_from=None, date_to=None):
    """One newest-first list over logins and failed logins (a UNION, one query per page
    and one for the count)."""
    from axes.models import AccessFailureLog, AccessLog

    condition = Q()
    visible = _visible_usernames(user)
    if visible is not None:
        condition &= Q(username__in=visible)
    if username:
        condition &= Q(username__iexact=username.strip())
    if date_from:
        condition &= Q(attempt_time__date__gte=date_from)
    if date_to:
        condition &= Q(attempt_time__date__lte=date_to)
    fields = ("attempt_time", "username", "ip_address", "user_agent", "outcome", "logout")
    logins = AccessLog.objects.filter(condition).annotate(
        outcome=Value(SUCCESS, output_field=CharField()),
        logout=F("logout_time"),
        locked=Value(False, output_field=BooleanField()),
    )
    failures = AccessFailureLog.objects.filter(condition).annotate(
        outcome=Value(FAILURE, output_field=CharField()),
        logout=Value(None, output_field=DateTimeField()),
        locked=F("locked_out"),
    )
    parts = []
    if outcome in ("", SUCCESS):
        parts.append(logins.order_by().values(*fields, "locked"))
    if outcome in ("", FAILURE):
        parts.append(failures.order_by().values(*fields, "locked"))
    first, *rest = parts
    union = first.union(*rest, all=True) if rest else first
    return union.order_by("-attempt_time")
