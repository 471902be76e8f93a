"""``manage.py check --deploy``: push without a signing key is reported."""

import pytest
from django.core.checks import run_checks


def deploy_warnings() -> set[str]:
    return {message.id for message in run_checks(include_deployment_checks=True)}


@pytest.mark.parametrize(
    ("push_url", "sig_key", "debug", "warned"),
    [
        ("http://pushpin:5561", "", False, True),  # push on, anyone can pass for Pushpin
        ("http://pushpin:5561", "a-key-shared-with-pushpin", False, False),
        ("", "", False, False),  # no push: the stream answers 503 anyway
        ("http://127.0.0.1:5561", "", True, False),  # the laptop
    ],
)
def test_push_without_a_signing_key_is_a_deployment_warning(settings, push_url, sig_key, debug, warned):
    settings.PUSH_URL, settings.PUSH_SIG_KEY, settings.DEBUG = push_url, sig_key, debug
    assert ("live.W001" in deploy_warnings()) is warned
