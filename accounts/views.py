from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from .audit import AuditFilterForm, audit_entries, may_see_audit


class LoginAuditView(ListView):
    """Logins, logouts and failed logins, for officers (others get 403)."""

    template_name = "accounts/login_audit.html"
    context_object_name = "entries"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_see_audit(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.form = AuditFilterForm(self.request.GET or None)
        filters = self.form.cleaned_data if self.form.is_valid() else {}
        return audit_entries(self.request.user, **filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(form=self.form, **kwargs)
