"""Write the deterministic demo county (宁川县) into an empty database."""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from households.demo.common import DEFAULT_HOUSEHOLDS, DEFAULT_SEED, MIN_HOUSEHOLDS
from households.demo.generate import DatabaseNotEmpty, generate


class Command(BaseCommand):
    help = "生成演示县数据（贫困户、成员、干部、结对、第一书记、走访、督查），只写入空数据库。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--households",
            type=int,
            default=DEFAULT_HOUSEHOLDS,
            help=f"贫困户数，其余按比例（默认 {DEFAULT_HOUSEHOLDS}，至少 {MIN_HOUSEHOLDS}）",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help=f"随机种子，相同种子生成相同数据（默认 {DEFAULT_SEED}）",
        )

    def handle(self, *args: object, households: int, seed: int, **options: object) -> None:
        if households < MIN_HOUSEHOLDS:
            raise CommandError(f"贫困户数至少为 {MIN_HOUSEHOLDS}")
        try:
            summary = generate(households=households, seed=seed)
        except DatabaseNotEmpty as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("演示县数据已生成："))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
