"""Several web nodes: two gunicorn nodes on Redis and PgBouncer (transaction mode) in front of the
test PostgreSQL, all started here on loopback and stopped after. What must agree across nodes does
(rate limits, rendered grids), timeouts still answer 503 busy, and a mixed load breaks nothing.
"""

import http.client
import json
import os
import random
import re
import secrets
import shutil
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from reservations import auth
from reservations.selectors import invariant_violations
from tools.servers import GunicornServer, PgBouncer, RedisServer, database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PROJECT = Path(__file__).resolve().parents[2]
POOL_SIZE = 4
LOCK_TIMEOUT_MS = 1000


@pytest.fixture(scope="module")
def programs():
    missing = [name for name in ("redis-server", "redis-cli", "pgbouncer") if shutil.which(name) is None]
    if missing:
        message = f"{', '.join(missing)} missing: apt-get install redis-server pgbouncer (.ci/run does)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture
def topology(programs, tmp_path):
    """Redis, PgBouncer and two gunicorn nodes with the settings the README gives for this."""
    started = []
    try:
        redis = RedisServer(tmp_path)
        started.append(redis)
        bouncer = PgBouncer(connection.settings_dict, pool_size=POOL_SIZE)
        started.append(bouncer)
        env = {
            **os.environ,
            "DATABASE_URL": bouncer.url,
            "DB_TRANSACTION_POOLING": "1",
            "DB_LOCK_TIMEOUT_MS": str(LOCK_TIMEOUT_MS),
            "REDIS_URL": redis.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "topology-tests-only",
            "DJANGO_SECURE": "0",
            "RATE_LIMITS": "1",
            "RATE_LIMIT_HOLD": "6/60",  # per user: the mixed load uses 16 users, each under it
            "LOG_LEVEL": "WARNING",
        }
        nodes = []
        for index in range(2):
            node = GunicornServer(env, workers=2, threads=4, log=tmp_path / f"node-{index}.log")
            started.append(node)
            nodes.append(node)
        yield redis, bouncer, nodes
    finally:
        for server in reversed(started):
            server.stop()


def call(node: GunicornServer, method: str, path: str, token: str | None = None, body=None, headers=None):
    headers = {"Content-Type": "application/json", **(headers or {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else (b"" if method in ("POST", "DELETE") else None)
    request = urllib.request.Request(node.url + path, data=data, headers=headers, method=method)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read()), time.monotonic() - started
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), time.monotonic() - started


def test_the_hold_rate_limit_counts_across_both_nodes(topology, alice, make_event):
    redis, _, nodes = topology
    event = make_event(20)
    token = auth.issue_token(user=alice)
    seats = list(event.seats.order_by("pk").values_list("pk", flat=True))
    statuses = [
        call(nodes[index % 2], "POST", f"/api/events/{event.pk}/seats/{seats[index]}/lock/", token)[0]
        for index in range(10)
    ]
    # Both nodes counted every attempt in Redis, in whichever fixed windows of the clock the burst
    # fell: each window let 6 through and refused the rest (one window, unless it straddled two).
    windows = [
        int(redis.command("GET", key)) for key in redis.command("--scan", "--pattern", "*hold*").split()
    ]
    assert sum(windows) == 10, windows
    allowed = sum(min(count, 6) for count in windows)
    assert sorted(statuses) == [200] * allowed + [429] * (10 - allowed), statuses


def test_a_grid_rendered_by_one_node_is_served_by_the_other(topology, make_event):
    redis, _, nodes = topology
    event = make_event(300)
    path = f"/api/events/{event.pk}/seats/"
    first = call(nodes[0], "GET", path)[1]
    redis.command("CONFIG", "RESETSTAT")
    second = call(nodes[1], "GET", path)[1]
    stats = redis.command("INFO", "commandstats")
    assert "cmdstat_get:" in stats and "cmdstat_set:" not in stats, stats  # read, not rendered again
    assert second["cursor"] == first["cursor"] and second["seats"] == first["seats"]


def test_a_row_lock_held_elsewhere_makes_either_node_answer_503_busy_in_time(topology, alice, make_event):
    _, _, nodes = topology
    event = make_event(5)
    seat = event.seats.order_by("pk").first().pk
    token = auth.issue_token(user=alice)
    with psycopg.connect(database_url(connection.settings_dict)) as outsider:
        outsider.execute("SELECT id FROM reservations_seat WHERE id = %s FOR UPDATE", [seat])
        for node in nodes:
            status, body, seconds = call(node, "POST", f"/api/events/{event.pk}/seats/{seat}/lock/", token)
            assert (status, body["code"]) == (503, "busy"), body
            assert LOCK_TIMEOUT_MS / 1000 <= seconds < LOCK_TIMEOUT_MS / 1000 + 3
        outsider.rollback()
    assert call(nodes[0], "POST", f"/api/events/{event.pk}/seats/{seat}/lock/", token)[0] == 200


def test_a_mixed_load_over_both_nodes_keeps_every_invariant_and_the_pool_size(
    topology, make_user, make_event
):
    _, bouncer, nodes = topology
    event = make_event(400)
    seats = list(event.seats.order_by("pk").values_list("pk", flat=True))
    tokens = [auth.issue_token(user=make_user(f"buyer{index}")) for index in range(16)]
    grid = f"/api/events/{event.pk}/seats/"

    def customer(number: int) -> list[int]:
        rng, token, statuses, held = random.Random(number), tokens[number], [], []
        for step in range(125):  # 16 customers x 125 = 2,000 requests
            node, kind = nodes[(number + step) % 2], rng.random()
            if kind < 0.4:
                body = {"seat_ids": rng.sample(seats, 2)} if kind < 0.25 else {"count": 2}
                status, answer, _ = call(node, "POST", f"/api/events/{event.pk}/holds/", token, body)
                held = [seat["id"] for seat in answer["seats"]] if status == 200 else held
            elif kind < 0.65 and held:  # reserve what this customer holds (or held: it may be gone)
                status = call(node, "POST", f"/api/events/{event.pk}/reserve/", token, {"seat_ids": held})[0]
                held = []
            elif kind < 0.8:
                status = call(node, "DELETE", f"/api/events/{event.pk}/holds/", token)[0]
                held = []
            else:
                status = call(node, "GET", grid)[0]
            statuses.append(status)
        return statuses

    with PostgresConnections() as backends, ThreadPoolExecutor(max_workers=16) as pool:
        statuses = [status for result in pool.map(customer, range(16)) for status in result]
    assert len(statuses) == 2000
    assert not [status for status in statuses if status >= 500], sorted(set(statuses))
    assert 200 in statuses and 201 in statuses
    assert not any(invariant_violations().values()), invariant_violations()
    # What PostgreSQL itself saw: the nodes' connections came through PgBouncer's pool, never more
    # (a node connecting straight to PostgreSQL would open one per worker thread: up to 16).
    assert 1 <= backends.most <= POOL_SIZE, backends.most
    assert sum(pool["sv_active"] + pool["sv_idle"] + pool["sv_used"] for pool in bouncer.pools()) >= 1


class PostgresConnections:
    """Counts, every few milliseconds while in use, the connections to the test database other than
    this test's own: the most seen at once is ``most``."""

    def __init__(self):
        self.most, self._done = 0, threading.Event()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            self._own = cursor.fetchone()[0]

    def _watch(self) -> None:
        with psycopg.connect(database_url(connection.settings_dict), autocommit=True) as watcher:
            while not self._done.is_set():
                count = watcher.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    "AND backend_type = 'client backend' AND pid NOT IN (pg_backend_pid(), %s)",
                    [self._own],
                ).fetchone()[0]
                self.most = max(self.most, count)
                self._done.wait(0.005)

    def __enter__(self) -> "PostgresConnections":
        self._thread = threading.Thread(target=self._watch)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._done.set()
        self._thread.join(10)


