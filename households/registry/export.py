"""Export: the canonical registry workbook (花名册) of a set of households, streamed to .xlsx.

The workbook is the one `registry-template.md` describes: sheet `花名册`, the contract's headers
on row 1, one row per current member with the household's columns repeated, the head first.
Households are read in chunks with a fixed number of queries each, and xlsxwriter writes each
row to disk as soon as the next one starts, so 100,000 rows need no more memory than 2,000.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from decimal import Decimal
from functools import reduce
from operator import add
from pathlib import Path
from typing import Any, BinaryIO

import xlsxwriter
from django.db.models import Count, DecimalField, ExpressionWrapper, F, OuterRef, QuerySet, Subquery
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from cadres.models import Pairing
from households.masking import mask_id_number, mask_phone
from households.models import County, Household, Member, Township, Village, YearlyIncome
from households.querysets import per_capita
from households.registry import stored
from households.registry.columns import BY_KEY, COLUMNS, HEADERS, SHEET_NAME, Column, Kind

CHUNK = 2000  # households per round of queries
ORDER = (
    "village__township__county__name",
    "village__township__division_code",
    "village__township__name",
    "village__division_code",
    "village__name",
    "household_number",
)
# With these off, xlsxwriter writes every str as a string cell: a value such as "=1+1" or "@x"
# is a literal text cell (no <f> element), which Excel shows and never runs. Prefixing such text
# with an apostrophe, as OWASP advises for CSV, would change the data the next import reads, and
# the .xlsx string cell already gives the protection the prefix gives a CSV field.
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_numbers": False,
    "strings_to_formulas": False,
    "strings_to_urls": False,
}
HOUSEHOLD_FIELDS = (
    "pk",
    "village__township__county__name",
    "village__township__name",
    "village__name",
    "hamlet",
    "household_number",
    "identification_standard",
    "poverty_attribute",
    "main_cause",
    "other_causes",
    "status",
    "identified_year",
    "exit_year",
    "registry_income_per_capita",
    "phone",
    "registry_cadre_names",
)
MEMBER_FIELDS = ("household_id", *stored.MEMBER_FIELDS)
NAME_AT, RELATION_AT = MEMBER_FIELDS.index("name"), MEMBER_FIELDS.index("relation_to_head")
YES_NO = {True: "是", False: "否"}
# 纯收入 as YearlyIncome.net_income adds it up (every money field but the expense, less the
# expense), summed by the database: loading whole incomes costs more than writing their rows.
NET_INCOME = ExpressionWrapper(
    reduce(add, (F(name) for name in YearlyIncome.MONEY_FIELDS if name != "business_expense"))
    - F("business_expense"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)
HEAD = "head"
KEYS = [column.key for column in COLUMNS]
ID_AT, PHONE_AT = KEYS.index("id_number"), KEYS.index("phone")


def _labels(key: str) -> dict[Any, str]:
    """value → Chinese label of a choice column, e.g. {"illness": "因病"}."""
    return dict(getattr(BY_KEY[key].choices, "choices", ()))


STANDARD, ATTRIBUTE, CAUSE, STATUS = (
    _labels(key) for key in ("identification_standard", "poverty_attribute", "main_cause", "status")
)
RELATION, SEX, EDUCATION, STUDENT, HEALTH, LABOUR, WORK = (
    _labels(key)
    for key in (
        "relation_to_head",
        "sex",
        "education",
        "student_status",
        "health",
        "labour_skill",
        "work_status",
    )
)

Progress = Callable[[int, int], None]
HouseholdPks = QuerySet[Household, Any]  # `.values("pk")`, used as a subquery
Row = list[Any]
CellWriter = tuple[int, Callable[..., int], Format | None]  # column, write method, format


def export_registry(
    out: BinaryIO | str | Path,
    *,
    households: QuerySet[Household],
    progress: Progress | None = None,
    full_ids: bool = False,
) -> int:
    """Write the canonical workbook of `households` to `out`; return the number of member rows.

    ID numbers and phones are masked (`142232********1234`, `138****5678`) unless `full_ids`:
    only roles allowed to export them ask for that, and such an export is recorded."""
    chunks = _village_chunks(households)
    total, done, written = sum(size for _, size in chunks), 0, 0
    # Nothing reaches `out` before close(): a failure midway leaves no half-written file.
    workbook = xlsxwriter.Workbook(str(out) if isinstance(out, Path) else out, WORKBOOK_OPTIONS)
    sheet, cells = _registry_sheet(workbook)
    for villages, size in chunks:
        for row in _rows(households.filter(village_id__in=villages)):
            written += 1
            if not full_ids:
                row[ID_AT] = mask_id_number(row[ID_AT])
                row[PHONE_AT] = mask_phone(row[PHONE_AT]) or None
            for (index, write, cell_format), value in zip(cells, row, strict=True):
                if value is not None:
                    write(written, index, value, cell_format)
        done += size
        if progress:
            progress(done, total)
    sheet.autofilter(0, 0, written, len(HEADERS) - 1)
    workbook.close()
    return written


def _village_chunks(households: QuerySet[Household]) -> list[tuple[list[int], int]]:
    """Consecutive villages in export order, grouped into chunks of about CHUNK households.

    A chunk is named by its few villages rather than by its 2,000 household ids: the queries
    that follow filter on a short list, which Django prepares far faster.
    """
    sizes = (
        households.order_by(*ORDER[:-1])
        .values_list("village_id")
        .annotate(size=Count("pk", distinct=True))
    )
    chunks: list[tuple[list[int], int]] = []
    villages: list[int] = []
    total = 0
    for village, size in sizes:
        if villages and total + size > CHUNK:
            chunks.append((villages, total))
            villages, total = [], 0
        villages.append(village)
        total += size
    if villages:
        chunks.append((villages, total))
    return chunks


def _registry_sheet(workbook: xlsxwriter.Workbook) -> tuple[Worksheet, list[CellWriter]]:
    """The sheet with its header row, and how to write each column's cells.

    Text columns are '@' ("text": Excel keeps an ID typed over a cell as text), on the column
    for the cells left empty and on every cell written. Cells go through xlsxwriter's
    undecorated `_write_string` / `_write_number`, the methods its `write_row` ends in: the
    column fixes the type, so the type detection and A1-notation check that `write_row` and
    `write_string` do per cell are skipped. Over 3 million cells they cost as much as all the
    queries, and the export's target is 1.3 times xlsxwriter writing the same cells.
    """
    sheet = workbook.add_worksheet(SHEET_NAME)
    text = workbook.add_format({"num_format": "@"})
    by_kind = {
        Kind.INTEGER: (None, sheet._write_number),
        Kind.YEAR: (None, sheet._write_number),
        Kind.DECIMAL: (workbook.add_format({"num_format": "0.00"}), sheet._write_number),
    }
    cells: list[CellWriter] = []
    for index, column in enumerate(COLUMNS):
        cell_format, write = by_kind.get(column.kind, (text, sheet._write_string))
        sheet.set_column(index, index, _width(column), cell_format)
        cells.append((index, write, cell_format))
    header = workbook.add_format({"bold": True, "num_format": "@", "bg_color": "#DDEBF7"})
    sheet.write_row(0, 0, HEADERS, header)
    sheet.freeze_panes(1, 0)
    return sheet, cells


def _width(column: Column) -> int:
    """Wide enough for the header (a CJK character counts double) or an 18-digit ID."""
    header = sum(2 if ord(char) > 0x2E80 else 1 for char in column.header)
    if column.kind in (Kind.ID_NUMBER, Kind.DIGITS):
        return 22
    return min(max(header + 2, 10), 30)


def _rows(chunk: QuerySet[Household]) -> Iterator[Row]:
    """The rows of one chunk of households, in export order: four queries in all."""
    pks = chunk.values("pk")
    members = _current_members(pks)
    cadres = _current_cadres(pks)
    incomes = _latest_incomes(pks)
    for household in chunk.order_by(*ORDER).values_list(*HOUSEHOLD_FIELDS):
        people = members.get(household[0])
        if not people:
            continue
        cells = _household_cells(household, people, cadres, incomes)
        for person in people:
            yield cells + _member_cells(person)


def _current_members(pks: HouseholdPks) -> dict[int, list[tuple[Any, ...]]]:
    """Current members by household, the head first, then by id."""
    members: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    rows = Member.objects.filter(household__in=pks, left_on__isnull=True)
    for member in rows.order_by("household_id", "pk").values_list(*MEMBER_FIELDS):
        members[member[0]].append(member)
    for people in members.values():
        people.sort(key=lambda member: member[RELATION_AT] != HEAD)  # stable: the rest stay by id
    return members


def _current_cadres(pks: HouseholdPks) -> dict[int, str]:
    """帮扶责任人: the cadres of each household's current pairings, in the order they started."""
    names: dict[int, list[str]] = defaultdict(list)
    pairings = Pairing.objects.filter(household__in=pks, ended_on__isnull=True)
    ordered = pairings.order_by("household_id", "started_on", "pk")
    for household_id, name in ordered.values_list("household_id", "cadre__name"):
        names[household_id].append(name)
    return {household_id: "、".join(people) for household_id, people in names.items()}


