"""动态调整 events: each household's status steps and each member's arrival or departure."""

from __future__ import annotations

import datetime as dt

from households.choices import MemberJoinReason, MemberLeaveReason, StatusChangeKind
from households.demo.areas import COUNTY
from households.demo.common import bulk
from households.demo.family import Person
from households.demo.registry import HouseholdPlan
from households.models import StatusChange

JOIN_TEXT: dict[str, str] = {
    MemberJoinReason.BIRTH: "新生儿出生，随户登记",
    MemberJoinReason.MARRIED_IN: "婚入，户口迁入本户",
}
LEAVE_TEXT: dict[str, str] = {
    MemberLeaveReason.DEATH: "因病去世，注销户口",
    MemberLeaveReason.MARRIED_OUT: "出嫁，户口迁出",
    MemberLeaveReason.MOVED_OUT: "户口迁出",
}


def create_events(plans: list[HouseholdPlan]) -> list[StatusChange]:
    rows = []
    approver = f"{COUNTY['name']}扶贫开发领导小组"
    for plan in plans:
        household_id = plan.household.pk
        for step in plan.timeline.steps:
            rows.append(
                StatusChange(
                    household_id=household_id,
                    kind=step.kind,
                    from_status=step.from_status,
                    to_status=step.to_status,
                    year=step.year,
                    effective_on=step.on,
                    reason=step.reason,
                    approved_by=approver,
                    approved_on=step.on,
                )
            )
        township = f"{plan.village.township.name}人民政府"
        for person in plan.people + plan.former:
            rows += _member_events(person, household_id, township)
    return bulk(StatusChange, rows)


def _member_events(person: Person, household_id: int, approver: str) -> list[StatusChange]:
    events = []
    if person.joined_on:
        label = MemberJoinReason(person.join_reason).label
        events.append(
            _member_event(
                person,
                household_id,
                StatusChangeKind.NATURAL_INCREASE,
                person.joined_on,
                f"{label}：{person.name}，{JOIN_TEXT.get(person.join_reason, '')}",
                approver,
            )
        )
    if person.left_on:
        label = MemberLeaveReason(person.leave_reason).label
        events.append(
            _member_event(
                person,
                household_id,
                StatusChangeKind.NATURAL_DECREASE,
                person.left_on,
                f"{label}：{person.name}，{LEAVE_TEXT.get(person.leave_reason, '')}",
                approver,
            )
        )
    return events


def _member_event(
    person: Person, household_id: int, kind: str, on: dt.date, reason: str, approver: str
) -> StatusChange:
    return StatusChange(
        household_id=household_id,
        member=person.member,
        kind=kind,
        year=on.year,
        effective_on=on,
        reason=reason,
        approved_by=approver,
        approved_on=on,
    )
