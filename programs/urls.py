from django.urls import path

from . import views

app_name = "programs"
urlpatterns = [
    path("", views.ProgramIndexView.as_view(), name="index"),
    path("bkm/", views.BkmListView.as_view(), name="bkm_list"),
    path("bkm/baru/", views.BkmCreateView.as_view(), name="bkm_create"),
    path("bkm/<int:pk>/", views.BkmDetailView.as_view(), name="bkm_detail"),
    path("bkm/<int:pk>/ubah/", views.BkmUpdateView.as_view(), name="bkm_update"),
    path("bkm/<int:pk>/status/", views.BkmStatusCreateView.as_view(), name="bkmstatus_create"),
    path("bkm/<int:pk>/anggota/", views.BkmMemberCreateView.as_view(), name="bkm_member_create"),
    path("kelompok/", views.CommunityGroupListView.as_view(), name="group_list"),
    path("kelompok/baru/", views.CommunityGroupCreateView.as_view(), name="group_create"),
    path("kelompok/<int:pk>/", views.CommunityGroupDetailView.as_view(), name="group_detail"),
    path("kelompok/<int:pk>/ubah/", views.CommunityGroupUpdateView.as_view(), name="group_update"),
    path(
        "kelompok/<int:pk>/bubarkan/",
        views.CommunityGroupDissolveView.as_view(),
        name="group_dissolve",
    ),
    path(
        "kelompok/<int:pk>/anggota/",
        views.GroupMemberCreateView.as_view(),
        name="group_member_create",
    ),
    path("anggota/<int:pk>/ubah/", views.MemberUpdateView.as_view(), name="member_update"),
    path("pendamping/", views.CoverageView.as_view(), name="coverage"),
    path("rplp/", views.RplpListView.as_view(), name="rplp_list"),
    path("rplp/baru/", views.RplpCreateView.as_view(), name="rplp_create"),
    path("rplp/<int:pk>/", views.RplpDetailView.as_view(), name="rplp_detail"),
    path("rplp/<int:pk>/ubah/", views.RplpUpdateView.as_view(), name="rplp_update"),
    path("rkm/", views.RkmProposalListView.as_view(), name="rkm_list"),
    path("rkm/baru/", views.RkmProposalCreateView.as_view(), name="rkm_create"),
    path("rkm/<int:pk>/", views.RkmProposalDetailView.as_view(), name="rkm_detail"),
    path("rkm/<int:pk>/ubah/", views.RkmProposalUpdateView.as_view(), name="rkm_update"),
    path("rp2kpkp/", views.Rp2kpkpListView.as_view(), name="rp2kpkp_list"),
    path("rp2kpkp/baru/", views.Rp2kpkpCreateView.as_view(), name="rp2kpkp_create"),
    path("rp2kpkp/<int:pk>/", views.Rp2kpkpDetailView.as_view(), name="rp2kpkp_detail"),
    path("rp2kpkp/<int:pk>/ubah/", views.Rp2kpkpUpdateView.as_view(), name="rp2kpkp_update"),
    path(
        "rp2kpkp/<int:pk>/komitmen/",
        views.CommitmentCreateView.as_view(),
        name="commitment_create",
    ),
    path("pelatihan/", views.EventListView.as_view(), name="event_list"),
    path("pelatihan/baru/", views.EventCreateView.as_view(), name="event_create"),
    path("pelatihan/<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("pelatihan/<int:pk>/ubah/", views.EventUpdateView.as_view(), name="event_update"),
    path(
        "pelatihan/<int:pk>/daftar-hadir/",
        views.AttendanceUploadView.as_view(),
        name="attendance_upload",
    ),
]
