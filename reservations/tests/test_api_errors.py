"""Every response under /api/ is JSON; the OpenAPI document matches the routes; operations."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.test import override_settings

from reservations import services
from reservations.models import Seat
from reservations.tests.helpers import ApiClient, assert_error
from reservations.tests.openapi import document, routed_api_paths

pytestmark = pytest.mark.django_db


def test_every_api_route_is_documented_and_every_documented_path_is_routed():
    assert routed_api_paths() == set(document()["paths"])


def test_schema_is_served_as_openapi_3_1(anon):
    response = anon.get("/api/schema/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["openapi"] == "3.1.0"


@pytest.mark.parametrize("path", ["/api/nope/", "/api/events/abc/", "/api/events/1234567890123456789/"])
def test_unknown_api_paths_are_json_404(anon, path):
    assert_error(anon.get(path), 404, "not_found")


@override_settings(DEBUG=True)
def test_unknown_api_paths_are_json_even_in_debug(anon):
    assert_error(anon.get("/api/nope/"), 404, "not_found")


def test_wrong_method_is_json_405(anon):
    response = anon.delete("/api/events/")
    assert_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"


def test_server_error_is_json_500(event):
    client = ApiClient(raise_request_exception=False)
    with mock.patch("reservations.selectors.upcoming_events", side_effect=RuntimeError("boom")):
        response = client.get("/api/events/")
    body = assert_error(response, 500, "server_error")
    assert "boom" not in body["error"]


def test_lock_timeout_is_json_503_busy(alice_api, event):
    seat = event.seats.first()

    class LockNotAvailable(Exception):
        sqlstate = "55P03"  # what psycopg raises when lock_timeout runs out

    timeout = OperationalError("canceling statement due to lock timeout")
    timeout.__cause__ = LockNotAvailable()
    with mock.patch("reservations.services.lock_seat", side_effect=timeout):
        response = alice_api.post_json(f"/api/events/{event.pk}/seats/{seat.pk}/lock/")
    assert_error(response, 503, "busy")


def test_health_reports_the_database(anon):
    assert anon.get("/api/health/").json() == {"success": True, "database": "ok"}


def test_health_is_503_when_the_database_is_down(anon):
    with mock.patch("reservations.views.connection.cursor", side_effect=OperationalError("down")):
        response = anon.get("/api/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_release_expired_locks_endpoint_is_for_staff(anon, alice_api, staff_api, alice, event):
    seat = services.lock_seat(user=alice, event_id=event.pk, seat_id=event.seats.first().pk)
    Seat.objects.filter(pk=seat.pk).update(locked_until=seat.locked_until.replace(year=2000))
    assert_error(anon.post_json("/api/release-expired-locks/"), 401, "authentication_required")
    assert_error(alice_api.post_json("/api/release-expired-locks/"), 403, "forbidden")
    assert Seat.objects.get(pk=seat.pk).status == "locked"
    response = staff_api.post_json("/api/release-expired-locks/")
    assert response.json() == {"success": True, "released": 1}
    assert Seat.objects.get(pk=seat.pk).status == "available"


@override_settings(CORS_ALLOWED_ORIGINS=["http://localhost:5173"])
def test_cors_allows_the_configured_frontend_origin_with_credentials(anon):
    response = anon.get("/api/events/", HTTP_ORIGIN="http://localhost:5173")
    assert response["Access-Control-Allow-Origin"] == "http://localhost:5173"
    assert response["Access-Control-Allow-Credentials"] == "true"
    other = anon.get("/api/events/", HTTP_ORIGIN="http://evil.example")
    assert "Access-Control-Allow-Origin" not in other


def test_client_side_routes_fall_back_to_the_app_but_api_and_admin_do_not(anon, settings, tmp_path):
    (tmp_path / "index.html").write_text("<!doctype html><div id=root></div>")
    settings.FRONTEND_DIST = tmp_path
    for path in ("/", "/events/3", "/reservations"):
        response = anon.get(path)
        assert response.status_code == 200 and b"id=root" in response.content
    assert anon.get("/api/unknown/")["Content-Type"] == "application/json"
    assert anon.get("/admin/").status_code == 302
