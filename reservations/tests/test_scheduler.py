"""The expiry job: stored with DjangoJobStore, one instance at a time, executions recorded."""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_apscheduler.models import DjangoJob, DjangoJobExecution

from reservations import services
from reservations.models import Seat
from reservations.scheduler import build_scheduler, delete_old_job_executions, release_expired_locks_job


def test_no_scheduler_runs_in_the_web_process_or_tests():
    assert not [t for t in threading.enumerate() if "APScheduler" in t.name]


def close_other_connections() -> None:
    """Threads of the scheduler keep their database connections; end them so teardown can drop the DB."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_scheduled_job_releases_expired_holds_and_records_its_run(alice, event, seat_ids, settings):
    settings.RELEASE_INTERVAL_SECONDS = 3600
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    Seat.objects.filter(pk=seat_ids[0]).update(locked_until=timezone.now() - timedelta(seconds=1))
    scheduler = build_scheduler()
    scheduler.start()
    try:
        job = scheduler.get_job("release_expired_locks")
        assert job.trigger.interval == timedelta(seconds=3600)
        assert job.max_instances == 1
        assert DjangoJob.objects.filter(id="release_expired_locks").exists()
        job.modify(next_run_time=timezone.now())
        deadline = time.monotonic() + 20
        while not DjangoJobExecution.objects.filter(status=DjangoJobExecution.SUCCESS).exists():
            assert time.monotonic() < deadline, "the job did not run"
            time.sleep(0.05)
    finally:
        scheduler.shutdown()
        close_other_connections()
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"


# The jobs close stale connections like a request does, which a test transaction would not survive.
@pytest.mark.django_db(transaction=True)
def test_release_job_returns_the_number_released(alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    assert release_expired_locks_job() == 0
    Seat.objects.filter(pk=seat_ids[0]).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert release_expired_locks_job() == 1


@pytest.mark.django_db(transaction=True)
def test_old_job_executions_are_pruned():
    job = DjangoJob.objects.create(id="release_expired_locks", job_state=b"")
    DjangoJobExecution.objects.create(
        job=job, status=DjangoJobExecution.SUCCESS, run_time=timezone.now() - timedelta(days=8)
    )
    recent = DjangoJobExecution.objects.create(
        job=job, status=DjangoJobExecution.SUCCESS, run_time=timezone.now()
    )
    delete_old_job_executions()
    assert list(DjangoJobExecution.objects.values_list("pk", flat=True)) == [recent.pk]
