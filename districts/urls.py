from django.urls import path

from . import views

app_name = "districts"

urlpatterns = [
    path("kiosk/", views.kiosk_home, name="kiosk"),
    path("kiosk/help/", views.kiosk_help, name="kiosk_help"),
    path("kiosk/lookup/", views.kiosk_lookup, name="kiosk_lookup"),
    path("kiosk/file/", views.kiosk_file, name="kiosk_file"),
    path("kiosk/mobile/", views.kiosk_mobile, name="kiosk_mobile"),
]
