from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("districts.csv", views.dashboard_csv, name="dashboard_csv"),
    path("districts.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
]
