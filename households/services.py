"""Writes of the registry that follow its rules: status changes (动态调整) and member changes.

户状态, 脱贫年度 and membership change only here, each through a dated StatusChange event, so
the history of a household can always be read back from its events.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from households.choices import HouseholdStatus, MemberLeaveReason, Relation, StatusChangeKind
from households.models import BasicNeedsAssessment, Household, Member, StatusChange, YearlyIncome
from households.models.status import TRANSITIONS


def _locked(household: Household) -> Household:
    # Lock the row so two clerks changing one household's status cannot interleave.
    return Household.objects.select_for_update().get(pk=household.pk)


def _check_transition(household: Household, kind: str) -> None:
    allowed_from = TRANSITIONS[kind][0]
    if household.status not in allowed_from:
        label = StatusChangeKind(kind).label
        current = HouseholdStatus(household.status).label
        raise ValidationError(f"户状态为“{current}”的贫困户不能办理“{label}”")


def _record(
    household: Household,
    *,
    kind: str,
    year: int,
    effective_on: dt.date,
    reason: str,
    recorded_by: User | None,
    approved_by: str,
    approved_on: dt.date | None,
    from_status: str = "",
    to_status: str = "",
    member: Member | None = None,
) -> StatusChange:
    return StatusChange.objects.create(
        household=household,
        member=member,
        kind=kind,
        year=year,
        effective_on=effective_on,
        reason=reason,
        from_status=from_status,
        to_status=to_status,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
    )


def _apply_transition(
    household: Household,
    *,
    kind: str,
    year: int,
    effective_on: dt.date,
    reason: str,
    recorded_by: User | None,
    approved_by: str,
    approved_on: dt.date | None,
    **changes: object,
) -> StatusChange:
    """Record a household-level event and move 户状态 (and `changes`) to where it leads."""
    to_status = TRANSITIONS[kind][1]
    event = _record(
        household,
        kind=kind,
        year=year,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
        from_status=household.status,
        to_status=to_status,
    )
    household.status = to_status
    for name, value in changes.items():
        setattr(household, name, value)
    household.save(update_fields=["status", *changes, "updated_at"])
    return event


def exit_blockers(*, household: Household, year: int) -> list[str]:
    """Why a household cannot be marked exited in `year` (empty when it can), in Chinese."""
    problems: list[str] = []
    income = YearlyIncome.objects.filter(household=household, year=year).first()
    if income is None:
        problems.append(f"缺少{year}年收入记录")
    else:
        per_capita, line = income.net_income_per_capita, income.poverty_line_amount
        if line is None:
            problems.append(f"未设置{year}年扶贫标准")
        elif per_capita is None or per_capita <= line:
            problems.append(f"{year}年人均纯收入 {per_capita} 元未超过扶贫标准 {line} 元")
    assessment = BasicNeedsAssessment.objects.filter(household=household, year=year).first()
    if assessment is None:
        problems.append(f"缺少{year}年“两不愁三保障”评估")
    elif not assessment.all_met:
        problems.append("未达到：" + "、".join(assessment.unmet_labels))
    return problems


@transaction.atomic
def household_mark_exited(
    *,
    household: Household,
    year: int,
    effective_on: dt.date,
    reason: str,
    recorded_by: User | None = None,
    approved_by: str = "",
    approved_on: dt.date | None = None,
) -> StatusChange:
    """标注脱贫: only when that year's per-capita income is above the line and 两不愁三保障 met."""
    household = _locked(household)
    _check_transition(household, StatusChangeKind.MARK_EXITED)
    if year < household.identified_year:
        raise ValidationError("脱贫年度不能早于识别年度")
    problems = exit_blockers(household=household, year=year)
    if problems:
        raise ValidationError(["不符合脱贫条件：", *problems])
    return _apply_transition(
        household,
        kind=StatusChangeKind.MARK_EXITED,
        year=year,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
        exit_year=year,
    )


@transaction.atomic
def household_mark_returned(
    *,
    household: Household,
    year: int,
    effective_on: dt.date,
    reason: str,
    recorded_by: User | None = None,
    approved_by: str = "",
    approved_on: dt.date | None = None,
) -> StatusChange:
    """返贫: an exited household poor again; the cause goes in `reason`."""
    household = _locked(household)
    _check_transition(household, StatusChangeKind.RETURN)
    if household.exit_year and year < household.exit_year:
        raise ValidationError("返贫年度不能早于脱贫年度")
    return _apply_transition(
        household,
        kind=StatusChangeKind.RETURN,
        year=year,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
        return_year=year,
    )


