"""The print pages: a household's booklet (一户一册) and 明白卡, alone or for a whole village.

Numbers are always masked here and no reveal is offered: these pages exist to be printed.
Printing a village's pages hands many households' data to paper, so it is recorded as an export.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from households.models import Household, Village
from households.views.access import record_page_export, requires
from ledgers.booklet import Booklet, Column, Kind, Section, Table
from ledgers.card import card_for, cards_for
from ledgers.content import booklet_for, booklets_for

VIEW_PERMISSION = "households.view_household"
NUMERIC = frozenset({Kind.INT, Kind.MONEY, Kind.DECIMAL})
LANDSCAPE_WIDTH = 120  # a table wider than this many characters is printed on a landscape page


@dataclass(frozen=True)
class PrintedTable:
    """A table as the template prints it: each cell with its CSS class, then the blank rows."""

    table: Table
    rows: tuple[tuple[tuple[str, str], ...], ...]  # (value, css class) per cell
    blank_rows: range
    is_wide: bool


@dataclass(frozen=True)
class PrintedSection:
    section: Section
    tables: tuple[PrintedTable, ...]

    @property
    def is_landscape(self) -> bool:
        return any(table.is_wide for table in self.tables)


@dataclass(frozen=True)
class PrintedBooklet:
    booklet: Booklet
    sections: tuple[PrintedSection, ...]


def printed(booklet: Booklet) -> PrintedBooklet:
    """What `ledgers/_booklet.html` needs beyond the booklet: cell classes, blank rows, layout."""
    sections = tuple(
        PrintedSection(section, tuple(_printed_table(table) for table in section.tables))
        for section in booklet.sections
    )
    return PrintedBooklet(booklet, sections)


def _printed_table(table: Table) -> PrintedTable:
    classes = tuple(_cell_class(column) for column in table.columns)
    rows = tuple(tuple(zip(row.values, classes, strict=False)) for row in table.rows)
    width = sum(column.width for column in table.columns)
    return PrintedTable(table, rows, range(table.blank_rows), width > LANDSCAPE_WIDTH)


def _cell_class(column: Column) -> str:
    """Numbers align right; numbers, dates and masked identifiers are never broken over lines."""
    if column.kind in NUMERIC:
        return "num"
    return "nowrap" if column.kind == Kind.DATE or column.masked is not None else ""


@requires(VIEW_PERMISSION)
def household_booklet(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    booklet = booklet_for(household, full_ids=False)
    context = {
        "title": f"一户一册 · {booklet.title}",
        "booklets": [printed(booklet)],
        "back_url": household.get_absolute_url(),
    }
    return render(request, "ledgers/booklet_print.html", context)


@requires(VIEW_PERMISSION)
def village_booklets(request: HttpRequest, pk: int) -> HttpResponse:
    village, households, count = _village_households(request, pk, "打印一户一册")
    context = {
        "title": f"一户一册 · {village.township.name}{village.name}（{count}户）",
        # Built while the template renders: a village's booklets are never all held at once.
        "booklets": map(printed, booklets_for(households, full_ids=False)),
        "back_url": reverse("home"),
    }
    return render(request, "ledgers/booklet_print.html", context)


@requires(VIEW_PERMISSION)
def household_card(request: HttpRequest, pk: int) -> HttpResponse:
    household = _household(request, pk)
    card = card_for(household)
    context = {
        "title": f"明白卡 · {card.title}",
        "cards": [card],
        "back_url": household.get_absolute_url(),
    }
    return render(request, "ledgers/card_print.html", context)


@requires(VIEW_PERMISSION)
def village_cards(request: HttpRequest, pk: int) -> HttpResponse:
    village, households, count = _village_households(request, pk, "打印明白卡")
    context = {
        "title": f"明白卡 · {village.township.name}{village.name}（{count}户）",
        "cards": cards_for(households),
        "back_url": reverse("home"),
    }
    return render(request, "ledgers/card_print.html", context)


def _household(request: HttpRequest, pk: int) -> Household:
    """A household in the user's area, or 404."""
    households = Household.objects.for_user(request.user, "view")
    return get_object_or_404(households.select_related("village__township__county"), pk=pk)


def _village_households(
    request: HttpRequest, pk: int, what: str
) -> tuple[Village, QuerySet[Household], int]:
    """A village in the user's area (or 404), the households of it the user may see that are
    still followed, and their count; records the print in the audit trail."""
    villages = Village.objects.for_user(request.user, "view").select_related("township")
    village = get_object_or_404(villages, pk=pk)
    households = Household.objects.for_user(request.user, "view").in_village(village)
    households = households.in_casework()
    count = households.count()
    record_page_export(request, f"{what}：{village.township.name}{village.name}", count)
    return village, households, count