def _latest_incomes(pks: HouseholdPks) -> dict[int, Decimal | None]:
    """人均纯收入 of each household's latest YearlyIncome: 纯收入 ÷ members on 31 December."""
    latest = YearlyIncome.objects.filter(household=OuterRef("household")).order_by("-year")
    incomes = (
        YearlyIncome.objects.filter(household__in=pks, year=Subquery(latest.values("year")[:1]))
        .with_household_size()
        .annotate(net=NET_INCOME)
        .order_by()
        .values_list("household_id", "net", "household_size")
    )
    return {household_id: per_capita(net, size) for household_id, net, size in incomes}


def _household_cells(
    household: tuple[Any, ...],
    people: list[tuple[Any, ...]],
    cadres: dict[int, str],
    incomes: dict[int, Decimal | None],
) -> Row:
    """Columns 1–17 of a household (HOUSEHOLD_FIELDS order), as the contract writes them.

    人均纯收入 and 帮扶责任人 come from its yearly incomes and current pairings when it has
    any, else from the registry's own figures.
    """
    (pk, county, township, village, hamlet, number, standard, attribute) = household[:8]
    (cause, others, status, identified, exited, registry_income) = household[8:14]
    (phone, registry_cadres) = household[14:]
    head = people[0][NAME_AT] if people[0][RELATION_AT] == HEAD else None
    income = incomes.get(pk, registry_income)
    return [
        county,
        township,
        village,
        hamlet or None,
        number,
        head,
        len(people),
        STANDARD.get(standard, standard),
        ATTRIBUTE.get(attribute, attribute),
        CAUSE.get(cause, cause),
        "、".join(CAUSE.get(other, other) for other in others or ()) or None,
        STATUS.get(status, status),
        identified,
        exited,
        None if income is None else float(income),
        phone or None,
        cadres.get(pk) or registry_cadres or None,
    ]