@transaction.atomic
def household_remove(
    *,
    household: Household,
    year: int,
    effective_on: dt.date,
    reason: str,
    recorded_by: User | None = None,
    approved_by: str = "",
    approved_on: dt.date | None = None,
) -> StatusChange:
    """清退 (final): the household leaves casework, and its current pairings end that day."""
    from cadres.models import Pairing  # cadres depends on households, not the reverse

    household = _locked(household)
    _check_transition(household, StatusChangeKind.REMOVAL)
    event = _apply_transition(
        household,
        kind=StatusChangeKind.REMOVAL,
        year=year,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
    )
    Pairing.objects.filter(household=household, ended_on__isnull=True).update(
        ended_on=effective_on, end_reason="贫困户已清退"
    )
    return event


@transaction.atomic
def household_record_identification(
    *,
    household: Household,
    effective_on: dt.date,
    reason: str,
    recorded_by: User | None = None,
    approved_by: str = "",
    approved_on: dt.date | None = None,
) -> StatusChange:
    """新识别: the first event of a household, written once it is entered in the registry."""
    if household.status_changes.filter(kind=StatusChangeKind.NEW_IDENTIFICATION).exists():
        raise ValidationError("该户已有新识别记录")
    return _record(
        household,
        kind=StatusChangeKind.NEW_IDENTIFICATION,
        year=household.identified_year,
        effective_on=effective_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
        to_status=HouseholdStatus.NOT_EXITED,
    )


@transaction.atomic
def member_add(
    *,
    member: Member,
    joined_on: dt.date,
    reason: str,
    recorded_by: User | None = None,
    approved_by: str = "",
) -> StatusChange:
    """自然增加: a new member joins (birth, marriage, moving in); `member` is unsaved."""
    household = _locked(member.household)
    if household.status == HouseholdStatus.REMOVED:
        raise ValidationError("已清退的贫困户不能增加成员")
    member.joined_on = joined_on
    member.full_clean()
    member.save()
    return _record(
        household,
        member=member,
        kind=StatusChangeKind.NATURAL_INCREASE,
        year=joined_on.year,
        effective_on=joined_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=None,
    )


@transaction.atomic
def member_mark_left(
    *,
    member: Member,
    left_on: dt.date,
    leave_reason: str,
    note: str = "",
    new_head: Member | None = None,
    recorded_by: User | None = None,
    approved_by: str = "",
) -> StatusChange:
    """自然减少: a member leaves (death, marriage, moving, split); the record stays.

    When the head leaves a household that still has members, `new_head` becomes the head.
    """
    household = _locked(member.household)
    if member.left_on:
        raise ValidationError(f"{member.name} 已于 {member.left_on:%Y-%m-%d} 减少")
    if leave_reason not in MemberLeaveReason.values:
        raise ValidationError(f"未知的减少原因：{leave_reason}")
    others = household.members.current().exclude(pk=member.pk)
    if member.is_head and others.exists():
        if new_head is None or not others.filter(pk=new_head.pk).exists():
            raise ValidationError("户主减少时须指定本户其他成员为新户主")
    member.left_on, member.leave_reason = left_on, leave_reason
    member.save(update_fields=["left_on", "leave_reason"])
    if member.is_head and new_head is not None:
        new_head.relation_to_head = Relation.HEAD
        new_head.save(update_fields=["relation_to_head"])
    reason = MemberLeaveReason(leave_reason).label + (f"：{note}" if note else "")
    return _record(
        household,
        member=member,
        kind=StatusChangeKind.NATURAL_DECREASE,
        year=left_on.year,
        effective_on=left_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=None,
    )


def identification_date_problem(*, identified_year: int, identified_on: dt.date) -> str:
    """Why `identified_on` cannot date a 新识别 of `identified_year` (empty when it can)."""
    # The event's year is 识别年度: a date in another year would contradict its own event.
    if identified_on.year != identified_year:
        return f"识别日期应在识别年度（{identified_year}年）内"
    return ""


@transaction.atomic
def household_register(
    *,
    household: Household,
    identified_on: dt.date,
    reason: str,
    recorded_by: User | None = None,
    approved_by: str = "",
    approved_on: dt.date | None = None,
) -> StatusChange:
    """新识别建档: save a new household at 未脱贫 together with its identification event."""
    if household.pk is not None:
        raise ValidationError("该户已建档，不能重复新识别")
    problem = identification_date_problem(
        identified_year=household.identified_year, identified_on=identified_on
    )
    if problem:
        raise ValidationError(problem)
    # Every household enters the registry 未脱贫, whatever the caller had set on it.
    household.status = TRANSITIONS[StatusChangeKind.NEW_IDENTIFICATION][1]
    household.exit_year = household.return_year = None
    household.full_clean()
    household.save()
    return household_record_identification(
        household=household,
        effective_on=identified_on,
        reason=reason,
        recorded_by=recorded_by,
        approved_by=approved_by,
        approved_on=approved_on,
    )
