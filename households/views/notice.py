"""The public-notice list (公示名单) of a village: choose the village, download the .xlsx."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from households.forms import OUTSIDE_AREA, NoticeForm
from households.registry import notice
from households.views.access import NOTICE_PERMISSION, requires, xlsx_response


@requires(NOTICE_PERMISSION)
def notice_export(request: HttpRequest) -> HttpResponse:
    """A village among those the user may export; the list is small, so built at once."""
    posted = request.method == "POST"
    form = NoticeForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        village = form.cleaned_data["village"]
        rows, today = notice.notice_rows(village), timezone.localdate()
        content = notice.notice_workbook(village, rows, today)
        _record(request, f"导出公示名单：{village.township.name}{village.name}", len(rows))
        return xlsx_response(content, notice.file_name(village, today))
    if form.has_error("village", OUTSIDE_AREA):
        raise Http404("无权导出该行政村")
    return render(request, "households/registry/notice.html", {"form": form})


def _record(request: HttpRequest, description: str, rows: int) -> None:
    from audit.services import record_export  # the audit app imports the households models

    record_export(
        user=request.user, description=f"{description}（{rows}户）", full_ids=False, rows=rows,
        remote_addr=request.META.get("REMOTE_ADDR"),
    )  # fmt: skip
