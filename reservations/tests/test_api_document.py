"""The OpenAPI document is generated from the operations: complete enough for a client generator,
served with its interactive docs without any internet access; validation and auth keep the contract."""

import re

import pytest

from reservations.models import Seat
from reservations.tests.helpers import ApiClient, assert_error
from reservations.tests.openapi import document

pytestmark = pytest.mark.django_db

METHODS = {"get", "post", "put", "patch", "delete"}


def operations():
    for path, item in document()["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield f"{method.upper()} {path}", operation


def test_every_operation_has_an_id_a_summary_a_tag_and_described_responses():
    ids = []
    for name, operation in operations():
        ids.append(operation["operationId"])
        assert re.fullmatch(r"[a-z][A-Za-z]+", operation["operationId"]), name
        assert operation["summary"] and operation["tags"], name
        for status, response in operation["responses"].items():
            assert response["description"] not in ("", "Unknown Status Code"), f"{name} {status}"
    assert len(ids) == len(set(ids)), "operation ids must be unique"


def test_every_error_response_names_its_codes_and_uses_the_error_shape():
    for name, operation in operations():
        for status, response in operation["responses"].items():
            if int(status) < 400 or (name == "GET /api/health/" and status == "503"):
                continue
            assert re.search(r"`[a-z_]+`: ", response["description"]), f"{name} {status}"
            schema = response["content"]["application/json"]["schema"]
            assert schema == {"$ref": "#/components/schemas/Error"}, f"{name} {status}"


def test_every_operation_documents_the_errors_any_request_may_meet():
    for name, operation in operations():
        if name in ("GET /api/schema/", "GET /api/docs"):
            continue
        assert {"405", "500", "503"} <= set(operation["responses"]), name


def test_public_reads_take_optional_credentials_and_writes_need_them():
    paths = document()["paths"]
    optional = [{"BearerAuth": []}, {"SessionAuth": []}, {}]
    assert paths["/api/events/{event_id}/seats/"]["get"]["security"] == optional
    assert paths["/api/events/{event_id}/reserve/"]["post"]["security"] == optional[:2]
    assert paths["/api/auth/token/"]["post"]["security"] == [{}]
    schemes = document()["components"]["securitySchemes"]
    assert schemes["BearerAuth"]["scheme"] == "bearer"
    assert (schemes["SessionAuth"]["in"], schemes["SessionAuth"]["name"]) == ("cookie", "sessionid")


def test_input_rules_are_in_the_document():
    schemas = document()["components"]["schemas"]
    seat_ids = schemas["SeatIdsIn"]["properties"]["seat_ids"]
    assert (seat_ids["minItems"], seat_ids["maxItems"], seat_ids["uniqueItems"]) == (1, 10, True)
    assert seat_ids["items"] == {"maximum": 2**63 - 1, "minimum": 1, "type": "integer"}
    username = schemas["CredentialsIn"]["properties"]["username"]
    assert (username["minLength"], username["maxLength"]) == (1, 150) and username["pattern"]
    assert schemas["SeatOut"]["properties"]["seat_number"]["examples"] == ["A1"]


def test_links_lead_from_created_objects_to_their_operations():
    paths = document()["paths"]
    reserve = paths["/api/events/{event_id}/reserve/"]["post"]["responses"]["201"]["links"]
    assert reserve["getReservation"]["parameters"] == {"reservation_id": "$response.body#/reservation_id"}
    lock = paths["/api/events/{event_id}/seats/{seat_id}/lock/"]["post"]["responses"]["200"]["links"]
    assert lock["unlockSeat"]["operationId"] == "unlockSeat"


def test_the_served_document_is_the_generated_one(anon):
    assert anon.get("/api/schema/").json() == document()


def test_docs_page_uses_only_local_assets(anon):
    response = anon.get("/api/docs")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "no asset may come from another host"
    assets = re.findall(r"(?:src|href)=\"(/static/[^\"]+)\"", page)
    assert any(asset.endswith("swagger-ui-bundle.js") for asset in assets)
    for asset in assets:
        assert ApiClient().get(asset).status_code == 200, asset


# --- Validation and authentication keep the contract's shapes ------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"seat_ids": [1, 1]}, "seat_ids"),
        ({"seat_ids": ["1"]}, "seat_ids"),
        ({"seat_ids": []}, "seat_ids"),
        ({"other": 1}, "seat_ids"),
    ],
    ids=repr,
)
def test_validation_errors_are_400_invalid_request_naming_the_field(alice_api, event, body, field):
    body = assert_error(alice_api.post_json(f"/api/events/{event.pk}/reserve/", body), 400, "invalid_request")
    assert list(body["details"]) == [field]
    assert isinstance(body["details"][field], list) and body["details"][field][0]
    assert field in body["error"]


def test_a_post_with_no_credentials_is_401_not_a_csrf_failure(event):
    """The original guide's curl race test: no cookie, no token, no CSRF token."""
    browser = ApiClient(enforce_csrf_checks=True)
    seat = event.seats.first()
    response = browser.post(f"/api/events/{event.pk}/seats/{seat.pk}/lock/")
    assert_error(response, 401, "authentication_required")
    assert_error(browser.post(f"/api/events/{event.pk}/reserve/"), 401, "authentication_required")
    assert Seat.objects.get(pk=seat.pk).status == "available"


def test_a_signed_out_session_cookie_is_401_too(alice, event):
    browser = ApiClient(enforce_csrf_checks=True)
    browser.cookies["sessionid"] = "expired-or-made-up"
    response = browser.post(f"/api/events/{event.pk}/seats/{event.seats.first().pk}/lock/")
    assert_error(response, 401, "authentication_required")


def test_a_bad_token_on_a_public_read_is_refused(event):
    assert_error(
        ApiClient(token="nope").get(f"/api/events/{event.pk}/seats/"), 401, "authentication_required"
    )


def test_register_and_logout_need_the_csrf_token_without_a_session(alice):
    browser = ApiClient(enforce_csrf_checks=True)
    body = {"username": "carol", "password": "correct-horse-battery-staple"}
    assert_error(browser.post_json("/api/auth/register/", body), 403, "csrf_failed")
    assert_error(browser.post_json("/api/auth/logout/"), 403, "csrf_failed")
    browser.force_login(alice)
    assert_error(browser.post_json("/api/auth/logout/"), 403, "csrf_failed")
    assert browser.get("/api/auth/me/").json()["user"]["username"] == "alice"
