"""seed_demo: a small demo county whose records agree with each other and with the rules.

The county is seeded once for the module (300 households) inside a transaction that is rolled
back at the end; each test reads it inside its own savepoint.
"""

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from cadres.models import Cadre, FirstSecretaryPosting, Pairing, QuotaRule, Visit, WorkTeam
from cadres.selectors import cadres_with_quota
from households import idnumbers
from households.choices import (
    HouseholdStatus,
    LabourSkill,
    MeasureCategory,
    MeasureStatus,
    PovertyAttribute,
    Relation,
    StatusChangeKind,
)
from households.models import (
    BasicNeedsAssessment,
    HelpMeasure,
    HelpPlan,
    Household,
    HouseholdProfile,
    Member,
    PovertyLine,
    StatusChange,
    Village,
    YearlyIncome,
)
from households.models.status import TRANSITIONS
from inspections.choices import ChecklistItem, RectificationStatus
from inspections.models import Inspection, Rectification

HOUSEHOLDS = 300
SEED = 11
REFERENCE_DATE = dt.date(2020, 12, 31)
MALE_RELATIONS = {
    Relation.SON,
    Relation.FATHER,
    Relation.SON_IN_LAW,
    Relation.GRANDSON,
    Relation.DAUGHTERS_SON,
    Relation.WIFES_FATHER,
    Relation.HUSBANDS_FATHER,
}
FEMALE_RELATIONS = {
    Relation.DAUGHTER,
    Relation.MOTHER,
    Relation.DAUGHTER_IN_LAW,
    Relation.GRANDDAUGHTER,
    Relation.DAUGHTERS_DAUGHTER,
    Relation.WIFES_MOTHER,
    Relation.HUSBANDS_MOTHER,
}
HOUSEHOLD_KINDS = tuple(TRANSITIONS)


@dataclass
class Seeded:
    output: str
    digests: tuple[str, str]


def run_seed_demo(households: int = HOUSEHOLDS, seed: int = SEED) -> str:
    out = StringIO()
    call_command("seed_demo", households=households, seed=seed, stdout=out)
    return out.getvalue()


def digest() -> str:
    """What a reader would call "the same county": numbers, names, IDs, pairings, not pks."""
    rows = [
        *Household.objects.order_by("household_number").values_list(
            "household_number", "village__name", "status", "exit_year", "main_cause"
        ),
        *Member.objects.order_by("id_number", "name").values_list(
            "id_number", "name", "relation_to_head", "household__household_number"
        ),
        *Pairing.objects.order_by(
            "household__household_number", "started_on", "cadre__name"
        ).values_list("household__household_number", "cadre__name", "started_on", "ended_on"),
        *YearlyIncome.objects.order_by("household__household_number", "year").values_list(
            "household__household_number", "year", "wage_income", "business_income"
        ),
        *Visit.objects.order_by("visited_on", "author__name", "findings").values_list(
            "visited_on", "author__name", "findings"
        ),
    ]
    return hashlib.sha256(repr(rows).encode()).hexdigest()


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """Seed twice with the same seed (the first run rolled back), keep the second."""
    with django_db_blocker.unblock(), transaction.atomic():
        with transaction.atomic():
            run_seed_demo()
            first = digest()
            transaction.set_rollback(True)
        output = run_seed_demo()
        yield Seeded(output=output, digests=(first, digest()))
        transaction.set_rollback(True)


def status_events() -> dict[int, list[StatusChange]]:
    events = defaultdict(list)
    for event in StatusChange.objects.filter(kind__in=HOUSEHOLD_KINDS).order_by("effective_on"):
        events[event.household_id].append(event)
    return events


def status_at_end_of(events: list[StatusChange], year: int) -> str | None:
    status = None
    for event in events:
        if event.year <= year:
            status = event.to_status
    return status


def test_the_same_seed_writes_the_same_county(county, db):
    first, second = county.digests

    assert first == second


def test_the_county_has_the_size_asked_for_and_reports_it_in_chinese(county, db):
    assert Household.objects.count() == HOUSEHOLDS
    assert 2.5 <= Member.objects.current().count() / HOUSEHOLDS <= 3.5
    assert "贫困户 300 户" in county.output
    assert "用时" in county.output


def test_area_codes_nest_county_township_village(county, db):
    for village in Village.objects.select_related("township__county"):
        township, county_row = village.township, village.township.county
        assert len(village.division_code) == 12
        assert village.division_code.startswith(township.division_code[:9])
        assert township.division_code.startswith(county_row.division_code[:6])
        assert (village.exit_year is not None) == village.is_poor_village


def test_every_household_has_exactly_one_current_head_listed_first(county, db):
    heads = Counter(Member.objects.current().heads().values_list("household_id", flat=True))

    assert set(heads.values()) == {1}
    assert len(heads) == HOUSEHOLDS


