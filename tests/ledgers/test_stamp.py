"""The signed stamp: what it carries, how it is refused when missing or altered, its size."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest
from django.core import signing

from ledgers.booklet import Column
from ledgers.stamp import (
    CELL_CHARS,
    MISSING,
    OUTDATED,
    SALT,
    TAMPERED,
    SheetNames,
    StampError,
    make_stamp,
    read_stamp,
)
from tests.ledgers.booklets import make_booklet, three_households

AT = dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)


def test_the_stamp_carries_each_household_its_sheet_version_and_exported_values():
    # given three booklets stamped as exported by user 7
    booklets = three_households()
    cells = make_stamp(booklets, user_id=7, full_ids=False, at=AT)

    # when the stamp is read back
    stamp = read_stamp(cells)

    # then it names the export and every household, whose base is the exported booklet
    assert (stamp.exported_at, stamp.exported_by, stamp.full_ids) == (AT, 7, False)
    assert [h.sheet for h in stamp.households] == ["张三_000123", "李四_000124", "王五_000125"]
    assert [h.household_number for h in stamp.households] == [b.household_number for b in booklets]
    assert stamp.households[1].version == 3
    assert [h.base for h in stamp.households] == booklets


def test_the_stamp_keeps_the_sheet_names_it_is_given():
    # when the stamp is made with the sheets the writer chose
    cells = make_stamp([make_booklet()], user_id=None, full_ids=True, sheets=["第一户"])

    # then they come back
    stamp = read_stamp(cells)
    assert stamp.households[0].sheet == "第一户" and stamp.full_ids and stamp.exported_by is None


def test_a_changed_character_is_refused_as_tampered():
    # given a stamp whose text was altered by one character
    cells = make_stamp(three_households(), user_id=1, full_ids=False)
    middle = len(cells[0]) // 2
    cells[0] = (
        cells[0][:middle] + ("A" if cells[0][middle] != "A" else "B") + cells[0][middle + 1 :]
    )

    # then reading it is refused
    with pytest.raises(StampError) as refused:
        read_stamp(cells)
    assert refused.value.reason == TAMPERED


def test_a_stamp_signed_with_another_key_is_refused(settings):
    # given a stamp made on another installation
    settings.SECRET_KEY = "another-installation-" * 3
    cells = make_stamp([make_booklet()], user_id=1, full_ids=False)
    settings.SECRET_KEY = "the-county-server-" * 3

    # then it is refused as tampered
    with pytest.raises(StampError, match="被修改或损坏"):
        read_stamp(cells)


@pytest.mark.parametrize("cells", [[], [None], ["", "  "]])
def test_no_stamp_is_refused_as_missing(cells):
    with pytest.raises(StampError) as refused:
        read_stamp(cells)
    assert refused.value.reason == MISSING == "不是PovertyOps导出的一户一册（缺少校验信息）"


def test_a_stamp_of_another_format_version_asks_for_a_new_export():
    # given a correctly signed payload of another format version
    cells = [signing.dumps({"v": 0, "households": []}, salt=SALT, compress=True)]

    # then it is refused with the reason
    with pytest.raises(StampError) as refused:
        read_stamp(cells)
    assert refused.value.reason == OUTDATED


def test_a_booklet_with_a_column_not_from_the_specs_cannot_be_stamped():
    # given a booklet whose member column was relabelled
    booklet = make_booklet()
    members = booklet.table("members")
    relabelled = dataclasses.replace(members.columns[0], label="名字")
    table = dataclasses.replace(members, columns=(relabelled, *members.columns[1:]))
    section = dataclasses.replace(booklet.section("members"), tables=(table,))
    sections = tuple(section if s.key == "members" else s for s in booklet.sections)

    # then stamping it is a programming error, caught at export rather than at import
    with pytest.raises(ValueError, match="members.name"):
        make_stamp([dataclasses.replace(booklet, sections=sections)], user_id=1, full_ids=False)
    assert isinstance(relabelled, Column)


def test_a_village_stamp_is_compressed_and_cut_into_cells_excel_accepts(capsys):
    # given 200 households whose texts all differ, as real ones do
    rng = random.Random(7)
    booklets = [
        _scrambled(make_booklet(household_id=i, household_number=f"4301210{i:05d}"), rng)
        for i in range(1, 201)
    ]

    # when they are stamped
    cells = make_stamp(booklets, user_id=1, full_ids=False)

    # then every cell is under Excel's limit, and the stamp reads back whole
    assert all(len(cell) <= CELL_CHARS for cell in cells)
    assert len(read_stamp(cells).households) == 200
    with capsys.disabled():
        size = sum(map(len, cells))
        print(f"\nstamp of 200 households: {size / 1000:.0f}k characters in {len(cells)} cells")


def _scrambled(booklet, rng: random.Random):
    def scramble(text: str) -> str:
        return "".join(rng.choice("一二三四五六七八九十村组镇户路") for _ in text) if text else ""

    sections = tuple(
        dataclasses.replace(
            section,
            fields=tuple(dataclasses.replace(f, value=scramble(f.value)) for f in section.fields),
            tables=tuple(
                dataclasses.replace(
                    table,
                    rows=tuple(
                        dataclasses.replace(row, values=tuple(map(scramble, row.values)))
                        for row in table.rows
                    ),
                )
                for table in section.tables
            ),
        )
        for section in booklet.sections
    )
    return dataclasses.replace(booklet, sections=sections)


def test_sheet_names_are_unique_short_and_allowed_by_excel():
    # given heads whose names repeat, are long, or hold characters Excel forbids
    names = SheetNames()
    booklets = [
        make_booklet(head_name="张三", household_number="430121000123"),
        make_booklet(head_name="张三", household_number="999000123"),
        make_booklet(head_name="欧阳[娜]:*?/\\'" + "很长" * 20, household_number="430121000777"),
        make_booklet(head_name="目录", household_number=""),
    ]

    # when sheets are named for them
    sheets = [names.for_booklet(booklet) for booklet in booklets]

    # then the names are distinct, at most 31 characters, free of []:*?/\ and apostrophes
    assert sheets[:2] == ["张三_000123", "张三_000123(2)"]
    assert sheets[2].startswith("欧阳娜很长") and sheets[2].endswith("_000777")
    assert sheets[3] == "目录_1"
    assert all(len(sheet) <= 31 and not set(sheet) & set("[]:*?/\\'") for sheet in sheets)
    assert names.claim("目录") == "目录(2)"
