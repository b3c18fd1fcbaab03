from django.urls import path
from django.utils.translation import gettext_lazy as _

from shahrvand.views import coming

app_name = "inquiries"

urlpatterns = [
    path("inquiries/new/", coming, {"title": _("File an inquiry")}, name="new"),
    path("inquiries/", coming, {"title": _("My inquiries")}, name="mine"),
    path("track/", coming, {"title": _("Track an inquiry")}, name="track"),
    path("verify/", coming, {"title": _("Verify an answer")}, name="verify"),
    path("staff/", coming, {"title": _("Review queue")}, name="review_queue"),
]
