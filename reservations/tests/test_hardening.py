"""The audit's findings (issue: fair limits and hardened accounts), each reproduced as a test first,
then fixed: whatever a client sends, a defined answer and no damage."""

import base64
import json
import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client, override_settings
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reservations import auth, ratelimit, services
from reservations.models import ApiToken, Seat
from reservations.tests.fixtures import PASSWORD
from reservations.tests.helpers import ApiClient, assert_error, run_together

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


def crafted(*fields) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(fields)).encode()).decode().rstrip("=")


# --- Cursors and ETags: any input gets the whole grid, never a 5xx -------------------------------------


def now_ms() -> int:
    return int(time.time() * 1000)


@pytest.mark.parametrize(
    "fields",
    [
        (2**63, "now", 0),  # xid past a bigint, at a time that is followable
        (2**63 - 1, "now", 0),
        (1, "now", 2**63 - 1),  # seen past anything
        (1, 2**63 - 1, 0),  # a time no datetime holds
        (-1, "now", -5),
        (1.5, "x", None),
    ],
)
def test_a_crafted_cursor_or_etag_gets_the_whole_grid(anon, event, fields):
    xid, ms, seen = fields
    cursor = crafted(1, event.pk, None, xid, now_ms() if ms == "now" else ms, seen)
    since = anon.get(f"/api/events/{event.pk}/seats/", {"since": cursor})
    assert since.status_code == 200 and since.json()["full"] is True
    etag = anon.get(f"/api/events/{event.pk}/seats/", HTTP_IF_NONE_MATCH=f'W/"{cursor}.0.300"')
    assert etag.status_code == 200 and etag.json()["full"] is True


@hypothesis_settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(raw=st.binary(max_size=120))
def test_any_bytes_as_a_cursor_get_an_answer_not_an_error(anon, event, raw):
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")[:200]
    response = anon.get(f"/api/events/{event.pk}/seats/", {"since": cursor})
    assert response.status_code == 200, response.content[:300]
    assert response.json()["full"] is True  # none of these is a cursor this server made


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.lists(
        st.one_of(
            st.integers(min_value=-(2**63), max_value=2**64), st.none(), st.text(max_size=5), st.floats()
        ),
        min_size=6,
        max_size=6,
    )
)
def test_any_well_formed_cursor_with_any_numbers_gets_an_answer(anon, event, fields):
    xid, offset, seen = fields[3:]
    ms = now_ms() + offset if isinstance(offset, int) and abs(offset) < 10**9 else offset
    cursor = crafted(1, event.pk, None, xid, ms, seen)
    response = anon.get(f"/api/events/{event.pk}/seats/", {"since": cursor})
    assert response.status_code == 200, response.content[:300]


def test_any_idempotency_key_gets_a_defined_answer(alice_api, event):
    for key in ["\x00", "é", "a" * 256, " ", "\x7f"]:
        response = alice_api.post_json(
            f"/api/events/{event.pk}/holds/", {"count": 1}, HTTP_IDEMPOTENCY_KEY=key
        )
        assert response.status_code == 400 and response.json()["code"] == "invalid_request"
    assert ApiClient().get("/api/health/").status_code == 200


# --- Usernames are unique ignoring case -----------------------------------------------------------------


def test_a_username_that_differs_only_in_case_is_taken(anon, alice):
    for name in ("Alice", "ALICE", "alice"):
        body = anon.post_json("/api/auth/register/", {"username": name, "password": "a-long-passphrase-1"})
        assert_error(body, 400, "invalid_request")
    assert get_user_model().objects.count() == 1


def test_usernames_are_nfkc_normalised_before_they_are_compared(anon, make_user):
    make_user("ﬁona")  # the "fi" ligature: NFKC makes it "fiona"
    body = anon.post_json("/api/auth/register/", {"username": "FIONA", "password": "a-long-passphrase-1"})
    assert_error(body, 400, "invalid_request")


