"""Wording pools of supervision: who leads each kind of inspection, what it finds, the fixes."""

from __future__ import annotations

from inspections.choices import ChecklistItem as C

LEAD_UNITS = {
    "announced": ("{county}扶贫开发领导小组办公室", "{county}委督查室", "{county}政府督查室"),
    "unannounced": ("{county}委督查室", "{county}纪委监委", "{county}扶贫开发领导小组办公室"),
    "thematic": ("{county}委组织部", "{county}扶贫开发领导小组办公室", "{county}财政局"),
    "third_party": ("第三方评估机构（河北农业大学评估组）",),
}
# Items whose problems belong to one household (the finding names it and its cadre).
HOUSEHOLD_ITEMS = (
    C.FILLED_PROPERLY,
    C.FIGURES_CONSISTENT,
    C.THREE_WAY_MATCH,
    C.MEASURES_DELIVERED,
    C.KNOWN_AND_SATISFIED,
    C.CAN_RECITE,
)
FINDINGS: dict[str, list[str]] = {
    C.DOCUMENTS_COMPLETE: [
        "村级扶贫档案不全，缺少2019年动态调整会议记录",
        "部分户一户一册未更新2020年帮扶措施",
        "驻村工作队工作日志缺失两个月",
    ],
    C.FILLED_PROPERLY: [
        "{head}户一户一册收入页缺少户主签字",
        "{head}户帮扶计划未填写完成时限",
        "{head}户走访记录内容简单，无具体问题和措施",
    ],
    C.FIGURES_CONSISTENT: [
        "{head}户家庭人口数与系统不一致",
        "{head}户人均纯收入计算有误，与系统数据不符",
        "村级贫困人口汇总数与分户数据合计不一致",
    ],
    C.THREE_WAY_MATCH: [
        "{head}户明白卡帮扶措施与一户一册不一致",
        "{head}户台账记录的公益岗位工资与实际发放不符",
    ],
    C.ON_DUTY: [
        "第一书记暗访时不在岗，未履行请假手续",
        "驻村工作队员住村天数不足",
        "驻村工作队考勤记录不规范",
    ],
    C.MEASURES_DELIVERED: [
        "{head}户产业奖补资金未及时发放到户",
        "{head}户危房改造进度滞后",
        "{head}户计划的技能培训未落实",
    ],
    C.KNOWN_AND_SATISFIED: [
        "{head}户对帮扶责任人不熟悉",
        "{head}户不清楚享受的健康扶贫政策",
        "{head}户对帮扶成效满意度不高",
    ],
    C.CAN_RECITE: [
        "帮扶责任人对{head}户家庭收入情况说不清",
        "帮扶责任人不掌握{head}户致贫原因和帮扶措施",
    ],
}
RESPONSES = [
    "已补齐相关资料并由户主签字确认",
    "已重新核算收入并更新系统数据",
    "已约谈相关责任人，完善工作台账",
    "资金已发放到户，附发放凭证",
    "已组织帮扶责任人再次入户，逐项讲解政策",
    "已落实请销假制度，加强考勤管理",
]
