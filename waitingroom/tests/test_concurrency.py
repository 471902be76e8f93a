"""The queue under real concurrency, on PostgreSQL (row locks) and on Redis (scripts): threads that
join at the same moment, and admitters in several processes at the same moment."""

import multiprocessing
from datetime import timedelta

import pytest
from django.db import connections

from reservations.tests.helpers import run_together
from waitingroom import services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def places(event, users, at) -> list[int | None]:
    return [services.queue_status(user=user, event_id=event.pk, now=at).position for user in users]


def test_threads_joining_together_before_and_after_the_onsale_get_distinct_places(queued_event, make_user):
    early = [make_user(f"early{index}") for index in range(12)]
    late = [make_user(f"late{index}") for index in range(12)]
    opened = queued_event.onsale_at

    def joiner(user, at):
        return lambda: services.join_queue(user=user, event_id=queued_event.pk, now=at)

    before = run_together([joiner(user, opened - timedelta(seconds=1)) for user in early])
    assert all(answer.state == "before_onsale" for answer in before), before
    # The first of these draws the lobby's order; the others queue behind it, whoever comes first.
    after = run_together([joiner(user, opened + timedelta(seconds=1)) for user in late])
    assert all(answer.state == "waiting" for answer in after), after
    assert sorted(places(queued_event, early, opened)) == list(range(1, 13))
    assert sorted(answer.position for answer in after) == list(range(13, 25))
    # Joining again together, even at once, keeps everyone's place.
    again = run_together([joiner(user, opened + timedelta(seconds=2)) for user in early + late])
    assert sorted(answer.position for answer in again) == list(range(1, 25))


def _admitter(barrier, results, event_id, opened, steps):
    connections.close_all()  # this process's own connections
    barrier.wait(60)
    admitted = 0
    for second in range(steps):
        admitted += services.admit(event_id=event_id, now=opened + timedelta(seconds=second))
    results.put(admitted)
    connections.close_all()


def test_admitters_in_several_processes_never_pass_the_limits(queued_event, make_user):
    services.configure_sale(event_id=queued_event.pk, per_minute=600, max_active=25)
    opened = queued_event.onsale_at
    users = [make_user(f"fan{index}") for index in range(40)]
    for user in users:
        services.join_queue(user=user, event_id=queued_event.pk, now=opened)
    processes = 4
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(processes), context.Queue()
    connections.close_all()  # a forked child must not share the parent's connection
    workers = [
        context.Process(target=_admitter, args=(barrier, results, queued_event.pk, opened, 5))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    counts = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    # 10 a second (600 a minute) for each second, whoever runs the step; never more than 25 at once.
    assert sum(counts) == 25, counts
    admitted = [
        services.queue_status(user=user, event_id=queued_event.pk, now=opened).admitted for user in users
    ]
    assert admitted == [True] * 25 + [False] * 15
    assert services.queue_stats(event_id=queued_event.pk, now=opened + timedelta(seconds=5)).admitted == 25
