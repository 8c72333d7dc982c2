"""The shared recipe of programs pages: scoped queryset → 404, role → 403, forms that
call a service and show its ValidationError on the form with what was typed. List pages
follow the project's one list recipe, kotaku.lists.ListPageView."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView

from accounts.mixins import RolePermissionMixin, ScopedQuerysetMixin


def add_service_errors(form, error: ValidationError):
    """Put a service's errors on the matching form fields (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


def history_of(record, limit=50):
    return record.history.select_related("history_user")[:limit]


class ScopedDetailView(ScopedQuerysetMixin, DetailView):
    """A row in the user's places (404 otherwise), with its History tab."""

    change_permission = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = history_of(self.object)
        context["can_change"] = self.can_change()
        return context

    def can_change(self):
        return bool(self.change_permission) and self.request.user.has_perm(self.change_permission)


class ServiceFormView(RolePermissionMixin, FormView):
    """A create/edit form whose save is a service call.

    Subclasses set `form_class`, `permission_required` and implement `perform(form)`;
    edit views also set `parent_queryset(user)` to find the row (404 out of scope).
    """

    template_name = "programs/form.html"
    title = ""
    success_message = _("Saved.")
    object = None
    form_takes_user = False  # the form limits region choices to the user's places
    edits_object = False  # the form is a ModelForm over self.object

    def get_object(self):
        return None

    def check_can_edit(self, obj):
        """Row-level edit right beyond the role (e.g. a plan of a kabupaten above)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
            self.check_role_permission()
            if self.object is not None:
                self.check_can_edit(self.object)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.needs_user():
            kwargs["user"] = self.request.user
        if self.uses_instance():
            kwargs["instance"] = self.object
        return kwargs

    def needs_user(self):
        return self.form_takes_user

    def uses_instance(self):
        return self.edits_object

    def get_context_data(self, **kwargs):
        kwargs.setdefault("title", self.get_title())
        kwargs.setdefault("object", self.object)
        kwargs.setdefault("cancel_url", self.get_cancel_url())
        return super().get_context_data(**kwargs)

    def get_title(self):
        return self.title

    def get_cancel_url(self):
        return self.object.get_absolute_url() if self.object is not None else ""

    def form_valid(self, form):
        try:
            saved = self.perform(form)
        except ValidationError as error:
            add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect(self.get_success_url_for(saved))

    def get_success_url_for(self, saved):
        return saved.get_absolute_url()

    def perform(self, form):
        raise NotImplementedError


def scoped_object(queryset, **lookup):
    return get_object_or_404(queryset, **lookup)


def deny(condition: bool):
    if condition:
        raise PermissionDenied
