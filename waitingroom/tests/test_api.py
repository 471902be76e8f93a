"""The waiting room's API and the gate on holds, best available and reserve, on both stores: each
refusal answers the contract's code and changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.core.serializers.json import DjangoJSONEncoder

from reservations.models import IdempotentRequest, Reservation, Seat
from reservations.tests.helpers import assert_error
from waitingroom import services
from waitingroom.models import QueueEntry

pytestmark = pytest.mark.django_db


def queue_url(event_id: int) -> str:
    return f"/api/events/{event_id}/queue/"


def attempts(event, seat_id: int):
    """Every operation the gate guards, as (name, call on a client)."""
    base = f"/api/events/{event.pk}"
    return [
        ("lock", lambda api: api.post_json(f"{base}/seats/{seat_id}/lock/")),
        ("holds", lambda api: api.post_json(f"{base}/holds/", {"seat_ids": [seat_id]})),
        ("best available", lambda api: api.post_json(f"{base}/holds/", {"count": 2})),
        ("reserve", lambda api: api.post_json(f"{base}/reserve/", {"seat_ids": [seat_id]})),
        (
            "idempotent holds",
            lambda api: api.post_json(f"{base}/holds/", {"count": 1}, HTTP_IDEMPOTENCY_KEY="k-1"),
        ),
    ]


def seats_state(event) -> list:
    return list(event.seats.order_by("pk").values_list("status", "locked_by", "reserved_by"))


def assert_nothing_changed(event, before) -> None:
    assert seats_state(event) == before
    assert not Reservation.objects.exists()
    assert not IdempotentRequest.objects.exists()


def test_event_answers_show_the_onsale_and_the_queue(anon, queued_event):
    event = anon.get(f"/api/events/{queued_event.pk}/").json()["event"]
    assert event["queue"] == {"enabled": True, "per_minute": 60, "max_active": 2}
    assert event["onsale_at"].startswith(queued_event.onsale_at.isoformat()[:19])
    listed = anon.get("/api/events/").json()["events"][0]
    assert listed["queue"]["enabled"] is True and listed["onsale_at"] == event["onsale_at"]


def test_an_event_without_an_onsale_is_on_sale_now(anon, event, alice_api, backend):
    answer = anon.get(f"/api/events/{event.pk}/").json()["event"]
    assert answer["onsale_at"] is None and answer["queue"]["enabled"] is False
    seat = event.seats.order_by("pk").first()
    assert alice_api.post_json(f"/api/events/{event.pk}/seats/{seat.pk}/lock/").status_code == 200


def test_before_the_onsale_every_guarded_operation_answers_not_on_sale_and_changes_nothing(
    make_event, alice_api, backend
):
    event = make_event()
    event = services.configure_sale(event_id=event.pk, onsale_at=event.created_at + timedelta(hours=1))
    seat = event.seats.order_by("pk").first()
    before = seats_state(event)
    for name, call in attempts(event, seat.pk):
        body = assert_error(call(alice_api), 409, "not_on_sale")
        assert body["details"]["onsale_at"] == DjangoJSONEncoder().default(event.onsale_at), name
    assert_nothing_changed(event, before)
    with time_machine.travel(event.onsale_at, tick=False):
        assert alice_api.post_json(f"/api/events/{event.pk}/seats/{seat.pk}/lock/").status_code == 200


def test_a_customer_not_admitted_gets_queue_required_and_changes_nothing(queued_event, alice, alice_api):
    seat = queued_event.seats.order_by("pk").first()
    with time_machine.travel(queued_event.onsale_at + timedelta(seconds=5), tick=False):
        before = seats_state(queued_event)
        for _, call in attempts(queued_event, seat.pk):
            assert_error(call(alice_api), 403, "queue_required")
        # In the queue but not yet admitted: the same.
        assert alice_api.post_json(queue_url(queued_event.pk)).status_code == 200
        for _, call in attempts(queued_event, seat.pk):
            assert_error(call(alice_api), 403, "queue_required")
        assert_nothing_changed(queued_event, before)


def test_an_admitted_customer_holds_and_reserves_and_a_second_account_cannot_use_their_admission(
    queued_event, alice, alice_api, bob_api, django_capture_on_commit_callbacks
):
    seat = queued_event.seats.order_by("pk").first()
    base = f"/api/events/{queued_event.pk}"
    with time_machine.travel(queued_event.onsale_at + timedelta(seconds=5), tick=False):
        alice_api.post_json(queue_url(queued_event.pk))
        assert services.admit(event_id=queued_event.pk) == 1
        place = alice_api.get(queue_url(queued_event.pk)).json()["queue"]
        assert place["admitted"] is True and place["state"] == "admitted"

        before = seats_state(queued_event)
        assert_error(bob_api.post_json(f"{base}/seats/{seat.pk}/lock/"), 403, "queue_required")
        assert seats_state(queued_event) == before

        assert alice_api.post_json(f"{base}/seats/{seat.pk}/lock/").status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            reserved = alice_api.post_json(f"{base}/reserve/", {"seat_ids": [seat.pk]})
        assert reserved.status_code == 201
        # The reservation used the admission up.
        assert alice_api.get(queue_url(queued_event.pk)).json()["queue"]["state"] == "ended"
        other = queued_event.seats.order_by("pk")[1]
        assert_error(alice_api.post_json(f"{base}/seats/{other.pk}/lock/"), 403, "queue_required")
    assert Seat.objects.get(pk=seat.pk).status == "reserved"


def test_joining_answers_the_place_and_again_the_same(queued_event, alice_api, bob_api):
    with time_machine.travel(queued_event.onsale_at + timedelta(seconds=5), tick=False):
        first = alice_api.post_json(queue_url(queued_event.pk))
        assert first.status_code == 200 and first["Cache-Control"].startswith("max-age=0")
        assert "private" in first["Cache-Control"] or "no-store" in first["Cache-Control"]
        assert first.json() == {
            "success": True,
            "queue": {
                "state": "waiting",
                "position": 1,
                "ahead": 0,
                "admitted": False,
                "admitted_until": None,
                "estimated_wait_seconds": 2,
                "opens_at": None,
                "per_minute": 60,
            },
        }
        assert bob_api.post_json(queue_url(queued_event.pk)).json()["queue"]["position"] == 2
        assert alice_api.post_json(queue_url(queued_event.pk)).json() == first.json()
        assert alice_api.get(queue_url(queued_event.pk)).json() == first.json()


def test_before_the_onsale_the_place_is_drawn_later(queued_event, alice_api):
    answer = alice_api.post_json(queue_url(queued_event.pk)).json()["queue"]
    assert answer["state"] == "before_onsale" and answer["position"] is None
    assert answer["opens_at"].startswith(queued_event.onsale_at.isoformat()[:19])


def test_the_place_of_a_customer_not_in_the_queue_is_null(queued_event, alice_api, event):
    assert alice_api.get(queue_url(queued_event.pk)).json() == {"success": True, "queue": None}
    assert alice_api.get(queue_url(event.pk)).json() == {"success": True, "queue": None}  # no queue at all


def test_joining_an_event_without_a_queue_is_not_found_and_changes_nothing(event, alice_api, backend):
    body = assert_error(alice_api.post_json(queue_url(event.pk)), 404, "not_found")
    assert "no waiting room" in body["error"]
    assert not QueueEntry.objects.exists()
    assert services.queue_stats(event_id=event.pk).waiting == 0


def test_unknown_events_and_anonymous_callers(queued_event, alice_api, anon, backend):
    assert_error(alice_api.post_json(queue_url(999999)), 404, "not_found")
    assert_error(alice_api.get(queue_url(999999)), 404, "not_found")
    assert_error(anon.post_json(queue_url(queued_event.pk)), 401, "authentication_required")
    assert_error(anon.get(queue_url(queued_event.pk)), 401, "authentication_required")
    assert services.queue_stats(event_id=queued_event.pk).waiting == 0


def test_a_customer_cannot_admit_themself(queued_event, alice, alice_api):
    with time_machine.travel(queued_event.onsale_at + timedelta(seconds=5), tick=False):
        for _ in range(3):
            answer = alice_api.post_json(queue_url(queued_event.pk), {"admitted": True, "position": 0})
            assert answer.json()["queue"]["admitted"] is False
        seat = queued_event.seats.order_by("pk").first()
        assert_error(
            alice_api.post_json(f"/api/events/{queued_event.pk}/seats/{seat.pk}/lock/"), 403, "queue_required"
        )
        assert_error(alice_api.post_json("/api/release-expired-locks/"), 403, "forbidden")
        assert services.queue_stats(event_id=queued_event.pk).admitted == 0


def test_joining_a_started_event_is_closed(make_event, alice_api, backend):
    event = make_event(starts_in=timedelta(hours=1))
    services.configure_sale(event_id=event.pk, queue_enabled=True)
    with time_machine.travel(event.event_date + timedelta(seconds=1), tick=False):
        assert_error(alice_api.post_json(queue_url(event.pk)), 409, "event_closed")
    assert not QueueEntry.objects.exists()