def test_member_ids_are_valid_unique_and_agree_with_birth_date_and_sex(county, db):
    current_ids = list(Member.objects.current().values_list("id_number", flat=True))
    assert len(current_ids) == len(set(current_ids))
    for member in Member.objects.all():
        facts = idnumbers.parse(member.id_number, today=REFERENCE_DATE)
        assert facts.birth_date == member.birth_date
        assert facts.is_male == (member.sex == "male")
        if member.disability_card_number:
            assert len(member.disability_card_number) == 20
            assert member.disability_card_number.startswith(member.id_number)
            assert member.health == "disabled"


def test_relations_ages_and_labour_are_plausible(county, db):
    heads = dict(Member.objects.heads().values_list("household_id", "sex"))
    for member in Member.objects.all():
        age = REFERENCE_DATE.year - member.birth_date.year
        if member.relation_to_head in MALE_RELATIONS:
            assert member.sex == "male"
        if member.relation_to_head in FEMALE_RELATIONS:
            assert member.sex == "female"
        if member.relation_to_head == Relation.SPOUSE:
            assert member.sex != heads[member.household_id]
        if age < 16:
            assert member.labour_skill == LabourSkill.NONE
        if 7 <= age <= 15:
            assert member.student_status in ("primary", "junior_secondary")


def test_causes_are_mostly_illness_and_disability_and_borne_out_by_members(county, db):
    causes = Counter(Household.objects.values_list("main_cause", flat=True))
    assert causes["illness"] + causes["disability"] >= 0.8 * HOUSEHOLDS
    disabled = set(Member.objects.filter(health="disabled").values_list("household", flat=True))
    for household in Household.objects.filter(main_cause="disability"):
        assert household.pk in disabled
    for household in Household.objects.all():
        assert len(household.other_causes) <= 2
        assert household.main_cause not in household.other_causes


def test_status_chain_replays_to_each_households_status(county, db):
    events = status_events()
    for household in Household.objects.all():
        chain = events[household.pk]
        assert chain[0].kind == StatusChangeKind.NEW_IDENTIFICATION
        assert chain[0].year == household.identified_year
        status = ""
        for event in chain:
            allowed_from, to_status = TRANSITIONS[event.kind]
            assert event.from_status == status
            assert event.kind == StatusChangeKind.NEW_IDENTIFICATION or status in allowed_from
            assert event.to_status == to_status
            assert event.effective_on.year == event.year
            status = event.to_status
        assert status == household.status


def test_exited_households_have_an_exit_year_and_its_event(county, db):
    events = status_events()
    exited = Household.objects.filter(status=HouseholdStatus.EXITED)
    assert exited.count() > 0.7 * HOUSEHOLDS
    for household in exited:
        marks = [e for e in events[household.pk] if e.kind == StatusChangeKind.MARK_EXITED]
        assert household.exit_year >= household.identified_year
        assert marks[-1].year == household.exit_year
    for household in Household.objects.filter(status=HouseholdStatus.RETURNED):
        returns = [e for e in events[household.pk] if e.kind == StatusChangeKind.RETURN]
        assert returns[-1].year == household.return_year > household.exit_year


def test_member_events_match_joins_and_departures(county, db):
    joined = Member.objects.filter(joined_on__isnull=False)
    left = Member.objects.filter(left_on__isnull=False)
    assert left.exists()
    for member in joined:
        assert member.status_changes.filter(
            kind=StatusChangeKind.NATURAL_INCREASE, effective_on=member.joined_on
        ).exists()
    for member in left:
        assert member.leave_reason
        assert member.relation_to_head != Relation.HEAD
        assert member.status_changes.filter(
            kind=StatusChangeKind.NATURAL_DECREASE, effective_on=member.left_on
        ).exists()


def test_income_is_above_the_line_exactly_in_the_years_a_household_was_out(county, db):
    events = status_events()
    incomes = YearlyIncome.objects.with_household_size().with_poverty_line()
    assert incomes.count() >= 2 * Household.objects.in_casework().count()
    for income in incomes:
        per_capita = income.net_income_per_capita
        if status_at_end_of(events[income.household_id], income.year) == HouseholdStatus.EXITED:
            assert per_capita > income.poverty_line
        else:
            assert per_capita < income.poverty_line


def test_exited_households_meet_every_basic_need_that_year(county, db):
    events = status_events()
    for assessment in BasicNeedsAssessment.objects.all():
        status = status_at_end_of(events[assessment.household_id], assessment.year)
        if status == HouseholdStatus.EXITED:
            assert assessment.all_met


def test_every_household_has_a_profile_and_no_exited_one_stays_in_a_dangerous_house(county, db):
    profiles = HouseholdProfile.objects.select_related("household")

    assert profiles.count() == HOUSEHOLDS
    for profile in profiles:
        if profile.household.status == HouseholdStatus.EXITED and not profile.is_relocated:
            assert not profile.is_dangerous_house
        assert 0 < profile.cultivated_land <= 8


