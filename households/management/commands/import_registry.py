"""import_registry: read registry workbooks (花名册) and write them, all or nothing by default.

An administrator's tool on the server: it runs as no user, so the area check that limits a
web upload to the uploader's county, township or village does not apply here (the audit trail
still records what the import wrote).

Exit status: 0 every household valid, 1 some household invalid (written or not, by
--skip-invalid), 2 a file that cannot be read at all. --json prints one JSON object last.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.models import JobStatus
from households.registry import pipeline
from households.registry.errors import FileRefused
from households.registry.read import read_bytes
from households.registry.report import annotated_workbook


class Command(BaseCommand):
    help = (
        "导入花名册：读取一个或多个工作簿，检查后写入（默认有无效户则全部不写）。"
        "这是服务器上的管理员工具，不按角色的管辖范围限制（网页导入只能导入本人管辖范围内的户）；"
        "证件号码打码的行不能导入。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help=".xlsx .xlsm .xls .ods .csv")
        parser.add_argument("--dry-run", action="store_true", help="只检查和比对，不写入")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过无效户，写入有效户")
        parser.add_argument("--mark-left", action="store_true", help="文件中缺少的成员标记为减少")
        parser.add_argument("--error-report", type=Path, help="错误标注副本的保存路径（.xlsx）")
        parser.add_argument("--json", action="store_true", help="最后一行输出JSON统计")

    def handle(self, *args: Any, **options: Any) -> None:
        files = [(path.name, self._read(path)) for path in options["files"]]
        try:
            batch, preview = pipeline.run(
                files,
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                mark_left=options["mark_left"],
            )
        except FileRefused as refused:
            raise CommandError(f"无法读取文件：{refused}", returncode=2) from refused
        assert preview is not None
        if options["error_report"] and preview.errors:
            self._report(options["error_report"], files, preview)
        self._summarise(batch, preview, as_json=options["json"])
        if batch.status == JobStatus.FAILED and not preview.errors:
            raise CommandError(batch.failure, returncode=1)
        if preview.errors:
            raise CommandError(
                f"有{preview.summary['households']['invalid']}户无效，共{len(preview.errors)}个错误",
                returncode=1,
            )

    def _read(self, path: Path) -> bytes:
        try:
            return path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}", returncode=2) from error

    def _report(self, out: Path, files: list[tuple[str, bytes]], preview: pipeline.Preview) -> None:
        problems = [*preview.errors, *preview.warnings]
        with_errors = [(n, c) for n, c in files if any(e.file == n for e in preview.errors)]
        for index, (name, content) in enumerate(with_errors):
            target = out if index == 0 else out.with_stem(f"{out.stem}-{Path(name).stem}")
            rows = {s: r for (f, s), r in preview.header_rows.items() if f == name}
            mine = [p for p in problems if p.file == name]
            target.write_bytes(annotated_workbook(read_bytes(content, name), mine, rows))
            self.stderr.write(f"错误标注副本：{target}")

    def _summarise(self, batch: Any, preview: pipeline.Preview, *, as_json: bool) -> None:
        written = batch.summary.get("written") or {}
        households = written.get("households") or preview.summary["households"]
        members = written.get("members") or preview.summary["members"]
        for error in preview.errors[:50]:
            self.stderr.write(f"错误 {error}")
        state = dict(JobStatus.choices)[batch.status]
        self.stderr.write(
            f"导入批次 #{batch.pk}（{state}）："
            f"户 新增{households['created']} 更新{households['updated']} "
            f"无变化{households['unchanged']} 无效{households['invalid']}；"
            f"成员 新增{members['created']} 更新{members['updated']} 减少{members['left']}；"
            f"错误{len(preview.errors)} 警告{len(preview.warnings)}"
        )
        if as_json:
            payload = {
                "households": households,
                "members": members,
                "errors": [e.public() for e in preview.errors],
                "warnings": [w.public() for w in preview.warnings],
                "written": bool(written),
                "batch": batch.pk,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
