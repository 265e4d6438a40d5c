"""Apply a merged ledger to the database: check every value as the models would, then save.

`check` builds the changed and added records in memory and runs the models' own validation,
so the preview shows every problem a save would meet; `apply` does the same and saves, inside
the caller's transaction. Saves go through the models (not bulk updates) so that the audit
trail records each changed field as it does for an edit in the admin: a ledger upload
changes a few dozen rows, not a county's registry.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model

from cadres.models import Cadre, HelpingUnit
from households.models import Household
from ledgers.booklet import Column, LedgerValueError, to_python
from ledgers.merge import FIELDS, TABLES, Addition, Change, HouseholdMerge, Problem
from ledgers.people import visit_authors

MODELS = {
    "household": "households.Household",
    "profile": "households.HouseholdProfile",
    "member": "households.Member",
    "income": "households.YearlyIncome",
    "needs": "households.BasicNeedsAssessment",
    "plan": "households.HelpPlan",
    "measure": "households.HelpMeasure",
    "visit": "cadres.Visit",
}


class Records:
    """The records one household's changes touch, loaded once and saved once."""

    def __init__(
        self, household: Household, units: dict[str, HelpingUnit | None] | None = None
    ) -> None:
        self.household = household
        self.loaded: dict[str, Model] = {"household:" + str(household.pk): household}
        self.changed: dict[str, set[str]] = defaultdict(set)
        self.added: list[tuple[Model, dict[str, Decimal | None], str]] = []
        self.funds: dict[str, dict[str, Decimal | None]] = defaultdict(dict)
        self.problems: list[Problem] = []
        self._authors: list[Cadre] | None = None  # loaded at the first visit row, then kept
        # Shared by the caller across a village workbook's households: they name the same units.
        self._units: dict[str, HelpingUnit | None] = {} if units is None else units

    def record(self, ref: str) -> Model:
        if ref not in self.loaded:
            kind, _, pk = ref.partition(":")
            model = apps.get_model(MODELS[kind])
            if kind == "profile":
                self.loaded[ref] = model.objects.filter(household=self.household).first() or model(
                    household=self.household
                )
            else:
                owner = {"household": self.household}
                self.loaded[ref] = model.objects.get(pk=int(pk), **owner)
        return self.loaded[ref]

    def set_value(self, ref: str, column: Column, text: str, place: str) -> None:
        try:
            value = self._value(column, text)
        except LedgerValueError as error:
            self.problems.append(Problem(place, str(error)))
            return
        if column.key.startswith("fund."):
            self.funds[ref][column.key.removeprefix("fund.")] = value
            return
        obj = self.record(ref)
        attribute = _attribute(column)
        setattr(obj, attribute, _or_default(obj, attribute, value))
        self.changed[ref].add(attribute)

    def add(self, addition: Addition) -> None:
        spec = TABLES[addition.table]
        model = apps.get_model(MODELS[spec.model])
        obj = model(household=self.household)
        if addition.table == "visits":
            obj.village_id = self.household.village_id
        funds: dict[str, Decimal | None] = {}
        failed = False
        for column in spec.columns:
            if column.key not in addition.values:
                continue
            try:
                value = self._value(column, addition.values[column.key])
            except LedgerValueError as error:
                self.problems.append(Problem(addition.place, str(error)))
                failed = True
                continue
            if column.key.startswith("fund."):
                funds[column.key.removeprefix("fund.")] = value
            else:
                setattr(obj, _attribute(column), _or_default(obj, _attribute(column), value))
        if not failed:  # a row with a bad cell is reported once, not validated again
            self.added.append((obj, funds, addition.place))

    def _value(self, column: Column, text: str) -> Any:
        value = to_python(column, text)
        if column.key == "computed.helping_unit":
            return self._helping_unit(text) if text else None
        if column.key == "computed.author":
            return self._author(text)
        return value

    def _helping_unit(self, name: str) -> HelpingUnit:
        if name not in self._units:
            self._units[name] = HelpingUnit.objects.filter(name=name).first()
        unit = self._units[name]
        if unit is None:
            raise LedgerValueError(f"系统中没有名为“{name}”的帮扶单位")
        return unit

    def _author(self, name: str) -> Cadre:
        if self._authors is None:
            self._authors = visit_authors(self.household)
        found = [cadre for cadre in self._authors if cadre.name == name]
        if not found:
            raise LedgerValueError(f"走访人“{name}”不是本户的帮扶责任人或本村的驻村干部")
        return found[0]

    def validate(self) -> None:
        for ref, attributes in self.changed.items():
            self._clean(self.loaded[ref], ref, exclude_others=attributes)
        for obj, _, place in self.added:
            self._clean(obj, place)

    def _clean(self, obj: Model, place: str, exclude_others: set[str] | None = None) -> None:
        try:
            obj.full_clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if exclude_others is None or name in exclude_others or name == "__all__":
                    prefix = "" if name == "__all__" else f"{_label(obj, name)}："
                    self.problems += [Problem(place, prefix + message) for message in messages]

    def save(self) -> int:
        """Save what changed; return the number of records written."""
        for ref, attributes in self.changed.items():
            obj = self.loaded[ref]
            obj.save(update_fields=None if obj._state.adding else sorted(attributes))
        for obj, funds, _ in self.added:
            obj.save()
            _save_funds(obj, funds)
        for ref, funds in self.funds.items():
            _save_funds(self.record(ref), funds)
        written = len(self.changed) + len(self.added) + len(self.funds)
        if written:
            Household.objects.filter(pk=self.household.pk).update(version=F("version") + 1)
        return written


