"""Accounts: session login with CSRF for the browser, hashed Bearer tokens for API clients."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reservations.models import ApiToken, Seat
from reservations.tests.fixtures import PASSWORD
from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser() -> ApiClient:
    """A browser-like client: sessions and enforced CSRF checks."""
    return ApiClient(enforce_csrf_checks=True)


def csrf_header(client: ApiClient) -> dict:
    client.get("/api/auth/me/")
    return {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}


def test_me_is_null_when_anonymous_and_sets_the_csrf_cookie(browser):
    response = browser.get("/api/auth/me/")
    assert response.json() == {"success": True, "user": None}
    assert browser.cookies["csrftoken"].value


def test_register_logs_the_new_user_in(browser):
    response = browser.post_json(
        "/api/auth/register/",
        {"username": "carol", "password": PASSWORD, "email": "carol@example.com"},
        **csrf_header(browser),
    )
    assert response.status_code == 201
    assert response.json()["user"]["username"] == "carol"
    assert browser.get("/api/auth/me/").json()["user"]["username"] == "carol"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "carol", "password": "123"}, "password"),
        ({"username": "carol", "password": "password"}, "password"),
        ({"username": "bad name!", "password": PASSWORD}, "username"),
        ({"username": "carol", "password": PASSWORD, "email": "nope"}, "email"),
        ({"username": "carol", "password": PASSWORD, "email": 7}, "email"),
        ({"username": "", "password": PASSWORD}, "username"),
        ({"username": 5, "password": PASSWORD}, "username"),
        ({"username": "carol"}, "password"),
    ],
)
def test_register_refuses_invalid_fields(browser, body, field):
    body = assert_error(
        browser.post_json("/api/auth/register/", body, **csrf_header(browser)), 400, "invalid_request"
    )
    assert field in body["details"]
    assert browser.get("/api/auth/me/").json()["user"] is None


def test_register_refuses_a_taken_username_whatever_its_case(browser, alice):
    response = browser.post_json(
        "/api/auth/register/", {"username": "ALICE", "password": PASSWORD}, **csrf_header(browser)
    )
    assert assert_error(response, 400, "invalid_request")["details"] == {
        "username": ["That username is taken."]
    }


def test_register_accepts_unicode_usernames(browser):
    response = browser.post_json(
        "/api/auth/register/", {"username": "zoë_日本", "password": PASSWORD}, **csrf_header(browser)
    )
    assert response.status_code == 201 and response.json()["user"]["username"] == "zoë_日本"


def test_login_and_logout_with_a_session(browser, alice):
    response = browser.post_json(
        "/api/auth/login/", {"username": "alice", "password": PASSWORD}, **csrf_header(browser)
    )
    assert response.status_code == 200 and response.json()["user"]["id"] == alice.pk
    logout = browser.post_json("/api/auth/logout/", **csrf_header(browser))
    assert logout.status_code == 200
    assert browser.get("/api/auth/me/").json()["user"] is None


def test_login_failure_does_not_say_whether_the_user_exists(browser, alice):
    wrong_password = browser.post_json(
        "/api/auth/login/", {"username": "alice", "password": "nope"}, **csrf_header(browser)
    )
    unknown_user = browser.post_json(
        "/api/auth/login/", {"username": "nobody", "password": "nope"}, **csrf_header(browser)
    )
    first = assert_error(wrong_password, 401, "authentication_required")
    second = assert_error(unknown_user, 401, "authentication_required")
    assert first == second


def test_session_post_without_csrf_token_is_refused(browser, alice, event):
    browser.force_login(alice)
    seat = event.seats.first()
    response = browser.post_json(f"/api/events/{event.pk}/seats/{seat.pk}/lock/")
    assert_error(response, 403, "csrf_failed")
    assert Seat.objects.get(pk=seat.pk).status == "available"
    ok = browser.post_json(f"/api/events/{event.pk}/seats/{seat.pk}/lock/", **csrf_header(browser))
    assert ok.status_code == 200


def test_login_without_csrf_token_is_refused(browser, alice):
    response = browser.post_json("/api/auth/login/", {"username": "alice", "password": PASSWORD})
    assert_error(response, 403, "csrf_failed")


def test_token_is_issued_for_valid_credentials_and_stored_hashed(anon, alice, event):
    response = ApiClient(enforce_csrf_checks=True).post_json(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["token"]
    stored = ApiToken.objects.get(user=alice)
    assert stored.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.digest
    # Bearer requests need no CSRF token.
    client = ApiClient(token=token, enforce_csrf_checks=True)
    seat = event.seats.first()
    assert client.post_json(f"/api/events/{event.pk}/seats/{seat.pk}/lock/").status_code == 200
    assert client.get("/api/auth/me/").json()["user"]["username"] == "alice"


def test_each_token_call_issues_a_new_token(anon, alice):
    tokens = {
        anon.post_json("/api/auth/token/", {"username": "alice", "password": PASSWORD}).json()["token"]
        for _ in range(2)
    }
    assert len(tokens) == 2 and ApiToken.objects.filter(user=alice).count() == 2


def test_token_refused_for_bad_credentials(anon, alice):
    response = anon.post_json("/api/auth/token/", {"username": "alice", "password": "wrong"})
    assert_error(response, 401, "authentication_required")
    assert_error(anon.post_json("/api/auth/token/", {"username": "alice"}), 400, "invalid_request")
    assert not ApiToken.objects.exists()


def test_token_of_an_inactive_user_is_refused(alice, api_for):
    client = api_for(alice)
    alice.is_active = False
    alice.save()
    assert_error(client.get("/api/auth/me/"), 401, "authentication_required")


def test_create_api_token_command_issues_and_revokes(alice):
    out = StringIO()
    call_command("create_api_token", "alice", stdout=out)
    token = out.getvalue().strip()
    assert ApiClient(token=token).get("/api/auth/me/").json()["user"]["username"] == "alice"
    out = StringIO()
    call_command("create_api_token", "alice", "--revoke", stdout=out)
    assert "Revoked 1 token(s)" in out.getvalue()
    assert_error(ApiClient(token=token).get("/api/auth/me/"), 401, "authentication_required")
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody")
