"""Faults on real PostgreSQL with real gunicorn workers: killed workers, a restarted database, lock
waits that must end, schedulers stopped or doubled. After each, the seat invariants must hold.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from reservations import auth, services
from reservations.models import Reservation, Seat
from tools.servers import GunicornServer, database_url, procfile
from tools.with_postgres import server_url, start_server

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PROJECT = Path(__file__).resolve().parents[2]


def server_env(url: str, **overrides: str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "fault-tests-only",
        "DJANGO_SECURE": "0",
        "RATE_LIMITS": "0",
        "LOG_LEVEL": "INFO",
        **overrides,
    }


@pytest.fixture
def start_gunicorn(tmp_path):
    servers = []

    def start(url: str | None = None, **overrides: str) -> GunicornServer:
        env = server_env(url or database_url(connection.settings_dict), **overrides)
        server = GunicornServer(env, workers=2, threads=2, log=tmp_path / f"gunicorn-{len(servers)}.log")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def call(server: GunicornServer, method: str, path: str, token: str | None = None, body=None):
    """(status, JSON body) over a fresh connection; raises OSError when the connection breaks, also
    after the answer's headers (a worker killed between them and the body)."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    data = json.dumps(body).encode() if body is not None else (b"" if method == "POST" else None)
    request = urllib.request.Request(server.url + path, data=data, headers=headers, method=method)
    try:
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read())
    except http.client.IncompleteRead as error:
        raise ConnectionResetError(f"the answer broke off after its headers: {error!r}") from error


def waiting_worker_pid(timeout: float = 15.0) -> int:
    """The pid of the gunicorn worker whose database session waits on a row lock."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE NOT l.granted AND a.application_name LIKE 'seat-reservation-worker-%%'"
            )
            row = cursor.fetchone()
        if row:
            return int(row[0].rsplit("-", 1)[1])
        time.sleep(0.05)
    raise AssertionError("no gunicorn worker started waiting on the row lock")


def wait_until_sessions_of(worker_pid: int, timeout: float = 15.0) -> None:
    """Wait until PostgreSQL has ended the killed worker's sessions (and rolled them back)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                [f"seat-reservation-worker-{worker_pid}"],
            )
            if cursor.fetchone()[0] == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"the sessions of killed worker {worker_pid} are still open")


def assert_invariants_hold() -> None:
    call_command("check_seat_invariants", stdout=StringIO())  # raises CommandError if any is broken


def lock_path(event, seat_id) -> str:
    return f"/api/events/{event.pk}/seats/{seat_id}/lock/"


def background_load(server, event, seat_ids, token, stop_at: float) -> dict:
    """Hold and release seats until ``stop_at``; count statuses and broken connections."""
    outcome = {"statuses": [], "broken": 0}
    while time.monotonic() < stop_at:
        for seat_id in seat_ids:
            try:
                status, _ = call(server, "POST", lock_path(event, seat_id), token)
                outcome["statuses"].append(status)
                status, _ = call(server, "POST", f"/api/events/{event.pk}/seats/{seat_id}/unlock/", token)
                outcome["statuses"].append(status)
            except OSError:
                outcome["broken"] += 1
    return outcome


def test_worker_killed_mid_hold_rolls_back_and_the_other_workers_go_on(
    start_gunicorn, alice, bob, make_user, event, seat_ids
):
    server = start_gunicorn()
    alice_token, bob_token = auth.issue_token(user=alice), auth.issue_token(user=bob)
    carol_token = auth.issue_token(user=make_user("carol"))
    with ThreadPoolExecutor(max_workers=2) as pool:
        load = pool.submit(background_load, server, event, seat_ids[10:14], carol_token, time.monotonic() + 6)
        with transaction.atomic():
            # Hold the seat's row: alice's hold request waits inside its transaction.
            Seat.objects.select_for_update().get(pk=seat_ids[0])
            stuck = pool.submit(call, server, "POST", lock_path(event, seat_ids[0]), alice_token)
            worker = waiting_worker_pid()
            os.kill(worker, signal.SIGKILL)
            with pytest.raises(OSError):
                stuck.result(timeout=30)
        wait_until_sessions_of(worker)
        outcome = load.result(timeout=60)

    seat = Seat.objects.get(pk=seat_ids[0])
    assert (seat.status, seat.locked_by_id, seat.version) == ("available", None, 0)
    # Neither the seat's row lock nor alice's own row lock survived the worker.
    assert call(server, "POST", lock_path(event, seat_ids[0]), bob_token)[0] == 200
    assert call(server, "POST", lock_path(event, seat_ids[1]), alice_token)[0] == 200
    # The load kept being served: never a 5xx, and at most the requests the dead worker had in hand broke.
    assert outcome["statuses"] and all(status < 500 for status in outcome["statuses"])
    assert outcome["broken"] <= 2
    assert_invariants_hold()


