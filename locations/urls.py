from django.urls import path, register_converter

from . import views
from .codes import CODE_PATTERN


class RegionCodeConverter:
    regex = CODE_PATTERN

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(RegionCodeConverter, "region")

app_name = "locations"
urlpatterns = [
    path("", views.RegionRootView.as_view(), name="region_root"),
    path("cari/", views.RegionSearchView.as_view(), name="region_list"),
    path("<region:code>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("<region:code>/rt-rw/", views.RtRwCreateView.as_view(), name="rtrw_create"),
]
