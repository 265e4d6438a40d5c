"""Chinese names for the demo county: people by sex and generation, townships, villages, hamlets."""

from __future__ import annotations

import itertools
import random

from households.demo.common import Weighted, chance

# Surnames of north China, roughly by frequency (weights are per mille, rounded).
SURNAMES = Weighted(
    {
        "王": 74,
        "李": 72,
        "张": 70,
        "刘": 55,
        "陈": 30,
        "杨": 32,
        "赵": 34,
        "黄": 10,
        "周": 14,
        "吴": 10,
        "徐": 11,
        "孙": 20,
        "胡": 9,
        "朱": 9,
        "高": 18,
        "林": 5,
        "何": 6,
        "郭": 18,
        "马": 17,
        "罗": 4,
        "梁": 8,
        "宋": 12,
        "郑": 8,
        "谢": 5,
        "韩": 12,
        "唐": 5,
        "冯": 10,
        "于": 9,
        "董": 11,
        "程": 6,
        "曹": 9,
        "袁": 5,
        "邓": 4,
        "许": 7,
        "沈": 3,
        "吕": 7,
        "苏": 6,
        "卢": 5,
        "蒋": 3,
        "蔡": 3,
        "贾": 9,
        "丁": 6,
        "魏": 8,
        "薛": 5,
        "阎": 6,
        "潘": 3,
        "杜": 7,
        "田": 9,
        "任": 7,
        "姜": 6,
        "范": 6,
        "石": 7,
        "姚": 5,
        "崔": 8,
        "郝": 7,
        "孟": 6,
        "白": 6,
        "常": 5,
        "武": 6,
        "乔": 4,
        "贺": 4,
        "秦": 4,
        "侯": 5,
        "邢": 4,
        "牛": 4,
        "尹": 3,
        "岳": 3,
        "申": 3,
        "霍": 3,
        "耿": 3,
        "路": 2,
        "葛": 2,
    }
)

# Given-name characters by (male, generation): generation 0 born before 1960, 1 to 1985, 2 after.
_FIRST = {
    (True, 0): "德福贵永长玉金春国建振保文宝树志富占",
    (True, 1): "建志永海伟红立卫晓新文军春明国小东",
    (True, 2): "浩子宇俊梓家一博天嘉思明志雨晨佳",
    (False, 0): "秀桂玉凤淑素翠金兰春月荣",
    (False, 1): "丽红艳美秀春晓小海彩燕冬素",
    (False, 2): "欣梓雨思佳子若诗可梦一紫婉雅晓",
}
_SECOND = {
    (True, 0): "山林海才福贵成全有生田旺喜祥荣",
    (True, 1): "军伟强平东华刚峰明林杰波涛斌勇",
    (True, 2): "轩然阳涵宇辰豪杰博睿泽鑫航磊凯",
    (False, 0): "英兰珍梅芬花荣芳琴霞香莲",
    (False, 1): "霞红梅娟丽艳敏芳燕萍琴华静",
    (False, 2): "涵怡萱琪彤妍雯悦琳瑶欣馨茜然璐",
}
CLASSIC = {
    True: [
        "建国",
        "国庆",
        "建军",
        "志刚",
        "德胜",
        "福来",
        "永贵",
        "长林",
        "振华",
        "保国",
        "春生",
        "国强",
        "卫东",
        "建华",
        "红军",
        "海涛",
    ],
    False: [
        "秀英",
        "桂兰",
        "秀兰",
        "玉兰",
        "桂英",
        "凤英",
        "淑珍",
        "秀珍",
        "玉梅",
        "翠花",
        "金凤",
        "丽娟",
        "红梅",
        "海燕",
        "春燕",
        "晓敏",
    ],
}

TOWNSHIP_NAMES = (
    ("城关镇", True),
    ("柳林镇", True),
    ("石桥镇", True),
    ("杨庄镇", True),
    ("河口镇", True),
    ("马坊乡", False),
    ("双井乡", False),
    ("南岭乡", False),
    ("白沙乡", False),
    ("高庙乡", False),
)
_DIRECTIONS = "东西南北前后上下大小中"
_FEATURES = "柳杨槐桑石河泉沟岭庙寨堡台林桥井洼坡峪湾"
_SETTLEMENTS = "庄村屯营寨堡店集沟洼坡峪"
_PLACE_WORDS = (
    "石门",
    "柳林",
    "桃园",
    "杏花",
    "龙泉",
    "凤凰",
    "青山",
    "白马",
    "双井",
    "三里",
    "五里",
    "八里",
    "马坊",
    "高庙",
    "黄土",
    "红星",
    "光明",
    "新民",
    "和平",
    "胜利",
    "团结",
    "幸福",
    "梨园",
    "枣林",
    "花园",
    "长青",
    "太平",
    "永安",
    "丰乐",
    "兴隆",
)
_HAMLET_ORDINALS = "一二三四五六七八九十"
_HAMLET_WORDS = (
    "东头",
    "西头",
    "南沟",
    "北坡",
    "前庄",
    "后庄",
    "上湾",
    "下湾",
    "河东",
    "河西",
    "坡头",
    "沟口",
    "岭上",
    "新庄",
    "老庄",
    "石窝",
)


def generation(birth_year: int) -> int:
    return 0 if birth_year < 1960 else (1 if birth_year < 1986 else 2)


def given_name(rng: random.Random, male: bool, birth_year: int) -> str:
    gen = generation(birth_year)
    if gen < 2 and chance(rng, 0.12):
        return rng.choice(CLASSIC[male])
    second = rng.choice(_SECOND[(male, gen)])
    if chance(rng, 0.13):
        return second
    return rng.choice(_FIRST[(male, gen)]) + second


def surname(rng: random.Random, clans: list[str] | None = None) -> str:
    """A surname; in a village, most heads belong to its two or three old families."""
    if clans and chance(rng, 0.55):
        return rng.choice(clans)
    return SURNAMES.pick(rng)


def person_name(rng: random.Random, male: bool, birth_year: int, family: str | None = None) -> str:
    return (family or SURNAMES.pick(rng)) + given_name(rng, male, birth_year)


def village_clans(rng: random.Random) -> list[str]:
    clans: list[str] = []
    while len(clans) < rng.randint(2, 3):
        name = SURNAMES.pick(rng)
        if name not in clans:
            clans.append(name)
    return clans


def village_name(rng: random.Random, clans: list[str], taken: set[str]) -> str:
    """An administrative village's name, unique in the county (…村)."""
    for attempt in itertools.count():
        roll = rng.random()
        if roll < 0.35:
            joint = "家" if chance(rng, 0.6) else ""
            base = rng.choice(clans) + joint + rng.choice("庄洼沟坡屯寨营店")
        elif roll < 0.7:
            base = rng.choice(_DIRECTIONS) + rng.choice(_FEATURES) + rng.choice(_SETTLEMENTS)
        else:
            base = rng.choice(_PLACE_WORDS)
        # A very large county runs out of plain names: number the rest (张家庄二村 style).
        name = base + (_HAMLET_ORDINALS[attempt % 10] if attempt >= 50 else "") + "村"
        if name not in taken:
            taken.add(name)
            return name
    raise AssertionError("unreachable")


def hamlet_names(rng: random.Random) -> list[str]:
    count = rng.randint(3, 8)
    if chance(rng, 0.6):
        return [f"{_HAMLET_ORDINALS[i]}组" for i in range(count)]
    return rng.sample(_HAMLET_WORDS, count)
