"""Run the periodic jobs in the foreground. Production runs exactly one of these processes."""

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management.base import BaseCommand
from django_apscheduler.jobstores import DjangoJobStore

from reservations.scheduler import delete_old_job_executions, release_expired_locks_job


class Command(BaseCommand):
    help = "Runs the scheduler: releases expired holds every RELEASE_INTERVAL_SECONDS."

    def handle(self, *args, **options):
        scheduler = BlockingScheduler(timezone=settings.TIME_ZONE)
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
            delete_old_job_executions,
            trigger=CronTrigger(hour="3", minute="0"),
            id="delete_old_job_executions",
            max_instances=1,
            replace_existing=True,
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Scheduler started: releasing expired holds every "
                f"{settings.RELEASE_INTERVAL_SECONDS}s. Press Ctrl+C to stop."
            )
        )
        try:
            scheduler.start()
        except KeyboardInterrupt:
            scheduler.shutdown()
            self.stdout.write("Scheduler stopped.")
