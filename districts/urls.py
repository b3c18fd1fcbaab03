from django.urls import path
from django.utils.translation import gettext_lazy as _

from shahrvand.views import coming

app_name = "districts"

urlpatterns = [
    path("kiosk/", coming, {"title": _("Help kiosk")}, name="kiosk"),
]
