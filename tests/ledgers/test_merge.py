"""The three-way merge: the user's edits win over an unchanged system, conflicts otherwise."""

from ledgers.merge import Values, merge

PHONE = "household.phone"
INCOME = ("2024", *["0.00"] * 12, "100.00", "100.00", "2", "50.00", "4000.00", "")


def values(*, phone="13812345678", health="健康", income=None, added=None, rows_extra=None):
    given = Values()
    given.fields[PHONE] = ("household:1", phone)
    given.fields["household.address"] = ("household:1", "一组")
    member = ("张三", "142232********1234", "户主", "男", "汉族", "1960-01-01", "小学",
              "非在校生", health, "普通劳动力", "乡（镇）内务工", "6", "是", "是", "",
              "12", "否", "否")  # fmt: skip
    given.rows["members"] = {"member:5": member}
    given.rows["income"] = {"income:7": income or INCOME}
    given.added = added or {}
    for table, rows in (rows_extra or {}).items():
        given.rows.setdefault(table, {}).update(rows)
    return given


def test_an_edit_of_an_unchanged_value_becomes_a_change():
    # given: the file changes the phone; the system still holds the exported phone
    base, current = values(), values()
    edited = values(phone="13900001111")

    # when
    merged = merge(household_id=1, base=base, edited=edited, current=current)

    # then
    assert [(c.column, c.old, c.new) for c in merged.changes] == [
        (PHONE, "13812345678", "13900001111")
    ]
    assert not merged.conflicts and not merged.errors


def test_a_value_the_user_left_alone_is_never_written_even_if_the_system_changed_it():
    # given: someone changed the health in the system after the export; the file did not
    base, edited = values(), values()
    current = values(health="长期慢性病")

    # when
    merged = merge(household_id=1, base=base, edited=edited, current=current)

    # then
    assert not merged.has_work


def test_both_sides_changing_a_value_is_a_conflict_with_all_three_values():
    # given
    base = values()
    edited = values(health="残疾")
    current = values(health="长期慢性病")

    # when
    merged = merge(household_id=9, base=base, edited=edited, current=current)

    # then
    assert not merged.changes
    [conflict] = merged.conflicts
    assert (conflict.base, conflict.new, conflict.old) == ("健康", "残疾", "长期慢性病")
    assert conflict.id == "9-1"


def test_the_same_edit_on_both_sides_is_neither_change_nor_conflict():
    base = values()
    merged = merge(
        household_id=1, base=base, edited=values(health="残疾"), current=values(health="残疾")
    )
    assert not merged.has_work


def test_an_edit_of_a_read_only_column_is_ignored_with_a_warning():
    # given: the member's name is read-only in the ledger
    base, current = values(), values()
    edited = values()
    row = list(edited.rows["members"]["member:5"])
    row[0] = "张叁"
    edited.rows["members"]["member:5"] = tuple(row)
    edited.places[("members", "member:5")] = "工作表“张三”第20行"

    # when
    merged = merge(household_id=1, base=base, edited=edited, current=current)

    # then
    assert not merged.has_work
    assert [(w.place, w.message) for w in merged.warnings] == [
        ("工作表“张三”第20行", "“姓名”不能在一户一册中修改，已忽略")
    ]


def test_an_unparsable_edit_is_an_error_of_the_household():
    merged = merge(household_id=1, base=values(), edited=values(health="很好"), current=values())
    assert not merged.changes
    assert "健康状况应为以下之一" in merged.errors[0].message


def test_an_added_income_row_is_an_addition_unless_its_year_is_stored():
    # given: a new row for 2025 and one for 2024, which the system already has
    new_2025 = ("2025", *["100.00"] * 12, "", "", "", "", "", "补录")
    new_2024 = ("2024", *["1.00"] * 12, "", "", "", "", "", "")
    edited = values(added={"income": [("第30行", new_2025), ("第31行", new_2024)]})

    # when
    merged = merge(household_id=1, base=values(), edited=edited, current=values())

    # then
    [addition] = merged.additions
    assert addition.values["year"] == "2025" and addition.values["notes"] == "补录"
    assert "gross_income" not in str(addition.values)  # computed columns are never taken
    assert [(e.place, e.message) for e in merged.errors] == [
        ("第31行", "2024年已有记录，请在原行修改")
    ]


def test_rows_added_to_a_read_only_table_are_ignored_with_a_warning():
    member = ("李四", "", "之子", "男", "汉族", "2000-01-01", "", "", "健康", "普通劳动力",
              "", "", "是", "是", "", "", "否", "否")  # fmt: skip
    edited = values(added={"members": [("第22行", member)]})
    merged = merge(household_id=1, base=values(), edited=edited, current=values())
    assert not merged.additions
    assert merged.warnings[0].message == "本表不能新增行，已忽略"


def test_editing_a_row_deleted_in_the_system_is_reported_not_written():
    base, edited = values(), values(health="残疾")
    current = values()
    del current.rows["members"]["member:5"]
    merged = merge(household_id=1, base=base, edited=edited, current=current)
    assert not merged.has_work
    assert merged.warnings[0].message == "该记录已在系统中删除，本行的修改未导入"


def test_a_row_deleted_from_the_file_keeps_the_stored_record():
    edited = values()
    del edited.rows["members"]["member:5"]
    merged = merge(household_id=1, base=values(), edited=edited, current=values())
    assert not merged.has_work
    assert "系统中的记录保留不变" in merged.warnings[0].message


def test_a_masked_number_left_as_exported_is_unchanged_and_a_typed_mask_is_refused():
    # given: the exported phone was masked
    base, current = values(phone="138****5678"), values(phone="138****5678")
    assert not merge(household_id=1, base=base, edited=values(phone="138****5678"),
                     current=current).has_work  # fmt: skip

    # when: the user types another masked number
    merged = merge(household_id=1, base=base, edited=values(phone="139****0000"), current=current)

    # then
    assert "遮挡" in merged.errors[0].message
