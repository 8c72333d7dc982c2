from django.urls import path

import locations.urls  # noqa: F401 — registers the `region` path converter

from . import views

app_name = "dashboards"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="home"),
    path("peta/", views.MapWorksView.as_view(), name="map_works"),
    path("<region:code>/", views.DashboardView.as_view(), name="region"),
    path("<region:code>/peta/", views.MapWorksView.as_view(), name="map_works"),
    path("<region:code>/peta/kawasan/", views.MapAreasView.as_view(), name="map_areas"),
]
