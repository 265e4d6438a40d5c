"""The user's own account pages: password change and the second factor."""

from django.urls import path

from accounts.security import views

app_name = "accounts"
urlpatterns = [
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("totp/", views.totp_setup, name="totp_setup"),
    path("totp/verify/", views.totp_verify, name="totp_verify"),
]
