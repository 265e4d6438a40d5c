"""Enumerations of the registry contract (labels exactly as `registry-template.md` writes them)."""

from django.db import models


class IdentificationStandard(models.TextChoices):
    NATIONAL = "national", "国家标准"
    PROVINCIAL = "provincial", "省定标准"
    MUNICIPAL = "municipal", "市定标准"


class PovertyAttribute(models.TextChoices):
    ORDINARY = "ordinary", "一般贫困户"
    MINIMUM_LIVING = "minimum_living", "低保贫困户"
    EXTREME_POVERTY_SUPPORT = "extreme_poverty_support", "特困供养贫困户"


class Cause(models.TextChoices):
    ILLNESS = "illness", "因病"
    DISABILITY = "disability", "因残"
    SCHOOLING = "schooling", "因学"
    DISASTER = "disaster", "因灾"
    LACK_OF_LAND = "lack_of_land", "缺土地"
    LACK_OF_WATER = "lack_of_water", "缺水"
    LACK_OF_SKILLS = "lack_of_skills", "缺技术"
    LACK_OF_LABOUR = "lack_of_labour", "缺劳力"
    LACK_OF_FUNDS = "lack_of_funds", "缺资金"
    POOR_TRANSPORT = "poor_transport", "交通条件落后"
    LACK_OF_MOTIVATION = "lack_of_motivation", "自身发展动力不足"


class HouseholdStatus(models.TextChoices):
    NOT_EXITED = "not_exited", "未脱贫"
    EXITED = "exited", "已脱贫"
    RETURNED = "returned", "返贫"
    REMOVED = "removed", "已清退"


class Relation(models.TextChoices):
    HEAD = "head", "户主"
    SPOUSE = "spouse", "配偶"
    SON = "son", "之子"
    DAUGHTER = "daughter", "之女"
    DAUGHTER_IN_LAW = "daughter_in_law", "之儿媳"
    SON_IN_LAW = "son_in_law", "之女婿"
    GRANDSON = "grandson", "之孙子"
    GRANDDAUGHTER = "granddaughter", "之孙女"
    DAUGHTERS_SON = "daughters_son", "之外孙子"
    DAUGHTERS_DAUGHTER = "daughters_daughter", "之外孙女"
    FATHER = "father", "之父"
    MOTHER = "mother", "之母"
    WIFES_FATHER = "wifes_father", "之岳父"
    WIFES_MOTHER = "wifes_mother", "之岳母"
    HUSBANDS_FATHER = "husbands_father", "之公公"
    HUSBANDS_MOTHER = "husbands_mother", "之婆婆"
    GRANDFATHER = "grandfather", "之祖父"
    GRANDMOTHER = "grandmother", "之祖母"
    SIBLING = "sibling", "之兄弟姐妹"
    OTHER = "other", "其他"


