"""Enumerations of supervision (labels from `shared/domain.md` §2.2)."""

from django.db import models


class InspectionKind(models.TextChoices):
    ANNOUNCED = "announced", "明察"
    UNANNOUNCED = "unannounced", "暗访"
    THEMATIC = "thematic", "专项检查"
    CROSS = "cross", "交叉检查"
    THIRD_PARTY = "third_party", "第三方评估"


class ChecklistItem(models.TextChoices):
    DOCUMENTS_COMPLETE = "documents_complete", "资料齐全"
    FILLED_PROPERLY = "filled_properly", "填写规范详实"
    FIGURES_CONSISTENT = "figures_consistent", "数字统一"
    THREE_WAY_MATCH = "three_way_match", "资料台账农户三对口"
    ON_DUTY = "on_duty", "在岗履职"
    MEASURES_DELIVERED = "measures_delivered", "帮扶措施落实"
    KNOWN_AND_SATISFIED = "known_and_satisfied", "群众知晓满意"
    CAN_RECITE = "can_recite", "情况一口清"


class CheckResult(models.TextChoices):
    PASS = "pass", "合格"
    FAIL = "fail", "不合格"
    NOT_APPLICABLE = "not_applicable", "不适用"


class RectificationStatus(models.TextChoices):
    OPEN = "open", "待整改"
    IN_PROGRESS = "in_progress", "整改中"
    AWAITING_CHECK = "awaiting_check", "待验收"
    CLOSED = "closed", "已销号"


class Grade(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    COMPETENT = "competent", "称职"
    BASICALLY_COMPETENT = "basically_competent", "基本称职"
    INCOMPETENT = "incompetent", "不称职"
