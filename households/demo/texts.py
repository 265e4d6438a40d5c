"""Wording pools: help measures by category, and what cadres write in their visit logs."""

from __future__ import annotations

from typing import Any

# category → [(content, (low, high) yuan, fund sources, result, needs)]: `needs` names a fact of
# the household the measure presupposes (None: any household). {n}: a small count, {size}: the
# household's size, {amount}: money named in the content; the result's {paid} is the year's money
# itself, {dividend} a share of it, {gain} the income the measure brought otherwise.
MEASURES: dict[str, list[tuple[Any, ...]]] = {
    "industry": [
        (
            "发放肉牛养殖奖补资金，扶持购买肉牛{n}头",
            (3000, 8000),
            ("fiscal", "self_raised"),
            "肉牛存栏{n}头，年增收约{gain}元",
            None,
        ),
        (
            "发展小杂粮种植{n}亩，免费发放种子化肥",
            (300, 1500),
            ("fiscal",),
            "亩产提高，年增收约{gain}元",
            None,
        ),
        (
            "扶贫资金入股村专业合作社，享受资产收益分红",
            (1000, 3000),
            ("fiscal",),
            "已按期分红{dividend}元",
            None,
        ),
        ("光伏扶贫电站收益分配", (500, 1500), ("fiscal",), "全年收益分配{paid}元", None),
        (
            "发展庭院经济，种植时令蔬菜{n}亩",
            (200, 1000),
            ("helping_unit",),
            "自给有余，出售增收{gain}元",
            None,
        ),
        (
            "扶持养殖蛋鸡{n}00只，帮扶单位协调销售",
            (1000, 4000),
            ("helping_unit", "self_raised"),
            "鸡蛋稳定销售，年增收约{gain}元",
            None,
        ),
    ],
    "employment": [
        (
            "安排保洁员公益岗位，月工资{amount}元",
            (400, 800),
            ("fiscal",),
            "按月发放工资，全年{paid}元",
            None,
        ),
        (
            "安排护路员公益岗位，月工资{amount}元",
            (400, 800),
            ("fiscal",),
            "按月发放工资，全年{paid}元",
            None,
        ),
        (
            "推荐到县经济开发区企业务工，发放一次性交通补贴",
            (300, 800),
            ("sector",),
            "稳定务工，年收入{gain}元",
            "labour",
        ),
        (
            "参加电焊工技能培训并取得证书",
            (800, 2000),
            ("sector",),
            "培训后外出务工，年收入{gain}元",
            "labour",
        ),
        (
            "在村扶贫车间务工（手工编织）",
            (500, 1500),
            ("helping_unit",),
            "车间计件务工，年收入{gain}元",
            None,
        ),
    ],
    "education": [
        ("落实义务教育阶段两免一补", (500, 1250), ("sector",), "补助已发放到位", "compulsory"),
        ("发放雨露计划职业教育补助", (3000, 3000), ("fiscal",), "补助已打卡发放", "vocational"),
        (
            "办理生源地信用助学贷款",
            (8000, 8000),
            ("credit",),
            "贷款已发放，在校期间财政贴息",
            "college",
        ),
        ("发放普通高中国家助学金", (2000, 2000), ("sector",), "助学金已发放到位", "senior"),
    ],
    "health": [
        (
            "代缴城乡居民基本医疗保险个人缴费部分",
            (250, 1400),
            ("sector",),
            "全家参保，医疗有保障",
            None,
        ),
        (
            "落实家庭医生签约服务，慢性病定期随访",
            (100, 300),
            ("sector",),
            "每季度随访，按时服药",
            "ill",
        ),
        (
            "大病保险及医疗救助报销住院费用",
            (2000, 20000),
            ("sector", "fiscal"),
            "报销医疗费用，个人自付比例降至10%以内",
            "ill",
        ),
        ("办理慢性病门诊证，门诊费用按比例报销", (300, 2000), ("sector",), "门诊费用已报销", "ill"),
        (
            "落实先诊疗后付费，住院费用一站式结算",
            (1000, 8000),
            ("sector",),
            "住院费用一站式结算完成",
            "ill",
        ),
    ],
    "relocation": [
        (
            "易地扶贫搬迁至县城集中安置点，搬迁{size}人",
            (20000, 60000),
            ("fiscal", "credit", "self_raised"),
            "已搬迁入住，旧房已拆除复垦",
            "remote_and_poor",
        ),
    ],
    "housing": [
        (
            "C级危房维修加固",
            (8000, 15000),
            ("fiscal", "self_raised"),
            "已完成改造并入住，住房安全有保障",
            "poor",
        ),
        (
            "D级危房拆除重建",
            (20000, 35000),
            ("fiscal", "self_raised"),
            "新房已建成入住，住房安全有保障",
            "poor",
        ),
    ],
    "finance": [
        (
            "发放扶贫小额信贷{amount}元，期限3年，财政全额贴息",
            (10000, 50000),
            ("credit",),
            "贷款用于发展养殖，年增收约{gain}元",
            "labour",
        ),
        ("参加政策性农业保险，保费财政补贴", (50, 300), ("fiscal",), "已投保，受灾可获理赔", None),
    ],
    "ecology": [
        ("聘为生态护林员", (6000, 10000), ("fiscal",), "全年护林补助{paid}元", "labour"),
        ("落实退耕还林补助{n}亩", (300, 1500), ("sector",), "补助已发放{paid}元", None),
    ],
    "social_security": [
        (
            "纳入农村低保，月人均补助{amount}元",
            (200, 320),
            ("sector",),
            "低保金按月发放，全年{paid}元",
            "minimum_living",
        ),
        (
            "落实特困人员供养",
            (4200, 6000),
            ("sector",),
            "供养金按时足额发放",
            "extreme_poverty_support",
        ),
        ("发放残疾人两项补贴", (1200, 1800), ("sector",), "补贴已按月发放", "disabled"),
        ("实施临时救助", (500, 3000), ("sector",), "救助金已发放", None),
    ],
    "other": [
        ("硬化入户路{n}0米", (2000, 6000), ("fiscal",), "入户路已硬化", None),
        ("实施农村户厕改造", (1000, 1500), ("fiscal", "self_raised"), "改厕完成并投入使用", None),
        (
            "帮扶单位开展消费扶贫，代销农产品",
            (500, 3000),
            ("social",),
            "代销农产品增收{gain}元",
            None,
        ),
        ("自来水入户改造", (500, 1500), ("fiscal",), "自来水已通到户", None),
    ],
}

