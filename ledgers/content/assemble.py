"""A household's loaded rows laid out as its Booklet, section by section as `ledgers.sections`
specifies: each field and cell printed by `display`, masked unless the booklet is full."""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from cadres.models import Cadre
from households.masking import mask_phone
from ledgers.booklet import Booklet, Column, Field, Kind, Row, Section, Table, display
from ledgers.content.load import TABLES, Sources, Values
from ledgers.sections import SECTIONS, SectionSpec, TableSpec

Getter = Callable[[Values], Any]
Printer = Callable[[Any], str]
FEW_VALUES = {Kind.INT, Kind.DATE, Kind.BOOL, Kind.CHOICE}
INCOME_FIGURES = ("gross_income", "net_income", "household_size", "net_income_per_capita",
                  "poverty_line")  # fmt: skip


def booklet(sources: Sources) -> Booklet:
    household = sources.household
    head = sources.head
    return Booklet(
        household_id=household["id"],
        household_number=household["household_number"],
        version=household["version"],
        head_name=head["name"] if head else "",
        county=household["village__township__county__name"],
        township=household["village__township__name"],
        village=household["village__name"],
        year=sources.year,
        sections=tuple(_section(spec, sources) for spec in SECTIONS),
        full_ids=sources.full_ids,
        meta={
            "village_id": household["village_id"],
            "township_id": household["village__township_id"],
        },
    )


def _section(spec: SectionSpec, sources: Sources) -> Section:
    full = sources.full_ids
    fields = tuple(
        Field(column, display(column, _field_value(column.key, sources), full=full),
              _field_ref(column.key, sources))
        for column in spec.fields
    )  # fmt: skip
    tables = () if spec.table is None else (_table(spec.table, sources),)
    return Section(spec.key, spec.title, fields, tables, spec.note)


def _field_value(key: str, sources: Sources) -> Any:
    model, _, name = key.partition(".")
    if model == "household":
        return sources.household[name]
    if model == "profile":
        return None if sources.profile is None else sources.profile[name]
    return FIELD_VALUES[name](sources)


def _field_ref(key: str, sources: Sources) -> str:
    if key.startswith("profile."):
        return f"profile:{sources.profile['id'] if sources.profile else ''}"
    # Computed fields are the household's own read-only facts: they carry its ref.
    return f"household:{sources.household['id']}"


def _table(spec: TableSpec, sources: Sources) -> Table:
    cells = CELLS[spec.key, sources.full_ids]
    rows = tuple(
        Row(f"{spec.model}:{record['id']}", tuple([show(read(record)) for show, read in cells]))
        for record in sources.rows[spec.key]
    )
    return Table(spec.key, spec.columns, rows, spec.can_add, spec.blank_rows)


def _printer(column: Column, full: bool) -> Printer:
    """`display` of one column. Years, dates, 是/否 and choices take few distinct values over a
    county: each is printed once and looked up after, which saves a county export seconds."""
    if column.kind not in FEW_VALUES or column.masked is not None:
        return lambda value: display(column, value, full=full)
    printed: dict[Any, str] = {}

    def show(value: Any) -> str:
        text = printed.get(value)
        if text is None:
            text = printed[value] = display(column, value, full=full)
        return text

    return show


def _getter(table: str, key: str) -> Getter:
    """How a table's column reads its value off a row."""
    if key.startswith("computed."):
        return ROW_VALUES[table][key.removeprefix("computed.")]
    if key.startswith("fund."):
        source = key.removeprefix("fund.")
        return lambda measure: measure["funds"].get(source)  # blank when none from that source
    return itemgetter(key)


# --- Computed values ------------------------------------------------------------------------


def person(name: str, unit: str, phone: str, *, full: bool) -> str:
    """`张三（县水利局，138****5678）`: a cadre as the cover names them."""
    details = "，".join(part for part in (unit, phone if full else mask_phone(phone)) if part)
    return f"{name}（{details}）" if details else name


def _cover_cadres(sources: Sources) -> str:
    current = (row for row in sources.rows["cadres"] if row["ended_on"] is None)
    return "、".join(
        person(row["cadre__name"], row["cadre__unit__name"], row["cadre__phone"],
               full=sources.full_ids)
        for row in current
    )  # fmt: skip


def _first_secretary(sources: Sources) -> str:
    if sources.secretary is None:
        return ""
    cadre: Cadre = sources.secretary.cadre
    return person(cadre.name, cadre.unit.name, cadre.phone, full=sources.full_ids)


def _head_name(sources: Sources) -> str:
    head = sources.head
    return head["name"] if head else ""


def _blank(_: object) -> str:
    return ""


FIELD_VALUES: dict[str, Callable[[Sources], Any]] = {
    "county": lambda s: s.household["village__township__county__name"],
    "township": lambda s: s.household["village__township__name"],
    "village": lambda s: s.household["village__name"],
    "head_name": _head_name,
    "cadres": _cover_cadres,
    "first_secretary": _first_secretary,
    "year": lambda s: s.year,
    "household_size": lambda s: len(s.rows["members"]),  # current members
    "sign_head": _blank,
    "sign_cadre": _blank,
    "sign_village": _blank,
    "sign_township": _blank,
}
ROW_VALUES: dict[str, dict[str, Getter]] = {
    # Worked out when the rows were read (ledgers.content.load._income_values).
    "income": {name: itemgetter(name) for name in INCOME_FIGURES},
    "cadres": {
        "cadre_name": itemgetter("cadre__name"),
        "unit": itemgetter("cadre__unit__name"),
        "affiliation": itemgetter("cadre__unit__affiliation"),
        "post": itemgetter("cadre__post"),
        "phone": itemgetter("cadre__phone"),
    },
    "measures": {"helping_unit": itemgetter("helping_unit__name"), "signature": _blank},
    "results": {"signature": _blank},
    "visits": {"author": itemgetter("author__name")},
    "adjustments": {"member": itemgetter("member__name")},
}
# Each table's columns as (printer, getter), worked out once for masked and full booklets.
CELLS: dict[tuple[str, bool], tuple[tuple[Printer, Getter], ...]] = {
    (table.key, full): tuple(
        (_printer(column, full), _getter(table.key, column.key)) for column in table.columns
    )
    for table in TABLES.values()
    for full in (False, True)
}
