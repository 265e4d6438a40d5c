"""What the ledger holds, section by section, in print order: the one place for its labels.

The workbook writer, the print page and the importer all read these specs; the importer finds
each section by its title and each table by its header labels, so the labels here are the
contract of the ledger workbook. `source` names where a column's value comes from: a model
field (`household.phone`, `profile.cultivated_land`, `member.health`) or a computed value
(`computed.net_income`); only model fields can be `editable`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import TextChoices

from cadres.choices import Affiliation, VisitKind
from households.choices import (
    Cause,
    Education,
    Fuel,
    FundSource,
    Health,
    HouseholdStatus,
    HousingGrade,
    IdentificationStandard,
    LabourSkill,
    MeasureCategory,
    MeasureStatus,
    PovertyAttribute,
    Relation,
    RoadType,
    Sex,
    StatusChangeKind,
    StudentStatus,
    WorkStatus,
)
from households.masking import mask_id_number, mask_phone
from ledgers.booklet import Column, Kind

T, N, M, D, DATE, B, C, CS = (
    Kind.TEXT, Kind.INT, Kind.MONEY, Kind.DECIMAL, Kind.DATE, Kind.BOOL, Kind.CHOICE, Kind.CHOICES
)  # fmt: skip


def col(
    key: str,
    label: str,
    kind: Kind = T,
    *,
    edit: bool = False,
    width: int = 10,
    choices: type[TextChoices] | tuple[tuple[str, str], ...] = (),
    **extra: object,
) -> Column:
    pairs = tuple(choices) if isinstance(choices, tuple) else tuple(choices.choices)
    return Column(key, label, kind, edit, pairs, width, **extra)  # type: ignore[arg-type]


@dataclass(frozen=True)
class TableSpec:
    key: str
    model: str  # the model of its rows: "member", "income", …
    columns: tuple[Column, ...]
    can_add: bool = False
    blank_rows: int = 0


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    fields: tuple[Column, ...] = ()  # keys are "<model>.<attribute>" or "computed.<name>"
    table: TableSpec | None = None
    note: str = ""


COVER = SectionSpec(
    "cover",
    "扶贫手册（一户一册）",
    fields=(
        col("computed.county", "县（市、区）"),
        col("computed.township", "乡（镇）"),
        col("computed.village", "行政村"),
        col("household.hamlet", "自然村（组）"),
        col("household.household_number", "户编号"),
        col("computed.head_name", "户主姓名"),
        col("computed.cadres", "帮扶责任人", width=40),
        col("computed.first_secretary", "驻村第一书记", width=40),
        col("computed.year", "年度"),
    ),
)
BASICS = SectionSpec(
    "basics",
    "一、家庭基本情况",
    fields=(
        col("household.identification_standard", "识别标准", C, choices=IdentificationStandard),
        col("household.poverty_attribute", "贫困户属性", C, choices=PovertyAttribute),
        col("household.status", "户状态", C, choices=HouseholdStatus),
        col("household.identified_year", "识别年度", N),
        col("household.exit_year", "脱贫年度", N),
        col("household.keeps_policies", "享受政策", B),
        col("computed.household_size", "家庭人口数", N),
        col("household.phone", "联系电话", edit=True, masked=mask_phone),
        col("household.address", "家庭住址", edit=True, width=40),
        col("profile.cultivated_land", "耕地面积（亩）", D, edit=True),
        col("profile.irrigated_land", "有效灌溉面积（亩）", D, edit=True),
        col("profile.forest_land", "林地面积（亩）", D, edit=True),
        col("profile.returned_farmland", "退耕还林面积（亩）", D, edit=True),
        col("profile.orchard_land", "林果面积（亩）", D, edit=True),
        col("profile.grassland", "牧草地面积（亩）", D, edit=True),
        col("profile.water_surface", "水面面积（亩）", D, edit=True),
        col("profile.housing_area", "住房面积（平方米）", D, edit=True),
        col("profile.housing_grade", "危房等级", C, edit=True, choices=HousingGrade),
        col("profile.has_safe_water", "饮水安全", B, edit=True),
        col("profile.has_electricity", "通生活用电", B, edit=True),
        col("profile.has_tv", "通广播电视", B, edit=True),
        col("profile.has_sanitary_toilet", "卫生厕所", B, edit=True),
        col("profile.road_type", "入户路类型", C, edit=True, choices=RoadType),
        col("profile.main_fuel", "主要燃料", C, edit=True, choices=Fuel),
        col("profile.is_military_family", "军烈属", B, edit=True),
        col("profile.is_single_child", "独生子女户", B, edit=True),
        col("profile.is_two_daughters", "双女户", B, edit=True),
        col("profile.is_relocated", "易地搬迁户", B, edit=True),
        col("profile.relocation_mode", "安置方式", edit=True),
        col("profile.joined_cooperative", "加入农民专业合作社", B, edit=True),
    ),
)
# Headers are the registry contract's member columns, then the booklet's own additions.
MEMBERS = SectionSpec(
    "members",
    "二、家庭成员",
    table=TableSpec(
        "members",
        "member",
        (
            col("name", "姓名", width=8),
            col("id_number", "证件号码", width=20, masked=mask_id_number),
            col("relation_to_head", "与户主关系", C, choices=Relation),
            col("sex", "性别", C, width=5, choices=Sex),
            col("ethnicity", "民族", width=6),
            col("birth_date", "出生日期", DATE),
            col("education", "文化程度", C, edit=True, choices=Education),
            col("student_status", "在校生状况", C, edit=True, choices=StudentStatus),
            col("health", "健康状况", C, edit=True, required=True, choices=Health),
            col("labour_skill", "劳动技能", C, edit=True, required=True, choices=LabourSkill),
            col("work_status", "务工状况", C, edit=True, choices=WorkStatus),
            col("work_months", "务工时间（月）", N, edit=True, width=6),
            col("has_medical_insurance", "是否参加城乡居民基本医疗保险", B, edit=True, width=8),
            col("has_pension_insurance", "是否参加城乡居民基本养老保险", B, edit=True, width=8),
            col("disability_card_number", "残疾证号", edit=True, width=22, masked=mask_id_number),
            col("months_at_home", "在家居住时间（月）", N, edit=True, width=6),
            col("has_serious_illness_insurance", "是否参加大病保险", B, edit=True, width=6),
            col("receives_minimum_living", "是否享受低保", B, edit=True, width=6),
        ),
    ),
    note="成员的增减请通过动态调整办理；本表可修改健康、务工、保险等情况。",
)
CAUSES = SectionSpec(
    "causes",
    "三、致贫原因",
    fields=(
        col("household.main_cause", "主要致贫原因", C, edit=True, required=True, choices=Cause),
        col("household.other_causes", "其他致贫原因", CS, edit=True, choices=Cause),
        col("household.situation", "家庭情况简述", edit=True, width=80),
    ),
)
INCOME_ITEMS = (
    ("wage_income", "工资性收入"),
    ("public_welfare_job_income", "公益性岗位收入"),
    ("business_income", "生产经营性收入"),
    ("business_expense", "生产经营性支出"),
    ("asset_dividend_income", "资产收益扶贫分红"),
    ("other_property_income", "其他财产性收入"),
    ("family_planning_award", "计划生育金"),
    ("minimum_living_allowance", "低保金"),
    ("extreme_poverty_allowance", "特困供养金"),
    ("pension", "养老保险金"),
    ("ecological_compensation", "生态补偿金"),
    ("other_transfer_income", "其他转移性收入"),
)
INCOME = SectionSpec(
    "income",
    "四、收入情况",
    table=TableSpec(
        "income",
        "income",
        (
            col("year", "年度", N, edit=True, required=True, width=6),
            *(col(key, label, M, edit=True, width=9) for key, label in INCOME_ITEMS),
            col("computed.gross_income", "年收入", M, width=9),
            col("computed.net_income", "纯收入", M, width=9),
            col("computed.household_size", "家庭人口数", N, width=6),
            col("computed.net_income_per_capita", "人均纯收入", M, width=9),
            col("computed.poverty_line", "当年扶贫标准", M, width=9),
            col("notes", "备注", edit=True, width=16),
        ),
        can_add=True,
        blank_rows=1,
    ),
    note="单位：元。年收入、纯收入、人均纯收入由系统计算，填写无效。",
)
NEEDS = SectionSpec(
    "needs",
    "五、两不愁三保障",
    table=TableSpec(
        "needs",
        "needs",
        (
            col("year", "年度", N, edit=True, required=True, width=6),
            col("food", "不愁吃", B, edit=True, width=6),
            col("clothing", "不愁穿", B, edit=True, width=6),
            col("compulsory_education", "义务教育有保障", B, edit=True, width=8),
            col("basic_medical", "基本医疗有保障", B, edit=True, width=8),
            col("safe_housing", "住房安全有保障", B, edit=True, width=8),
            col("safe_water", "饮水安全有保障", B, edit=True, width=8),
            col("notes", "情况说明", edit=True, width=30),
            col("assessed_on", "评估日期", DATE, edit=True),
            col("assessor", "评估人", edit=True, width=8),
        ),
        can_add=True,
        blank_rows=1,
    ),
)
CADRES = SectionSpec(
    "cadres",
    "六、帮扶责任人",
    table=TableSpec(
        "cadres",
        "pairing",
        (
            col("computed.cadre_name", "姓名", width=8),
            col("computed.unit", "工作单位", width=24),
            col("computed.affiliation", "单位层级", C, choices=Affiliation),
            col("computed.post", "职务", width=12),
            col("computed.phone", "联系电话", width=14, masked=mask_phone),
            col("started_on", "结对日期", DATE),
            col("ended_on", "解除日期", DATE),
        ),
    ),
    note="帮扶责任人的调整在系统中办理，调整后新增一行，原记录保留。",
)
PLANS = SectionSpec(
    "plans",
    "七、帮扶计划",
    table=TableSpec(
        "plans",
        "plan",
        (
            col("year", "年度", N, edit=True, required=True, width=6),
            col("goals", "帮扶目标", edit=True, required=True, width=30),
            col("planned_exit_year", "计划脱贫年度", N, edit=True, width=8),
            col("projects", "帮扶项目及规模", edit=True, width=30),
            col("planned_funds", "计划资金（元）", M, edit=True),
            col("deadline", "完成时限", DATE, edit=True),
        ),
        can_add=True,
        blank_rows=1,
    ),
)
FUND_COLUMNS = tuple(
    col(f"fund.{value}", f"{label}（元）", M, edit=True, width=9)
    for value, label in FundSource.choices
)
MEASURES = SectionSpec(
    "measures",
    "八、帮扶措施",
    table=TableSpec(
        "measures",
        "measure",
        (
            col("year", "年度", N, edit=True, required=True, width=6),
            col("category", "帮扶类别", C, edit=True, required=True, choices=MeasureCategory),
            col("content", "帮扶内容", edit=True, required=True, width=30),
            col("computed.helping_unit", "帮扶单位", edit=True, width=16),
            *FUND_COLUMNS,
            col("started_on", "实施日期", DATE, edit=True),
            col("due_on", "计划完成日期", DATE, edit=True),
            col("status", "状态", C, edit=True, required=True, choices=MeasureStatus),
            col("computed.signature", "户主签字", width=8),
        ),
        can_add=True,
        blank_rows=2,
    ),
    note="帮扶单位填写系统中已有的单位名称；资金按来源分列。",
)
RESULTS = SectionSpec(
    "results",
    "九、帮扶成效",
    table=TableSpec(
        "results",
        "measure",
        (
            col("year", "年度", N, width=6),
            col("content", "帮扶内容", width=30),
            col("completed_on", "完成日期", DATE, edit=True),
            col("result", "帮扶成效", edit=True, width=30),
            col("result_income", "增收金额（元）", M, edit=True),
            col("computed.signature", "户主签字", width=8),
        ),
    ),
    note="每项帮扶措施一行，新增措施请填在帮扶措施表中。",
)
VISITS = SectionSpec(
    "visits",
    "十、走访记录",
    table=TableSpec(
        "visits",
        "visit",
        (
            col("visited_on", "走访日期", DATE, edit=True, required=True),
            col("computed.author", "走访人", edit=True, required=True, width=8),
            col("kind", "走访方式", C, edit=True, required=True, choices=VisitKind),
            col("findings", "发现问题", edit=True, required=True, width=30),
            col("actions", "采取措施", edit=True, width=30),
            col("follow_up", "后续跟进", edit=True, width=20),
        ),
        can_add=True,
        blank_rows=3,
    ),
    note="走访人须为本户帮扶责任人或本村驻村干部，填写其姓名。",
)
ADJUSTMENTS = SectionSpec(
    "adjustments",
    "十一、动态调整",
    table=TableSpec(
        "adjustments",
        "status_change",
        (
            col("kind", "调整类型", C, choices=StatusChangeKind),
            col("computed.member", "成员", width=8),
            col("from_status", "调整前户状态", C, choices=HouseholdStatus),
            col("to_status", "调整后户状态", C, choices=HouseholdStatus),
            col("effective_on", "生效日期", DATE),
            col("reason", "原因", width=30),
            col("approved_by", "批准人（单位）", width=16),
            col("approved_on", "批准日期", DATE),
        ),
    ),
    note="动态调整在系统中办理并审批，本表仅供查阅。",
)
SIGNATURES = SectionSpec(
    "signatures",
    "十二、签字确认",
    fields=(
        col("computed.sign_head", "户主（签字）"),
        col("computed.sign_cadre", "帮扶责任人（签字）"),
        col("computed.sign_village", "村委会（盖章）"),
        col("computed.sign_township", "乡镇（盖章）"),
    ),
    note="签字、盖章后注明日期。",
)
SECTIONS: tuple[SectionSpec, ...] = (
    COVER, BASICS, MEMBERS, CAUSES, INCOME, NEEDS, CADRES, PLANS, MEASURES, RESULTS, VISITS,
    ADJUSTMENTS, SIGNATURES,
)  # fmt: skip
BY_KEY = {spec.key: spec for spec in SECTIONS}
