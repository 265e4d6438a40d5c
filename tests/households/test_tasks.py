"""Background tasks of the registry: run by the database queue's worker, and what they record."""

import io
import signal

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.test import override_settings

from households import tasks
from households.models import ImportBatch, JobStatus, RegistryExport
from households.registry import pipeline
from tests import factories
from tests.accounts import personas
from tests.households.registry.workbooks import canonical, household_rows

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
WORKER_SIGNALS = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]


def run_worker() -> None:
    """Run every queued task, then stop; the worker's signal handlers are undone afterwards."""
    handlers = {number: signal.getsignal(number) for number in WORKER_SIGNALS}
    try:
        call_command(
            "db_worker", "--batch", "--no-startup-delay", verbosity=0, stdout=io.StringIO()
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


def new_batch() -> ImportBatch:
    files = [("花名册.xlsx", canonical(household_rows("1001")))]
    return pipeline.create_batch(files=files, user=None, source="command")


# The database queue: the transaction of a test would hide the queued rows from the worker.
@pytest.mark.django_db(transaction=True)
def test_database_worker_runs_a_queued_preview():
    # given a batch whose preview is queued in the database
    with override_settings(TASKS=DATABASE_QUEUE):
        batch = new_batch()
        result = tasks.preview_registry_import.enqueue(batch.pk)
        batch.refresh_from_db()
        assert batch.status == JobStatus.QUEUED

        # when the worker runs
        run_worker()

    # then the batch was previewed and the task recorded as successful
    batch.refresh_from_db()
    assert batch.status == JobStatus.PREVIEWED
    assert batch.summary["households"]["created"] == 1
    with override_settings(TASKS=DATABASE_QUEUE):
        assert tasks.preview_registry_import.get_result(result.id).status == "SUCCESSFUL"


@pytest.mark.django_db
def test_a_preview_delivered_twice_does_nothing_the_second_time(monkeypatch):
    # given a batch already previewed
    batch = new_batch()
    tasks.preview_registry_import.enqueue(batch.pk)
    monkeypatch.setattr(pipeline, "preview_batch", _must_not_run)

    # when the task runs again
    status = tasks.preview_registry_import.call(batch.pk)

    # then it leaves the batch as it was
    assert status == JobStatus.PREVIEWED


@pytest.mark.django_db
def test_a_crashing_preview_marks_the_batch_failed_so_its_page_stops_waiting(monkeypatch):
    # given a preview that crashes
    batch = new_batch()
    monkeypatch.setattr(pipeline, "preview_batch", _crash)

    # when its task runs
    result = tasks.preview_registry_import.enqueue(batch.pk)

    # then the queue records the crash and the batch is FAILED with a Chinese message
    batch.refresh_from_db()
    assert result.status == "FAILED"
    assert batch.status == JobStatus.FAILED and "内部错误" in batch.failure
    assert batch.finished_at is not None


@pytest.mark.django_db
def test_write_runs_only_for_a_confirmed_batch(monkeypatch):
    # given a batch still waiting for its preview
    batch = new_batch()
    monkeypatch.setattr(pipeline, "write_batch", _must_not_run)

    # when a write task arrives for it
    status = tasks.write_registry_import.call(batch.pk)

    # then nothing is written
    assert status == JobStatus.QUEUED


@pytest.mark.django_db
def test_export_records_rows_progress_and_file_name():
    # given two members in a village
    head = factories.MemberFactory()
    factories.MemberFactory(household=head.household, relation_to_head="spouse", male=False)
    village = head.household.village
    user = personas.township_staff(village.township)
    export = RegistryExport.objects.create(created_by=user, village=village)

    # when the export is built
    tasks.build_registry_export.enqueue(export.pk, remote_addr="10.1.2.3")

    # then the row holds the workbook and its final progress
    export.refresh_from_db()
    assert export.status == JobStatus.DONE and export.rows == 2
    assert export.content and export.finished_at is not None
    assert export.file_name.endswith(".xlsx") and export.area_name in export.file_name
    assert export.progress_total and export.progress_done == export.progress_total
    # and it is recorded, with its requester, address and rows, as a masked export
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.remote_addr) == (user, "10.1.2.3")
    assert entry.additional_data["rows"] == 2 and entry.additional_data["full_ids"] is False


@pytest.mark.django_db
def test_export_outside_the_requesters_area_fails_and_holds_no_file():
    # given a township clerk's export of another township (their role changed after asking)
    village = factories.VillageFactory()
    user = personas.township_staff(factories.TownshipFactory(county=village.township.county))
    export = RegistryExport.objects.create(created_by=user, village=village)

    # when it is built
    tasks.build_registry_export.enqueue(export.pk)

    # then it is refused and nothing is recorded as exported
    export.refresh_from_db()
    assert export.status == JobStatus.FAILED and export.failure == "您无权导出该地区"
    assert export.content is None and not LogEntry.objects.filter(action=LogEntry.Action.ACCESS)


@pytest.mark.django_db
def test_full_numbers_asked_for_by_a_township_clerk_are_refused():
    # given a township clerk's export row marked for full numbers (forged: no checkbox for them)
    village = factories.VillageFactory()
    user = personas.township_staff(village.township)
    export = RegistryExport.objects.create(created_by=user, village=village, full_ids=True)

    # when it is built, then it is refused
    tasks.build_registry_export.enqueue(export.pk)
    export.refresh_from_db()
    assert export.status == JobStatus.FAILED and "完整证件号码" in export.failure


@pytest.mark.django_db
def test_export_refused_by_the_export_code_is_failed_with_its_message(monkeypatch):
    # given an export the export code refuses
    monkeypatch.setattr(tasks, "export_registry", _refuse)
    county = factories.CountyFactory()
    export = RegistryExport.objects.create(created_by=personas.county_staff(county), county=county)

    # when it is built
    tasks.build_registry_export.enqueue(export.pk)

    # then it is FAILED with that message and holds no file
    export.refresh_from_db()
    assert export.status == JobStatus.FAILED and export.failure == "该地区没有贫困户"
    assert export.content is None


@pytest.mark.django_db
def test_progress_is_saved_at_most_twice_a_second_and_always_at_the_end(django_assert_num_queries):
    # given an export's progress callback
    export = RegistryExport.objects.create(status=JobStatus.RUNNING)
    save = tasks.progress_saver(export.pk)

    # when it is called many times in a row
    with django_assert_num_queries(2):
        for done in range(1, 1001):
            save(done, 1000)

    # then the first and the last call were written
    export.refresh_from_db()
    assert (export.progress_done, export.progress_total) == (1000, 1000)


def _must_not_run(*args, **kwargs):
    raise AssertionError("must not run")


def _crash(*args, **kwargs):
    raise RuntimeError("bug")


def _refuse(*args, **kwargs):
    raise ValueError("该地区没有贫困户")
