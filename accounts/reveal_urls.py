"""The reveal endpoint: POST /reveal/<model label>/<pk>/<field>/ → {"value": …}."""

from django.urls import path

from accounts import reveal

app_name = "reveal"
urlpatterns = [
    path("<str:label>/<int:pk>/<str:field>/", reveal.reveal_value, name="value"),
]
