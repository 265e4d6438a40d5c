"""Routes of the registry pages, included under /registry/ with the namespace `households`."""

from django.urls import path

from households.views import exports, imports, notice

app_name = "households"

urlpatterns = [
    path("imports/", imports.import_list, name="import_list"),
    path("imports/new/", imports.import_upload, name="import_upload"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import_cancel"),
    path(
        "imports/<int:pk>/files/<int:file_id>/annotated.xlsx",
        imports.import_annotated,
        name="import_annotated",
    ),
    path("template.xlsx", imports.import_template, name="import_template"),
    path("export/", exports.export_create, name="export"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    path("notice/", notice.notice_export, name="notice"),
]
