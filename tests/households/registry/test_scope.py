"""The uploader's area in the import: row errors at the preview, an aggregate check at the write."""

import io

import pytest

from households.models import Household, ImportBatch, JobStatus
from households.registry import pipeline, scope
from households.registry.export import export_registry
from households.registry.plan import Action
from households.registry.scope import UploaderArea
from tests import factories
from tests.accounts import personas
from tests.households.registry.workbooks import canonical, household_rows

pytestmark = pytest.mark.django_db
CHENGGUAN = UploaderArea("清河县", "城关镇")


@pytest.fixture(autouse=True)
def chengguan():
    """The clerk's township: an assignment names a township that exists."""
    return factories.TownshipFactory(county=factories.CountyFactory(), name="城关镇")


def preview(rows, area):
    return pipeline.preview_files([("花名册.xlsx", canonical(rows))], area=area)


def errors_of(result, number):
    return [e for e in result.errors if e.household_number == number]


@pytest.fixture
def stored_in_hekou():
    """Household 2001 of 河口镇河口村, imported by the command (no area limit)."""
    pipeline.run([("河口镇.xlsx", canonical(household_rows("2001", township="河口镇",
                  village="河口村", head="赵六", first_sequence=61)))])  # fmt: skip
    return Household.objects.get(household_number="2001")


def test_a_household_of_another_township_is_invalid_with_a_row_error_on_its_township():
    # given a file with a household of the clerk's township and one of another
    rows = household_rows("1001") + household_rows(
        "1002", township="河口镇", village="河口村", first_sequence=21
    )

    # when a 城关镇 clerk's upload is previewed
    result = preview(rows, CHENGGUAN)

    # then the other township's household is invalid, its error naming sheet, row and column
    assert [h.household_number for h in result.plan.of(Action.INVALID)] == ["1002"]
    [error] = errors_of(result, "1002")
    assert (error.sheet, error.row, error.column, error.value) == (
        "花名册",
        4,
        "乡（镇）",
        "河口镇",
    )
    assert error.message == "该户属于河口镇，不在您的管辖范围（城关镇）内"
    assert [h.household_number for h in result.plan.of(Action.CREATE)] == ["1001"]


def test_a_stored_household_of_another_township_cannot_be_updated_by_naming_ones_own(
    stored_in_hekou,
):
    # given a file that puts 河口镇's household 2001 in the clerk's township, under a new head
    rows = household_rows("2001", head="钱八", first_sequence=61)

    # when a 城关镇 clerk's upload is previewed
    result = preview(rows, CHENGGUAN)

    # then it is invalid, and the plan holds nothing of the stored household
    [planned] = result.plan.of(Action.INVALID)
    [error] = errors_of(result, "2001")
    assert "在系统中属于河口镇河口村，不在您的管辖范围（城关镇）内" in error.message
    assert planned.household_id is None and planned.changes == [] and planned.leaving == []
    assert "赵六" not in repr(result.plan)


def test_new_villages_are_allowed_to_a_township_clerk_new_townships_only_to_a_county_role():
    rows = household_rows("1001", village="新建村") + household_rows(
        "1002", township="新设镇", first_sequence=21
    )

    as_clerk = preview(rows, CHENGGUAN)
    as_county = preview(rows, UploaderArea("清河县"))

    assert [h.household_number for h in as_clerk.plan.of(Action.INVALID)] == ["1002"]
    assert as_clerk.summary["new_areas"]["villages"] == ["城关镇/新建村"]
    assert as_county.errors == [] and as_county.summary["new_areas"]["townships"] == [
        "清河县/新设镇"
    ]


def test_a_county_role_cannot_import_another_county_and_a_user_without_area_nothing():
    rows = household_rows("1001", county="故城县")

    [error] = preview(rows, UploaderArea("清河县")).errors
    assert (error.column, error.message) == (
        "县（市、区）",
        "该户属于故城县，不在您的管辖范围（清河县）内",
    )
    [error] = preview(household_rows("1001"), scope.NOWHERE).errors
    assert error.message == "您的账号没有管辖区域，不能导入花名册"


def test_the_uploaders_area_comes_from_their_role(chengguan):
    village = factories.VillageFactory(name="东关村", township=chengguan)

    assert scope.uploader_area(personas.township_staff(chengguan)) == CHENGGUAN
    assert scope.uploader_area(personas.county_staff(chengguan.county)) == UploaderArea("清河县")
    assert scope.uploader_area(personas.first_secretary(village)) == UploaderArea(
        "清河县", "城关镇", "东关村"
    )
    assert scope.uploader_area(personas.outsider()) is scope.NOWHERE
    assert scope.uploader_area(None) is None  # the command


def test_the_write_refuses_a_plan_that_leaves_the_confirmers_area(stored_in_hekou, chengguan):
    # given a batch previewed for the county staff, then confirmed by a 城关镇 clerk
    county = stored_in_hekou.village.township.county
    rows = household_rows("2001", township="河口镇", village="河口村", head="钱八",
                          first_sequence=61)  # fmt: skip
    files = [("花名册.xlsx", canonical(rows))]
    batch = pipeline.create_batch(files=files, user=personas.county_staff(county))
    pipeline.preview_batch(batch)
    batch.refresh_from_db()
    assert batch.status == JobStatus.PREVIEWED and not batch.errors
    batch.confirmed_by = personas.township_staff(chengguan)
    batch.policy = "all_or_nothing"

    # when it is written
    pipeline.write_batch(batch)

    # then the batch fails and nothing of it is written
    batch.refresh_from_db()
    assert batch.status == JobStatus.FAILED and "不在您管辖范围" in batch.failure
    assert not batch.touched.exists()
    stored_in_hekou.refresh_from_db()
    assert stored_in_hekou.members.get(relation_to_head="head").name == "赵六"


def test_a_web_batch_whose_uploader_is_gone_is_refused():
    batch = pipeline.create_batch(files=[("花名册.xlsx", canonical(household_rows()))], user=None)

    pipeline.preview_batch(batch)

    assert ImportBatch.objects.get(pk=batch.pk).status == JobStatus.REFUSED


def test_a_masked_export_read_back_gives_a_clear_error_per_masked_cell(stored_in_hekou):
    # given the default (masked) export of a stored household
    out = io.BytesIO()
    export_registry(out, households=Household.objects.all())

    # when it is imported again
    result = pipeline.preview_files([("花名册.xlsx", out.getvalue())])

    # then each masked ID and phone is an error saying so, and the household is invalid
    messages = {(e.column, e.message.split("；")[0]) for e in result.errors}
    assert messages == {
        ("证件号码", "证件号码已打码，不能导入"),
        ("联系电话", "联系电话已打码，不能导入"),
    }
    assert result.summary["households"]["invalid"] == 1