def _or_default(obj: Model, attribute: str, value: Any) -> Any:
    """A blank cell of a column the database requires (an amount) means its default (0)."""
    field: Any = obj._meta.get_field(attribute)
    if value is None and not field.null and field.has_default():
        return field.get_default()
    return value


def _label(obj: Model, name: str) -> str:
    try:
        field: Any = obj._meta.get_field(name)
    except FieldDoesNotExist:  # a constraint's name, not a field's
        return name
    return str(getattr(field, "verbose_name", name))


def _attribute(column: Column) -> str:
    return {"computed.helping_unit": "helping_unit", "computed.author": "author"}.get(
        column.key, column.key.partition(".")[2] if "." in column.key else column.key
    )


def _save_funds(measure: Model, funds: dict[str, Decimal | None]) -> None:
    if not funds:
        return
    fundings = measure.fundings  # type: ignore[attr-defined]
    for source, amount in funds.items():
        fundings.filter(source=source).delete()
        if amount:
            fundings.create(source=source, amount=amount)


def _records(
    merged: HouseholdMerge,
    household: Household,
    resolutions: dict[str, str],
    units: dict[str, HelpingUnit | None] | None = None,
) -> Records:
    records = Records(household, units)
    chosen = [c for c in merged.conflicts if resolutions.get(c.id) == "file"]
    for change in [*merged.changes, *chosen]:
        records.set_value(change.ref, column_of(change), change.new, change.place)
    for addition in merged.additions:
        records.add(addition)
    records.validate()
    return records


def column_of(change: Change) -> Column:
    """The ledger column a change was read from."""
    if not change.table:
        return FIELDS[change.column]
    return next(c for c in TABLES[change.table].columns if c.key == change.column)


def check(
    merged: HouseholdMerge,
    household: Household,
    *,
    units: dict[str, HelpingUnit | None] | None = None,
) -> list[Problem]:
    """The problems saving this merge would meet, found without saving anything. `units` is
    a helping-unit cache by name that the caller may share across households."""
    return _records(merged, household, {}, units).problems


def apply(merged: HouseholdMerge, household: Household, *, resolutions: dict[str, str]) -> int:
    """Save the merge's changes and additions (and the conflicts resolved to the file's value)."""
    records = _records(merged, household, resolutions)
    if records.problems:
        raise ValidationError([problem.message for problem in records.problems])
    return records.save()
