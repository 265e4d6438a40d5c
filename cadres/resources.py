"""Import and export of the flat cadre tables: names (not ids) under Chinese column headers.

Phones export masked unless the exporter may export full numbers; pairings are checked row by
row against the importer's area (accounts.admin_import_export.ScopedResource).
"""

from django.db.models import F, QuerySet
from import_export.fields import Field
from import_export.widgets import (
    BooleanWidget,
    CharWidget,
    DateWidget,
    IntegerWidget,
    Widget,
)

from accounts.admin_import_export import MaskedField, NamedForeignKeyWidget, ScopedResource
from cadres.choices import Affiliation, Rank
from cadres.models import Cadre, HelpingUnit, Pairing
from households.models import Household

CADRE_UNIT_COLUMN = "责任人单位"


class LabelChoiceWidget(Widget):
    """Write a choice's Chinese label; read the label or the stored English value."""

    def __init__(self, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.labels = dict(choices)
        self.values = {label: value for value, label in choices}

    def clean(self, value, row=None, **kwargs) -> str:
        text = str(value or "").strip()
        if not text or text in self.labels:
            return text
        if text in self.values:
            return self.values[text]
        raise ValueError(f"“{text}”不是可选值，应为：{'、'.join(self.values)}")

    def render(self, value, obj=None, **kwargs) -> str:
        return str(self.labels.get(value, value or ""))


class YesNoWidget(BooleanWidget):
    """是/否, as county sheets write booleans (1/0 and true/false still read)."""

    TRUE_VALUES = ["是", *BooleanWidget.TRUE_VALUES]
    FALSE_VALUES = ["否", *BooleanWidget.FALSE_VALUES]

    def render(self, value, obj=None, **kwargs) -> str:
        return "" if value is None else ("是" if value else "否")


class UnitByNameWidget(NamedForeignKeyWidget):
    missing = "找不到帮扶单位“{value}”，请先导入帮扶单位"

    def __init__(self) -> None:
        super().__init__(HelpingUnit, "name")


class CadreByUnitWidget(NamedForeignKeyWidget):
    """A cadre by name within the unit named in the same row (names repeat across units)."""

    missing = "{unit}没有名为“{value}”的干部"
    ambiguous = "{unit}有多名干部叫“{value}”，请在干部表中区分后再导入"

    def __init__(self) -> None:
        super().__init__(Cadre, "name")

    def get_queryset(self, value, row, *args, **kwargs) -> QuerySet:
        return Cadre.objects.annotate(unit_name=F("unit__name"))

    def get_lookup_kwargs(self, value, row, **kwargs) -> dict[str, str]:
        return {"name": str(value).strip(), "unit_name": self.context(row)["unit"]}

    def context(self, row) -> dict[str, str]:
        return {"unit": str((row or {}).get(CADRE_UNIT_COLUMN) or "").strip()}

    def render(self, value, obj=None, **kwargs) -> str:
        return value.name if value else ""


class HouseholdByNumberWidget(NamedForeignKeyWidget):
    """Households by 户编号, loading only what the lookup needs (a county has ~17,000)."""

    missing = "找不到户编号“{value}”"

    def __init__(self) -> None:
        super().__init__(Household, "household_number")

    def get_queryset(self, value, row, *args, **kwargs) -> QuerySet:
        return Household.objects.only("pk", "household_number")


class HelpingUnitResource(ScopedResource):
    name = Field("name", "单位名称", widget=CharWidget())
    affiliation = Field("affiliation", "单位层级", widget=LabelChoiceWidget(Affiliation.choices))
    enterprise_class = Field("enterprise_class", "企业帮扶类别", widget=IntegerWidget())
    contact_person = Field("contact_person", "联系人", widget=CharWidget())
    contact_phone = MaskedField("contact_phone", "联系电话", widget=CharWidget())

    class Meta:
        model = HelpingUnit
        fields = ("name", "affiliation", "enterprise_class", "contact_person", "contact_phone")
        import_id_fields = ("name",)
        clean_model_instances = True
        skip_unchanged = True


class CadreResource(ScopedResource):
    name = Field("name", "姓名", widget=CharWidget())
    unit = Field("unit", "所在单位", widget=UnitByNameWidget())
    rank = Field("rank", "职级", widget=LabelChoiceWidget(Rank.choices))
    post = Field("post", "职务", widget=CharWidget())
    phone = MaskedField("phone", "联系电话", widget=CharWidget())
    is_active = Field("is_active", "在岗", widget=YesNoWidget(), default=True)

    class Meta:
        model = Cadre
        fields = ("name", "unit", "rank", "post", "phone", "is_active")
        import_id_fields = ("name", "unit")
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("unit")


class PairingResource(ScopedResource):
    """Pairings keyed by cadre, household and start: an import can end one, never re-assign it."""

    area_field = "household"  # a pairing is in its household's village

    cadre = Field("cadre", "帮扶责任人", widget=CadreByUnitWidget())
    cadre_unit = Field("cadre__unit__name", CADRE_UNIT_COLUMN, readonly=True)
    household = Field("household", "户编号", widget=HouseholdByNumberWidget())
    township = Field("household__village__township__name", "乡镇", readonly=True)
    village = Field("household__village__name", "行政村", readonly=True)
    started_on = Field("started_on", "结对日期", widget=DateWidget())
    ended_on = Field("ended_on", "解除日期", widget=DateWidget())
    end_reason = Field("end_reason", "解除原因", widget=CharWidget())

    class Meta:
        model = Pairing
        fields = (
            "cadre",
            "cadre_unit",
            "household",
            "township",
            "village",
            "started_on",
            "ended_on",
            "end_reason",
        )
        import_id_fields = ("cadre", "household", "started_on")
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self) -> QuerySet:
        return super().get_queryset().select_related("cadre__unit", "household__village__township")
