"""The queue's rules, on both stores (the database, Redis): the same tests, the same answers."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings

from reservations import services as reservation_services
from waitingroom import services
from waitingroom.stores import draw_order, store

pytestmark = pytest.mark.django_db


def join(user, event, at):
    return services.join_queue(user=user, event_id=event.pk, now=at)


def status(user, event, at):
    return services.queue_status(user=user, event_id=event.pk, now=at)


def test_joining_before_the_onsale_gives_no_place_until_it_opens(queued_event, customers):
    before = queued_event.onsale_at - timedelta(minutes=5)
    first = join(customers[0], queued_event, before)
    assert first.state == "before_onsale"
    assert (first.position, first.ahead, first.admitted, first.estimated_wait_seconds) == (
        None,
        None,
        False,
        None,
    )
    assert first.opens_at == queued_event.onsale_at


def test_joining_again_keeps_the_same_place(queued_event, customers):
    opened = queued_event.onsale_at + timedelta(seconds=1)
    for customer in customers[:3]:
        join(customer, queued_event, opened)
    again = [join(customers[1], queued_event, opened + timedelta(seconds=n)).position for n in range(3)]
    assert again == [2, 2, 2]
    assert services.queue_stats(event_id=queued_event.pk, now=opened).waiting == 3


def test_the_lobby_gets_the_documented_random_order_at_the_onsale_and_later_arrivals_queue_in_order(
    queued_event, customers
):
    before = queued_event.onsale_at - timedelta(seconds=30)
    early, late = customers[:8], customers[8:]
    for index, customer in enumerate(early):
        join(customer, queued_event, before + timedelta(seconds=index))
    opened = queued_event.onsale_at
    late_places = [join(customer, queued_event, opened + timedelta(seconds=1)).position for customer in late]
    seed = services.queue_stats(event_id=queued_event.pk, now=opened).seed
    assert len(seed) == 32
    expected = draw_order(seed, [customer.pk for customer in early])
    places = {customer.pk: status(customer, queued_event, opened).position for customer in early}
    assert sorted(places, key=places.get) == expected
    assert sorted(places.values()) == list(range(1, 9))
    assert late_places == [9, 10, 11, 12]


def test_the_draw_is_a_different_order_each_time(make_event, backend, customers):
    orders = set()
    for _ in range(4):
        event = make_event()
        event = services.configure_sale(
            event_id=event.pk, onsale_at=event.event_date - timedelta(days=1), queue_enabled=True
        )
        for customer in customers:
            join(customer, event, event.onsale_at - timedelta(seconds=1))
        orders.add(tuple(status(customer, event, event.onsale_at).position for customer in customers))
    assert len(orders) > 1


def test_admission_keeps_to_the_rate_under_a_controlled_clock(queued_event, customers):
    services.configure_sale(event_id=queued_event.pk, per_minute=6, max_active=100)
    opened = queued_event.onsale_at
    for customer in customers:
        join(customer, queued_event, opened - timedelta(seconds=1))
    admitted = {}
    for second in range(0, 181):  # an admitter step every second for three minutes
        now = opened + timedelta(seconds=second)
        admitted[second] = services.admit(event_id=queued_event.pk, now=now)
    curve = [second for second, count in admitted.items() for _ in range(count)]
    # 6 a minute, spread over the minute: one every 10 s, never more in any 60 s.
    assert curve == [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]
    for start in range(0, 181):
        assert sum(1 for second in curve if start <= second < start + 60) <= 6


def test_a_fast_rate_admits_its_minute_in_one_second_steps_and_never_more(queued_event, make_user):
    services.configure_sale(event_id=queued_event.pk, per_minute=120, max_active=10_000)
    opened = queued_event.onsale_at
    for index in range(300):
        join(make_user(f"many{index}"), queued_event, opened)
    steps = [services.admit(event_id=queued_event.pk, now=opened + timedelta(seconds=s)) for s in range(130)]
    assert set(steps[:120]) == {2}  # 120 a minute: 2 a second
    for start in range(len(steps)):
        assert sum(steps[start : start + 60]) <= 120
    assert sum(steps) == 260


def test_a_paused_admitter_catches_up_within_the_minute_limit_only(queued_event, make_user):
    services.configure_sale(event_id=queued_event.pk, per_minute=60, max_active=10_000)
    opened = queued_event.onsale_at
    for index in range(100):
        join(make_user(f"many{index}"), queued_event, opened)
    assert services.admit(event_id=queued_event.pk, now=opened) == 1
    # Ten minutes without a step (the database was down): at most one second's credit, not ten minutes'.
    assert services.admit(event_id=queued_event.pk, now=opened + timedelta(minutes=10)) == 1


def test_at_most_max_active_are_admitted_and_a_slot_is_reused_when_an_admission_ends(
    queued_event, customers, django_capture_on_commit_callbacks
):
    services.configure_sale(event_id=queued_event.pk, per_minute=600, max_active=2)
    opened = queued_event.onsale_at
    for customer in customers[:5]:
        join(customer, queued_event, opened)
    assert services.admit(event_id=queued_event.pk, now=opened + timedelta(seconds=1)) == 2
    assert services.admit(event_id=queued_event.pk, now=opened + timedelta(seconds=2)) == 0
    first = status(customers[0], queued_event, opened + timedelta(seconds=2))
    assert first.admitted and first.state == "admitted"
    assert first.admitted_until == opened + timedelta(seconds=1 + 900)
    third = status(customers[2], queued_event, opened + timedelta(seconds=2))
    assert (third.position, third.ahead, third.admitted) == (1, 0, False)

    # The first customer reserves: their admission ends, the next customer takes the slot.
    seat = queued_event.seats.order_by("pk").first()
    with time_machine.travel(opened + timedelta(seconds=3), tick=False):
        reservation_services.lock_seat(user=customers[0], event_id=queued_event.pk, seat_id=seat.pk)
        with django_capture_on_commit_callbacks(execute=True):
            reservation_services.reserve_seats(
                user=customers[0], event_id=queued_event.pk, seat_ids=[seat.pk]
            )
    ended = status(customers[0], queued_event, opened + timedelta(seconds=4))
    assert ended.state == "ended" and not ended.admitted
    assert services.admit(event_id=queued_event.pk, now=opened + timedelta(seconds=4)) == 1
    assert status(customers[2], queued_event, opened + timedelta(seconds=4)).admitted

    # Admissions run out after QUEUE_ADMISSION_SECONDS: two more slots.
    later = opened + timedelta(seconds=1 + 900)
    assert not status(customers[1], queued_event, later).admitted
    assert services.admit(event_id=queued_event.pk, now=later) == 1  # the third's runs until 4 + 900
    assert services.admit(event_id=queued_event.pk, now=later + timedelta(seconds=3)) == 1
    assert services.queue_stats(event_id=queued_event.pk, now=later + timedelta(seconds=3)).waiting == 0


def test_a_customer_whose_admission_ended_queues_again_at_the_end(queued_event, customers):
    services.configure_sale(event_id=queued_event.pk, per_minute=600, max_active=1)
    opened = queued_event.onsale_at
    for customer in customers[:3]:
        join(customer, queued_event, opened)
    services.admit(event_id=queued_event.pk, now=opened)
    later = opened + timedelta(seconds=901)
    assert status(customers[0], queued_event, later).state == "ended"
    back = join(customers[0], queued_event, later)
    assert (back.state, back.position) == ("waiting", 3)  # behind the two still waiting


def test_the_estimated_wait_follows_the_admission_rate(queued_event, make_user):
    services.configure_sale(event_id=queued_event.pk, per_minute=60, max_active=10_000)
    opened = queued_event.onsale_at
    users = [make_user(f"many{index}") for index in range(121)]
    for user in users:
        join(user, queued_event, opened)
    services.admit(event_id=queued_event.pk, now=opened)
    last = status(users[-1], queued_event, opened)
    assert last.position == 120
    # 60 a minute: the 120th waiting is admitted in two minutes (plus one admitter step).
    assert last.estimated_wait_seconds == 120 + 1


def test_the_estimated_wait_counts_slots_that_free_up_slower_than_the_rate(queued_event, make_user):
    services.configure_sale(event_id=queued_event.pk, per_minute=600, max_active=1)
    opened = queued_event.onsale_at
    users = [make_user(f"many{index}") for index in range(3)]
    for user in users:
        join(user, queued_event, opened)
    services.admit(event_id=queued_event.pk, now=opened)
    # One slot, taken: the next frees up within an admission (900 s) at the latest, measured faster.
    assert status(users[1], queued_event, opened).estimated_wait_seconds == 60 + 1
    assert status(users[2], queued_event, opened).estimated_wait_seconds == 120 + 1


def test_nobody_is_admitted_before_the_onsale(queued_event, customers):
    for customer in customers[:3]:
        join(customer, queued_event, queued_event.onsale_at - timedelta(minutes=1))
    assert services.admit(event_id=queued_event.pk, now=queued_event.onsale_at - timedelta(seconds=1)) == 0
    assert services.admit(event_id=queued_event.pk, now=queued_event.onsale_at) == 1


@override_settings(QUEUE_ADMISSION_SECONDS=60)
def test_an_admission_lasts_queue_admission_seconds(queued_event, customers):
    opened = queued_event.onsale_at
    join(customers[0], queued_event, opened)
    services.admit(event_id=queued_event.pk, now=opened)
    assert store().admitted_until(
        event_id=queued_event.pk, user_id=customers[0].pk, now=opened
    ) == opened + timedelta(seconds=60)
    assert (
        store().admitted_until(
            event_id=queued_event.pk, user_id=customers[0].pk, now=opened + timedelta(seconds=60)
        )
        is None
    )


def test_the_random_order_does_not_follow_the_order_of_arrival(queued_event, make_user):
    """Spearman's rank correlation of arrival and place over 200 early joiners: its standard
    deviation is 1/sqrt(199) = 0.07 for a random order, so 0.35 (5 deviations) fails by chance about
    once in three million runs; an order that kept arrival would give 1."""
    users = [make_user(f"early{index}") for index in range(200)]
    before = queued_event.onsale_at - timedelta(minutes=10)
    for index, user in enumerate(users):
        join(user, queued_event, before + timedelta(seconds=index))
    places = [status(user, queued_event, queued_event.onsale_at).position for user in users]
    assert sorted(places) == list(range(1, 201))
    n = len(places)
    rho = 1 - 6 * sum((arrival - place) ** 2 for arrival, place in enumerate(places, start=1)) / (
        n * (n * n - 1)
    )
    assert abs(rho) < 0.35, rho
