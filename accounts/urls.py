from django.urls import path

from . import views, views_second_factor

app_name = "accounts"

urlpatterns = [
    path("login/", views.StaffLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("second-factor/", views_second_factor.second_factor, name="second_factor"),
    path(
        "second-factor/setup/",
        views_second_factor.second_factor_setup,
        name="second_factor_setup",
    ),
    path("citizen/", views.citizen_signin, name="citizen_login"),
    path("citizen/code/", views.citizen_code, name="citizen_code"),
]
