from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views

admin.site.site_header = "kotaku"
admin.site.site_title = "kotaku"

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", views.health, name="health"),
    path("akun/", include("django.contrib.auth.urls")),
    path("bahasa/", login_not_required(set_language), name="set_language"),
    path("wilayah/", include("locations.urls")),
    path("kumuh/", include("slums.urls")),
    path("program/", include("programs.urls")),
    path("kegiatan/", include("works.urls")),
    path("anggaran/", include("budgets.urls")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
