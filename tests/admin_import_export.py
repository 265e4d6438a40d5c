"""Driving the admin's django-import-export pages as a user would: export, preview, confirm.

Shared by tests/households/test_admin_import_export.py and tests/cadres/test_admin_import_export.py.
"""

import csv
import io
from typing import Any

import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.accounts.logins import force_login_verified


def client_for(user: Any) -> Client:
    return force_login_verified(Client(), user)


def admin_url(model: str, view: str) -> str:
    """The admin URL of `view` (changelist, import, process_import, export) of "app.model"."""
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}")


def buttons(client: Client, model: str) -> tuple[bool, bool]:
    """Whether the model's list shows the import and the export button to the client's user."""
    html = client.get(admin_url(model, "changelist")).content.decode()
    return admin_url(model, "import") in html, admin_url(model, "export") in html


def _csv_choice(form: Any) -> str:
    return next(value for value, title in form.fields["format"].choices if title == "csv")


def export_rows(client: Client, model: str) -> list[dict[str, str]]:
    """The rows of the model's CSV export, every column selected, as the export page posts it."""
    url = admin_url(model, "export")
    form = client.get(url).context["form"]
    data = {"format": _csv_choice(form), "resource": "0"}
    data |= {
        name: "on"
        for name, field in form.fields.items()
        if getattr(field, "is_selectable_field", False)
    }
    response = client.post(url, data, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def preview(client: Client, model: str, headers: list[str], *rows: list[Any]) -> Any:
    """Upload a CSV of `rows` to the import page; the response holds the preview."""
    url = admin_url(model, "import")
    form = client.get(url).context["form"]
    sheet = tablib.Dataset(*rows, headers=headers)
    upload = SimpleUploadedFile("sheet.csv", sheet.export("csv").encode(), "text/csv")
    response = client.post(
        url, {"format": _csv_choice(form), "resource": "0", "import_file": upload}
    )
    assert response.status_code == 200
    return response


def confirm(client: Client, model: str, preview_response: Any) -> Any:
    """Post the preview's confirm form, as its 确认导入 button does."""
    form = preview_response.context["confirm_form"]
    return client.post(admin_url(model, "process_import"), form.initial, follow=True)


def row_errors(preview_response: Any) -> list[str]:
    """Every error message of the preview's rows: lookup errors, then validation errors."""
    result = preview_response.context["result"]
    messages = [str(error.error) for _, errors in result.row_errors() for error in errors]
    return messages + [
        str(message)
        for row in result.invalid_rows
        for row_messages in row.error_dict.values()
        for message in row_messages
    ]
