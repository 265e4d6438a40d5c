"""Routes of 导出一户一册, added to the `ledgers` namespace by ledgers/urls.py."""

from django.urls import path

from ledgers.views import exports

urlpatterns = [
    path("exports/", exports.export_create, name="export"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
]
