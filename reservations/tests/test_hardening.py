"""The audit's findings (issue: fair limits and hardened accounts), each reproduced as a test first,
then fixed: whatever a client sends, a defined answer and no damage."""

import base64
import json
import time

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from reservations.tests.helpers import ApiClient

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