def test_the_database_refuses_a_case_clash_whatever_the_code_does(make_user):
    make_user("racecase1")
    with pytest.raises(IntegrityError), transaction.atomic():
        get_user_model().objects.create(username="RaceCase1")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_registrations_that_differ_in_case_at_the_same_moment_make_one_account():
    def register(name):
        client = ApiClient()
        client.get("/api/auth/me/")
        body = {"username": name, "password": "a-long-passphrase-1"}
        csrf = client.cookies["csrftoken"].value
        return lambda: client.post_json("/api/auth/register/", body, HTTP_X_CSRFTOKEN=csrf).status_code

    statuses = run_together([register(name) for name in ("racecase1", "RACECASE1", "Racecase1")])
    assert sorted(statuses) == [201, 400, 400], statuses
    assert get_user_model().objects.filter(username__iexact="racecase1").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_migration_names_accounts_that_already_clash_instead_of_failing_obscurely():
    call_command("migrate", "reservations", "0005", verbosity=0)
    try:
        get_user_model().objects.create(username="Dup")
        get_user_model().objects.create(username="dUP")
        with pytest.raises(RuntimeError, match=r"differ only in case must be settled.*Dup, dUP"):
            call_command("migrate", "reservations", verbosity=0)
        get_user_model().objects.filter(username="dUP").update(username="dup2")
    finally:
        call_command("migrate", verbosity=0)
    with pytest.raises(IntegrityError):
        get_user_model().objects.create(username="DUP")


# --- One customer cannot buy the hall or keep a seat for ever ---------------------------------------------


def holds(client, event, body):
    return client.post_json(f"/api/events/{event.pk}/holds/", body)


def test_one_customer_cannot_buy_the_whole_event(alice_api, alice, make_event, settings):
    settings.TICKET_LIMIT_PER_CUSTOMER = 10
    event = make_event(60)
    bought = 0
    for _ in range(6):  # the audit's loop: hold 10, reserve them, again
        hold = holds(alice_api, event, {"count": 10})
        if hold.status_code != 200:
            assert_error(hold, 409, "ticket_limit_reached")
            break
        seat_ids = [seat["id"] for seat in hold.json()["seats"]]
        assert (
            alice_api.post_json(f"/api/events/{event.pk}/reserve/", {"seat_ids": seat_ids}).status_code == 201
        )
        bought += len(seat_ids)
    assert bought == 10
    assert Seat.objects.filter(event=event, reserved_by=alice).count() == 10
    assert not Seat.objects.filter(event=event, status="locked").exists()


def test_the_ticket_limit_counts_holds_and_reservations_and_frees_cancelled_seats(
    alice_api, alice, event, seat_ids, settings
):
    settings.TICKET_LIMIT_PER_CUSTOMER = 3
    shown = alice_api.get(f"/api/events/{event.pk}/").json()["event"]  # told before it is reached
    assert (shown["ticket_limit"], shown["hold_limit"]) == (3, settings.SEAT_HOLD_LIMIT)
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    reservation = services.reserve_seats(user=alice, event_id=event.pk, seat_ids=seat_ids[:2])
    services.hold_seats(user=alice, event_id=event.pk, seat_ids=[seat_ids[2]])
    body = assert_error(holds(alice_api, event, {"seat_ids": [seat_ids[3]]}), 409, "ticket_limit_reached")
    assert "3" in body["error"]
    assert_error(holds(alice_api, event, {"count": 1}), 409, "ticket_limit_reached")
    assert Seat.objects.get(pk=seat_ids[3]).status == "available"
    assert holds(alice_api, event, {"seat_ids": [seat_ids[2]]}).status_code == 200  # extending is fine
    services.cancel_reservation(user=alice, reservation_id=reservation.pk)
    assert holds(alice_api, event, {"seat_ids": seat_ids[3:5]}).status_code == 200


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_ticket_limit_is_exact_under_parallel_requests(alice, make_event, settings):
    settings.TICKET_LIMIT_PER_CUSTOMER = 5
    event = make_event(40)
    seat_ids = list(event.seats.order_by("pk").values_list("pk", flat=True))

    def take(index):
        return lambda: services.hold_seats(
            user=alice, event_id=event.pk, seat_ids=seat_ids[index * 2 : index * 2 + 2]
        )

    results = [
        "held" if isinstance(r, services.Hold) else r.code for r in run_together([take(i) for i in range(8)])
    ]
    assert results.count("held") == 2 and results.count("ticket_limit_reached") == 6, results
    assert Seat.objects.filter(event=event, locked_by=alice).count() == 4


