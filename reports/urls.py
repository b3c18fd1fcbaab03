from django.urls import path
from django.utils.translation import gettext_lazy as _

from shahrvand.views import coming

app_name = "reports"

urlpatterns = [
    path("", coming, {"title": _("Reports")}, name="dashboard"),
]
