"""Load the national poverty lines of shared/domain.md §3.3: verified rows as verified, the rest for
the county to confirm. They are settings, editable in the admin, never constants in code."""

from decimal import Decimal

from django.db import migrations

LINES = [
    # year, amount, basis, verified, source
    (2011, "2536", "statistical", True, "国家标准2300元（2010年不变价）当年现价"),
    (2013, "2736", "statistical", True, "2014年建档立卡识别标准"),
    (2014, "2800", "statistical", False, "单一来源，待核实"),
    (2015, "2855", "statistical", False, "待核实"),
    (2016, "3000", "statistical", False, "约数，待核实"),
    (2017, "3335", "statistical", False, "待核实"),
    (2018, "3535", "statistical", False, "待核实"),
    (2019, "3218", "statistical", True, "国家统计局"),
    (2019, "3747", "operational", False, "脱贫工作标准，待核实"),
    (2020, "4000", "operational", True, "脱贫底线约4000元"),
]


def load(apps, schema_editor):
    PovertyLine = apps.get_model("households", "PovertyLine")
    for year, amount, basis, verified, note in LINES:
        PovertyLine.objects.get_or_create(
            year=year, province="", basis=basis,
            defaults={"amount": Decimal(amount), "is_verified": verified, "source_note": note},
        )


class Migration(migrations.Migration):
    dependencies = [("households", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
