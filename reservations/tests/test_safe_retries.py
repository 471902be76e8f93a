"""Safe retries: an answer never reports failure for a change that was committed, and a request
repeated with the same Idempotency-Key is answered as the first time, without doing it twice."""

from contextlib import ExitStack
from unittest import mock

import pytest
from django.db import OperationalError, connection

from reservations import services
from reservations.models import Reservation

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
