from django.urls import path

from locations.urls import RegionCodeConverter  # noqa: F401  (registers <region:…>)

from . import views

app_name = "slums"
urlpatterns = [
    path("", views.SlumAreaListView.as_view(), name="slumarea_list"),
    path("tambah/", views.SlumAreaCreateView.as_view(), name="slumarea_create"),
    path("<int:pk>/", views.SlumAreaDetailView.as_view(), name="slumarea_detail"),
    path("<int:pk>/ubah/", views.SlumAreaUpdateView.as_view(), name="slumarea_update"),
    path(
        "<int:pk>/penilaian/tambah/",
        views.SlumSurveyCreateView.as_view(),
        name="slumsurvey_create",
    ),
    path("penilaian/", views.SlumSurveyListView.as_view(), name="slumsurvey_list"),
    path("penilaian/impor/", views.SurveyImportView.as_view(), name="slumsurvey_import"),
    path("penilaian/<int:pk>/", views.SlumSurveyDetailView.as_view(), name="slumsurvey_detail"),
    path(
        "penilaian/<int:pk>/ubah/", views.SlumSurveyUpdateView.as_view(), name="slumsurvey_update"
    ),
    path(
        "penilaian/<int:pk>/tinjau/",
        views.SlumSurveyReviewView.as_view(),
        name="slumsurvey_review",
    ),
    path("hasil/", views.ResultsView.as_view(), name="results"),
    path("hasil/<region:code>/", views.ResultsView.as_view(), name="results"),
]
