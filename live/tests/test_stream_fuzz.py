"""The seat stream from its OpenAPI document, with push on and as Pushpin forwards it: schemathesis'
generated sections, cursors and Last-Event-IDs never get a 5xx or an undocumented answer."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from reservations.tests.openapi import document

schema = schemathesis.openapi.from_dict(document()).include(path_regex=r"/seats/stream/$")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, reset_sequences=True)]


@pytest.fixture
def push_on(settings, make_event):
    settings.PUSH_URL = "http://127.0.0.1:9"  # never reached: no relay runs here
    make_event(20)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_stream_answers_any_request_as_documented(case, live_server, push_on):
    case.call_and_validate(base_url=live_server.url, headers={"Grip-Sig": "pushpin"}, checks=CHECKS)
