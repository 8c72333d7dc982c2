from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("audit/", views.LoginAuditView.as_view(), name="login_audit"),
]
