"""The audit trail as a workbook: the entries an auditor filtered, one row each."""

from __future__ import annotations

import io

import xlsxwriter
from auditlog.models import LogEntry
from django.db.models import QuerySet
from django.utils import timezone

from audit import display

COLUMNS = (
    ("时间", 20), ("操作人", 14), ("操作", 10), ("对象类型", 14), ("对象编号", 10),
    ("对象", 24), ("变更内容", 80), ("来源地址", 16), ("说明", 24),
)  # fmt: skip


def row(entry: LogEntry) -> list[str]:
    return [
        timezone.localtime(entry.timestamp).strftime("%Y-%m-%d %H:%M:%S"),
        entry.actor.get_username() if entry.actor else "系统",
        display.action_label(entry),
        display.object_type(entry),
        entry.object_pk,
        entry.object_repr,
        display.summary(entry),
        entry.remote_addr or "",
        display.source(entry),
    ]


def trail_workbook(entries: QuerySet[LogEntry]) -> tuple[bytes, int]:
    """The workbook's bytes and its number of entries."""
    buffer = io.BytesIO()
    # constant_memory: rows are flushed as written, so a large trail does not sit in memory.
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": False})
    sheet = workbook.add_worksheet("审计日志")
    bold = workbook.add_format({"bold": True})
    for column, (title, width) in enumerate(COLUMNS):
        sheet.write_string(0, column, title, bold)
        sheet.set_column(column, column, width)
    count = 0
    for count, entry in enumerate(entries.iterator(chunk_size=2000), start=1):
        for column, value in enumerate(row(entry)):
            sheet.write_string(count, column, value)
    workbook.close()
    return buffer.getvalue(), count
