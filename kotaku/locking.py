"""Optimistic locking: two people editing the same record cannot silently overwrite
each other.

Every user-edited model inherits `Versioned`. Its `version` starts at 1 and goes up by
one with every save of an existing row, through a conditional
`UPDATE … SET version = version + 1 WHERE pk = … AND version = <the version loaded>`:
when another save got there first, no row matches and `StaleRecord` is raised, so two
saves of the same loaded version can never both pass.

An edit form carries the version it was shown with in a hidden field
(`VersionedFormMixin`); `clean()` locks the row (`select_for_update`, held until the
request's transaction ends, ATOMIC_REQUESTS) and compares, so a stale save comes back
as the same form with what the user typed and a message saying who changed the record
and when. Services that reload the row under a lock therefore see the version the form
already checked. `VersionedAdminMixin` does the same for the Django admin.
"""

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

VERSION_FIELD = "version"


class StaleRecord(ValidationError):
    """The record was saved by someone else after this edit began."""

    def __init__(self, instance):
        super().__init__(stale_message(instance), code="stale")


def stale_message(instance) -> str:
    """Who changed `instance` last and when, from its history when it has one."""
    last = _history(instance).first() if _history(instance) is not None else None
    if last is None or last.history_user is None:
        return gettext(
            "This record was changed by someone else while you were editing it. Your "
            "changes were not saved; the form below still holds what you typed: check it "
            "against the current record and save again."
        )
    user = last.history_user
    when = formats.date_format(timezone.localtime(last.history_date), "DATETIME_FORMAT")
    return gettext(
        "This record was changed by %(user)s at %(time)s while you were editing it. Your "
        "changes were not saved; the form below still holds what you typed: check it "
        "against the current record and save again."
    ) % {"user": user.get_full_name() or user.get_username(), "time": when}


def changed_fields(instance, seen_version: int) -> list[str]:
    """Names of the fields that changed since the row was at `seen_version` (from the
    history: each historical row keeps the version it was saved with)."""
    history = _history(instance)
    if history is None:
        return []
    seen = history.filter(version=seen_version).first()
    latest = history.first()
    if seen is None or latest is None or seen.pk == latest.pk:
        return []
    delta = latest.diff_against(seen, excluded_fields=[VERSION_FIELD])
    return delta.changed_fields


def _history(instance):
    if getattr(type(instance), "history", None) is None or instance.pk is None:
        return None
    return instance.history.select_related("history_user").order_by("-history_date", "-pk")


class Versioned(models.Model):
    """A row that refuses a save based on an out-of-date copy (see module docstring)."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk is not None and not kwargs.get("force_insert"):
            version_bump(self)
        super().save(*args, **kwargs)


def version_bump(instance) -> None:
    """Move the row from `instance.version` to the next version, or raise StaleRecord."""
    with transaction.atomic():
        moved = (
            type(instance)
            ._base_manager.filter(pk=instance.pk, version=instance.version)
            .update(version=models.F(VERSION_FIELD) + 1)
        )
        if not moved:
            raise StaleRecord(instance)
    instance.version += 1


def version_check(instance, expected: int) -> None:
    """Lock the row (until the transaction ends) and refuse when its version is no
    longer `expected`; otherwise `instance` takes `expected` so its save moves on from
    the version the user saw."""
    with transaction.atomic():
        current = (
            type(instance)
            ._base_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list(VERSION_FIELD, flat=True)
            .first()
        )
    if current is not None and current != expected:
        raise StaleRecord(instance)
    instance.version = expected


def _version_field():
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={"required": _("The form is incomplete: reload the page.")},
    )


class VersionedFormMixin:
    """For the edit form of a `Versioned` record: a hidden `version` field, checked in
    `clean()`.

    A ModelForm checks its `instance`; any other form gets the record as `record=`.
    `version` is taken out of `cleaned_data`, so views can pass the rest to a service.
    After a refusal the hidden field holds the current version, so saving the form again
    (after review) is a deliberate overwrite.
    """

    def __init__(self, *args, record=None, **kwargs):
        super().__init__(*args, **kwargs)
        if record is None:
            record = getattr(self, "instance", None)
        self.versioned_record = record if record is not None and record.pk else None
        if self.versioned_record is not None:
            self.fields[VERSION_FIELD] = _version_field()
            self.initial[VERSION_FIELD] = self.versioned_record.version
        else:
            self.fields.pop(VERSION_FIELD, None)

    def clean(self):
        cleaned = super().clean()
        record = self.versioned_record
        expected = cleaned.pop(VERSION_FIELD, None) if record is not None else None
        if expected is None:
            return cleaned
        try:
            version_check(record, expected)
        except StaleRecord as error:
            self._show_current_version(record)
            messages = [*error.messages, *self._changed_labels(record, expected)]
            errors = [ValidationError(message, code="stale") for message in messages]
            raise ValidationError({NON_FIELD_ERRORS: errors}) from None
        return cleaned

    def _changed_labels(self, record, seen_version):
        names = changed_fields(record, seen_version)
        if not names:
            return []
        labels = []
        for name in names:
            if name in self.fields:
                labels.append(str(self.fields[name].label or name))
            else:
                labels.append(str(record._meta.get_field(name).verbose_name))
        return [gettext("Changed meanwhile: %(fields)s.") % {"fields": ", ".join(labels)}]

    def full_clean(self):
        super().full_clean()
        # A hidden field's error would show nowhere in a hand-written template.
        hidden_errors = (self._errors or {}).pop(VERSION_FIELD, None)
        if hidden_errors:
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class(error_class="nonfield"))
            self._errors[NON_FIELD_ERRORS].extend(hidden_errors)

    def _show_current_version(self, record):
        current = (
            type(record)._base_manager.filter(pk=record.pk).values_list(VERSION_FIELD, flat=True)
        )
        self.data = self.data.copy()
        self.data[self.add_prefix(VERSION_FIELD)] = current.first()


class VersionedAdminMixin:
    """The admin change form refuses a stale save like the app's forms do: the hidden
    `version` joins the first fieldset and the form class gets `VersionedFormMixin`."""

    def _versioned(self, obj):
        return obj is not None and isinstance(obj, Versioned)

    def get_readonly_fields(self, request, obj=None):
        # The version is never shown as a value: it travels in the hidden field.
        readonly = super().get_readonly_fields(request, obj)
        return [name for name in readonly if name != VERSION_FIELD]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not self._versioned(obj) or VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if not self._versioned(obj):
            return super().get_form(request, obj, change=change, **kwargs)
        fields = kwargs.get("fields", ())
        if fields is not None:
            # `version` is not editable: the model form must not be asked for it.
            fields = fields or flatten_fieldsets(self.get_fieldsets(request, obj))
            kwargs["fields"] = [name for name in fields if name != VERSION_FIELD]
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (VersionedFormMixin, form), {VERSION_FIELD: _version_field()})


class VersionedHistoryAdmin(VersionedAdminMixin, SimpleHistoryAdmin):
    """The admin of a user-edited model: history and optimistic locking."""
