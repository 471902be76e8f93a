"""Test helpers: a JSON API client that checks responses against the OpenAPI document, and
threads that start at the same moment."""

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from django.db import connections
from django.test import Client

from reservations.tests.openapi import assert_matches_document


class ApiClient(Client):
    """A test client that speaks JSON, can carry a Bearer token, and checks every API response
    against the OpenAPI document."""

    def __init__(self, token: str | None = None, **kwargs):
        if token:
            kwargs["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        super().__init__(**kwargs)

    def request(self, **request):
        response = super().request(**request)
        if request["PATH_INFO"].startswith("/api/"):
            assert_matches_document(response, request["REQUEST_METHOD"])
        return response

    def post_json(self, path: str, data=None, **extra):
        return self.post(path, data if data is not None else {}, content_type="application/json", **extra)


def assert_error(response, status: int, code: str) -> dict:
    """The response is the contract's error shape with this status and code."""
    assert response.status_code == status, response.content
    body = response.json()
    assert body["success"] is False and body["code"] == code and body["error"]
    return body


def run_together(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in parallel threads released at the same moment, each on a database connection
    of its own opened before the start.

    Each returns its result or the exception it raised. Every thread closes its own connection.
    """
    barrier = threading.Barrier(len(calls))

    def run(call):
        try:
            connections["default"].ensure_connection()
            barrier.wait(30)
            return call()
        except Exception as error:  # noqa: BLE001 - the test inspects every outcome
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
