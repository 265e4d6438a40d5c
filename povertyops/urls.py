"""URL routes: the admin, login and the home dashboard."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from povertyops import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
