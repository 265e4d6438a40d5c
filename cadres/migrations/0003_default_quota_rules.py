"""Default pairing quotas of the seed county (shared/domain.md §3.7): data the county edits."""

import datetime as dt

from django.db import migrations

RULES = [
    ("county_level", None, 10, "县级干部每人至少帮扶10户"),
    ("section_level", None, 8, "科级干部每人至少帮扶8户"),
    ("staff", None, 6, "一般干部每人至少帮扶6户"),
    ("village_committee", None, 2, "村两委干部每人至少帮扶2户"),
    ("enterprise", 1, 80, "一类企业至少帮扶80户"),
    ("enterprise", 2, 30, "二类企业至少帮扶30户"),
    ("enterprise", 3, 10, "三类企业至少帮扶10户"),
    ("enterprise", 4, 5, "四类企业至少帮扶5户"),
]


def load(apps, schema_editor):
    QuotaRule = apps.get_model("cadres", "QuotaRule")
    for rank, enterprise_class, minimum, note in RULES:
        QuotaRule.objects.get_or_create(
            rank=rank, enterprise_class=enterprise_class, effective_from=dt.date(2016, 1, 1),
            defaults={"min_households": minimum, "note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("cadres", "0002_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