def test_giving_a_hold_up_and_taking_it_again_waits_a_lock_period(alice_api, bob_api, alice, event, seat_ids):
    seat = seat_ids[0]
    lock = f"/api/events/{event.pk}/seats/{seat}/lock/"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert alice_api.post_json(lock).status_code == 200
        assert alice_api.post_json(f"/api/events/{event.pk}/seats/{seat}/unlock/").status_code == 200
        body = assert_error(alice_api.post_json(lock), 409, "hold_cooldown")
        assert body["details"]["retry_after"] == 300
        assert_error(holds(alice_api, event, {"seat_ids": [seat]}), 409, "hold_cooldown")
        assert Seat.objects.get(pk=seat).status == "available"
    with time_machine.travel(start + timedelta(seconds=100), tick=False):
        body = assert_error(alice_api.post_json(lock), 409, "hold_cooldown")
        assert body["details"]["retry_after"] == 200
        assert bob_api.post_json(lock).status_code == 200  # others may hold it meanwhile


def test_letting_a_hold_run_out_and_taking_it_again_waits_too(alice_api, alice, event, seat_ids):
    lock = f"/api/events/{event.pk}/seats/{seat_ids[0]}/lock/"
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert alice_api.post_json(lock).status_code == 200
    with time_machine.travel(start + timedelta(seconds=301), tick=False):  # ran out, not yet tidied
        assert_error(alice_api.post_json(lock), 409, "hold_cooldown")
        services.release_expired_locks()
        assert_error(alice_api.post_json(lock), 409, "hold_cooldown")  # and after the tidy
    with time_machine.travel(start + timedelta(seconds=600), tick=False):
        assert alice_api.post_json(lock).status_code == 200


def test_best_available_skips_the_seats_a_customer_just_gave_up(alice_api, alice, make_event):
    event = make_event(4, seats_per_row=4)
    first = holds(alice_api, event, {"count": 2}).json()["seats"]
    assert alice_api.delete(f"/api/events/{event.pk}/holds/").status_code == 200
    again = holds(alice_api, event, {"count": 2})
    assert again.status_code == 200
    assert not {s["id"] for s in first} & {s["id"] for s in again.json()["seats"]}


def test_the_audits_unlock_lock_loop_keeps_no_seat_from_a_rival(
    alice_api, bob_api, event, seat_ids, settings
):
    settings.SEAT_LOCK_SECONDS, settings.SEAT_HOLD_MAX_EXTENSIONS = 4, 2
    lock = f"/api/events/{event.pk}/seats/{seat_ids[0]}/lock/"
    unlock = f"/api/events/{event.pk}/seats/{seat_ids[0]}/unlock/"
    start, alice_held = timezone.now(), 0.0
    for step in range(80):  # half a second a step: alice extends, gives up and retakes; bob tries
        with time_machine.travel(start + timedelta(seconds=step / 2), tick=False):
            if step % 6 == 5:
                alice_api.post_json(unlock)  # a new hold, a new extension cap: the audit's trick
            if alice_api.post_json(lock).status_code == 200:
                alice_held += 0.5
            if bob_api.post_json(lock).status_code == 200:
                break
    else:
        pytest.fail("the rival never got the seat")
    assert alice_held <= 4 * 2  # never longer than the extension cap (two lock periods)


@pytest.mark.parametrize("field", ["section", "since"])
def test_control_characters_in_query_values_are_400_not_500(anon, event, field):
    # Found by schemathesis: PostgreSQL refuses a NUL in a text parameter.
    response = anon.get(f"/api/events/{event.pk}/seats/", {field: "Main\x00"})
    body = assert_error(response, 400, "invalid_request")
    assert field in body["details"]


