"""Helping units (帮扶单位) of the demo county and the posts their cadres hold."""

from __future__ import annotations

from cadres.choices import Affiliation, Rank

# County units whose heads sit on the county's leading bodies: their cadres include 县级 leaders.
LEADING_UNITS = (
    "县委办公室",
    "县政府办公室",
    "县人大常委会办公室",
    "县政协办公室",
    "县纪委监委",
    "县委组织部",
)
COUNTY_UNITS = LEADING_UNITS + (
    "县委宣传部",
    "县委统战部",
    "县委政法委",
    "县发展和改革局",
    "县财政局",
    "县教育局",
    "县卫生健康局",
    "县民政局",
    "县人力资源和社会保障局",
    "县自然资源局",
    "县住房和城乡建设局",
    "县交通运输局",
    "县水利局",
    "县农业农村局",
    "县林业局",
    "县商务局",
    "县文化广电和旅游局",
    "县市场监督管理局",
    "县审计局",
    "县统计局",
    "县扶贫开发办公室",
    "县公安局",
    "县司法局",
    "县应急管理局",
    "县医疗保障局",
    "县退役军人事务局",
    "县税务局",
    "县供销合作社",
    "县人民法院",
    "县人民检察院",
    "县总工会",
    "团县委",
    "县妇联",
    "县残联",
    "县人民医院",
    "县中医院",
    "县第一中学",
    "县农村信用合作联社",
    "县行政审批局",
)
MUNICIPAL_UNITS = (
    "邢台市教育局",
    "邢台市卫生健康委员会",
    "邢台市住房和城乡建设局",
    "邢台市农业农村局",
)
PROVINCIAL_UNITS = ("河北省水利厅", "河北省交通运输厅")
CENTRAL_UNITS = ("国家统计局",)
# (name, county class 1–4): the class sets how many households the enterprise takes on.
ENTERPRISES = (
    ("宁川县金穗食品有限公司", 1),
    ("宁川县华兴建材有限公司", 2),
    ("宁川县绿源农业开发有限公司", 3),
    ("宁川县恒通物流有限公司", 3),
    ("宁川县福源养殖专业合作社", 4),
)
ENTERPRISE_QUOTAS = {1: 80, 2: 30, 3: 10, 4: 5}
RANK_QUOTAS = {
    Rank.COUNTY_LEVEL: 10,
    Rank.SECTION_LEVEL: 8,
    Rank.STAFF: 6,
    Rank.VILLAGE_COMMITTEE: 2,
}

POSTS: dict[str, tuple[str, ...]] = {
    Rank.COUNTY_LEVEL: (
        "县委常委",
        "副县长",
        "县人大常委会副主任",
        "县政协副主席",
        "县委常委、组织部部长",
    ),
    Rank.SECTION_LEVEL: ("局长", "副局长", "主任", "副主任", "党组成员", "四级调研员"),
    Rank.STAFF: ("科员", "办事员", "股长", "副股长", "一级科员", "四级主任科员"),
    Rank.VILLAGE_COMMITTEE: ("村党支部书记", "村委会主任", "村委委员", "村会计", "村妇女主任"),
    Rank.ENTERPRISE: ("总经理", "副总经理", "部门经理"),
    Rank.OTHER: ("志愿者", "驻村工作人员"),
}
TOWNSHIP_POSTS: dict[str, tuple[str, ...]] = {
    Rank.SECTION_LEVEL: ("党委副书记", "副乡（镇）长", "党委委员", "人大主席", "武装部长"),
    Rank.STAFF: ("乡镇干部", "扶贫工作站工作人员", "包村干部", "科员"),
}


def county_unit_name(county: str, short: str) -> str:
    """县财政局 → 宁川县财政局; 团县委 → 共青团宁川县委员会."""
    if short == "团县委":
        return f"共青团{county}委员会"
    return county + short[1:]


def affiliation_of(name: str) -> str:
    if name in MUNICIPAL_UNITS:
        return Affiliation.MUNICIPAL
    if name in PROVINCIAL_UNITS:
        return Affiliation.PROVINCIAL
    if name in CENTRAL_UNITS:
        return Affiliation.CENTRAL
    return Affiliation.COUNTY
