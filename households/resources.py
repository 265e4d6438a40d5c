"""django-import-export resources of the flat tables: areas and poverty lines.

Columns are headed by the fields' Chinese names, choices and yes/no read as words and foreign
keys as names, so that a county clerk can fill the sheet without knowing any database id.
Each row is checked against the importer's area (accounts.admin_import_export.ScopedResource).
"""

from django.db.models import F
from import_export import fields, widgets

from accounts.admin_import_export import NamedForeignKeyWidget, ScopedResource
from households.models import County, PovertyLine, Township, Village


class YesNoWidget(widgets.BooleanWidget):
    """是/否 as the registry writes them; 1/0 and true/false still import."""

    TRUE_VALUES = [*widgets.BooleanWidget.TRUE_VALUES, "是"]
    FALSE_VALUES = [*widgets.BooleanWidget.FALSE_VALUES, "否"]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "是" if value else "否"


class ChoiceLabelWidget(widgets.CharWidget):
    """A choice read and written as its Chinese label; the stored value still imports."""

    def __init__(self, choices, **kwargs):
        self.labels = {value: str(label) for value, label in choices}
        self.values = {label: value for value, label in self.labels.items()}
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs).strip()
        if text and text not in self.labels and text not in self.values:
            raise ValueError(f"“{text}”不是可选值：{'、'.join(self.values)}")
        return self.values.get(text, text)

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class TownshipWidget(NamedForeignKeyWidget):
    """A township by name within the row's county: names repeat across counties."""

    missing = "{county}没有名为“{value}”的乡（镇）"

    def __init__(self, county_column: str) -> None:
        self.county_column = county_column
        super().__init__(Township, "name")

    def get_queryset(self, value, row, *args, **kwargs):
        # The cache matches in Python, on attributes: the county's name must be one.
        return Township.objects.annotate(county_name=F("county__name"))

    def get_lookup_kwargs(self, value, row, **kwargs):
        return {"name": value, "county_name": self.context(row)["county"]}

    def context(self, row) -> dict[str, str]:
        return {"county": str((row or {}).get(self.county_column) or "").strip()}


class ChineseResource(ScopedResource):
    """Model fields headed by their verbose names, with 是/否 and choice labels."""

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        field.column_name = str(django_field.verbose_name)
        if django_field.get_internal_type() == "BooleanField":
            field.widget = YesNoWidget()
        elif django_field.choices:
            field.widget = ChoiceLabelWidget(django_field.choices)
        return field


COUNTY_COLUMN = str(County._meta.get_field("name").verbose_name)


class CountyResource(ChineseResource):
    class Meta:
        model = County
        fields = ("name", "province", "city", "division_code", "is_poor_county", "exit_year")
        import_id_fields = ("name",)


class TownshipResource(ChineseResource):
    area_field = "county"
    county = fields.Field(
        attribute="county",
        column_name=COUNTY_COLUMN,
        # Cached (one query per import, not two per row), not NamedForeignKeyWidget: an unknown
        # county keeps failing the row with the model's own DoesNotExist message.
        widget=widgets.CachedForeignKeyWidget(County, "name"),
    )

    class Meta:
        model = Township
        fields = ("county", "name", "division_code")
        import_id_fields = ("county", "name")

    def get_queryset(self):
        return super().get_queryset().select_related("county")


class VillageResource(ChineseResource):
    area_field = "township"
    # Export only: the township column is read within it on import.
    county = fields.Field(
        attribute="township__county__name", column_name=COUNTY_COLUMN, readonly=True
    )
    township = fields.Field(
        attribute="township", column_name="乡（镇）", widget=TownshipWidget(COUNTY_COLUMN)
    )

    class Meta:
        model = Village
        fields = (
            "county",
            "township",
            "name",
            "division_code",
            "is_poor_village",
            "exit_year",
            "rural_population",
        )
        import_id_fields = ("township", "name")

    def get_queryset(self):
        return super().get_queryset().select_related("township__county")


class PovertyLineResource(ChineseResource):
    class Meta:
        model = PovertyLine
        fields = ("year", "province", "basis", "amount", "is_verified", "source_note")
        import_id_fields = ("year", "province", "basis")