def test_worker_killed_mid_reservation_leaves_no_half_made_reservation(
    start_gunicorn, alice, event, seat_ids
):
    server = start_gunicorn()
    token = auth.issue_token(user=alice)
    first, second = seat_ids[0], seat_ids[1]
    for seat_id in (first, second):
        services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_id)
    before = list(Seat.objects.filter(pk__in=[first, second]).order_by("pk").values_list("status", "version"))
    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():
            # The reservation locks the first seat, then waits for the second.
            Seat.objects.select_for_update().get(pk=second)
            stuck = pool.submit(
                call, server, "POST", f"/api/events/{event.pk}/reserve/", token, {"seat_ids": [first, second]}
            )
            worker = waiting_worker_pid()
            os.kill(worker, signal.SIGKILL)
            with pytest.raises(OSError):
                stuck.result(timeout=30)
        wait_until_sessions_of(worker)

    assert not Reservation.objects.exists()
    after = list(Seat.objects.filter(pk__in=[first, second]).order_by("pk").values_list("status", "version"))
    assert after == before
    with transaction.atomic():  # the first seat's row lock went with the worker
        Seat.objects.select_for_update(nowait=True).get(pk=first)
    status, body = call(
        server, "POST", f"/api/events/{event.pk}/reserve/", token, {"seat_ids": [first, second]}
    )
    assert status == 201 and body["seats"] == ["A1", "A2"]
    assert_invariants_hold()


def test_a_request_waiting_on_a_row_lock_gives_up_with_503_busy(start_gunicorn, alice, event, seat_ids):
    server = start_gunicorn(DB_LOCK_TIMEOUT_MS="300")
    token = auth.issue_token(user=alice)
    with transaction.atomic():
        Seat.objects.select_for_update().get(pk=seat_ids[0])
        started = time.monotonic()
        status, body = call(server, "POST", lock_path(event, seat_ids[0]), token)
        waited = time.monotonic() - started
    assert (status, body["code"], body["success"]) == (503, "busy", False)
    assert waited < 10  # bounded by lock_timeout, not by the holder of the lock
    assert Seat.objects.get(pk=seat_ids[0]).status == "available"
    assert call(server, "POST", lock_path(event, seat_ids[0]), token)[0] == 200
    assert_invariants_hold()