def test_relocated_households_are_those_with_a_relocation_measure(county, db):
    moving = HelpMeasure.objects.filter(category=MeasureCategory.RELOCATION).exclude(
        status=MeasureStatus.CANCELLED
    )
    relocated = HouseholdProfile.objects.filter(is_relocated=True)

    assert set(relocated.values_list("household_id", flat=True)) == set(
        moving.values_list("household_id", flat=True)
    )
    assert not relocated.filter(relocation_mode="").exists()


def test_returned_farmland_backs_every_ecological_compensation(county, db):
    # domain.md §3.2: 生态补偿金 without 退耕还林 land is a data-check warning
    compensated = YearlyIncome.objects.filter(ecological_compensation__gt=0)
    profiles = HouseholdProfile.objects.filter(household__in=compensated.values("household"))

    assert profiles.exists()
    assert not profiles.filter(returned_farmland__isnull=True).exists()


def test_help_plans_cover_the_years_of_measures_and_aim_at_the_exit_that_came(county, db):
    measured = set(HelpMeasure.objects.values_list("household_id", "year"))
    plans = list(HelpPlan.objects.select_related("household"))
    once = Counter(
        StatusChange.objects.filter(kind=StatusChangeKind.MARK_EXITED).values_list(
            "household_id", flat=True
        )
    )

    assert len(plans) >= 0.8 * len(measured)
    for plan in plans:
        assert (plan.household_id, plan.year) in measured
        assert plan.goals and plan.projects
        household = plan.household
        if household.status == HouseholdStatus.EXITED and once[household.pk] == 1:
            assert plan.planned_exit_year == household.exit_year


def test_low_income_support_and_months_at_home_follow_the_members(county, db):
    current = Member.objects.current().select_related("household")

    for member in current:
        minimum_living = member.household.poverty_attribute == PovertyAttribute.MINIMUM_LIVING
        assert member.receives_minimum_living == minimum_living
        assert 0 <= member.months_at_home <= 12
    assert not Member.objects.exclude(left_on=None).filter(receives_minimum_living=True).exists()


def test_verified_poverty_lines_are_present(county, db):
    verified = set(PovertyLine.objects.filter(is_verified=True).values_list("year", "amount"))

    assert {(2011, 2536), (2013, 2736), (2019, 3218), (2020, 4000)} <= verified


def test_every_household_in_casework_has_a_current_cadre_and_removed_ones_none(county, db):
    paired = set(Pairing.objects.current().values_list("household_id", flat=True))
    casework = set(Household.objects.in_casework().values_list("pk", flat=True))
    removed = set(Household.objects.filter(status="removed").values_list("pk", flat=True))

    assert casework <= paired
    assert not removed & paired
    assert Pairing.objects.filter(ended_on__isnull=False).exclude(household__in=removed).exists()


def test_every_paired_cadre_meets_the_quota_of_their_rank(county, db):
    rules = dict(
        QuotaRule.objects.filter(enterprise_class__isnull=True).values_list(
            "rank", "min_households"
        )
    )
    paired = Cadre.objects.with_pairing_count().filter(current_pairings__gt=0)
    assert paired.exists()
    for cadre in paired:
        assert cadre.current_pairings >= rules.get(cadre.rank, 1)
    assert not cadres_with_quota(on=REFERENCE_DATE).filter(is_under_quota=True).exists()


def test_poor_villages_have_a_first_secretary_and_a_team_of_three(county, db):
    posted = set(FirstSecretaryPosting.objects.current().values_list("village_id", flat=True))
    for village in Village.objects.filter(is_poor_village=True):
        assert village.pk in posted
    for team in WorkTeam.objects.all():
        assert team.members.count() >= 3


def test_visits_inspections_and_rectifications_are_consistent(county, db):
    visits = Visit.objects.all()
    assert visits.exists()
    assert not visits.exclude(visited_on__year=2020).exists()
    for visit in visits.exclude(household=None).select_related("household"):
        assert visit.household.village_id == visit.village_id
    for inspection in Inspection.objects.all():
        assert inspection.results.count() == len(ChecklistItem)
    for fix in Rectification.objects.all():
        assert (fix.closed_on is not None) == (fix.status == RectificationStatus.CLOSED)


def test_timestamps_come_from_the_records_not_the_clock(county, db):
    for household in Household.objects.all():
        assert household.created_at.year == household.identified_year
    assert not Visit.objects.exclude(recorded_at__year=2020).exists()


def test_it_refuses_a_database_that_already_has_households(county, db):
    before = Household.objects.count()

    with pytest.raises(CommandError, match="已有贫困户"):
        run_seed_demo()

    assert Household.objects.count() == before


def test_it_refuses_a_county_too_small_to_pair(db):
    before = Household.objects.count()

    with pytest.raises(CommandError, match="至少"):
        run_seed_demo(households=10)

    assert Household.objects.count() == before
