"""Property-based tests of the whole API from its OpenAPI document, on the live server.

schemathesis generates requests for every documented operation; each response must not be a 5xx,
must use a documented status code and content type, and must match the documented schema.
Anonymous and authenticated (Bearer) callers both run, and a stateful run follows the document's
links (list events -> seat grid -> hold -> reserve -> read or cancel the reservation).
"""

from collections import Counter

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from reservations import auth, services
from reservations.tests.openapi import document

# The seat stream answers 503 by design where there is no Pushpin (as here): live/tests/test_stream_fuzz.py
# fuzzes it with push on.
schema = schemathesis.openapi.from_dict(document()).exclude(path_regex=r"/seats/stream/$")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, reset_sequences=True)]
FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@pytest.fixture
def world(make_user, make_event):
    """Small ids exist (event 1, seats 1-20, a reservation), so generated ids hit real objects."""
    alice = make_user("alice")
    event = make_event(20)
    seats = list(event.seats.order_by("pk").values_list("pk", flat=True))
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seats[-1])
    services.reserve_seats(user=alice, event_id=event.pk, seat_ids=[seats[-1]])
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seats[-2])
    make_event(3, name="Past", starts_in=-timezone.timedelta(days=1))
    return alice


@schema.parametrize()
@FUZZ
def test_api_as_an_anonymous_caller(case, live_server, world):
    case.call_and_validate(base_url=live_server.url, checks=CHECKS)


@schema.parametrize()
@FUZZ
def test_api_as_a_signed_in_customer(case, live_server, world):
    headers = {"Authorization": f"Bearer {auth.issue_token(user=world)}"}
    case.call_and_validate(base_url=live_server.url, headers=headers, checks=CHECKS)


def test_api_statefully_following_the_links(live_server, world):
    headers = {"Authorization": f"Bearer {auth.issue_token(user=world)}"}
    followed: Counter = Counter()

    class Customer(schema.as_state_machine()):
        def get_call_kwargs(self, case):
            return {"base_url": live_server.url, "headers": headers}

        def step(self, input):
            output = super().step(input)
            if input.transition is not None:
                followed[(input.transition.id, output.response.status_code)] += 1
            return output

        def validate_response(self, response, case, **kwargs):
            case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)

    Customer.run(
        settings=settings(
            max_examples=40,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
    )
    print("links followed (link, status): count", dict(followed))
    # The document's own links (not only those schemathesis infers from field names) lead somewhere.
    assert any(" getEvent -> " in link and status == 200 for link, status in followed), followed
