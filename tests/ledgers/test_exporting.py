"""导出一户一册, the service: a household's workbook, a village's, a zip of village workbooks."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import load_workbook

from households.models import Member
from ledgers.exporting import export_ledgers, file_name, find_village
from tests import factories
from tests.ledgers.builders import make_household_with_ledger_data

pytestmark = pytest.mark.django_db


def visible_sheets(data: bytes) -> list:
    book = load_workbook(io.BytesIO(data))
    return [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]


def texts(sheet) -> set[str]:
    return {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell}


def export(area, **options) -> bytes:
    out = io.BytesIO()
    export_ledgers(area=area, out=out, full_ids=options.pop("full_ids", False), user_id=None)
    return out.getvalue()


def test_a_household_export_is_one_workbook_with_its_booklet():
    # given a household with a record in every table
    household = make_household_with_ledger_data()

    # when it is exported
    out = io.BytesIO()
    written = export_ledgers(area=household, out=out, full_ids=False, user_id=None)

    # then one visible sheet holds its booklet: head, measures, visits
    assert written == 1
    [sheet] = visible_sheets(out.getvalue())
    cells = texts(sheet)
    assert {"王大山", "安排公益性岗位：护林员", "发展养殖：肉牛2头"} <= cells
    assert household.household_number in "".join(cells)


def test_numbers_are_masked_by_default_and_full_on_request():
    # given a household whose head has an ID number and a phone
    household = make_household_with_ledger_data()
    head = Member.objects.get(household=household, name="王大山")

    # when it is exported masked, then with full numbers
    masked = "".join(texts(visible_sheets(export(household))[0]))
    full = "".join(texts(visible_sheets(export(household, full_ids=True))[0]))

    # then only the full export shows them
    assert head.id_number not in masked and "13812345678" not in masked
    assert head.id_number[:6] in masked and "138****5678" in masked
    assert head.id_number in full and "13812345678" in full


def test_a_village_export_has_an_index_sheet_then_a_sheet_per_household():
    # given two households in a village and one in its neighbour
    village = factories.VillageFactory(name="东关村")
    first = make_household_with_ledger_data(village=village)
    second = make_household_with_ledger_data(village=village)
    make_household_with_ledger_data(village=factories.VillageFactory(township=village.township))

    # when the village is exported
    out = io.BytesIO()
    written = export_ledgers(area=village, out=out, full_ids=False, user_id=None)

    # then an index comes first, then one sheet per household of the village, in 户编号 order
    assert written == 2
    index, *households = visible_sheets(out.getvalue())
    assert [sheet.title[-6:] for sheet in households] == [
        first.household_number[-6:],
        second.household_number[-6:],
    ]
    listed = "".join(texts(index))
    assert first.household_number in listed and second.household_number in listed


def test_a_township_export_is_a_zip_of_village_workbooks():
    # given two villages of a township with households, an empty one, and another township
    township = factories.TownshipFactory(name="城关镇")
    east = factories.VillageFactory(township=township, name="东关村", division_code="")
    west = factories.VillageFactory(township=township, name="西关村", division_code="")
    factories.VillageFactory(township=township, name="空村")
    households = [make_household_with_ledger_data(village=east) for _ in range(2)]
    households.append(make_household_with_ledger_data(village=west))
    make_household_with_ledger_data()

    # when the township is exported
    out = io.BytesIO()
    written = export_ledgers(area=township, out=out, full_ids=False, user_id=None)

    # then the zip holds one workbook per village with households, named 乡镇/村
    assert written == 3
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist() == ["城关镇/东关村-一户一册.xlsx", "城关镇/西关村-一户一册.xlsx"]
        east_sheets = visible_sheets(archive.read("城关镇/东关村-一户一册.xlsx"))
        west_sheets = visible_sheets(archive.read("城关镇/西关村-一户一册.xlsx"))
    assert [sheet.title[-6:] for sheet in east_sheets[1:]] == [
        household.household_number[-6:] for household in households[:2]
    ]
    assert [sheet.title[-6:] for sheet in west_sheets[1:]] == [households[2].household_number[-6:]]


def test_progress_counts_each_household_of_a_village_workbook():
    # given three households in a village
    village = factories.VillageFactory()
    for _ in range(3):
        factories.HouseholdFactory(village=village)
    calls = []

    # when the village is exported
    export_ledgers(
        area=village, out=io.BytesIO(), full_ids=False, user_id=None, progress=_append(calls)
    )

    # then progress starts at nothing and counts up to every household
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_progress_of_a_zip_moves_village_by_village():
    # given three households in a county's two villages
    village = factories.VillageFactory()
    for target in (village, village, factories.VillageFactory(township=village.township)):
        factories.HouseholdFactory(village=target)
    calls = []

    # when the county is exported
    county = village.township.county
    export_ledgers(
        area=county, out=io.BytesIO(), full_ids=False, user_id=None, progress=_append(calls)
    )

    # then progress moves as each village's workbook joins the zip
    assert calls == [(0, 3), (2, 3), (3, 3)]


def _append(calls):
    return lambda done, total: calls.append((done, total))


def test_worker_processes_write_the_same_zip():
    # given a township of three villages
    township = factories.TownshipFactory()
    for _ in range(3):
        make_household_with_ledger_data(village=factories.VillageFactory(township=township))

    # when it is exported by this process alone, then by two worker processes
    alone, workers = io.BytesIO(), io.BytesIO()
    export_ledgers(area=township, out=alone, full_ids=False, user_id=None, workers=1)
    written = export_ledgers(area=township, out=workers, full_ids=False, user_id=None, workers=2)

    # then both zips hold the same workbooks, in the same order, with the same cells
    assert written == 3
    with zipfile.ZipFile(alone) as first, zipfile.ZipFile(workers) as second:
        assert first.namelist() == second.namelist() and len(first.namelist()) == 3
        for name in first.namelist():
            expected = [texts(sheet) for sheet in visible_sheets(first.read(name))]
            assert [texts(sheet) for sheet in visible_sheets(second.read(name))] == expected


def test_an_area_without_households_is_refused():
    village = factories.VillageFactory(name="空村")

    with pytest.raises(ValueError, match="没有贫困户"):
        export_ledgers(area=village, out=io.BytesIO(), full_ids=False, user_id=None)


def test_file_names_say_the_area_the_kind_and_full_numbers():
    # given a village and its township
    village = factories.VillageFactory(name="东关村", township__name="城关镇")
    on = dt.date(2024, 6, 1)

    # then a village is a workbook, a township a zip, full numbers marked
    assert file_name(village, full_ids=False, on=on) == "一户一册-城关镇东关村-2024-06-01.xlsx"
    assert (
        file_name(village.township, full_ids=True, on=on)
        == "一户一册-城关镇-含完整证件号码-2024-06-01.zip"
    )


def test_find_village_by_name_by_township_and_name_or_by_code():
    # given two villages named 东关村 in two townships
    east = factories.VillageFactory(
        name="东关村", township__name="城关镇", division_code="130534100201"
    )
    factories.VillageFactory(name="东关村", township__name="王集乡", division_code="")

    # then the township's name or the code tells them apart, the bare name is ambiguous
    assert find_village("城关镇东关村") == east
    assert find_village("城关镇/东关村") == east
    assert find_village("130534100201") == east
    with pytest.raises(ValueError, match="对应多个行政村"):
        find_village("东关村")
    with pytest.raises(ValueError, match="找不到行政村"):
        find_village("西关村")
