"""The 31 columns of the registry contract: header, level, whether required, and value kind.

`registry-template.md` (the contract) is the source: headers are written exactly as it writes
them, in its order. `SYNONYMS` lists the other spellings real files use for each header.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import TextChoices

from households.choices import (
    Cause,
    Education,
    Health,
    HouseholdStatus,
    IdentificationStandard,
    LabourSkill,
    PovertyAttribute,
    Relation,
    Sex,
    StudentStatus,
    WorkStatus,
)


class Level(StrEnum):
    HOUSEHOLD = "household"
    MEMBER = "member"


class Kind(StrEnum):
    TEXT = "text"  # free text, spaces trimmed
    DIGITS = "digits"  # 户编号: digits only, kept as text
    INTEGER = "integer"
    YEAR = "year"
    DECIMAL = "decimal"
    CHOICE = "choice"  # one value of `choices`
    CHOICES = "choices"  # several values of `choices` joined by 、
    NAMES = "names"  # several names joined by 、
    PHONE = "phone"
    ID_NUMBER = "id_number"
    DATE = "date"
    BOOLEAN = "boolean"  # 是 / 否


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    level: Level
    required: bool
    kind: Kind
    choices: type[TextChoices] | None = None
    note: str = ""


H, M = Level.HOUSEHOLD, Level.MEMBER

COLUMNS: tuple[Column, ...] = (
    Column("county", "县（市、区）", H, True, Kind.TEXT, note="县的名称"),
    Column("township", "乡（镇）", H, True, Kind.TEXT, note="乡镇的名称"),
    Column("village", "行政村", H, True, Kind.TEXT, note="行政村的名称"),
    Column("hamlet", "自然村（组）", H, False, Kind.TEXT),
    Column("household_number", "户编号", H, True, Kind.DIGITS, note="不超过20位数字，全系统唯一"),
    Column("head_name", "户主姓名", H, True, Kind.TEXT, note="与户主那一行的姓名一致"),
    Column("household_size", "家庭人口数", H, True, Kind.INTEGER, note="不小于1，等于成员行数"),
    Column("identification_standard", "识别标准", H, True, Kind.CHOICE, IdentificationStandard),
    Column("poverty_attribute", "贫困户属性", H, True, Kind.CHOICE, PovertyAttribute),
    Column("main_cause", "主要致贫原因", H, True, Kind.CHOICE, Cause),
    Column("other_causes", "其他致贫原因", H, False, Kind.CHOICES, Cause, note="多个用“、”分隔"),
    Column("status", "户状态", H, True, Kind.CHOICE, HouseholdStatus),
    Column("identified_year", "识别年度", H, True, Kind.YEAR, note="2013至2030年"),
    Column("exit_year", "脱贫年度", H, False, Kind.YEAR, note="已脱贫时必填，不早于识别年度"),
    Column("income_per_capita", "人均纯收入（元）", H, False, Kind.DECIMAL, note="最近一年，≥0"),
    Column("phone", "联系电话", H, False, Kind.PHONE, note="11位手机号或固定电话"),
    Column("responsible_cadres", "帮扶责任人", H, False, Kind.NAMES, note="多个用“、”分隔"),
    Column("name", "姓名", M, True, Kind.TEXT),
    Column("id_number", "证件号码", M, True, Kind.ID_NUMBER, note="18位身份证号，文本格式"),
    Column("relation_to_head", "与户主关系", M, True, Kind.CHOICE, Relation),
    Column("sex", "性别", M, True, Kind.CHOICE, Sex),
    Column("ethnicity", "民族", M, True, Kind.CHOICE, note="56个民族名称，如汉族"),
    Column("birth_date", "出生日期", M, True, Kind.DATE, note="YYYY-MM-DD；缺失时取自证件号码"),
    Column("education", "文化程度", M, False, Kind.CHOICE, Education),
    Column("student_status", "在校生状况", M, False, Kind.CHOICE, StudentStatus),
    Column("health", "健康状况", M, True, Kind.CHOICE, Health),
    Column("labour_skill", "劳动技能", M, True, Kind.CHOICE, LabourSkill),
    Column("work_status", "务工状况", M, False, Kind.CHOICE, WorkStatus),
    Column("work_months", "务工时间（月）", M, False, Kind.INTEGER, note="0至12"),
    Column("has_medical_insurance", "是否参加城乡居民基本医疗保险", M, True, Kind.BOOLEAN),
    Column("has_pension_insurance", "是否参加城乡居民基本养老保险", M, True, Kind.BOOLEAN),
)

BY_KEY: dict[str, Column] = {column.key: column for column in COLUMNS}
HEADERS: tuple[str, ...] = tuple(column.header for column in COLUMNS)
HOUSEHOLD_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.level is Level.HOUSEHOLD)
MEMBER_KEYS: tuple[str, ...] = tuple(c.key for c in COLUMNS if c.level is Level.MEMBER)
SHEET_NAME = "花名册"

# Other spellings of each header. Matching ignores spaces and bracket width (see headers.py).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "county": ("县", "县区", "县（区）", "县（市）", "县市区", "县名", "区县"),
    "township": ("乡镇", "乡", "镇", "乡镇（街道）", "乡（镇、街道）", "乡镇名称"),
    "village": ("村", "村名", "行政村名称", "村委会", "所在村"),
    "hamlet": ("自然村", "组", "村民小组", "自然村组", "自然村/组", "组别"),
    "household_number": ("户号", "户编码", "贫困户编号", "户编号（系统）"),
    "head_name": ("户主", "户主名"),
    "household_size": ("人口数", "家庭人口", "家庭人数", "户人口数", "家庭人口（人）"),
    "identification_standard": ("识别标准（国家/省/市）",),
    "poverty_attribute": ("贫困属性", "户属性", "贫困户类型"),
    "main_cause": ("致贫原因", "主要致贫原因（单选）"),
    "other_causes": ("次要致贫原因", "其它致贫原因"),
    "status": ("脱贫状态", "是否脱贫", "贫困户状态", "户状态（脱贫情况）"),
    "identified_year": ("识别年份", "纳入年度", "识别时间"),
    "exit_year": ("脱贫年份", "脱贫时间"),
    "income_per_capita": ("人均纯收入", "人均收入", "人均纯收入元", "家庭人均纯收入"),
    "phone": ("电话", "联系方式", "手机号码", "联系电话（手机）"),
    "responsible_cadres": ("帮扶人", "结对帮扶责任人", "帮扶干部", "帮扶责任人姓名"),
    "name": ("成员姓名", "家庭成员姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "证件号", "身份证"),
    "relation_to_head": ("关系", "与户主的关系"),
    "sex": (),
    "ethnicity": ("民族（族别）",),
    "birth_date": ("出生年月", "出生年月日", "出生时间"),
    "education": ("学历",),
    "student_status": ("在校情况", "在校生情况", "在校状况"),
    "health": ("身体状况", "健康情况"),
    "labour_skill": ("劳动能力", "劳动力状况"),
    "work_status": ("务工情况", "外出务工状况"),
    "work_months": ("务工时间", "务工月数", "务工时长（月）"),
    "has_medical_insurance": (
        "参加城乡居民基本医疗保险",
        "是否参加基本医疗保险",
        "基本医疗保险",
        "是否参加新型农村合作医疗",
        "是否参加新农合",
    ),
    "has_pension_insurance": (
        "参加城乡居民基本养老保险",
        "是否参加基本养老保险",
        "基本养老保险",
    ),
}
