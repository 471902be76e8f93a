"""Safe retries: an answer never reports failure for a change that was committed, and a request
repeated with the same Idempotency-Key is answered as the first time, without doing it twice."""

from contextlib import ExitStack
from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.utils import timezone

from reservations import auth, services
from reservations.models import IdempotentRequest, Reservation, Seat
from reservations.tests.helpers import ApiClient, assert_error, run_together

pytestmark = pytest.mark.django_db


def test_a_committed_reservation_is_not_answered_503_when_the_connection_drops_after_the_commit(
    alice_api, alice, event, seat_ids
):
    """Found by killing workers and restarting PostgreSQL under load: the view read the
    reservation's seats after the commit, and a connection lost right then answered 503."""
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    real = services.reserve_seats

    def lose_the_connection(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with ExitStack() as after_commit:

        def reserve_then_lose_the_connection(**kwargs):
            reservation = real(**kwargs)
            after_commit.enter_context(connection.execute_wrapper(lose_the_connection))
            return reservation

        with mock.patch("reservations.services.reserve_seats", side_effect=reserve_then_lose_the_connection):
            response = alice_api.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": [seat_ids[0]]})
    assert response.status_code == 201, response.content
    assert response.json()["seats"] == ["A1"]
    assert Reservation.objects.get().pk == response.json()["reservation_id"]


def reserve(client, event, seat_ids, key=None):
    extra = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": seat_ids}, **extra)


def test_a_repeated_reserve_with_the_same_key_gets_the_first_answer_and_reserves_once(
    alice_api, alice, event, seat_ids
):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    first = reserve(alice_api, event, seat_ids[:2], key="checkout-7f3a")
    again = reserve(alice_api, event, seat_ids[:2], key="checkout-7f3a")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert Reservation.objects.count() == 1


def test_the_same_key_with_another_body_is_a_conflict(alice_api, alice, event, seat_ids):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    assert reserve(alice_api, event, [seat_ids[0]], key="k1").status_code == 201
    body = assert_error(reserve(alice_api, event, [seat_ids[1]], key="k1"), 409, "idempotency_conflict")
    assert "different request" in body["error"]
    assert Reservation.objects.count() == 1


def test_keys_are_per_user_and_per_path(alice_api, bob_api, alice, bob, event, seat_ids):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    services.hold_seats(user=bob, event_id=event.pk, seat_ids=[seat_ids[1]])
    assert reserve(alice_api, event, [seat_ids[0]], key="same").status_code == 201
    assert reserve(bob_api, event, [seat_ids[1]], key="same").status_code == 201
    holds = bob_api.post_json(f"/api/events/{event.pk}/holds/", {"count": 2}, HTTP_IDEMPOTENCY_KEY="same")
    assert holds.status_code == 200
    assert Reservation.objects.count() == 2


def test_a_failed_request_is_not_remembered_and_its_repeat_runs_again(alice_api, alice, event, seat_ids):
    assert_error(reserve(alice_api, event, [seat_ids[0]], key="retry-me"), 409, "lock_not_held")
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    assert reserve(alice_api, event, [seat_ids[0]], key="retry-me").status_code == 201


def test_holds_and_cancel_are_idempotent_too(alice_api, alice, event, seat_ids):
    url = f"/api/events/{event.pk}/holds/"
    first = alice_api.post_json(url, {"count": 3}, HTTP_IDEMPOTENCY_KEY="hold-1")
    again = alice_api.post_json(url, {"count": 3}, HTTP_IDEMPOTENCY_KEY="hold-1")
    assert again.json() == first.json()
    assert Seat.objects.filter(status="locked").count() == 3
    reservation = services.reserve_seats(
        user=alice, event_id=event.pk, seat_ids=[s["id"] for s in first.json()["seats"]]
    )
    cancel = f"/api/reservations/{reservation.pk}/cancel/"
    assert alice_api.post_json(cancel, HTTP_IDEMPOTENCY_KEY="c-1").status_code == 200
    assert (
        alice_api.post_json(cancel, HTTP_IDEMPOTENCY_KEY="c-1").status_code == 200
    )  # not "already cancelled"
    assert_error(alice_api.post_json(cancel), 409, "not_cancellable")


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve", "two words", "tab\there"])
def test_a_malformed_key_is_400_and_nothing_happens(alice_api, alice, event, seat_ids, key):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])
    body = assert_error(reserve(alice_api, event, [seat_ids[0]], key=key or " "), 400, "invalid_request")
    assert "Idempotency-Key" in body["details"]
    assert not Reservation.objects.exists()


def test_a_key_is_forgotten_after_a_day(alice_api, alice, event, seat_ids):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    assert reserve(alice_api, event, [seat_ids[0]], key="daily").status_code == 201
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    assert services.prune_old_records() >= 1 and not IdempotentRequest.objects.exists()
    assert reserve(alice_api, event, [seat_ids[1]], key="daily").status_code == 201


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_requests_with_one_key_at_the_same_moment_reserve_once(alice, event, seat_ids):
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    client_token = auth.issue_token(user=alice)

    def send():
        return reserve(ApiClient(token=client_token), event, seat_ids[:2], key="twice").json()

    answers = run_together([send] * 4)  # all four at once
    assert Reservation.objects.count() == 1
    assert len(answers) == 4 and all(answer == answers[0] for answer in answers), answers
