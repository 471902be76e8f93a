"""Account recovery by e-mail, and the address it goes to."""

import re

import pytest
from django.contrib.auth import get_user_model

from reservations.tests.fixtures import PASSWORD
from reservations.tests.helpers import ApiClient, assert_error
from tickets import services as ticket_services

pytestmark = pytest.mark.django_db

RESET = "/api/auth/password-reset/"
CONFIRM = "/api/auth/password-reset/confirm/"
JSON = "application/json"


def reset_link(smtp) -> tuple[str, str]:
    ticket_services.send_queued_emails()
    [message] = smtp.inbox.messages
    assert message["Subject"] == "Reset your password"
    found = re.search(
        r"https://tickets\.example\.com/reset-password/([\w-]+)/([\w-]+)",
        message.get_body(("plain",)).get_content(),
    )
    return found.group(1), found.group(2)


def can_log_in(username: str, password: str) -> bool:
    return (
        ApiClient().post_json("/api/auth/login/", {"username": username, "password": password}).status_code
        == 200
    )


def test_a_reset_link_sets_a_new_password_once(smtp, make_user):
    make_user("dora", email="Dora@Example.com")
    anon = ApiClient()
    assert anon.post_json(RESET, {"email": "dora@example.com"}).json() == {"success": True}
    uid, token = reset_link(smtp)
    new = "a-brand-new-passphrase-42"
    assert anon.post_json(CONFIRM, {"uid": uid, "token": token, "password": new}).status_code == 200
    assert can_log_in("dora", new) and not can_log_in("dora", PASSWORD)
    again = anon.post_json(CONFIRM, {"uid": uid, "token": token, "password": "yet-another-passphrase-7"})
    assert_error(again, 400, "invalid_request")  # a link works once
    assert can_log_in("dora", new)


def test_an_unknown_address_gets_the_same_answer_and_no_mail(smtp):
    response = ApiClient().post_json(RESET, {"email": "nobody@example.com"})
    assert (response.status_code, response.json()) == (202, {"success": True})
    assert ticket_services.send_queued_emails() == ticket_services.Sent(0, 0)
    assert smtp.inbox.messages == []


def test_a_link_stops_working_once_the_password_changed_otherwise(smtp, make_user):
    user = make_user("erin", email="erin@example.com")
    ApiClient().post_json(RESET, {"email": "erin@example.com"})
    uid, token = reset_link(smtp)
    user.set_password("changed-in-the-meantime-1")
    user.save()
    response = ApiClient().post_json(
        CONFIRM, {"uid": uid, "token": token, "password": "my-new-passphrase-99"}
    )
    assert_error(response, 400, "invalid_request")
    assert can_log_in("erin", "changed-in-the-meantime-1")


@pytest.mark.parametrize(
    "change",
    [
        {"token": "1-abcdef"},
        {"uid": "MTIzNDU2"},  # another user's id
        {"uid": "!!!"},
        {"password": "123"},  # refused by the validators
    ],
)
def test_wrong_links_and_weak_passwords_are_refused_and_change_nothing(smtp, make_user, change):
    make_user("finn", email="finn@example.com")
    ApiClient().post_json(RESET, {"email": "finn@example.com"})
    uid, token = reset_link(smtp)
    body = {"uid": uid, "token": token, "password": "a-perfectly-good-passphrase", **change}
    assert_error(ApiClient().post_json(CONFIRM, body), 400, "invalid_request")
    assert can_log_in("finn", PASSWORD)


def test_reset_requests_are_limited_per_address(settings, make_user):
    make_user("gus", email="gus@example.com")
    settings.RATE_LIMITS_ENABLED = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "password_reset": "2/3600"}
    for _ in range(2):
        assert ApiClient().post_json(RESET, {"email": "gus@example.com"}).status_code == 202
    assert_error(ApiClient().post_json(RESET, {"email": "GUS@example.com"}), 429, "rate_limited")


def test_customers_set_their_address_and_me_shows_it(alice_api, alice):
    response = alice_api.patch(
        "/api/auth/me/", {"email": "alice@example.com"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["user"]["email"] == "alice@example.com"
    assert alice_api.get("/api/auth/me/").json()["user"]["email"] == "alice@example.com"


@pytest.mark.parametrize(
    "email",
    ["alice@example.com\r\nBcc: everyone@example.com", "alice@example.com\nX: y", "not an address", "a@b@c"],
)
def test_addresses_that_could_inject_headers_or_are_not_addresses_are_refused(alice_api, alice, email):
    response = alice_api.patch("/api/auth/me/", {"email": email}, content_type=JSON)
    assert_error(response, 400, "invalid_request")
    alice.refresh_from_db()
    assert alice.email == ""
    registered = ApiClient().post_json(
        "/api/auth/register/", {"username": "zed", "password": PASSWORD, "email": email}
    )
    assert_error(registered, 400, "invalid_request")
    assert not get_user_model().objects.filter(username="zed").exists()


def test_setting_an_address_needs_a_signed_in_customer():
    response = ApiClient().patch("/api/auth/me/", {"email": "x@example.com"}, content_type=JSON)
    assert_error(response, 401, "authentication_required")