VISIT_FINDINGS = {
    "illness": [
        "{name}慢性病病情稳定，按时服药",
        "{name}近期住院治疗，医疗费用报销进度需跟进",
        "{name}反映门诊药费负担较重",
        "{name}病情好转，已能做些轻活",
    ],
    "disability": [
        "{name}残疾人两项补贴按月到账",
        "{name}生活需要照料，家人外出务工受影响",
        "{name}的残疾证需要换证",
    ],
    "other": [
        "家中劳动力外出务工，收入稳定",
        "户主希望扩大养殖规模，缺少启动资金",
        "今年玉米受旱减产，收入有所下降",
        "孩子在校表现良好，教育补助已到位",
    ],
    "common": [
        "了解家庭收支情况，帮扶措施均已落实",
        "宣讲扶贫政策，户主对政策知晓",
        "查看住房和饮水情况，均有保障",
        "核对一户一册信息，收入台账已更新",
        "户主对帮扶工作表示满意",
    ],
}
VISIT_ACTIONS = [
    "讲解健康扶贫政策，协调家庭医生上门随访",
    "帮助填写一户一册收入台账",
    "协调村委会解决饮水管道维修",
    "联系合作社上门收购农产品",
    "推荐到县经济开发区企业务工",
    "帮助申请临时救助",
    "宣讲小额信贷政策",
    "协助办理医疗费用报销",
    "落实公益岗位，讲明考勤要求",
    "送去米面油等慰问品",
]
VISIT_FOLLOW_UPS = [
    "下次走访核实报销是否到账",
    "跟进务工岗位落实情况",
    "月底前落实维修",
    "督促按时服药并复查",
    "协调技术员上门指导",
]
VILLAGE_TALKS = {
    "meeting": [
        "召开村两委和驻村工作队联席会，研究本月帮扶工作",
        "召开脱贫户座谈会，听取意见建议",
        "组织党员群众代表座谈，评议帮扶成效",
    ],
    "policy_talk": [
        "在村委会广场宣讲健康扶贫和教育资助政策",
        "入组宣讲小额信贷和产业奖补政策",
        "宣讲防返贫监测和就业帮扶政策",
    ],
    "other": ["陪同县扶贫办核查数据质量", "整理村级扶贫档案资料", "参加乡镇扶贫工作调度会"],
}