def _member_cells(member: tuple[Any, ...]) -> Row:
    """Columns 18–31 of one member (MEMBER_FIELDS order); an unset choice is an empty cell."""
    (_, name, id_number, relation, sex, ethnicity, birth, education, student) = member[:9]
    (health, labour, work, months, medical, pension) = member[9:]
    return [
        name,
        id_number,
        RELATION.get(relation, relation),
        SEX.get(sex, sex),
        ethnicity or None,
        birth.isoformat() if birth else None,
        EDUCATION.get(education, education or None),
        STUDENT.get(student, student or None),
        HEALTH.get(health, health or None),
        LABOUR.get(labour, labour or None),
        WORK.get(work, work or None),
        months,
        YES_NO[medical],
        YES_NO[pension],
    ]


def area_households(area: str) -> QuerySet[Household]:
    """The households of the county, township or village named by `area`.

    `area` is a 12-digit division code or a name; a village or township whose name repeats is
    named with its township (or county) before it, as `城关镇东关村` or `城关镇/东关村`.
    Raise ValueError, in Chinese, for an unknown or ambiguous area.
    """
    found = find_areas(area)
    if not found:
        raise ValueError(f"找不到地区“{area}”：请填写县、乡镇或行政村的名称，或12位统计用区划代码")
    if len(found) > 1:
        labels = _labels_of(found)
        raise ValueError(f"“{area}”对应多个地区：{'、'.join(labels)}。请写明上级，如“{labels[0]}”")
    return households_in(found[0])


Area = County | Township | Village


def find_areas(name_or_code: str) -> list[Area]:
    """The areas a 12-digit division code or a name (`东关村`, `城关镇东关村`, `城关镇/东关村`…)
    may mean: one, none, or several when a name repeats."""
    key = "".join(name_or_code.split()).replace("／", "/")
    return _areas_by_code(key) if key.isdigit() and len(key) == 12 else _areas_by_name(key)


def _areas_by_code(code: str) -> list[Area]:
    for model in (Village, Township, County):
        match = model.objects.filter(division_code=code).first()
        if match:
            return [match]
    return []


def _areas_by_name(key: str) -> list[Area]:
    """Areas whose name, alone or after its parents' names, is `key` (with or without `/`)."""
    plain = key.replace("/", "")
    endings = {plain[start:] for start in range(len(plain))} | {key.rsplit("/", 1)[-1]}
    candidates: list[Area] = [
        *County.objects.filter(name__in=endings),
        *Township.objects.filter(name__in=endings).select_related("county"),
        *Village.objects.filter(name__in=endings).select_related("township__county"),
    ]
    return [area for area in candidates if key in _spellings(area)]


def _path(area: Area) -> list[str]:
    if isinstance(area, Village):
        return [area.township.county.name, area.township.name, area.name]
    if isinstance(area, Township):
        return [area.county.name, area.name]
    return [area.name]


def _spellings(area: Area) -> set[str]:
    """`东关村`, `城关镇东关村`, `城关镇/东关村`, `清河县城关镇东关村`, …"""
    path = _path(area)
    tails = [path[start:] for start in range(len(path))]
    return {"".join(tail) for tail in tails} | {"/".join(tail) for tail in tails}


def _labels_of(areas: list[Area]) -> list[str]:
    """The candidates as `XX乡XX村` (the last two names), or the full path if those repeat."""
    short = ["".join(_path(area)[-2:]) for area in areas]
    if len(set(short)) == len(short):
        return short
    return ["".join(_path(area)) for area in areas]


def households_in(area: Area | None) -> QuerySet[Household]:
    """The households of a village, a township or a county; all of them for no area."""
    if area is None:
        return Household.objects.all()
    if isinstance(area, Village):
        return Household.objects.filter(village=area)
    if isinstance(area, Township):
        return Household.objects.filter(village__township=area)
    return Household.objects.filter(village__township__county=area)
