"""The periodic jobs, run by ``python manage.py runapscheduler`` (one process in production).

The jobs only tidy rows: an expired hold is already available to everyone before they run.
"""

import logging

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django_apscheduler import util
from django_apscheduler.jobstores import DjangoJobStore
from django_apscheduler.models import DjangoJobExecution

from . import services

logger = logging.getLogger("reservations.scheduler")

# How long the scheduler keeps its records of past job runs.
EXECUTION_HISTORY_SECONDS = 7 * 24 * 3600


@util.close_old_connections
def release_expired_locks_job() -> int:
    released = services.release_expired_locks()
    if released:
        logger.info("Released %d expired hold(s)", len(released))
    logger.debug("release_expired_locks ran: %d released", len(released))
    return len(released)


@util.close_old_connections
def prune_old_records_job() -> int:
    return services.prune_old_records()


@util.close_old_connections
def delete_old_job_executions(max_age: int = EXECUTION_HISTORY_SECONDS) -> None:
    DjangoJobExecution.objects.delete_old_job_executions(max_age)


def build_scheduler() -> BackgroundScheduler:
    """A scheduler with the jobs stored in the database (DjangoJobStore), not yet started: it runs
    in threads of its own once started (``runapscheduler`` then waits for the signal to stop it).

    Only ``manage.py runapscheduler`` (and the tests of it) start it: never the web workers or
    migrations.
    """
    scheduler = BackgroundScheduler(timezone=settings.TIME_ZONE)
    scheduler.add_jobstore(DjangoJobStore(), "default")
    scheduler.add_job(
        release_expired_locks_job,
        trigger=IntervalTrigger(seconds=settings.RELEASE_INTERVAL_SECONDS),
        id="release_expired_locks",
        max_instances=1,
        coalesce=True,
        replace_existing=True,
    )
    scheduler.add_job(
        prune_old_records_job,
        trigger=IntervalTrigger(seconds=settings.RELEASE_INTERVAL_SECONDS),
        id="prune_old_records",
        max_instances=1,
        coalesce=True,
        replace_existing=True,
    )
    scheduler.add_job(
        delete_old_job_executions,
        trigger=CronTrigger(hour="3", minute="0"),
        id="delete_old_job_executions",
        max_instances=1,
        replace_existing=True,
    )
    return scheduler
