"""Proxies of auditlog's `LogEntry`: they carry the trail's own permission and name exports.

The entries themselves are auditlog's table; nothing here adds a column.
"""

from auditlog.models import LogEntry


class TrailEntry(LogEntry):
    """An entry of the audit trail, as the 审计管理员 reads and exports it."""

    class Meta:
        proxy = True
        default_permissions = ()
        permissions = [("export_trail", "可导出审计日志")]
        verbose_name = "审计日志"
        verbose_name_plural = "审计日志"


class DataExport(LogEntry):
    """The object an export entry points at: an export concerns many records, not one."""

    class Meta:
        proxy = True
        default_permissions = ()
        verbose_name = "数据导出"
        verbose_name_plural = "数据导出"