class Sex(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 "
    "土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 "
    "纳西族 景颇族 柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 "
    "锡伯族 阿昌族 普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 "
    "裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()

# The 56 labels are both value and label: the field keeps no English names for them.
ETHNICITY_CHOICES = [(name, name) for name in ETHNIC_GROUPS]


class Education(models.TextChoices):
    ILLITERATE = "illiterate", "文盲或半文盲"
    PRIMARY = "primary", "小学"
    JUNIOR_SECONDARY = "junior_secondary", "初中"
    SENIOR_SECONDARY = "senior_secondary", "高中"
    TECHNICAL_SECONDARY = "technical_secondary", "中专"
    COLLEGE_OR_ABOVE = "college_or_above", "大专及以上"
    PRESCHOOL_CHILD = "preschool_child", "学龄前儿童"


class StudentStatus(models.TextChoices):
    NOT_STUDENT = "not_student", "非在校生"
    PRESCHOOL = "preschool", "学前教育"
    PRIMARY = "primary", "小学"
    JUNIOR_SECONDARY = "junior_secondary", "初中"
    SENIOR_SECONDARY = "senior_secondary", "高中"
    SECONDARY_VOCATIONAL = "secondary_vocational", "中职"
    HIGHER_VOCATIONAL = "higher_vocational", "高职高专"
    BACHELOR_OR_ABOVE = "bachelor_or_above", "本科及以上"


class Health(models.TextChoices):
    HEALTHY = "healthy", "健康"
    CHRONIC_ILLNESS = "chronic_illness", "长期慢性病"
    SERIOUS_ILLNESS = "serious_illness", "患有大病"
    DISABLED = "disabled", "残疾"


class LabourSkill(models.TextChoices):
    ORDINARY = "ordinary", "普通劳动力"
    SKILLED = "skilled", "技能劳动力"
    WEAK_OR_HALF = "weak_or_half", "弱劳动力或半劳动力"
    LOST = "lost", "丧失劳动力"
    NONE = "none", "无劳动力"


class WorkStatus(models.TextChoices):
    NOT_WORKING = "not_working", "未务工"
    IN_TOWNSHIP = "in_township", "乡（镇）内务工"
    IN_COUNTY = "in_county", "县内务工"
    IN_PROVINCE = "in_province", "省内县外务工"
    OUT_OF_PROVINCE = "out_of_province", "省外务工"


class MemberJoinReason(models.TextChoices):
    BIRTH = "birth", "出生"
    MARRIED_IN = "married_in", "婚入"
    MOVED_IN = "moved_in", "迁入"
    OTHER = "other", "其他"


class MemberLeaveReason(models.TextChoices):
    DEATH = "death", "死亡"
    MARRIED_OUT = "married_out", "婚出"
    MOVED_OUT = "moved_out", "迁出"
    SPLIT = "split", "分户"
    OTHER = "other", "其他"


class StatusChangeKind(models.TextChoices):
    NEW_IDENTIFICATION = "new_identification", "新识别"
    MARK_EXITED = "mark_exited", "标注脱贫"
    RETURN = "return", "返贫"
    REMOVAL = "removal", "清退"
    NATURAL_INCREASE = "natural_increase", "自然增加"
    NATURAL_DECREASE = "natural_decrease", "自然减少"


class MeasureCategory(models.TextChoices):
    INDUSTRY = "industry", "产业扶贫"
    EMPLOYMENT = "employment", "就业扶贫"
    EDUCATION = "education", "教育扶贫"
    HEALTH = "health", "健康扶贫"
    RELOCATION = "relocation", "易地扶贫搬迁"
    HOUSING = "housing", "危房改造"
    FINANCE = "finance", "金融扶贫"
    ECOLOGY = "ecology", "生态扶贫"
    SOCIAL_SECURITY = "social_security", "兜底保障"
    OTHER = "other", "其他"


class MeasureStatus(models.TextChoices):
    PLANNED = "planned", "计划"
    IN_PROGRESS = "in_progress", "实施中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class FundSource(models.TextChoices):
    FISCAL = "fiscal", "财政专项扶贫资金"
    SECTOR = "sector", "行业部门资金"
    HELPING_UNIT = "helping_unit", "帮扶单位资金"
    SOCIAL = "social", "社会帮扶资金"
    CREDIT = "credit", "信贷资金"
    SELF_RAISED = "self_raised", "群众自筹"
    OTHER = "other", "其他"


class PovertyLineBasis(models.TextChoices):
    STATISTICAL = "statistical", "统计标准（国家统计局）"
    OPERATIONAL = "operational", "工作标准（用于脱贫）"


class HousingGrade(models.TextChoices):
    """危房等级 of the rural housing appraisal: C and D qualify for 危房改造."""

    A = "A", "A级"
    B = "B", "B级"
    C = "C", "C级"
    D = "D", "D级"


class RoadType(models.TextChoices):
    DIRT = "dirt", "泥土路"
    GRAVEL = "gravel", "砂石路"
    CEMENT = "cement", "水泥路"
    ASPHALT = "asphalt", "沥青路"


class Fuel(models.TextChoices):
    FIREWOOD = "firewood", "柴草"
    DUNG = "dung", "干畜粪"
    COAL = "coal", "煤炭"
    CLEAN = "clean", "清洁能源"
    OTHER = "other", "其他"