# --- Tokens expire, can be revoked, and a new password ends every other way in ---------------------------

PASSWORD_CHANGE = "/api/auth/password/"


def test_a_token_expires_after_its_lifetime(alice, settings):
    settings.API_TOKEN_MAX_AGE_SECONDS = 3600
    token = auth.issue_token(user=alice)
    client = ApiClient(token=token)
    assert client.get("/api/reservations/").status_code == 200
    with time_machine.travel(timezone.now() + timedelta(seconds=3601)):
        assert_error(client.get("/api/reservations/"), 401, "authentication_required")


def test_a_token_revokes_itself_and_only_itself(alice):
    first, second = auth.issue_token(user=alice), auth.issue_token(user=alice)
    response = ApiClient(token=first).delete("/api/auth/token/")
    assert (response.status_code, response.json()) == (200, {"success": True})
    assert_error(ApiClient(token=first).get("/api/reservations/"), 401, "authentication_required")
    assert ApiClient(token=second).get("/api/reservations/").status_code == 200
    assert_error(ApiClient().delete("/api/auth/token/"), 401, "authentication_required")


def test_changing_the_password_revokes_every_token_and_other_session(alice):
    token = auth.issue_token(user=alice)
    here, elsewhere = ApiClient(), ApiClient()
    for browser in (here, elsewhere):
        browser.get("/api/auth/me/")
        body = {"username": "alice", "password": PASSWORD}
        assert (
            browser.post_json(
                "/api/auth/login/", body, HTTP_X_CSRFTOKEN=browser.cookies["csrftoken"].value
            ).status_code
            == 200
        )
    change = {"old_password": PASSWORD, "new_password": "a-new-and-long-passphrase-8"}
    response = here.post_json(PASSWORD_CHANGE, change, HTTP_X_CSRFTOKEN=here.cookies["csrftoken"].value)
    assert response.status_code == 200
    assert here.get("/api/auth/me/").json()["user"]["username"] == "alice"  # this browser stays in
    assert elsewhere.get("/api/auth/me/").json()["user"] is None  # the other is signed out
    assert_error(ApiClient(token=token).get("/api/reservations/"), 401, "authentication_required")
    assert not ApiToken.objects.filter(user=alice).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"old_password": "wrong", "new_password": "a-new-and-long-passphrase-8"}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password"),
    ],
)
def test_a_wrong_old_password_or_a_weak_new_one_changes_nothing(alice, change, field):
    token = auth.issue_token(user=alice)
    body = assert_error(ApiClient(token=token).post_json(PASSWORD_CHANGE, change), 400, "invalid_request")
    assert field in body["details"]
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD) and ApiToken.objects.filter(user=alice).count() == 1


def test_a_password_reset_revokes_tokens_too(alice):
    from tickets import services as ticket_services

    token = auth.issue_token(user=alice)
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    ticket_services.reset_password(
        uid=uid, token=default_token_generator.make_token(alice), password="brand-new-pass-77"
    )
    assert_error(ApiClient(token=token).get("/api/reservations/"), 401, "authentication_required")


# --- Login limits on every door, per account and address, behind proxies ---------------------------------

LIMITS = {"login_user": "5/300", "login_ip": "50/300", "register_ip": "20/3600", "hold": "30/10"}


@pytest.fixture
def limits():
    start = timezone.now().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    with (
        override_settings(RATE_LIMITS_ENABLED=True, RATE_LIMITS=LIMITS),
        time_machine.travel(start, tick=False),
    ):
        yield


def admin_login(client: Client, password: str):
    return client.post("/admin/login/", {"username": "admin", "password": password, "next": "/admin/"})


