"""Test helpers: a JSON API client that checks responses against the OpenAPI document."""

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
