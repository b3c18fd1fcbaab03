from django.urls import path
from django.utils.translation import gettext_lazy as _

from shahrvand.views import coming

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("citizen/", coming, {"title": _("Citizen sign-in")}, name="citizen_login"),
]
