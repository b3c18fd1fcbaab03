from django.urls import path

from . import views

app_name = "districts"

# The kiosk's inquiry pages (look-up, filing) are the inquiries app's: inquiries:kiosk_*.
urlpatterns = [
    path("kiosk/", views.kiosk_home, name="kiosk"),
    path("kiosk/help/", views.kiosk_help, name="kiosk_help"),
    path("kiosk/mobile/", views.kiosk_mobile, name="kiosk_mobile"),
]
