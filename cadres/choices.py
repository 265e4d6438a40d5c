"""Enumerations of cadres, postings and visits (labels from `shared/domain.md` §2.2)."""

from django.db import models


class Affiliation(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省直"
    MUNICIPAL = "municipal", "市直"
    COUNTY = "county", "县直"
    TOWNSHIP = "township", "乡镇"
    VILLAGE = "village", "村级"
    ENTERPRISE = "enterprise", "企业"
    OTHER = "other", "其他"


class Rank(models.TextChoices):
    COUNTY_LEVEL = "county_level", "县级"
    SECTION_LEVEL = "section_level", "科级"
    STAFF = "staff", "一般干部"
    VILLAGE_COMMITTEE = "village_committee", "村两委"
    ENTERPRISE = "enterprise", "企业人员"
    OTHER = "other", "其他"


class DispatchLevel(models.TextChoices):
    CENTRAL = "central", "中央"
    PROVINCIAL = "provincial", "省"
    MUNICIPAL = "municipal", "市"
    COUNTY = "county", "县"


class TeamRole(models.TextChoices):
    LEADER = "leader", "队长"
    FIRST_SECRETARY = "first_secretary", "第一书记"
    MEMBER = "member", "队员"


class VisitKind(models.TextChoices):
    HOME_VISIT = "home_visit", "入户走访"
    PHONE = "phone", "电话回访"
    MEETING = "meeting", "座谈"
    POLICY_TALK = "policy_talk", "政策宣讲"
    OTHER = "other", "其他"