def test_postgres_restart_gives_json_503_then_recovers_without_restarting_the_app(start_gunicorn, tmp_path):
    from pgserver._commands import pg_ctl

    pg = start_server(tmp_path / "pg")
    url = server_url(pg)
    env = server_env(url)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput"], cwd=PROJECT, env=env, check=True
        )
        seeded = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SEED_SCRIPT],
            cwd=PROJECT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        ids = json.loads(seeded.stdout.strip().splitlines()[-1])
        server = start_gunicorn(url)
        event_path = f"/api/events/{ids['event']}/seats/"
        assert call(server, "POST", f"{event_path}{ids['seats'][0]}/lock/", ids["token"])[0] == 200

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pg.pgdata, user=pg.system_user)
        assert call(server, "GET", "/api/health/") == (
            503,
            {
                "success": False,
                "error": "The database is unavailable.",
                "code": "unavailable",
                "database": "unavailable",
            },
        )
        for method, path in (
            ("GET", "/api/events/"),
            ("GET", event_path),
            ("POST", f"{event_path}{ids['seats'][1]}/lock/"),
        ):
            status, body = call(server, method, path, ids["token"])
            assert (status, body["success"], body["code"]) == (503, False, "unavailable"), (path, body)

        pg.ensure_postgres_running()
        deadline = time.monotonic() + 20
        while call(server, "GET", "/api/health/")[0] != 200:
            assert time.monotonic() < deadline, "the app did not reconnect by itself"
            time.sleep(0.2)
        assert call(server, "POST", f"{event_path}{ids['seats'][1]}/lock/", ids["token"])[0] == 200
        status, grid = call(server, "GET", event_path, ids["token"])
        assert [seat["locked_by_me"] for seat in grid["seats"][:3]] == [True, True, False]
        check = subprocess.run(
            [sys.executable, "manage.py", "check_seat_invariants"],
            cwd=PROJECT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        pg.cleanup()


SEED_SCRIPT = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.utils import timezone
from reservations import auth, services
user = get_user_model().objects.create_user(username="restart", password="x")
event = services.create_event(
    name="Restart", location="Here", event_date=timezone.now() + timedelta(days=1), total_seats=5
)
print(json.dumps({"event": event.pk, "seats": list(event.seats.order_by("pk").values_list("pk", flat=True)),
                  "token": auth.issue_token(user=user)}))
"""


def test_an_over_long_query_value_gets_the_json_error_and_only_past_gunicorns_limit_its_414(
    start_gunicorn, event
):
    server = start_gunicorn()
    for size in (201, 4500, 8000):  # the schema allows 200 characters of cursor
        status, body = call(server, "GET", f"/api/events/{event.pk}/seats/?since={'x' * size}")
        assert (status, body["code"]) == (400, "invalid_request"), size
        assert "since" in body["details"]
    past = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    past.request("GET", f"/api/events/{event.pk}/seats/?since={'x' * 8200}")
    assert past.getresponse().status == 414  # gunicorn's own answer, as the README says
    past.close()


def test_with_no_scheduler_running_an_expired_hold_is_free_for_the_next_customer(
    start_gunicorn, alice, bob, event, seat_ids
):
    server = start_gunicorn()
    services.lock_seat(user=alice, event_id=event.pk, seat_id=seat_ids[0])
    Seat.objects.filter(pk=seat_ids[0]).update(locked_until=timezone.now() - timedelta(seconds=1))
    status, grid = call(server, "GET", f"/api/events/{event.pk}/seats/")
    assert status == 200 and grid["seats"][0]["status"] == "available"
    assert call(server, "POST", lock_path(event, seat_ids[0]), auth.issue_token(user=bob))[0] == 200
    assert Seat.objects.get(pk=seat_ids[0]).locked_by_id == bob.pk
    assert_invariants_hold()


def test_two_schedulers_at_once_release_every_hold_exactly_once(alice, event, seat_ids, tmp_path):
    past = timezone.now() - timedelta(seconds=1)
    Seat.objects.filter(pk__in=seat_ids).update(
        status=Seat.Status.LOCKED, locked_by=alice, locked_at=past, locked_until=past
    )
    env = server_env(database_url(connection.settings_dict), RELEASE_INTERVAL_SECONDS="1", LOG_LEVEL="DEBUG")
    logs = [tmp_path / f"scheduler-{i}.log" for i in range(2)]

    def runs(log: Path) -> int:
        return log.read_text().count("release_expired_locks ran:")

    schedulers = [
        subprocess.Popen(
            procfile("scheduler"),
            cwd=PROJECT,
            env=env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        for log in logs
    ]
    try:
        # Both schedulers ran the job at least twice (so both had their chance at the holds, and
        # ran again once there was nothing left), and every hold is released.
        deadline = time.monotonic() + 30
        while min(map(runs, logs)) < 2 or Seat.objects.filter(status="locked").exists():
            assert time.monotonic() < deadline, f"runs: {list(map(runs, logs))}"
            time.sleep(0.2)
    finally:
        # Stopped as honcho or systemd stop it, and by Ctrl+C: each ends its run and says so.
        for scheduler, signum in zip(schedulers, (signal.SIGTERM, signal.SIGINT), strict=True):
            scheduler.send_signal(signum)
        stuck = []
        for scheduler, log in zip(schedulers, logs, strict=True):
            try:
                scheduler.wait(timeout=20)
            except subprocess.TimeoutExpired:
                scheduler.kill()
                scheduler.wait()
                stuck.append(log.read_text())
        assert not stuck, f"a scheduler did not stop on SIGTERM or Ctrl+C: {stuck}"
    for scheduler, log in zip(schedulers, logs, strict=True):
        assert scheduler.returncode == 0 and log.read_text().endswith("Scheduler stopped.\n"), log.read_text()
    output = "".join(log.read_text() for log in logs)
    released = [line for line in output.splitlines() if "seat.release " in line]
    assert len(released) == len(seat_ids), output
    assert len({line.split("seat=")[1] for line in released}) == len(seat_ids)
    assert "Traceback" not in output and " ERROR " not in output, output
    assert_invariants_hold()
