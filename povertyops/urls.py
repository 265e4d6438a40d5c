"""URL routes: the admin, login, the home dashboard and the registry import/export pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from povertyops import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls", namespace="accounts")),
    path("registry/", include("households.urls", namespace="households")),
    path("ledger/", include("ledgers.urls", namespace="ledgers")),
    path("reveal/", include("accounts.reveal_urls")),
    path("admin/", admin.site.urls),
]
