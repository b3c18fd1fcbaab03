from django.urls import path

from . import views, views_monthly

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("districts.csv", views.dashboard_csv, name="dashboard_csv"),
    path("districts.xlsx", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("monthly/", views_monthly.monthly_list, name="monthly_list"),
    path("monthly/request/", views_monthly.monthly_request, name="monthly_request"),
    path("monthly/<int:report_id>.pdf", views_monthly.monthly_download, name="monthly_download"),
]
