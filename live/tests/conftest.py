"""What the live tests share: Pushpin in front of a gunicorn node, with the Procfile's relay."""

import os
import shutil
import socket

import pytest
from django.db import connection

from tools.servers import GunicornServer, PushpinServer, RelayServer, database_url


@pytest.fixture(scope="module")
def pushpin_installed():
    if shutil.which("pushpin") is None:
        message = "pushpin missing: apt-get install pushpin (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def site(pushpin_installed, tmp_path):
    """Pushpin in front of one gunicorn node, and the relay publishing to Pushpin."""
    started = []
    try:
        # gunicorn's, bound before Pushpin routes to it, with gunicorn's own backlog (the default of 128
        # refuses part of a crowd that opens its maps at once).
        listener = socket.create_server(("127.0.0.1", 0), backlog=2048)
        env = {
            **os.environ,
            "DATABASE_URL": database_url(connection.settings_dict),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "live-tests-only",
            "DJANGO_SECURE": "0",
            "RATE_LIMITS": "0",
            # Pushpin signs with it (manage.py pushpin writes it into its configuration) and the
            # stream verifies every Grip-Sig with it: the real signature, checked for real.
            "PUSH_SIG_KEY": "live-tests-only-signing-key-of-32-bytes",
            "LOG_LEVEL": os.environ.get("LIVE_TEST_LOG_LEVEL", "WARNING"),
        }
        pushpin = PushpinServer(f"127.0.0.1:{listener.getsockname()[1]}", tmp_path, env)
        started.append(pushpin)
        env["PUSH_URL"] = pushpin.control_url
        web = GunicornServer(env, workers=2, threads=8, log=tmp_path / "web.log", listener=listener)
        started.append(web)
        relay = RelayServer(env, tmp_path / "relay.log")
        started.append(relay)
        yield pushpin, web, env, started
    finally:
        for server in reversed(started):
            server.stop()