# --- The README's production environment, as written ------------------------------------------------

README = PROJECT / "README.md"
PUBLIC = {"Host": "tickets.example.com", "X-Forwarded-Proto": "https"}  # as the TLS proxy sends them


def documented_production_environment() -> dict[str, str]:
    section = README.read_text().split("## Running in production", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, flags=re.S).group(1)
    lines = (line.split("#", 1)[0].strip() for line in block.splitlines())
    return dict(line.split("=", 1) for line in lines if line)


def test_the_documented_production_environment_serves_through_pgbouncer_and_redis(
    programs, tmp_path, alice, make_event
):
    documented = documented_production_environment()
    assert set(documented) >= {
        "DJANGO_DEBUG",
        "DJANGO_SECRET_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "DB_TRANSACTION_POOLING",
    }
    event = make_event(5)
    token = auth.issue_token(user=alice)
    redis = RedisServer(tmp_path)
    bouncer = PgBouncer(connection.settings_dict, pool_size=POOL_SIZE)
    node = None
    try:
        # Exactly the documented lines; only the secret and the hosts are this test's own.
        env = {
            **{key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "RATE_"))},
            **documented,
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DATABASE_URL": bouncer.url,
            "REDIS_URL": redis.url,
        }
        node = GunicornServer(env, workers=2, threads=2, log=tmp_path / "production.log", headers=PUBLIC)
        assert call(node, "GET", "/api/health/", headers=PUBLIC)[:2] == (
            200,
            {"success": True, "database": "ok"},
        )
        seat = event.seats.order_by("pk").first().pk
        status, body, _ = call(
            node, "POST", f"/api/events/{event.pk}/seats/{seat}/lock/", token, headers=PUBLIC
        )
        assert status == 200, body
        assert redis.command("--scan", "--pattern", "*ratelimit:hold*").strip()  # rate limits are shared
        plain = http.client.HTTPConnection("127.0.0.1", node.port, timeout=10)
        plain.request("GET", "/api/events/", headers={"Host": "tickets.example.com"})
        assert plain.getresponse().status == 301  # plain HTTP is sent to HTTPS
        plain.close()
    finally:
        for server in (node, bouncer, redis):
            if server is not None:
                server.stop()
