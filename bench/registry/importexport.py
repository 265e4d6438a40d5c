"""The usual tool, for comparison: a django-import-export ModelResource for the member rows.

Configured as an office would: the file's Chinese headers mapped to field names, choice labels
(男, 户主, 是 …) turned into the stored values by a small widget, the household found by its
户编号 through a ForeignKeyWidget, a member matched by its ID number. Only the members are
imported: the households already exist.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tablib
from import_export import fields, resources, widgets
from python_calamine import CalamineWorkbook

from households.choices import Health, LabourSkill, Relation, Sex
from households.models import Household, Member

# Field name → the canonical header of its column.
HEADERS = {
    "name": "姓名",
    "id_number": "证件号码",
    "relation_to_head": "与户主关系",
    "sex": "性别",
    "ethnicity": "民族",
    "birth_date": "出生日期",
    "health": "健康状况",
    "labour_skill": "劳动技能",
    "has_medical_insurance": "是否参加城乡居民基本医疗保险",
    "has_pension_insurance": "是否参加城乡居民基本养老保险",
    "household": "户编号",
}
YES_NO = [(True, "是"), (False, "否")]


class LabelWidget(widgets.Widget):
    """A choice given by its label in the file, stored as its value."""

    def __init__(self, choices: list[tuple[Any, str]]) -> None:
        super().__init__()
        self.values = {label: value for value, label in choices}

    def clean(self, value: Any, row: Any = None, **kwargs: Any) -> Any:
        return self.values[value]


def _label_field(name: str, choices: list[tuple[Any, str]]) -> fields.Field:
    return fields.Field(attribute=name, column_name=name, widget=LabelWidget(choices))


class MemberResource(resources.ModelResource):
    relation_to_head = _label_field("relation_to_head", Relation.choices)
    sex = _label_field("sex", Sex.choices)
    health = _label_field("health", Health.choices)
    labour_skill = _label_field("labour_skill", LabourSkill.choices)
    has_medical_insurance = _label_field("has_medical_insurance", YES_NO)
    has_pension_insurance = _label_field("has_pension_insurance", YES_NO)
    household = fields.Field(
        attribute="household",
        column_name="household",
        widget=widgets.ForeignKeyWidget(Household, field="household_number"),
    )

    class Meta:
        model = Member
        fields = tuple(HEADERS)
        # Rows are matched by ID number, so that importing the file again updates the members.
        import_id_fields = ("id_number",)


def member_resource() -> MemberResource:
    return MemberResource()


def member_dataset(workbook: Path) -> tablib.Dataset:
    """The member columns of the workbook, under the resource's field names."""
    rows = CalamineWorkbook.from_path(str(workbook)).get_sheet_by_index(0).to_python()
    positions = [rows[0].index(header) for header in HEADERS.values()]
    dataset = tablib.Dataset(headers=list(HEADERS))
    for row in rows[1:]:
        dataset.append([row[position] for position in positions])
    return dataset
