from django.db import transaction
from django.urls import path

import locations.urls  # noqa: F401 — registers the `region` path converter

from . import views

# Pages that only read: each statement sees what is committed when it starts, without
# a transaction's BEGIN and COMMIT around them.
reading = transaction.non_atomic_requests

app_name = "dashboards"
urlpatterns = [
    path("", reading(views.DashboardView.as_view()), name="home"),
    path("peta/", reading(views.MapWorksView.as_view()), name="map_works"),
    path("<region:code>/", reading(views.DashboardView.as_view()), name="region"),
    path("<region:code>/peta/", reading(views.MapWorksView.as_view()), name="map_works"),
    path("<region:code>/peta/kawasan/", reading(views.MapAreasView.as_view()), name="map_areas"),
]
