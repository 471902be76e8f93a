"""The periodic jobs, run by ``python manage.py runapscheduler`` (one process in production).

The jobs only tidy rows: an expired hold is already available to everyone before they run.
"""

import logging

from django_apscheduler import util
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
    return len(released)


@util.close_old_connections
def delete_old_job_executions(max_age: int = EXECUTION_HISTORY_SECONDS) -> None:
    DjangoJobExecution.objects.delete_old_job_executions(max_age)
