"""The audit's findings (issue: fair limits and hardened accounts), each reproduced as a test first,
then fixed: whatever a client sends, a defined answer and no damage."""

import base64
import json
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import IntegrityError, connections, transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reservations.tests.helpers import ApiClient, assert_error

pytestmark = pytest.mark.django_db


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
    names, ready, statuses = ["racecase1", "RACECASE1", "Racecase1"], threading.Barrier(3), []

    def register(name):
        try:
            client = ApiClient()
            client.get("/api/auth/me/")
            ready.wait(10)
            statuses.append(
                client.post_json(
                    "/api/auth/register/",
                    {"username": name, "password": "a-long-passphrase-1"},
                    HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
                ).status_code
            )
        finally:
            connections.close_all()

    threads = [threading.Thread(target=register, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
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
