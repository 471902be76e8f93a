"""Hostile input: every request gets a 4xx JSON error and the database does not change.

(Bodies that are too large, too deep, not UTF-8, of the wrong type, and id lists that overflow, are
negative, zero, duplicated or 10,000 long are in test_api_holds.py.)
"""

import pytest
from django.contrib.auth import get_user_model

from reservations.models import ApiToken, Reservation, Seat
from reservations.tests.fixtures import PASSWORD
from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db

SQL_LOOKING = ["' OR '1'='1", "alice'; DROP TABLE auth_user; --", '" OR ""="', "1; SELECT pg_sleep(10)"]


def snapshot() -> tuple:
    return (
        list(get_user_model().objects.order_by("pk").values_list("username", "password")),
        ApiToken.objects.count(),
        Reservation.objects.count(),
        list(Seat.objects.order_by("pk").values_list("status", "locked_by", "reserved_by", "version")),
    )


@pytest.mark.parametrize("username", [*SQL_LOOKING, "alice\x00", "ali\nce", "\x7f"])
@pytest.mark.parametrize("path", ["/api/auth/login/", "/api/auth/token/"])
def test_credentials_with_hostile_usernames_are_refused(anon, alice, event, path, username):
    before = snapshot()
    response = anon.post_json(path, {"username": username, "password": PASSWORD})
    assert response.status_code in (400, 401)
    assert_error(
        response,
        response.status_code,
        "invalid_request" if response.status_code == 400 else "authentication_required",
    )
    assert snapshot() == before


@pytest.mark.parametrize(
    "body",
    [
        {"username": "mallory\x00", "password": PASSWORD},
        {"username": "mallory", "password": PASSWORD + "\x00"},
        {"username": "mallory", "password": PASSWORD, "email": "m@example.com\x00"},
        {"username": "' OR '1'='1", "password": PASSWORD},
        {"username": "robert'); DROP TABLE reservations_seat;--", "password": PASSWORD},
        {"username": "zero\u200bwidth", "password": PASSWORD},
        {"username": "emoji🎟️", "password": PASSWORD},
        {"username": "x" * 151, "password": PASSWORD},
        {"username": "mallory", "password": "p" * 5000},
        {"username": ["mallory"], "password": PASSWORD},
        {"username": {"$ne": None}, "password": PASSWORD},
    ],
    ids=repr,
)
def test_registration_with_hostile_fields_is_refused(anon, alice, event, body):
    before = snapshot()
    assert_error(anon.post_json("/api/auth/register/", body), 400, "invalid_request")
    assert snapshot() == before


def test_unicode_letters_in_usernames_are_welcome_and_distinct(anon, alice):
    lookalike = "\u0430lice"  # starts with a Cyrillic a
    response = anon.post_json("/api/auth/register/", {"username": lookalike, "password": PASSWORD})
    assert response.status_code == 201
    assert get_user_model().objects.filter(username__in=["alice", lookalike]).count() == 2


@pytest.mark.parametrize(
    "path",
    [
        "/api/events/1%27%20OR%201=1/",
        "/api/events/1;DROP%20TABLE%20x/seats/",
        "/api/events/-1/seats/",
        "/api/reservations/0x10/",
        "/api/events/%00/",
        "/api/events/99999999999999999999999999/seats/1/lock/",
    ],
)
def test_hostile_paths_are_json_404(alice_api, event, path):
    before = snapshot()
    assert_error(alice_api.get(path), 404, "not_found")
    assert_error(alice_api.post_json(path), 404, "not_found")
    assert snapshot() == before


def test_sql_looking_bearer_token_is_refused(event):
    before = snapshot()
    client = ApiClient(token="' OR 1=1 --")
    assert_error(
        client.post_json(f"/api/events/{event.pk}/seats/{event.seats.first().pk}/lock/"),
        401,
        "authentication_required",
    )
    assert snapshot() == before
