"""The waiting room's fixtures: every queue test runs against both stores (the database, and a
Redis server started here on a free port), and an event whose on-sale is an hour away."""

import os
import shutil
from datetime import timedelta

import pytest
import redis
from django.core.cache import cache

from tools.servers import RedisServer
from waitingroom import services


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    if shutil.which("redis-server") is None:
        message = "redis-server missing: apt-get install redis-server (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture(params=["database", "redis"])
def backend(request, settings) -> str:
    """The store the queue keeps its state in: ``REDIS_URL`` set or not."""
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        redis.Redis.from_url(server.url).flushdb()
        settings.REDIS_URL = server.url
    else:
        settings.REDIS_URL = ""
    cache.clear()
    return request.param


@pytest.fixture
def queued_event(make_event, backend):
    """An event going on sale in an hour behind a queue: 60 a minute, at most 2 admitted at once."""
    event = make_event(seats=20)
    return services.configure_sale(
        event_id=event.pk,
        onsale_at=event.created_at.replace(microsecond=0) + timedelta(hours=1),
        queue_enabled=True,
        per_minute=60,
        max_active=2,
    )


@pytest.fixture
def customers(make_user):
    return [make_user(f"fan{index}") for index in range(12)]
