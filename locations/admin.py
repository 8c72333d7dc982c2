from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from kotaku.locking import VersionedHistoryAdmin

from .models import Region, RtRw


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "kind", "level", "parent"]
    list_filter = ["level", "kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    show_full_result_count = False
    list_per_page = 50
    ordering = ["code"]

    def get_search_results(self, request, queryset, search_term):
        # A code prefix ("35.19") finds the region and everything under it.
        term = search_term.strip()
        if term and term.replace(".", "").isdigit():
            return queryset.filter(code__startswith=term), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(RtRw)
class RtRwAdmin(VersionedHistoryAdmin):
    list_display = ["__str__", "kelurahan"]
    search_fields = ["kelurahan__name", "kelurahan__code"]
    list_select_related = ["kelurahan"]
    autocomplete_fields = ["kelurahan"]
