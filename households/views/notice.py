"""The public-notice list (公示名单) of a village: choose the village, download the .xlsx."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from households.forms import OUTSIDE_AREA, NoticeForm
from households.registry import notice
from households.views.access import (
    NOTICE_PERMISSION,
    record_page_export,
    requires,
    xlsx_response,
)


@requires(NOTICE_PERMISSION)
def notice_export(request: HttpRequest) -> HttpResponse:
    """A village among those the user may export; the list is small, so built at once."""
    posted = request.method == "POST"
    form = NoticeForm(request.POST if posted else None, user=request.user)
    if posted and form.is_valid():
        village = form.cleaned_data["village"]
        rows, today = notice.notice_rows(village), timezone.localdate()
        content = notice.notice_workbook(village, rows, today)
        record_page_export(
            request, f"导出公示名单：{village.township.name}{village.name}", len(rows)
        )
        return xlsx_response(content, notice.file_name(village, today))
    if form.has_error("village", OUTSIDE_AREA):
        raise Http404("无权导出该行政村")
    return render(request, "households/registry/notice.html", {"form": form})
