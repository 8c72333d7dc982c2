from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import files, history, views

handler500 = "kotaku.views.server_error"

admin.site.site_header = "kotaku"
admin.site.site_title = "kotaku"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("favicon.ico", views.favicon),
    path("akun/", include("accounts.urls")),
    path("akun/", include("django.contrib.auth.urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("wilayah/", include("locations.urls")),
    path("kumuh/", include("slums.urls")),
    path("program/", include("programs.urls")),
    path("kegiatan/", include("works.urls")),
    path("anggaran/", include("budgets.urls")),
    path("laporan/", include("reports.urls")),
    path("dasbor/", include("dashboards.urls")),
    path("berkas/<path:name>", files.serve_upload, name="upload"),
    path("riwayat/", history.HistoryListView.as_view(), name="history"),
    path(
        "riwayat/<str:kind>/<int:history_id>/",
        history.HistoryDetailView.as_view(),
        name="history_detail",
    ),
    path("admin/", admin.site.urls),
]
