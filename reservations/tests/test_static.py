"""The built React app as browsers get it: compressed, cached for good where the name says the
content, its page asked for again on each visit, and robots.txt at the root (the build and
compression come with `make`)."""

import re

import pytest
from django.conf import settings

ASSETS = settings.FRONTEND_DIST / "assets"


def main_script() -> str:
    """The app's entry script, as index.html names it."""
    index = (settings.FRONTEND_DIST / "index.html").read_text()
    return re.search(r'src="(/assets/index-[\w-]+\.js)"', index).group(1)


def test_the_apps_scripts_are_cached_for_good_and_sent_compressed(client):
    script = main_script()
    plain = client.get(script)
    assert plain.status_code == 200 and "Content-Encoding" not in plain
    assert plain["Cache-Control"] == "max-age=315360000, public, immutable"
    for accepted, encoding in [("gzip", "gzip"), ("gzip, deflate, br", "br")]:
        squeezed = client.get(script, HTTP_ACCEPT_ENCODING=accepted)
        assert squeezed["Content-Encoding"] == encoding
        assert int(squeezed["Content-Length"]) < int(plain["Content-Length"]) / 2


@pytest.mark.parametrize("path", ["/robots.txt", "/index.html", "/favicon.svg"])
def test_files_not_named_by_their_content_are_revalidated_soon(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]


def test_the_page_names_an_icon_that_is_served_as_an_image(client):
    index = (settings.FRONTEND_DIST / "index.html").read_text()
    icon = re.search(r'<link rel="icon" href="([^"]+)"', index).group(1)
    response = client.get(icon)
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"


def test_robots_keep_crawlers_to_the_public_pages(client):
    rules = b"".join(client.get("/robots.txt").streaming_content).decode()
    assert "User-agent: *" in rules
    assert {"Disallow: /api/", "Disallow: /admin/", "Disallow: /checkin/"} <= set(rules.splitlines())
    assert "Disallow: /events" not in rules and "Disallow: /\n" not in rules


def test_the_admins_hashed_files_keep_their_long_cache(client, settings):
    assert re.search(settings.WHITENOISE_IMMUTABLE_FILE_TEST, "/static/admin/css/base.0123456789ab.css")
    assert not re.search(settings.WHITENOISE_IMMUTABLE_FILE_TEST, "/static/admin/css/base.css")
    assert not re.search(settings.WHITENOISE_IMMUTABLE_FILE_TEST, "/robots.txt")


def test_the_app_page_is_asked_for_each_visit_and_answered_304_until_a_new_build(client, settings, tmp_path):
    index = tmp_path / "index.html"
    index.write_text('<!doctype html><script src="/assets/index-aaaaaaaa.js"></script>')
    settings.FRONTEND_DIST = tmp_path
    first = client.get("/events/3")
    assert first.status_code == 200 and b"index-aaaaaaaa.js" in first.content
    assert first["Cache-Control"] == "no-cache"
    again = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b""

    index.write_text('<!doctype html><script src="/assets/index-bbbbbbbb.js"></script>')  # a new build
    rebuilt = client.get("/events/3", HTTP_IF_NONE_MATCH=first["ETag"])
    assert rebuilt.status_code == 200 and b"index-bbbbbbbb.js" in rebuilt.content
    assert rebuilt["ETag"] != first["ETag"]
