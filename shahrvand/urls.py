from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts.views import admin_login
from inquiries.views.home import home

from . import views

admin.site.site_header = _("Shahrvand — Urmia municipality")
admin.site.site_title = _("Shahrvand administration")
admin.site.index_title = _("ICT organisation")

# A refusal is one structured log line (shahrvand.security), not Django's traceback twice.
handler400 = "accounts.refusals.bad_request"
handler403 = "accounts.refusals.permission_denied"
handler404 = "accounts.refusals.page_not_found"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("accounts.urls")),
    path("", include("inquiries.urls")),
    path("", include("districts.urls")),
    path("", include("counters.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before the admin's own: one sign-in form, with the lockout and the second factor.
    path("admin/login/", admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
]
