"""``manage.py onsale``, the admitter (``run_waitingroom``, pausing while the database is down), and
the admin's "On-sales" page."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone

from reservations.models import Event
from waitingroom import services
from waitingroom.management.commands import run_waitingroom

pytestmark = pytest.mark.django_db


def onsale(*args: str) -> str:
    out = StringIO()
    call_command("onsale", *args, stdout=out)
    return out.getvalue()


def test_onsale_sets_the_time_and_the_queue(event, backend):
    printed = onsale(
        str(event.pk),
        "--at",
        "2030-06-01T10:00:00+02:00",
        "--queue",
        "--per-minute",
        "120",
        "--max-active",
        "50",
    )
    event.refresh_from_db()
    assert event.onsale_at.isoformat() == "2030-06-01T08:00:00+00:00"
    assert (event.queue_enabled, event.queue_per_minute, event.queue_max_active) == (True, 120, 50)
    assert "on sale 2030-06-01T08:00:00+00:00; queue on: 120 a minute, at most 50 at once" in printed
    assert "no queue" in onsale(str(event.pk), "--no-queue", "--at", "now")
    event.refresh_from_db()
    assert event.onsale_at is None and event.queue_enabled is False and event.queue_per_minute == 120


def test_onsale_refuses_bad_input_and_changes_nothing(event, backend):
    for args, message in [
        (["999999"], "Event not found"),
        ([str(event.pk), "--per-minute", "0"], "at least 1"),
        ([str(event.pk), "--at", "tomorrow"], "not an ISO 8601 time"),
    ]:
        with pytest.raises(CommandError, match=message):
            onsale(*args)
    assert Event.objects.get(pk=event.pk).queue_per_minute == 600
    with pytest.raises(CommandError):
        onsale(str(event.pk), "--queue", "--no-queue")


def test_the_admitter_admits_open_queues_and_pauses_while_the_database_is_down(queued_event, customers):
    opened = queued_event.onsale_at + timedelta(seconds=1)
    for customer in customers[:3]:
        services.join_queue(user=customer, event_id=queued_event.pk, now=opened)
    # (The step's close_old_connections would close the test's own transaction's connection.)
    with (
        mock.patch.object(timezone, "now", return_value=opened),
        mock.patch.object(run_waitingroom, "close_old_connections"),
    ):
        with mock.patch.object(services.Event.objects, "filter", side_effect=OperationalError("down")):
            assert run_waitingroom.step() is None
        assert services.queue_stats(event_id=queued_event.pk).admitted == 0
        assert run_waitingroom.step() == {queued_event.pk: 1}
        out = StringIO()
        call_command("run_waitingroom", "--once", stdout=out)  # within the same second: no credit left
        assert services.queue_stats(event_id=queued_event.pk).admitted == 1


def test_the_admin_shows_the_queue_live_and_changes_the_rate(admin_client_, queued_event, customers):
    opened = queued_event.onsale_at + timedelta(seconds=1)
    for customer in customers[:4]:
        services.join_queue(user=customer, event_id=queued_event.pk, now=opened)
    services.admit(event_id=queued_event.pk, now=opened)
    with mock.patch.object(timezone, "now", return_value=opened):
        page = admin_client_.get("/admin/waitingroom/onsale/")
        assert page.status_code == 200
        text = page.content.decode()
        assert queued_event.name in text and "Admitted in the last minute" in text
        change = admin_client_.get(f"/admin/waitingroom/onsale/{queued_event.pk}/change/")
        assert change.status_code == 200 and "Seed of the random order" in change.content.decode()
        saved = admin_client_.post(
            f"/admin/waitingroom/onsale/{queued_event.pk}/change/",
            {
                "onsale_at_0": queued_event.onsale_at.strftime("%Y-%m-%d"),
                "onsale_at_1": queued_event.onsale_at.strftime("%H:%M:%S"),
                "queue_enabled": "on",
                "queue_per_minute": "300",
                "queue_max_active": "3",
            },
        )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    event = Event.objects.get(pk=queued_event.pk)
    assert (event.queue_per_minute, event.queue_max_active) == (300, 3)
    assert services.sale_of(event.pk).per_minute == 300
