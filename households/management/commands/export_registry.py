"""Write the canonical registry workbook (花名册) of the county, or of one area, to a file."""

import time

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import QuerySet
from xlsxwriter.exceptions import FileCreateError

from households.models import Household
from households.registry.export import area_households, export_registry


class Command(BaseCommand):
    help = (
        "导出标准格式的花名册（.xlsx，每名现有成员一行）：全部贫困户，"
        "或 --area 指定的县、乡镇、行政村的贫困户。证件号码和电话默认打码（打码的文件不能再导入），"
        "--full-ids 导出完整号码。这是服务器上的管理员工具，不按角色限制范围；"
        "每次导出都记入审计日志。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出文件，如 花名册.xlsx")
        parser.add_argument(
            "--area",
            help="县、乡镇或行政村的名称，或12位统计用区划代码；村名重复时写成“XX乡XX村”",
        )
        parser.add_argument(
            "--full-ids",
            action="store_true",
            help="导出完整的证件号码和电话（默认打码，如 130534********1234、138****5678）",
        )

    def handle(
        self, *args: object, out: str, area: str | None, full_ids: bool, **options: object
    ) -> None:
        # An administrator's tool on the server: it has no user, so no area limit; the audit
        # trail records each run all the same.
        households = self._households(area)
        started = time.perf_counter()
        try:
            rows = export_registry(out, households=households, full_ids=full_ids)
        except (FileCreateError, OSError) as exc:
            raise CommandError(f"无法写入文件 {out}：{exc}") from exc
        seconds = time.perf_counter() - started
        self._record(area, full_ids, rows)
        masked = "含完整证件号码和电话" if full_ids else "证件号码和电话已打码"
        self.stdout.write(
            f"已导出花名册 {out}：{households.count()} 户，{rows} 行（现有成员），{masked}，"
            f"用时 {seconds:.1f} 秒"
        )

    def _households(self, area: str | None) -> QuerySet[Household]:
        if not area:
            return Household.objects.all()
        try:
            return area_households(area)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

    def _record(self, area: str | None, full_ids: bool, rows: int) -> None:
        from audit.services import record_export  # the audit app imports the households models

        description = f"命令行导出花名册：{area or '全部'}（{rows}行）"
        record_export(
            user=AnonymousUser(), description=description, full_ids=full_ids, rows=rows,
            remote_addr=None,
        )  # fmt: skip