def test_the_admin_login_is_limited_too(limits, make_user):
    make_user("admin", is_staff=True, is_superuser=True)
    burglar = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(5):
        assert admin_login(burglar, "guess").status_code == 200  # the form again, "not correct"
    refused = admin_login(burglar, PASSWORD)  # even the right password, from that address
    assert refused.status_code == 200 and "Too many login attempts" in refused.content.decode()
    assert "_auth_user_id" not in burglar.session
    owner = Client(REMOTE_ADDR="198.51.100.20")
    assert admin_login(owner, PASSWORD).status_code == 302  # the owner, elsewhere, gets in


def test_a_strangers_guesses_do_not_lock_the_owner_out(limits, alice):
    stranger = ApiClient(REMOTE_ADDR="203.0.113.9")
    for _ in range(30):
        stranger.post_json("/api/auth/token/", {"username": "bob", "password": "guess"})
    assert_error(
        stranger.post_json("/api/auth/token/", {"username": "bob", "password": PASSWORD}), 429, "rate_limited"
    )
    owner = ApiClient(REMOTE_ADDR="198.51.100.20")
    assert owner.post_json("/api/auth/token/", {"username": "alice", "password": PASSWORD}).status_code == 200


def test_successful_logins_are_not_counted_as_failures(limits, alice):
    for _ in range(8):
        assert (
            ApiClient().post_json("/api/auth/token/", {"username": "alice", "password": PASSWORD}).status_code
            == 200
        )


@override_settings(RATE_LIMIT_IP_HEADER="HTTP_X_FORWARDED_FOR", RATE_LIMIT_TRUSTED_PROXIES=1)
def test_a_spoofed_forwarded_for_does_not_rotate_the_address(limits):
    statuses = [
        ApiClient(HTTP_X_FORWARDED_FOR=f"192.0.2.{index}, 198.51.100.7")
        .post_json("/api/auth/register/", {"username": f"new{index}", "password": PASSWORD})
        .status_code
        for index in range(25)
    ]
    assert statuses == [201] * 20 + [429] * 5


@pytest.mark.parametrize(
    ("header", "trusted", "address"),
    [
        ("203.0.113.1, 198.51.100.7", 1, "198.51.100.7"),
        ("203.0.113.1, 198.51.100.7, 10.0.0.2", 2, "198.51.100.7"),
        ("198.51.100.7", 2, "198.51.100.7"),  # fewer hops than proxies: the left-most there is
        ("", 1, "127.0.0.1"),  # no header: the peer
    ],
)
def test_the_client_is_the_right_most_address_not_added_by_a_trusted_proxy(
    rf, settings, header, trusted, address
):
    settings.RATE_LIMIT_IP_HEADER, settings.RATE_LIMIT_TRUSTED_PROXIES = "HTTP_X_FORWARDED_FOR", trusted
    request = rf.get("/", HTTP_X_FORWARDED_FOR=header) if header else rf.get("/")
    assert ratelimit.client_ip(request) == address


def test_check_deploy_warns_when_limits_are_counted_per_process():
    env = {
        **{key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DATABASE_URL")},
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "tickets.example.com",
        "RATE_LIMITS": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "reservations.W001" in result.stdout + result.stderr


# --- Headers: a Content-Security-Policy, no framing, no caching of personal answers ----------------------


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.strip().split(" ", 1)[0]: part.strip() for part in policy.split(";") if part.strip()}


@pytest.mark.parametrize("path", ["/", "/index.html", "/events/1", "/admin/login/"])
def test_pages_send_a_policy_without_unsafe_inline_and_refuse_framing(client, path):
    response = client.get(path)
    assert response.status_code in (200, 302), path
    policy = directives(response)
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["script-src"] == "script-src 'self' 'wasm-unsafe-eval'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/api/auth/me/", "/api/reservations/", "/api/events/{event}/holds/"])
def test_answers_about_one_customer_are_never_cached(alice_api, event, path):
    response = alice_api.get(path.format(event=event.pk))
    assert response.status_code == 200
    assert {"private", "no-store"} <= set(response["Cache-Control"].replace(" ", "").split(","))


def test_public_reads_stay_cacheable_for_revalidation(anon, event):
    assert "no-store" not in anon.get(f"/api/events/{event.pk}/seats/").get("Cache-Control", "")
