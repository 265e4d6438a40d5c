"""import_ledger: take back a 一户一册 workbook edited offline, writing only what was changed.

An administrator's tool on the server: it runs as no user (no area or role limits; the audit
trail still records each change). Conflicts — values changed in the system since the export
and in the file too — are kept as the system has them and reported.

Exit status: 0 every household valid, 1 some household invalid (nothing written unless
--skip-invalid), 2 a file that cannot be read or is not a PovertyOps ledger. --json prints
one JSON object last.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.models import JobStatus
from ledgers import pipeline


class Command(BaseCommand):
    help = "导入一户一册：比对修改后的一户一册工作簿，只写入改动的内容（冲突保留系统值）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="从本系统导出的一户一册（.xlsx）")
        parser.add_argument("--dry-run", action="store_true", help="只比对，不写入")
        parser.add_argument("--skip-invalid", action="store_true", help="跳过无效户，写入有效户")
        parser.add_argument("--json", action="store_true", help="最后一行输出JSON统计")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {path}：{error.strerror}", returncode=2) from error
        job = pipeline.create_import(name=path.name, data=data, user=None, source="command")
        result = pipeline.preview(job)
        if result is None:
            raise CommandError(f"无法导入：{job.refusal}", returncode=2)
        invalid = result.invalid
        written = None
        if not options["dry_run"] and (not invalid or options["skip_invalid"]):
            job.status = JobStatus.WRITING
            try:
                written = pipeline.write_job(job, skip_invalid=options["skip_invalid"])
            except pipeline.StaleMerge as refusal:
                pipeline.fail(job, str(refusal))
                raise CommandError(f"写入失败，未写入任何数据：{refusal}", returncode=1) from None
        elif not options["dry_run"]:
            pipeline.fail(job, "存在无效的户，未写入任何数据")
        self._summarise(job, result, written, as_json=options["json"])
        if invalid:
            raise CommandError(f"有{len(invalid)}户无效", returncode=1)

    def _summarise(
        self, job: Any, result: pipeline.Preview, written: Any, *, as_json: bool
    ) -> None:
        problems = list(pipeline.all_problems(result))
        for problem in problems[:50]:
            kind = "警告" if problem["warning"] else "错误"
            self.stderr.write(f"{kind} {problem['sheet']} {problem['cell']}：{problem['message']}")
        counts, totals = job.summary["households"], job.summary
        self.stderr.write(
            f"一户一册导入 #{job.pk}：户 更新{counts['updated']} 无变化{counts['unchanged']} "
            f"无效{counts['invalid']}；修改{totals['changes']}项 新增{totals['additions']}行 "
            f"冲突{totals['conflicts']}项" + ("（已写入）" if written else "（未写入）")
        )
        if as_json:
            payload = {
                "households": counts,
                "changes": totals["changes"],
                "additions": totals["additions"],
                "conflicts": totals["conflicts"],
                "errors": [_public(p) for p in problems if not p["warning"]],
                "warnings": [_public(p) for p in problems if p["warning"]],
                "written": bool(written),
                "import": job.pk,
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False))


def _public(problem: dict[str, Any]) -> dict[str, Any]:
    return {key: problem[key] for key in ("sheet", "cell", "message")}
