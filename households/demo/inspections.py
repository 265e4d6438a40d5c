"""督查 in 2020: checklists, problems found, their rectification, and the talks that followed."""

from __future__ import annotations

import datetime as dt
import random

from cadres.models import FirstSecretaryPosting
from households.demo import names
from households.demo.areas import COUNTY, Areas, VillagePlan
from households.demo.common import (
    REFERENCE_DATE,
    REFERENCE_YEAR,
    Scale,
    Weighted,
    bulk,
    chance,
    date_between,
)
from households.demo.inspection_texts import FINDINGS, HOUSEHOLD_ITEMS, LEAD_UNITS, RESPONSES
from households.models import Township
from inspections.choices import (
    ChecklistItem,
    CheckResult,
    InspectionKind,
)
from inspections.choices import (
    RectificationStatus as RS,
)
from inspections.models import AdmonitoryTalk, ChecklistResult, Finding, Inspection, Rectification

KINDS = Weighted(
    {
        InspectionKind.ANNOUNCED: 30,
        InspectionKind.UNANNOUNCED: 35,
        InspectionKind.THEMATIC: 20,
        InspectionKind.CROSS: 13,
        InspectionKind.THIRD_PARTY: 2,
    }
)
RESULTS = Weighted({CheckResult.PASS: 83, CheckResult.FAIL: 12, CheckResult.NOT_APPLICABLE: 5})
MONTHS = Weighted({1: 3, 2: 1, 3: 6, 4: 10, 5: 11, 6: 11, 7: 9, 8: 9, 9: 11, 10: 10, 11: 12, 12: 7})
EARLY = Weighted({RS.CLOSED: 82, RS.AWAITING_CHECK: 6, RS.IN_PROGRESS: 7, RS.OPEN: 5})
LATE = Weighted({RS.CLOSED: 30, RS.AWAITING_CHECK: 20, RS.IN_PROGRESS: 35, RS.OPEN: 15})


def create_inspections(
    rng: random.Random, areas: Areas, scale: Scale, current: list[FirstSecretaryPosting]
) -> dict[str, int]:
    by_village: dict[int | None, FirstSecretaryPosting] = {p.village_id: p for p in current}
    planned = [_inspection(rng, areas, by_village) for _ in range(scale.scaled(100, minimum=3))]
    planned.sort(key=lambda pair: pair[0].inspected_on)
    inspections = bulk(Inspection, [inspection for inspection, _ in planned])
    results, findings = [], []
    for inspection, plan in planned:
        rows = _checklist(rng, inspection, by_village.get(inspection.village_id))
        results += rows
        findings += [
            _finding(rng, inspection, row.item, plan, by_village.get(inspection.village_id))
            for row in rows
            if row.result == CheckResult.FAIL
        ]
    bulk(ChecklistResult, results)
    bulk(Finding, findings)
    fixes = bulk(Rectification, [_rectification(rng, finding) for finding in findings])
    talks = bulk(AdmonitoryTalk, _talks(rng, fixes, scale))
    return {"inspections": len(inspections), "findings": len(findings), "talks": len(talks)}


def _inspection(
    rng: random.Random, areas: Areas, postings: dict
) -> tuple[Inspection, VillagePlan | None]:
    kind = KINDS.pick(rng)
    month = MONTHS.pick(rng)
    day = date_between(rng, dt.date(REFERENCE_YEAR, month, 1), dt.date(REFERENCE_YEAR, month, 28))
    inspectors = "、".join(
        names.person_name(rng, chance(rng, 0.7), rng.randint(1965, 1990))
        for _ in range(rng.randint(2, 3))
    )
    if chance(rng, 0.1):
        township = rng.choice(areas.townships)
        return Inspection(
            inspected_on=day,
            kind=kind,
            inspectors=inspectors,
            township=township,
            lead_unit=_lead_unit(rng, kind, areas, township),
            summary=f"对{township.name}脱贫攻坚工作开展{_kind_label(kind)}。",
        ), None
    poor = [p for p in areas.villages if p.village.is_poor_village]
    plan = rng.choice(poor if poor and chance(rng, 0.8) else areas.villages)
    posting = postings.get(plan.village.pk)
    sampled = min(len(plan.households), rng.randint(10, 30))
    return Inspection(
        inspected_on=day,
        kind=kind,
        inspectors=inspectors,
        township=plan.township,
        village=plan.village,
        first_secretary=posting if posting and chance(rng, 0.6) else None,
        lead_unit=_lead_unit(rng, kind, areas, plan.township),
        summary=f"对{plan.township.name}{plan.village.name}开展{_kind_label(kind)}，抽查农户{sampled}户。",
    ), plan


