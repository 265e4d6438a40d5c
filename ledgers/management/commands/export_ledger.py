"""Write the 一户一册 of one household, or the workbook of one village, to a file."""

import time
from pathlib import Path

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ledgers.exporting import Area, area_label, export_ledgers, find_household, find_village

NOT_FOUND = 2  # exit code for an unknown household or village


class Command(BaseCommand):
    help = (
        "导出一户一册（.xlsx）：--household 指定户编号时为该户的工作簿，--village 指定行政村时为"
        "该村的工作簿（首页为目录，每户一张工作表）。证件号码和电话默认打码，--full-ids 导出完整"
        "号码。这是服务器上的管理员工具，不按角色限制范围；每次导出都记入审计日志。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出文件，如 东关村-一户一册.xlsx")
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--household", help="户编号")
        which.add_argument(
            "--village", help="行政村名称或12位统计用区划代码；村名重复时写成“XX镇XX村”"
        )
        parser.add_argument(
            "--full-ids",
            action="store_true",
            help="导出完整的证件号码和电话（默认打码，如 130534********1234、138****5678）",
        )

    def handle(
        self,
        *args: object,
        out: str,
        household: str | None,
        village: str | None,
        full_ids: bool,
        **options: object,
    ) -> None:
        area = self._area(household, village)
        started = time.perf_counter()
        try:
            with open(out, "wb") as file:
                written = export_ledgers(area=area, out=file, full_ids=full_ids, user_id=None)
        except OSError as exc:
            raise CommandError(f"无法写入文件 {out}：{exc}") from exc
        except ValueError as exc:  # a village without households: no file to leave behind
            Path(out).unlink(missing_ok=True)
            raise CommandError(str(exc)) from exc
        seconds = time.perf_counter() - started
        self._record(area, written, full_ids=full_ids)
        masked = "含完整证件号码和电话" if full_ids else "证件号码和电话已打码"
        self.stdout.write(
            f"已导出一户一册 {out}：{area_label(area)}，{written} 户，{masked}，"
            f"用时 {seconds:.1f} 秒"
        )

    def _area(self, household: str | None, village: str | None) -> Area:
        try:
            return find_household(household) if household else find_village(village or "")
        except ValueError as exc:
            raise CommandError(str(exc), returncode=NOT_FOUND) from exc

    def _record(self, area: Area, households: int, *, full_ids: bool) -> None:
        from audit.services import record_export  # the audit app imports the households models

        # An administrator's tool on the server: no user, so no actor; the description says
        # the export came from the command line.
        record_export(
            user=AnonymousUser(),
            description=f"命令行导出一户一册：{area_label(area)}（{households}户）",
            full_ids=full_ids,
            rows=households,
            remote_addr=None,
        )
