from axes.admin import AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from kotaku.locking import VersionedHistoryAdmin

from .models import PlaceAssignment, User


class PlaceAssignmentInline(admin.TabularInline):
    model = PlaceAssignment
    extra = 1
    autocomplete_fields = ["region"]
    verbose_name = _("assigned place")
    verbose_name_plural = _("assigned places (each covers everything below it)")


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    inlines = [PlaceAssignmentInline]
    list_display = ["username", "get_full_name", "role_display", "places", "is_active"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "assignments__region__name"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (
            _("Role and access"),
            {
                "fields": ("groups", "is_active", "is_staff", "is_superuser"),
                "description": _(
                    "The role is the group: it decides what the user may do. The assigned "
                    "places below decide which rows they see."
                ),
            },
        ),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "assignments__region")

    @admin.display(description=_("role"))
    def role_display(self, user):
        return user.role_label

    @admin.display(description=_("places"))
    def places(self, user):
        return ", ".join(a.region.name for a in user.assignments.all())


@admin.register(PlaceAssignment)
class PlaceAssignmentAdmin(VersionedHistoryAdmin):
    list_display = ["user", "region", "created_at"]
    list_select_related = ["user", "region"]
    search_fields = ["user__username", "region__name", "region__code"]
    autocomplete_fields = ["user", "region"]
    list_filter = ["region__level"]


# The login audit (django-axes' own admin): officers may read it, nobody edits or deletes
# a log entry. Deleting an AccessAttempt stays possible: it lifts a lockout.
class _ReadOnlyLogAdmin:
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for _model, _admin in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(_model, type(_admin.__name__, (_ReadOnlyLogAdmin, _admin), {}))
