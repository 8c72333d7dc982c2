from django.urls import path

from . import views

app_name = "budgets"
urlpatterns = [
    path("", views.AllocationListView.as_view(), name="allocation_list"),
    path("baru/", views.AllocationCreateView.as_view(), name="allocation_create"),
    path("realisasi/", views.RealizationView.as_view(), name="realization"),
    path("<int:pk>/", views.AllocationDetailView.as_view(), name="allocation_detail"),
    path("<int:pk>/ubah/", views.AllocationUpdateView.as_view(), name="allocation_update"),
    path("<int:pk>/pencairan/", views.DisbursementCreateView.as_view(), name="disbursement_create"),
    path("pencairan/", views.DisbursementListView.as_view(), name="disbursement_list"),
    path(
        "pencairan/<int:pk>/koreksi/",
        views.DisbursementReverseView.as_view(),
        name="disbursement_reverse",
    ),
    path("penggunaan/", views.SpendingListView.as_view(), name="spending_list"),
    path("penggunaan/<int:pk>/", views.SpendingDetailView.as_view(), name="spending_detail"),
    path("penggunaan/<int:pk>/ubah/", views.SpendingUpdateView.as_view(), name="spending_update"),
    path("penggunaan/<int:pk>/tinjau/", views.SpendingReviewView.as_view(), name="spending_review"),
    path(
        "penggunaan/<int:pk>/koreksi/", views.SpendingReverseView.as_view(), name="spending_reverse"
    ),
    path("swadaya/", views.SwadayaListView.as_view(), name="swadaya_list"),
    path("swadaya/<int:pk>/", views.SwadayaDetailView.as_view(), name="swadaya_detail"),
    path("swadaya/<int:pk>/ubah/", views.SwadayaUpdateView.as_view(), name="swadaya_update"),
    path("swadaya/<int:pk>/tinjau/", views.SwadayaReviewView.as_view(), name="swadaya_review"),
    path("swadaya/<int:pk>/koreksi/", views.SwadayaReverseView.as_view(), name="swadaya_reverse"),
    path("kegiatan/<int:pk>/", views.WorkMoneyView.as_view(), name="work_money"),
    path(
        "kegiatan/<int:pk>/penggunaan/", views.SpendingCreateView.as_view(), name="spending_create"
    ),
    path("kegiatan/<int:pk>/swadaya/", views.SwadayaCreateView.as_view(), name="swadaya_create"),
    path(
        "kegiatan/<int:pk>/lebih-anggaran/",
        views.OverrunCreateView.as_view(),
        name="overrun_create",
    ),
]
