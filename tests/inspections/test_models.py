"""Rules of inspections and rectification that the database enforces."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from inspections.choices import ChecklistItem, RectificationStatus
from inspections.models import Inspection, Rectification
from tests import factories


def _fails(callable_) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_an_inspection_needs_a_target(db):
    _fails(lambda: factories.InspectionFactory(village=None))


def test_each_checklist_item_once_per_inspection(db):
    result = factories.ChecklistResultFactory(item=ChecklistItem.ON_DUTY)
    _fails(
        lambda: factories.ChecklistResultFactory(
            inspection=result.inspection, item=ChecklistItem.ON_DUTY
        )
    )


def test_closed_rectification_needs_a_closing_date_and_only_then(db):
    _fails(lambda: factories.RectificationFactory(status=RectificationStatus.CLOSED))
    _fails(lambda: factories.RectificationFactory(closed_on=dt.date(2019, 7, 1)))


def test_overdue_is_derived_from_deadline_and_status(db):
    late = factories.RectificationFactory(deadline=dt.date(2019, 7, 1))
    factories.RectificationFactory(deadline=dt.date(2019, 9, 1))
    factories.RectificationFactory(
        deadline=dt.date(2019, 6, 1),
        status=RectificationStatus.CLOSED,
        closed_on=dt.date(2019, 6, 2),
    )
    assert list(Rectification.objects.overdue(today=dt.date(2019, 8, 1))) == [late]
    assert late.is_overdue(today=dt.date(2019, 8, 1)) is True


def test_inspection_clean_refuses_village_outside_township(db):
    from django.core.exceptions import ValidationError

    inspection = Inspection(
        inspected_on=dt.date(2019, 6, 1),
        kind="announced",
        inspectors="王",
        township=factories.TownshipFactory(),
        village=factories.VillageFactory(),
    )
    with pytest.raises(ValidationError, match="不属于所选乡镇"):
        inspection.full_clean()
