"""Rules of pairings, postings and teams that the database enforces."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cadres.models import Pairing
from tests import factories


def _fails(callable_) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_a_cadre_has_one_current_pairing_per_household(db):
    pairing = factories.PairingFactory()
    _fails(lambda: factories.PairingFactory(cadre=pairing.cadre, household=pairing.household))


def test_a_change_of_cadre_keeps_the_history(db):
    old = factories.PairingFactory(ended_on=dt.date(2018, 12, 31))
    factories.PairingFactory(household=old.household, started_on=dt.date(2019, 1, 1))
    assert Pairing.objects.filter(household=old.household).count() == 2
    assert Pairing.objects.filter(household=old.household).current().count() == 1


def test_several_current_cadres_are_allowed(db):
    first = factories.PairingFactory()
    factories.PairingFactory(household=first.household)
    assert Pairing.objects.filter(household=first.household).current().count() == 2


def test_current_on_a_date_reads_the_history(db):
    old = factories.PairingFactory(started_on=dt.date(2016, 1, 1), ended_on=dt.date(2018, 12, 31))
    new = factories.PairingFactory(household=old.household, started_on=dt.date(2019, 1, 1))
    assert list(Pairing.objects.current(on=dt.date(2017, 6, 1))) == [old]
    assert list(Pairing.objects.current(on=dt.date(2019, 6, 1))) == [new]


def test_pairing_cannot_end_before_it_starts(db):
    _fails(
        lambda: factories.PairingFactory(
            started_on=dt.date(2019, 1, 1), ended_on=dt.date(2018, 1, 1)
        )
    )


def test_a_village_has_one_current_first_secretary(db):
    posting = factories.FirstSecretaryPostingFactory()
    _fails(lambda: factories.FirstSecretaryPostingFactory(village=posting.village))


def test_a_cadre_holds_one_current_posting(db):
    posting = factories.FirstSecretaryPostingFactory()
    _fails(lambda: factories.FirstSecretaryPostingFactory(cadre=posting.cadre))


def test_posting_term_ends_after_it_starts(db):
    _fails(
        lambda: factories.FirstSecretaryPostingFactory(
            started_on=dt.date(2019, 1, 1), term_ends_on=dt.date(2018, 1, 1)
        )
    )


def test_default_quota_rules_are_loaded(db):
    from cadres.models import QuotaRule

    minimums = dict(
        QuotaRule.objects.filter(enterprise_class__isnull=True).values_list(
            "rank", "min_households"
        )
    )
    assert minimums == {
        "county_level": 10,
        "section_level": 8,
        "staff": 6,
        "village_committee": 2,
    }


def test_cadre_pairing_count_counts_current_pairings_only(db):
    from cadres.models import Cadre

    pairing = factories.PairingFactory()
    factories.PairingFactory(cadre=pairing.cadre, ended_on=dt.date(2019, 1, 1))
    assert Cadre.objects.with_pairing_count().get().current_pairings == 1
