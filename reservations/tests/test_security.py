"""Production settings, rate limits, authorization for every endpoint, and what the logs may say."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.utils import timezone

from reservations import services
from reservations.models import Seat
from reservations.tests.fixtures import PASSWORD
from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]

# The production environment documented in the README ("Running in production").
PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECURE": "1",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "tickets.example.com",
    "DATABASE_URL": "postgres://seats:secret@db.example.com:5432/seats",
}


def test_check_deploy_finds_no_issue_with_the_documented_production_settings():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=PROJECT,
        env={**env, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=PROJECT,
        env={**env, "DJANGO_DEBUG": "0"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


# --- Rate limits ------------------------------------------------------------------------------------

LIMITS = {"login_user": "3/300", "login_ip": "5/300", "register_ip": "2/3600", "hold": "4/10"}


@pytest.fixture
def limits():
    """The limits above, on a clock that stands still at the start of every window: the limiter
    counts in fixed windows of wall-clock time, and a test must not depend on where in one it runs."""
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    with (
        override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS),
        time_machine.travel(start, tick=False),
    ):
        yield start


def test_login_attempts_are_limited_per_username(limits, anon, alice, bob):
    for _ in range(3):
        assert_error(
            anon.post_json("/api/auth/login/", {"username": "alice", "password": "x"}),
            401,
            "authentication_required",
        )
    response = anon.post_json("/api/auth/login/", {"username": "alice", "password": PASSWORD})
    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"] == "300"  # the whole window: the clock stands at its start
    assert anon.post_json("/api/auth/login/", {"username": "bob", "password": PASSWORD}).status_code == 200
    # The token endpoint counts towards the same limit.
    assert_error(
        anon.post_json("/api/auth/token/", {"username": "ALICE", "password": PASSWORD}), 429, "rate_limited"
    )


def test_login_attempts_are_limited_per_address(limits, anon):
    for index in range(5):
        anon.post_json("/api/auth/login/", {"username": f"user{index}", "password": "x"})
    assert_error(
        anon.post_json("/api/auth/login/", {"username": "someone", "password": "x"}), 429, "rate_limited"
    )
    other = ApiClient(REMOTE_ADDR="10.0.0.9")
    assert_error(
        other.post_json("/api/auth/login/", {"username": "someone", "password": "x"}),
        401,
        "authentication_required",
    )


def test_registrations_are_limited_per_address(limits, anon):
    for index in range(2):
        assert (
            anon.post_json(
                "/api/auth/register/", {"username": f"new{index}", "password": PASSWORD}
            ).status_code
            == 201
        )
    assert_error(
        anon.post_json("/api/auth/register/", {"username": "new9", "password": PASSWORD}), 429, "rate_limited"
    )
    assert not get_user_model().objects.filter(username="new9").exists()


def test_hold_attempts_are_limited_per_user(limits, alice_api, bob_api, event, seat_ids):
    for seat_id in seat_ids[:4]:
        assert alice_api.post_json(f"/api/events/{event.pk}/seats/{seat_id}/lock/").status_code == 200
    response = alice_api.post_json(f"/api/events/{event.pk}/seats/{seat_ids[4]}/lock/")
    assert_error(response, 429, "rate_limited")
    assert response["Retry-After"] == "10"
    assert Seat.objects.get(pk=seat_ids[4]).status == "available"
    assert bob_api.post_json(f"/api/events/{event.pk}/seats/{seat_ids[5]}/lock/").status_code == 200
    with time_machine.travel(limits + timedelta(seconds=10), tick=False):  # the next window
        assert alice_api.post_json(f"/api/events/{event.pk}/seats/{seat_ids[4]}/lock/").status_code == 200


def test_rate_limits_are_on_by_default_in_production_settings():
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.RATE_LIMITS_ENABLED)"],
        cwd=PROJECT,
        env={
            **{k: v for k, v in os.environ.items() if k != "RATE_LIMITS"},
            **PRODUCTION_ENV,
            "DJANGO_SETTINGS_MODULE": "seat_reservation.settings",
            "PYTHONPATH": str(PROJECT),
        },
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip() == "True", result.stderr


# --- Authorization for every endpoint ---------------------------------------------------------------

AUTHENTICATED = [
    ("POST", "/api/events/{event}/seats/{seat}/lock/"),
    ("POST", "/api/events/{event}/seats/{seat}/unlock/"),
    ("POST", "/api/events/{event}/reserve/"),
    ("GET", "/api/reservations/"),
    ("GET", "/api/reservations/{reservation}/"),
    ("POST", "/api/reservations/{reservation}/cancel/"),
    ("POST", "/api/release-expired-locks/"),
]


@pytest.fixture
def alices_reservation(alice, event, seat_ids):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    return services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[0]])


@pytest.mark.parametrize(("method", "template"), AUTHENTICATED)
def test_every_write_and_private_read_needs_authentication(
    anon, event, seat_ids, alices_reservation, method, template
):
    path = template.format(event=event.pk, seat=seat_ids[1], reservation=alices_reservation.pk)
    response = anon.post_json(path, {"seat_ids": [seat_ids[1]]}) if method == "POST" else anon.get(path)
    assert_error(response, 401, "authentication_required")


def test_another_users_objects_are_out_of_reach(bob_api, alice, event, seat_ids, alices_reservation):
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[1])
    before = list(Seat.objects.order_by("pk").values_list("status", "locked_by", "reserved_by", "version"))
    checks = [
        (bob_api.post_json(f"/api/events/{event.pk}/seats/{seat_ids[1]}/unlock/"), 409, "lock_not_held"),
        (bob_api.post_json(f"/api/events/{event.pk}/seats/{seat_ids[1]}/lock/"), 409, "seat_unavailable"),
        (
            bob_api.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": [seat_ids[1]]}),
            409,
            "lock_not_held",
        ),
        (bob_api.get(f"/api/reservations/{alices_reservation.pk}/"), 404, "not_found"),
        (bob_api.post_json(f"/api/reservations/{alices_reservation.pk}/cancel/"), 403, "forbidden"),
        (bob_api.post_json("/api/release-expired-locks/"), 403, "forbidden"),
    ]
    for response, status, code in checks:
        assert_error(response, status, code)
    assert bob_api.get("/api/reservations/").json()["reservations"] == []
    seat = bob_api.get(f"/api/events/{event.pk}/seats/{seat_ids[1]}/").json()["seat"]
    assert seat["locked_until"] is None and seat["locked_by_me"] is False
    assert (
        list(Seat.objects.order_by("pk").values_list("status", "locked_by", "reserved_by", "version"))
        == before
    )


def test_staff_may_read_and_cancel_any_reservation(staff_api, alices_reservation):
    assert staff_api.get(f"/api/reservations/{alices_reservation.pk}/").status_code == 200
    assert staff_api.post_json(f"/api/reservations/{alices_reservation.pk}/cancel/").status_code == 200


# --- Logs ---------------------------------------------------------------------------------------------


def test_logs_trace_every_seat_write_and_never_hold_secrets(anon, caplog, event, seat_ids):
    caplog.set_level("DEBUG")
    anon.get("/api/auth/me/")
    anon.post_json("/api/auth/register/", {"username": "carol", "password": PASSWORD})
    anon.post_json("/api/auth/login/", {"username": "carol", "password": "wrong password"})
    token = anon.post_json("/api/auth/token/", {"username": "carol", "password": PASSWORD}).json()["token"]
    client = ApiClient(token=token)
    client.post_json(f"/api/events/{event.pk}/seats/{seat_ids[0]}/lock/")
    client.post_json(f"/api/events/{event.pk}/seats/{seat_ids[1]}/lock/")
    client.post_json(f"/api/events/{event.pk}/seats/{seat_ids[1]}/unlock/")
    reservation = client.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": [seat_ids[0]]}).json()
    client.post_json(f"/api/reservations/{reservation['reservation_id']}/cancel/")
    ApiClient(token="not-a-token").get("/api/reservations/")

    messages = [record.getMessage() for record in caplog.records]
    text = "\n".join(messages)
    assert PASSWORD not in text and "wrong password" not in text and token not in text
    assert "not-a-token" not in text
    user = get_user_model().objects.get(username="carol").pk
    assert f"seat.hold user={user} event={event.pk} seat={seat_ids[0]}" in text
    assert f"seat.unhold user={user} event={event.pk} seat={seat_ids[1]}" in text
    assert (
        f"reservation.confirm user={user} event={event.pk} reservation={reservation['reservation_id']}"
        in text
    )
    assert f"reservation.cancel user={user} by={user} reservation={reservation['reservation_id']}" in text
