"""Delete audit entries older than AUDIT_RETENTION_DAYS: the only way entries leave the trail."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from audit.retention import expired, purge_cutoff, purge_expired


class Command(BaseCommand):
    help = "删除早于保存期限（AUDIT_RETENTION_DAYS）的审计日志"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="只统计将删除的条数，不删除")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        now = timezone.now()
        try:
            cutoff = purge_cutoff(now=now)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if dry_run:
            count = expired(now=now).count()
            self.stdout.write(f"将删除 {count} 条 {cutoff:%Y-%m-%d %H:%M} 之前的审计日志")
            return
        deleted = purge_expired(now=now)
        self.stdout.write(f"已删除 {deleted} 条 {cutoff:%Y-%m-%d %H:%M} 之前的审计日志")