def _kind_label(kind: str) -> str:
    return InspectionKind(kind).label


def _lead_unit(rng: random.Random, kind: str, areas: Areas, township: Township) -> str:
    if kind == InspectionKind.CROSS:
        others = [t for t in areas.townships if t is not township] or areas.townships
        return f"{rng.choice(others).name}交叉检查组"
    return rng.choice(LEAD_UNITS[kind]).format(county=COUNTY["name"])


def _checklist(
    rng: random.Random, inspection: Inspection, posting: FirstSecretaryPosting | None
) -> list[ChecklistResult]:
    rows = []
    for item in ChecklistItem:
        result = RESULTS.pick(rng)
        if item == ChecklistItem.ON_DUTY and posting is None:
            result = CheckResult.NOT_APPLICABLE
        note = (
            "未驻村第一书记"
            if result == CheckResult.NOT_APPLICABLE and item == ChecklistItem.ON_DUTY
            else ""
        )
        rows.append(
            ChecklistResult(
                inspection=inspection,
                item=item,
                result=result,
                note=note or ("见问题清单" if result == CheckResult.FAIL else ""),
            )
        )
    return rows


def _finding(
    rng: random.Random,
    inspection: Inspection,
    item: str,
    plan: VillagePlan | None,
    posting: FirstSecretaryPosting | None,
) -> Finding:
    household = cadre = None
    households = [p for p in plan.households if p.in_casework] if plan else []
    if item in HOUSEHOLD_ITEMS and households:
        picked = rng.choice(households)
        household, cadre = picked.household, picked.cadres[0]
    if item == ChecklistItem.ON_DUTY and posting:
        cadre = posting.cadre
    text = rng.choice(FINDINGS[item])
    head = picked.people[0].name if household else "部分农户"
    return Finding(
        inspection=inspection,
        item=item,
        household=household,
        cadre=cadre,
        description=text.format(head=head),
        evidence=f"{inspection.inspected_on:%Y年%m月%d日}督查记录及现场照片",
    )


def _rectification(rng: random.Random, finding: Finding) -> Rectification:
    inspection = finding.inspection
    deadline = inspection.inspected_on + dt.timedelta(rng.choice((15, 20, 30, 45)))
    status = (EARLY if deadline <= REFERENCE_DATE - dt.timedelta(20) else LATE).pick(rng)
    cadre = finding.cadre
    closed_on = (
        date_between(
            rng,
            inspection.inspected_on + dt.timedelta(3),
            min(REFERENCE_DATE, deadline + dt.timedelta(15)),
        )
        if status == RS.CLOSED
        else None
    )
    township = inspection.township.name if inspection.township else ""
    return Rectification(
        finding=finding,
        owner=cadre.name if cadre else f"{township}扶贫工作站站长",
        owner_unit=cadre.unit.name if cadre else f"{township}人民政府",
        deadline=deadline,
        status=status,
        response="" if status == RS.OPEN else rng.choice(RESPONSES),
        evidence="整改前后对比照片、补充完善的台账资料"
        if status in (RS.AWAITING_CHECK, RS.CLOSED)
        else "",
        closed_on=closed_on,
        closed_by=inspection.inspectors.split("、")[0] if closed_on else "",
    )


def _talks(rng: random.Random, fixes: list[Rectification], scale: Scale) -> list[AdmonitoryTalk]:
    """约谈 for fixes overdue at the end of the year, the cadre's ones first."""
    overdue = [fix for fix in fixes if fix.status != RS.CLOSED and fix.deadline < REFERENCE_DATE]
    overdue.sort(key=lambda fix: (fix.finding.cadre is None, fix.deadline))
    talks = []
    for fix in overdue[: scale.scaled(10)]:
        cadre = fix.finding.cadre
        talked_on = min(REFERENCE_DATE, fix.deadline + dt.timedelta(rng.randint(5, 20)))
        talks.append(
            AdmonitoryTalk(
                talked_on=talked_on,
                cadre=cadre,
                finding=fix.finding,
                person=f"{cadre.name}（{cadre.post}）" if cadre else fix.owner,
                conducted_by=rng.choice(
                    (f"{COUNTY['name']}扶贫开发办公室主任", f"{COUNTY['name']}纪委监委")
                ),
                reason=f"督查发现问题“{fix.finding.description[:30]}”逾期未整改到位",
                outcome="当面指出问题，责令7日内整改到位并作出书面说明",
            )
        )
    return talks
