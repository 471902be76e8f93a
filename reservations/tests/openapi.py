"""Check API responses against the OpenAPI document the project serves."""

import gzip
import json
import re
from functools import cache
from typing import Any

from django.urls import Resolver404, URLPattern, URLResolver, get_resolver
from jsonschema import Draft202012Validator

from reservations.api import api


@cache
def document() -> dict[str, Any]:
    """The generated document, exactly as GET /api/schema/ serves it (JSON round trip included)."""
    return json.loads(json.dumps(api.get_openapi_schema()))


def openapi_path(route: str) -> str:
    """Django's "api/events/<id:event_id>/" as OpenAPI's "/api/events/{event_id}/"."""
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)


def routed_api_paths() -> set[str]:
    paths = set()

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            elif isinstance(pattern, URLPattern) and pattern.name != "api-root":  # ninja's 404 marker
                route = prefix + str(pattern.pattern)
                if route.startswith("api/"):
                    paths.add(openapi_path(route))

    walk(get_resolver().url_patterns, "")
    return paths


def assert_matches_document(response, method: str) -> None:
    """The response's status is documented for its operation and its body fits the schema."""
    try:
        route = response.resolver_match.route
    except Resolver404:
        return  # unknown URL: checked by the error-shape tests
    path_item = document()["paths"][openapi_path(route)]
    status = str(response.status_code)
    if method.lower() not in path_item:  # an undocumented method must be refused as JSON
        assert status == "405", f"{method} {route} answered {status}, not 405"
        content = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    else:
        responses = path_item[method.lower()]["responses"]
        assert status in responses, f"{method} {route} answered undocumented {status}"
        content = responses[status].get("content")
    if content is None:
        assert not response.content, f"{status} should have no body"
        return
    media_type = response["Content-Type"].partition(";")[0]
    assert media_type in content, f"{method} {route} answered undocumented {media_type}"
    if media_type != "application/json":
        return
    schema = {**content[media_type]["schema"], "components": document()["components"]}
    body = response.content
    if response.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(
        json.loads(body)
    )
