"""Benchmarks: throughput, contention and scale of one event, as ratios measured in one run.

    python bench/run.py            # the full run (a few minutes); `make bench`
    python bench/run.py --smoke    # seconds, tiny data: proves the harness works (run by the tests)

It starts the production server (gunicorn, several workers) on PostgreSQL (DATABASE_URL, or the
throwaway server the tests use) with fresh data in a database of its own, drives it with wrk from
loopback (Bearer tokens), prints a table and writes it as JSON to bench/results/latest.json.
Every figure is compared with GET /api/health/ measured on the same server in the same run.
"""

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "lua"
RESULTS = ROOT / "bench" / "results"
sys.path.insert(0, str(ROOT))

from tools.servers import GunicornServer  # noqa: E402
from tools.with_postgres import throwaway_server_url  # noqa: E402


@dataclass(frozen=True)
class Size:
    duration: int  # seconds per wrk scenario
    hold_seats: int
    grid_seats: int
    stadium: tuple[int, int, int, int]  # demo.arena: rows, seats a row, blocks a touchline, a goal end
    expiry_holds: int
    checkout_seats_per_customer: int
    storm_viewers: int
    best_seats: int
    checkout_rounds: int  # the rounds of checkout, e-mail off and on, 4 durations in all
    checkin_tickets: int  # scenario 7: tickets checked in once each, by 32 scanners
    scanner_tickets: int  # scanners: tickets every one of which two scanners present at once
    drain_emails: int  # confirmation e-mails the mailers send to a local SMTP server
    grid_rounds: int  # scenario 8: the first n of GRID_ROUNDS, one duration each
    attendee_tickets: int  # scenario 21: tickets of the event whose attendee list is downloaded
    queue_customers: int  # scenario 22: customers (tokens) joining and polling the waiting room


FULL = Size(
    duration=10,
    hold_seats=1000,
    grid_seats=1000,
    stadium=(50, 50, 5, 3),  # the demo arena: 20 blocks of 2,500 in a bowl
    expiry_holds=20_000,
    checkout_seats_per_customer=400,
    storm_viewers=200,
    best_seats=1000,
    checkout_rounds=8,
    checkin_tickets=10_000,
    scanner_tickets=10_000,
    drain_emails=2_000,
    grid_rounds=6,
    attendee_tickets=50_000,
    queue_customers=1_280,
)
SMOKE = Size(
    duration=1,
    hold_seats=200,
    grid_seats=100,
    stadium=(5, 20, 1, 0),  # six blocks of 100: a touchline each side, four corners
    expiry_holds=500,
    checkout_seats_per_customer=40,
    storm_viewers=10,
    best_seats=200,
    checkout_rounds=4,
    checkin_tickets=320,
    scanner_tickets=320,
    drain_emails=50,
    grid_rounds=3,
    attendee_tickets=500,
    queue_customers=64,
)
HOLD_CONNECTIONS = 32
HOT_CONNECTIONS = 64
CHECKOUT_CUSTOMERS = 32
# Checkout rounds, e-mail off (customers without an address) or on (with one: each reservation also
# queues its confirmation), interleaved (ABBA BAAB) so that the load of a shared machine, which comes
# and goes, falls on both alike; the first ``Size.checkout_rounds`` of them run.
CHECKOUT_ROUNDS = (False, True, True, False, True, False, False, True)
SCANNERS = 16  # in pairs: both scanners of a pair present each of their codes at the same moment
SEED_THREADS = 4  # customers reserving in parallel while the tickets are issued
# Scenario 8 (issue 20): the stadium's whole grid read by GRID_READERS viewers, alone or while
# GRID_WRITERS other customers hold and release its seats; a holder holds VIEWER_HOLDS seats there.
# Rounds of one duration each, interleaved (ABC CBA) so that a shared machine's load falls on all alike.
GRID_READERS = 16
GRID_WRITERS = 64
VIEWER_HOLDS = 4
GRID_ROUNDS = (
    ("anon", False),
    ("anon", True),
    ("holder", True),
    ("holder", True),
    ("anon", True),
    ("anon", False),
)
GRID_SCENARIOS = {
    ("anon", False): "8a grid 200 (50,000 seats), anonymous",
    ("anon", True): "8b ... anonymous, under writes",
    ("holder", True): "8c ... holder, under writes",
}
# Scenario 21 (issue 21): staff read the box office's report while BOXOFFICE_WRITERS customers hold
# and release seats of the same event; the report by REPORT_READERS staff connections at once.
BOXOFFICE_WRITERS = 32
REPORT_READERS = 2
BOXOFFICE_SOLD = 0.4  # the share of the report's stadium sold (in bulk) before the run
CSV_DOWNLOADS = 3
# Scenario 22 (issue 22): the waiting room, asked and joined by QUEUE_CONNECTIONS customers at once.
QUEUE_CONNECTIONS = 32
# What --only can pick (health always runs: every figure is a ratio to it).
SCENARIO_KEYS = (
    "1",
    "1b",
    "2",
    "3",
    "6",
    "4",
    "7",
    "scanners",
    "5",
    "stadium",
    "storm",
    "8",
    "21",
    "22",
    "22r",
    "drain",
    "expiry",
)


# --- Database and data --------------------------------------------------------------------------


def fresh_database(base_url: str, name: str = "seat_bench") -> str:
    """A new, empty database ``name`` on the same server; returns its URL."""
    import psycopg

    parts = urlsplit(base_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "seat_reservation.settings"
    import django

    django.setup()


def bench_event(name: str, seats: int, per_row: int = 10):
    """An event a month from now with ``seats`` seats, created by the same service as the admin's."""
    from datetime import timedelta

    from django.utils import timezone

    from reservations import services

    return services.create_event(
        name=name,
        location="Bench Arena",
        event_date=timezone.now() + timedelta(days=30),
        total_seats=seats,
        seats_per_row=per_row,
    )


def reserve_blocks(event_id: int, blocks: list[list[int]], customers: list) -> None:
    """Each block of seats held and reserved through the services (tickets issued, e-mail queued
    as in a request), by ``customers`` in parallel threads, each taking every n-th block."""
    from django.db import connection

    from reservations import services

    def reserve(index: int) -> None:
        try:
            for block in blocks[index :: len(customers)]:
                services.hold_seats(user=customers[index], event_id=event_id, seat_ids=block)
                services.reserve_seats(user=customers[index], event_id=event_id, seat_ids=block)
        finally:
            connection.close()  # this thread's own connection

    with ThreadPoolExecutor(max_workers=len(customers)) as pool:
        list(pool.map(reserve, range(len(customers))))


def ticketed_event(name: str, tickets: int, customers: list) -> tuple[int, list[str]]:
    """An event all of whose ``tickets`` seats are reserved, 10 a reservation (the hold limit), by
    customers without an e-mail address; returns its id and the tickets' codes."""
    from tickets.models import Ticket

    created = bench_event(name, tickets, per_row=10)
    seats = list(created.seats.order_by("pk").values_list("pk", flat=True))
    reserve_blocks(created.pk, [seats[i : i + 10] for i in range(0, len(seats), 10)], customers)
    codes = list(Ticket.objects.filter(event=created).order_by("pk").values_list("code", flat=True))
    assert len(codes) == tickets, (name, len(codes), tickets)
    return created.pk, codes


def sold_in_bulk(event_id: int, seat_ids: list[int], customers: list, *, per_reservation: int = 10) -> int:
    """``seat_ids`` of the event sold before the server starts, in bulk (the services would take
    minutes for 50,000): confirmed reservations of ``per_reservation`` seats, their ticket rows with
    genuine codes, the seats reserved, bought over the last 10 days (the report's sales by day). No
    seat history, change feed or e-mail: nothing in the bench reads those of these seats. Returns
    the tickets made."""
    from datetime import timedelta
    from decimal import Decimal

    from django.db import transaction
    from django.utils import timezone

    from reservations.models import Reservation, ReservationSeat, Seat
    from tickets import codes
    from tickets.models import Ticket

    now = timezone.now()
    prices = dict(Seat.objects.filter(pk__in=seat_ids).values_list("pk", "price"))
    blocks = [seat_ids[i : i + per_reservation] for i in range(0, len(seat_ids), per_reservation)]
    with transaction.atomic():
        reservations = Reservation.objects.bulk_create(
            Reservation(
                user=customers[index % len(customers)],
                event_id=event_id,
                status=Reservation.Status.CONFIRMED,
                total_price=sum((prices[seat] for seat in block), Decimal("0.00")),
            )
            for index, block in enumerate(blocks)
        )
        ReservationSeat.objects.bulk_create(
            (
                ReservationSeat(reservation=reservation, seat_id=seat)
                for reservation, block in zip(reservations, blocks, strict=True)
                for seat in block
            ),
            batch_size=5000,
        )
        Ticket.objects.bulk_create(
            (
                Ticket(reservation=reservation, seat_id=seat, event_id=event_id, code=codes.new_code())
                for reservation, block in zip(reservations, blocks, strict=True)
                for seat in block
            ),
            batch_size=5000,
        )
        groups: dict[tuple[int, int], list[int]] = defaultdict(list)  # (customer, days ago): seats
        for index, block in enumerate(blocks):
            groups[index % len(customers), index % 10].extend(block)
        for (customer, days_ago), seats in groups.items():
            Seat.objects.filter(pk__in=seats).update(
                status=Seat.Status.RESERVED,
                reserved_by=customers[customer],
                reserved_at=now - timedelta(days=days_ago, hours=1),
            )
    return len(seat_ids)


def seed(size: Size, want=lambda key: True) -> dict:
    """Users with tokens and the events of every scenario (of those ``want`` picks: the costly ones
    are left out otherwise). Returns the wrk fixture data, and under "door" what the check-in
    scenarios need (kept out of the shared fixture: thousands of codes)."""

    from django.contrib.auth import get_user_model

    from reservations import auth

    users = get_user_model().objects
    # Bearer tokens only: no password (hashing one takes ~0.3 s, longer than a smoke scenario).
    customers = [users.create_user(username=f"bench{i}", password=None) for i in range(HOT_CONNECTIONS)]
    tokens = [auth.issue_token(user=user) for user in customers]
    # The same number of customers again, with an address: their reservations queue e-mail.
    mail_customers = [
        users.create_user(username=f"bench-mail{i}", password=None, email=f"bench-mail{i}@example.com")
        for i in range(CHECKOUT_CUSTOMERS)
    ]
    mail_tokens = [auth.issue_token(user=user) for user in mail_customers]

    def event(name: str, seats: int, per_row: int = 10):
        created = bench_event(name, seats, per_row)
        return created.pk, list(created.seats.order_by("pk").values_list("pk", flat=True))

    hold_event, hold_seats = event("Hold and release", size.hold_seats)
    # 1b on an event of its own: on 1's, a customer would find the seats they gave up in 1 in their
    # hold cooldown (a fifth of the 4-seat blocks drawn), which is the harness, not the hold path.
    hold4_event, hold4_seats = event("Hold 4 and release", size.hold_seats)
    per = size.checkout_seats_per_customer
    checkout_rounds = []
    wanted_rounds = CHECKOUT_ROUNDS[: size.checkout_rounds] if want("2") or want("drain") else ()
    for number, email in enumerate(wanted_rounds, start=1):
        # Each round its own event of the same size and its own seat pools; e-mail on: the
        # customers with an address.
        checkout_event, checkout_seats = event(
            f"Checkout {number}, e-mail {'on' if email else 'off'}", CHECKOUT_CUSTOMERS * per, per_row=40
        )
        checkout_rounds.append(
            {
                "event": checkout_event,
                "tokens": mail_tokens if email else tokens[:CHECKOUT_CUSTOMERS],
                "pools": [checkout_seats[i * per : (i + 1) * per] for i in range(CHECKOUT_CUSTOMERS)],
            }
        )
    hot_event, hot_seats = event("Hot seats", 10)
    best_event, _ = event("Best available", size.best_seats, per_row=25)
    grid_event, _ = event("Grid", size.grid_seats, per_row=25)
    stadium = {"stadium_event": 0, "stadium_seats": 0, "stadium_first_seat": 0, "stadium_create_s": 0.0}
    if any(want(key) for key in ("5", "stadium", "storm", "8")):
        stadium_event, stadium_create_s = create_stadium(size.stadium)
        stadium = {
            "stadium_event": stadium_event.pk,
            "stadium_seats": stadium_event.total_seats,
            "stadium_first_seat": stadium_event.seats.order_by("pk").values_list("pk", flat=True).first(),
            "stadium_create_s": stadium_create_s,
        }
    # Scenario 8's customers, their own: the others' holds (storm, 5c) count against their limits.
    writers = [users.create_user(username=f"bench-writer{i}", password=None) for i in range(GRID_WRITERS)]
    viewers = [users.create_user(username=f"bench-viewer{i}", password=None) for i in range(GRID_READERS)]
    door = {}
    if want("7") or want("scanners"):
        door_staff = users.create_user(username="bench-door", password=None, is_staff=True)
        holders = [users.create_user(username=f"bench-holder{i}", password=None) for i in range(SEED_THREADS)]
        started = time.perf_counter()
        checkin_event, checkin_codes = ticketed_event("Door", size.checkin_tickets, holders)
        scanner_event, scanner_codes = ticketed_event("Door, 16 scanners", size.scanner_tickets, holders)
        door = {
            "token": auth.issue_token(user=door_staff),
            "checkin_event": checkin_event,
            "checkin_codes": checkin_codes,
            "scanner_event": scanner_event,
            "scanner_codes": scanner_codes,
            "issue_s": time.perf_counter() - started,
        }
    boxoffice = {}
    if want("21"):
        # The report's event: another stadium, BOXOFFICE_SOLD of it (the last seats) sold; its first
        # seats are the ones 21's writers hold and release. The attendee list's: every seat sold.
        sellers = [users.create_user(username=f"bench-buyer{i}", password=None) for i in range(SEED_THREADS)]
        report_event, _ = create_stadium(size.stadium, " (box office)")
        report_seats = list(report_event.seats.order_by("pk").values_list("pk", flat=True))
        on_sale = len(report_seats) - int(len(report_seats) * BOXOFFICE_SOLD)
        started = time.perf_counter()
        sold = sold_in_bulk(report_event.pk, report_seats[on_sale:], sellers)
        csv_event, csv_seats = event("Attendee list", size.attendee_tickets, per_row=50)
        sold += sold_in_bulk(csv_event, csv_seats, sellers)
        box_staff = users.create_user(username="bench-boxoffice", password=None, is_staff=True)
        boxoffice = {
            "token": auth.issue_token(user=box_staff),
            "writer_tokens": tokens[:BOXOFFICE_WRITERS],
            "report_event": report_event.pk,
            "report_first_seat": report_seats[0],
            "report_on_sale": on_sale,
            "report_seats": len(report_seats),
            "csv_event": csv_event,
            "csv_tickets": len(csv_seats),
            "sell_s": time.perf_counter() - started,
            "sold": sold,
        }
    queue = {}
    if want("22") or want("22r"):
        # Customers of their own: a join is for good (idempotent), so each of them joins once and
        # then joins again, in turns, and the place they ask for is theirs.
        queuers = users.bulk_create(
            get_user_model()(username=f"bench-queue{i}", password="!") for i in range(size.queue_customers)
        )
        from waitingroom import services as waitingroom

        queue = {"tokens": [auth.issue_token(user=user) for user in queuers]}
        for key in ("event", "redis_event"):  # 22's and 22r's: on sale now, behind a queue
            queue[key] = event(f"Waiting room ({key})", 100)[0]
            waitingroom.configure_sale(
                event_id=queue[key], onsale_at=None, queue_enabled=True, per_minute=100, max_active=500
            )
    return {
        **stadium,
        "boxoffice": boxoffice,
        "queue": queue,
        "tokens": tokens,
        "writer_tokens": [auth.issue_token(user=user) for user in writers],
        "viewer_tokens": [auth.issue_token(user=user) for user in viewers],
        "hold_event": hold_event,
        "hold_seats": hold_seats,
        "hold4_event": hold4_event,
        "hold4_seats": hold4_seats,
        "checkout_rounds": checkout_rounds,
        "hot_event": hot_event,
        "best_event": best_event,
        "hot_seats": hot_seats,
        "grid_event": grid_event,
        "door": door,
    }


def to_lua(value) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{key} = {to_lua(item)}" for key, item in value.items()) + "}"
    if isinstance(value, list):
        return "{" + ", ".join(to_lua(item) for item in value) + "}"
    if isinstance(value, str):
        return json.dumps(value)
    return str(value)


# --- Server and load ----------------------------------------------------------------------------


def wrk(url: str, script: str, *, connections: int, duration: int, env: dict[str, str]) -> dict:
    """Run wrk with one connection per thread (each thread is one customer's exact sequence)."""
    command = [
        "wrk",
        f"--threads={connections}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=10s",
        f"--script={LUA / script}",
        "--latency",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, env=env, timeout=duration + 60).stdout
    line = next((row for row in output.splitlines() if row.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result for {script}:\n{output}")
    result = json.loads(line.removeprefix("BENCH_RESULT "))
    statuses = {int(code): n for code, n in result["statuses"].items()}
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    return {
        "rps": result["requests"] / result["seconds"],
        "p50_ms": result["p50_ms"],
        "p99_ms": result["p99_ms"],
        "errors": server_errors + result["socket_errors"],
        "statuses": statuses,
        "reservations_per_s": result["reservations"] / result["seconds"],
        "connections": connections,
        "requests": result["requests"],
        "reservations": result["reservations"],
        "seconds": result["seconds"],
    }


def merged(runs: list[dict]) -> dict:
    """Several wrk runs of one scenario as one: throughput over their summed time, statuses summed,
    the mean of their medians and the worst of their 99th percentiles."""
    seconds = sum(run["seconds"] for run in runs)
    statuses: dict[int, int] = {}
    for run in runs:
        for code, n in run["statuses"].items():
            statuses[code] = statuses.get(code, 0) + n
    return {
        "rps": sum(run["requests"] for run in runs) / seconds,
        "p50_ms": statistics.mean(run["p50_ms"] for run in runs),
        "p99_ms": max(run["p99_ms"] for run in runs),
        "errors": sum(run["errors"] for run in runs),
        "statuses": statuses,
        "reservations_per_s": sum(run["reservations"] for run in runs) / seconds,
        "connections": runs[0]["connections"],
        "requests": sum(run["requests"] for run in runs),
        "reservations": sum(run["reservations"] for run in runs),
        "seconds": seconds,
        "rounds": [
            {"rps": run["rps"], "reservations_per_s": run["reservations_per_s"], "p99_ms": run["p99_ms"]}
            for run in runs
        ],
    }


# --- Scenarios in the database (no HTTP) -----------------------------------------------------------


def several_nodes(env: dict, data: dict, wrk_env: dict, args, size: Size, workdir: Path) -> dict:
    """Health and checkout through ``args.nodes`` gunicorn nodes (the same workers in all, split
    between them) on PgBouncer (transaction mode) and Redis, each node driven by its own wrk with
    its share of the customers, printed beside the one-node figures."""
    from django.db import connection

    from tools.servers import PgBouncer, RedisServer

    redis = RedisServer(workdir)
    bouncer = PgBouncer(connection.settings_dict, pool_size=2 * (os.cpu_count() or 2))
    nodes: list[GunicornServer] = []
    try:
        node_env = {**env, "DATABASE_URL": bouncer.url, "DB_TRANSACTION_POOLING": "1", "REDIS_URL": redis.url}
        workers = max(1, args.workers // args.nodes)
        for index in range(args.nodes):
            nodes.append(
                GunicornServer(
                    node_env, workers=workers, threads=args.threads, log=workdir / f"node-{index}.log"
                )
            )
        # Fresh seats for the checkout customers: the one-node run used up the first pools.
        checkout = bench_event("Checkout (nodes)", CHECKOUT_CUSTOMERS * size.checkout_seats_per_customer, 40)
        seats = list(checkout.seats.order_by("pk").values_list("pk", flat=True))
        per = size.checkout_seats_per_customer
        results = {}
        for name, script in (("health", "health.lua"), ("checkout", "checkout.lua")):
            runs = []
            share = CHECKOUT_CUSTOMERS // args.nodes
            with ThreadPoolExecutor(max_workers=args.nodes) as pool:
                futures = []
                for index, node in enumerate(nodes):
                    # Each node's customers: their own tokens and seat pools (wrk numbers threads from 1).
                    part = {
                        **data,
                        "checkout_event": checkout.pk,
                        "tokens": data["tokens"][index * share : (index + 1) * share],
                        "checkout_pools": [
                            seats[i * per : (i + 1) * per] for i in range(index * share, (index + 1) * share)
                        ],
                    }
                    fixture = workdir / f"nodes-{name}-{index}.lua"
                    fixture.write_text("return " + to_lua(part) + "\n")
                    futures.append(
                        pool.submit(
                            wrk,
                            node.url,
                            script,
                            connections=share,
                            duration=size.duration,
                            env={**wrk_env, "BENCH_DATA": str(fixture)},
                        )
                    )
                runs = [future.result() for future in futures]
            results[name] = {
                "rps": sum(run["rps"] for run in runs),
                "reservations_per_s": sum(run["reservations_per_s"] for run in runs),
                "errors": sum(run["errors"] for run in runs),
            }
        results["pgbouncer_servers"] = max(
            pool["sv_active"] + pool["sv_idle"] + pool["sv_used"] for pool in bouncer.pools()
        )
        results["nodes"] = args.nodes
        return results
    finally:
        for node in nodes:
            node.stop()
        bouncer.stop()
        redis.stop()


def best_available_blocks(event_id: int) -> dict:
    """After the best-available scenario: every reservation is side by side in one row."""
    from reservations.models import Reservation

    reservations = Reservation.objects.filter(event_id=event_id, status="confirmed").prefetch_related("seats")
    apart = 0
    for reservation in reservations:
        seats = sorted(reservation.seats.all(), key=lambda seat: seat.x)
        rows = {(seat.section_id, seat.row) for seat in seats}
        side_by_side = all(b.x == a.x + 1 and b.number == a.number + 1 for a, b in pairwise(seats))
        apart += len(rows) != 1 or not side_by_side or len(seats) != 4
    return {"reservations": len(reservations), "not_side_by_side": apart}


def invariants() -> dict[str, int]:
    """How many offenders each seat invariant has (all must be 0); the same check as the command."""
    from reservations.selectors import invariant_violations

    return {name: len(ids) for name, ids in invariant_violations().items()}


def expiry(holds: int) -> dict:
    """release_expired_locks against the original guide's per-row save loop, on the same holds."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from reservations import services
    from reservations.models import Seat

    event = bench_event("Expiry", holds, per_row=100)
    holder = get_user_model().objects.get(username="bench0")
    # The holds earlier scenarios left (wrk stops customers mid-sequence) run out during a long run
    # and would be released here as well: released first, as staff would in the admin.
    leftovers = Seat.objects.filter(status="locked").exclude(event=event).values_list("pk", flat=True)
    services.release_holds(seat_ids=list(leftovers))

    def expire_all() -> None:
        past = timezone.now() - timedelta(minutes=1)
        Seat.objects.filter(event=event).update(
            status="locked", locked_by=holder, locked_at=past, locked_until=past
        )

    expire_all()
    started = time.perf_counter()
    released = len(services.release_expired_locks())
    set_based = time.perf_counter() - started

    expire_all()
    started = time.perf_counter()
    looped = 0
    # The original guide's loop: one SELECT, then one UPDATE (and commit) per seat.
    for seat in Seat.objects.filter(status="locked", locked_until__lt=timezone.now()):
        seat.status = "available"
        seat.locked_until = None
        seat.locked_by = None
        seat.locked_at = None
        seat.save()
        looped += 1
    per_row = time.perf_counter() - started
    assert released == looped == holds, (released, looped, holds)
    return {"holds": holds, "set_based_s": set_based, "per_row_s": per_row, "speedup": per_row / set_based}


def create_stadium(blocks: tuple[int, int, int, int], venue_suffix: str = ""):
    """An event in the demo arena's layout (20 blocks of 2,500 in the full run), timed; each call
    with another ``venue_suffix`` (venue names are unique)."""
    from datetime import timedelta

    from django.utils import timezone

    from reservations import services
    from reservations.demo import arena
    from reservations.models import Venue

    name, address, layout = arena(*blocks)
    venue = Venue.objects.create(name=name + venue_suffix, address=address, layout=layout)
    started = time.perf_counter()
    event = services.create_event(name="Stadium", event_date=timezone.now() + timedelta(days=30), venue=venue)
    return event, time.perf_counter() - started


def stadium(server: GunicornServer, data: dict, staff_cookie: str, token: str) -> dict:
    """The stadium's whole grid (first build, then the shared rendering, plain and gzip, 304) and
    the admin pages staff use on it."""
    from reservations.models import Event

    event = Event.objects.get(pk=data["stadium_event"])
    seats, create_s = event.total_seats, data["stadium_create_s"]
    path = f"/api/events/{event.pk}/seats/"
    auth = {"Authorization": f"Bearer {token}"}
    cold = server.get(path, auth)  # builds the grid and fills the shared cache
    plain = [server.get(path, auth) for _ in range(5)]
    zipped = [server.get(path, {**auth, "Accept-Encoding": "gzip"}) for _ in range(5)]
    etag = plain[-1][2]["ETag"]
    revalidated = [server.get(path, {**auth, "If-None-Match": etag}) for _ in range(5)]
    admin_path = f"/admin/reservations/seat/?event__id__exact={event.pk}"
    admin = [server.get(admin_path, {"Cookie": staff_cookie}) for _ in range(3)]
    assert b"Select seat to change" in admin[-1][1], "the admin changelist did not render"
    event_page = [
        server.get(f"/admin/reservations/event/{event.pk}/change/", {"Cookie": staff_cookie})
        for _ in range(3)
    ]
    assert b"<svg" in event_page[-1][1], "the admin event page did not draw the seats"
    assert len(json.loads(plain[-1][1])["seats"]) == seats
    assert len(gzip.decompress(zipped[-1][1])) == len(plain[-1][1])
    return {
        "seats": seats,
        "create_s": create_s,
        "grid_cold_ms": cold[0] * 1000,
        "grid_ms": statistics.median(t for t, _, _ in plain) * 1000,
        "grid_bytes": len(plain[-1][1]),
        "grid_gzip_ms": statistics.median(t for t, _, _ in zipped) * 1000,
        "grid_gzip_bytes": len(zipped[-1][1]),
        "grid_304_ms": statistics.median(t for t, _, _ in revalidated) * 1000,
        "admin_changelist_ms": statistics.median(t for t, _, _ in admin) * 1000,
        "admin_event_page_ms": statistics.median(t for t, _, _ in event_page) * 1000,
        "admin_event_page_bytes": len(event_page[-1][1]),
    }


def stadium_reads(server: GunicornServer, data: dict, changes: int = 10) -> dict:
    """Fixtures for the stadium's read scenarios: a cursor with ``changes`` holds after it, and the
    ETag of the grid as it is once they are made."""
    from django.contrib.auth import get_user_model

    from reservations import services

    path = f"/api/events/{data['stadium_event']}/seats/"
    cursor = json.loads(server.get(path)[1])["cursor"]
    holder = get_user_model().objects.get(username="bench0")
    for seat in range(data["stadium_first_seat"], data["stadium_first_seat"] + changes):
        services.lock_seat(user=holder, event_id=data["stadium_event"], seat_id=seat)
    etag = server.get(path)[2]["ETag"]
    poll = server.get(f"{path}?since={cursor}", {"Accept-Encoding": "gzip"})
    plain = server.get(f"{path}?since={cursor}")
    assert len(json.loads(plain[1])["seats"]) == changes, "the feed did not answer the changes"
    return {"cursor": cursor, "etag": etag, "poll_gzip_bytes": len(poll[1]), "poll_bytes": len(plain[1])}


def stadium_storm(server: GunicornServer, data: dict, wrk_env: dict, *, viewers: int, duration: int) -> dict:
    """A hold storm on the stadium while ``viewers`` follow the change feed, each applying the
    answers to its own copy of the map; then every copy must equal a fresh whole grid, seat for seat."""
    import http.client
    import threading
    from urllib.parse import urlsplit

    path = f"/api/events/{data['stadium_event']}/seats/"
    first = json.loads(server.get(path)[1])
    index = {seat["id"]: i for i, seat in enumerate(first["seats"])}
    codes = {"available": 0, "locked": 1, "reserved": 2}
    start = bytes(codes[seat["status"]] for seat in first["seats"])
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    storm_over = threading.Event()
    polls, received, failures = [0] * viewers, [0] * viewers, []
    copies = [bytearray(start) for _ in range(viewers)]

    def follow(viewer: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=30)
        cursor, copy = first["cursor"], copies[viewer]

        def poll() -> None:
            nonlocal cursor
            connection.request("GET", f"{path}?since={cursor}", headers={"Accept-Encoding": "gzip"})
            response = connection.getresponse()
            body = response.read()
            received[viewer] += len(body)
            polls[viewer] += 1
            if response.status != 200:
                failures.append(response.status)
                return
            answer = json.loads(gzip.decompress(body) if response.getheader("Content-Encoding") else body)
            for seat in answer["seats"]:
                copy[index[seat["id"]]] = codes[seat["status"]]
            cursor = answer["cursor"]

        try:
            time.sleep(viewer / viewers)  # spread the polls over each second
            while not storm_over.is_set():
                poll()
                storm_over.wait(1.0)
            poll()  # the last changes, after the storm
        except Exception as error:  # noqa: BLE001 - reported, the copy then differs
            failures.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=follow, args=(viewer,)) for viewer in range(viewers)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    storm = wrk(server.url, "storm.lua", connections=HOLD_CONNECTIONS, duration=duration, env=wrk_env)
    time.sleep(2)  # requests wrk left in flight finish (and commit) before the viewers' last poll
    storm_over.set()
    for thread in threads:
        thread.join(60)
    elapsed = time.perf_counter() - started
    final = json.loads(server.get(path)[1])
    truth = bytes(codes[seat["status"]] for seat in final["seats"])
    differing = [viewer for viewer, copy in enumerate(copies) if bytes(copy) != truth]
    return {
        "viewers": viewers,
        "storm_rps": storm["rps"],
        "storm_statuses": storm["statuses"],
        "polls_per_s": sum(polls) / elapsed,
        "bytes_per_poll": sum(received) / max(sum(polls), 1),
        "seats_changed": sum(1 for a, b in zip(start, truth, strict=True) if a != b),
        "copies_differing": len(differing),
        "poll_failures": len(failures),
    }


def boxoffice_reads(
    server: GunicornServer, box: dict, wrk_env: dict, workdir: Path, *, duration: int
) -> dict:
    """Scenario 21 (issue 21): the report of a 50,000-seat event read by ``REPORT_READERS`` staff
    connections (staff Bearer token) while ``BOXOFFICE_WRITERS`` customers hold and release its
    unsold seats (``storm.lua``), and the attendee list of ``attendee_tickets`` tickets downloaded
    ``CSV_DOWNLOADS`` times, one after another, while the same writers run again."""
    import threading

    event, staff = box["report_event"], box["token"]
    auth = {"Authorization": f"Bearer {staff}"}
    report_path = f"/api/events/{event}/report/"
    first = json.loads(server.get(report_path, auth)[1])["report"]
    parts = ("tickets_sold", "held", "blocked", "available")
    assert first["capacity"] == box["report_seats"] == sum(first[key] for key in parts), first
    assert first["tickets_sold"] == box["report_seats"] - box["report_on_sale"], first
    writers_fixture = workdir / "boxoffice-writers.lua"
    writers_fixture.write_text(
        "return "
        + to_lua(
            {
                "tokens": box["writer_tokens"],
                "stadium_event": event,
                "stadium_first_seat": box["report_first_seat"],
                "stadium_seats": box["report_on_sale"],  # the unsold seats: the first ones
            }
        )
        + "\n"
    )
    readers_fixture = workdir / "boxoffice-report.lua"
    readers_fixture.write_text("return " + to_lua({"path": report_path, "token": staff}) + "\n")

    def writers(seconds: int) -> dict:
        return wrk(
            server.url,
            "storm.lua",
            connections=BOXOFFICE_WRITERS,
            duration=seconds,
            env={**wrk_env, "BENCH_DATA": str(writers_fixture)},
        )

    with ThreadPoolExecutor(max_workers=1) as pool:
        writing = pool.submit(writers, duration + 1)
        time.sleep(0.5)  # the writers are under way when staff start, until they stop
        report = wrk(
            server.url,
            "staff_get.lua",
            connections=REPORT_READERS,
            duration=duration,
            env={**wrk_env, "BENCH_DATA": str(readers_fixture)},
        )
        report_writes = writing.result()
    csv_path = f"/api/events/{box['csv_event']}/attendees.csv"
    downloads, csv_writes = [], {}
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        # Writers for as long as the downloads take (wrk runs for a fixed time: rounds of 2 s).
        def storm_until_stopped() -> list[dict]:
            runs = []
            while not stop.is_set():
                runs.append(writers(2))
            return runs

        writing = pool.submit(storm_until_stopped)
        time.sleep(0.5)
        for _ in range(CSV_DOWNLOADS):
            seconds, body, headers = server.get(csv_path, auth)
            downloads.append({"seconds": seconds, "bytes": len(body), "lines": body.count(b"\n")})
        stop.set()
        csv_writes = merged(writing.result())
    assert all(d["lines"] == box["csv_tickets"] + 1 for d in downloads), (downloads, box["csv_tickets"])
    assert headers["Content-Type"].startswith("text/csv"), headers
    return {
        "report": report,
        "report_writes": report_writes,
        "report_sections": len(first["sections"]),
        "report_days": len(first["sales_by_day"]),
        "csv_tickets": box["csv_tickets"],
        "csv_s": [d["seconds"] for d in downloads],
        "csv_median_s": statistics.median(d["seconds"] for d in downloads),
        "csv_bytes": downloads[-1]["bytes"],
        "csv_writes": csv_writes,
        "sell_s": box["sell_s"],
        "sold": box["sold"],
        "report_seats": box["report_seats"],
    }


def waiting_room(
    server: GunicornServer, queue: dict, wrk_env: dict, workdir: Path, *, duration: int, redis_url: str = ""
) -> dict:
    """Scenario 22 (issue 22): ``QUEUE_CONNECTIONS`` connections, each a run of customers taking turns,
    join an event's waiting room (on sale now, queue on, nobody admitted: no admitter runs; the first
    pass over the customers joins, later ones join again, which keeps the place), then ask for their
    places; health measured again just before, on the same server (22r: a server of its own, with
    ``REDIS_URL``). The queue's own count afterwards: everyone joined once."""
    from dataclasses import asdict

    from django.utils import timezone

    from waitingroom.stores import DatabaseStore, _redis_store

    event, tokens = queue["event"], queue["tokens"]
    fixture = workdir / f"queue-{event}.lua"
    slices = [tokens[i::QUEUE_CONNECTIONS] for i in range(QUEUE_CONNECTIONS)]
    fixture.write_text("return " + to_lua({"event": event, "slices": slices}) + "\n")
    env = {**wrk_env, "BENCH_DATA": str(fixture)}

    def run(script: str, **extra: str) -> dict:
        return wrk(server.url, script, connections=QUEUE_CONNECTIONS, duration=duration, env={**env, **extra})

    health = run("health.lua")
    join = run("queue.lua", BENCH_QUEUE="join")
    place = run("queue.lua", BENCH_QUEUE="get")
    store = _redis_store(redis_url) if redis_url else DatabaseStore()
    stats = store.stats(event_id=event, onsale_at=None, now=timezone.now())
    return {
        "health": health,
        "join": join,
        "get": place,
        "customers": len(tokens),
        "store": "Redis" if redis_url else "database (PostgreSQL)",
        "stats": {key: str(value) for key, value in asdict(stats).items()},
    }


def waiting_room_redis(env: dict, queue: dict, wrk_env: dict, args, workdir: Path, *, duration: int) -> dict:
    """22r: scenario 22 on a gunicorn of its own (the same workers) with ``REDIS_URL`` (Redis for
    the queue's state and the cache), on another event, the other server stopped meanwhile."""
    from tools.servers import RedisServer

    redis = RedisServer(workdir)
    node = None
    try:
        node = GunicornServer(
            {**env, "REDIS_URL": redis.url},
            workers=args.workers,
            threads=args.threads,
            log=workdir / "redis-node.log",
        )
        return waiting_room(node, queue, wrk_env, workdir, duration=duration, redis_url=redis.url)
    finally:
        if node:
            node.stop()
        redis.stop()


def viewer_holds(data: dict) -> list[list[int]]:
    """Each of scenario 8's viewers (bench-viewer<i>) holds ``VIEWER_HOLDS`` seats of the stadium
    side by side (or has their holds extended), every viewer in another part of the grid; returns the
    seats each holds."""
    from django.contrib.auth import get_user_model

    from reservations import services
    from reservations.exceptions import DomainError

    users = get_user_model().objects
    first, seats = data["stadium_first_seat"], data["stadium_seats"]
    spacing = seats // GRID_READERS
    held = []
    for index in range(GRID_READERS):
        viewer = users.get(username=f"bench-viewer{index}")
        # Past the 10 seats scenario 5 holds at the start; moved on if a storm customer holds one.
        for start in range(first + index * spacing + 16, first + (index + 1) * spacing - VIEWER_HOLDS, 8):
            ids = list(range(start, start + VIEWER_HOLDS))
            try:
                services.hold_seats(user=viewer, event_id=data["stadium_event"], seat_ids=ids)
            except DomainError:
                continue
            held.append(ids)
            break
        else:
            raise RuntimeError(f"bench-viewer{index} found no {VIEWER_HOLDS} seats to hold")
    return held


def stadium_grids(server: GunicornServer, data: dict, wrk_env: dict, *, rounds: int, duration: int) -> dict:
    """Scenario 8 (issue 20): the stadium's whole grid (gzip) read by ``GRID_READERS`` viewers,
    anonymous with no writes, anonymous while ``GRID_WRITERS`` customers hold and release its seats,
    and by viewers who hold seats there under the same writes: the first ``rounds`` of
    ``GRID_ROUNDS``, each ``duration`` seconds, merged per scenario."""
    path = f"/api/events/{data['stadium_event']}/seats/"
    held = viewer_holds(data)
    # A holder's answer shows their holds as theirs (and everyone else's grid does not).
    token = data["viewer_tokens"][0]
    body = server.get(path, {"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"})[1]
    mine = {seat["id"] for seat in json.loads(gzip.decompress(body))["seats"] if seat["locked_by_me"]}
    assert mine == set(held[0]), (mine, held[0])
    runs: dict[tuple[str, bool], list[dict]] = {}
    writes: list[dict] = []
    for number, (viewer, written) in enumerate(GRID_ROUNDS[:rounds], start=1):
        if viewer == "holder":
            viewer_holds(data)  # extended: a long run outlasts a lock period
        read_env = {**wrk_env, "BENCH_VIEWER": viewer}
        if not written:
            runs.setdefault((viewer, written), []).append(
                wrk(server.url, "stadium_grid.lua", connections=GRID_READERS, duration=duration, env=read_env)
            )
            continue
        with ThreadPoolExecutor(max_workers=1) as pool:
            writing = pool.submit(
                wrk,
                server.url,
                "stadium_writes.lua",
                connections=GRID_WRITERS,
                duration=duration + 1,
                env={**wrk_env, "BENCH_ROUND": str(number)},
            )
            time.sleep(0.5)  # the writers are under way when the readers start, until they stop
            reads = wrk(
                server.url, "stadium_grid.lua", connections=GRID_READERS, duration=duration, env=read_env
            )
            runs.setdefault((viewer, written), []).append(reads)
            writes.append(writing.result())
    results = {GRID_SCENARIOS[key]: merged(key_runs) for key, key_runs in runs.items()}
    written = merged(writes) if writes else None
    return {"scenarios": results, "writes": written, "viewer_holds": VIEWER_HOLDS}


def due_confirmations(emails: int) -> list[str]:
    """Exactly ``emails`` confirmation e-mails due, of real reservations with tickets: those the
    e-mail-on checkout rounds queued, topped up through the services (4-seat reservations by the
    customers with an address) if they were fewer; the rest of theirs is postponed by a day (still
    queued, not due: the mailer leaves it). Returns the Message-IDs of the due ones."""
    from datetime import timedelta

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from tickets.models import OutgoingEmail

    queued = OutgoingEmail.objects.filter(kind=OutgoingEmail.Kind.CONFIRMATION, sent_at__isnull=True)
    missing = emails - queued.count()
    if missing > 0:
        customers = list(get_user_model().objects.filter(username__startswith="bench-mail").order_by("pk"))
        event = bench_event("Mail top-up", 4 * missing, per_row=40)
        seats = list(event.seats.order_by("pk").values_list("pk", flat=True))
        reserve_blocks(
            event.pk, [seats[i : i + 4] for i in range(0, len(seats), 4)], customers[:SEED_THREADS]
        )
    due = list(queued.order_by("pk").values_list("pk", flat=True)[:emails])
    queued.exclude(pk__in=due).update(send_after=timezone.now() + timedelta(days=1))
    now = timezone.now()
    assert OutgoingEmail.objects.filter(sent_at__isnull=True, send_after__lte=now).count() == emails
    return list(OutgoingEmail.objects.filter(pk__in=due).values_list("message_id", flat=True))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a running process so far (Linux /proc); 0 where unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


def smtp_server():
    """The tests' SMTP server (``tickets.tests.smtp``: aiosmtpd on loopback) answering as a real MTA
    does: with TCP_NODELAY. Without it aiosmtpd writes its EHLO answer a line at a time and Nagle's
    algorithm holds the second line until the client's delayed ACK: ~40 ms on every connection,
    which the mailer (one connection a message) would pay on every message."""
    import socket

    from aiosmtpd.smtp import SMTP

    from tickets.tests.smtp import SmtpServer

    class NoDelaySMTP(SMTP):
        def connection_made(self, transport) -> None:
            transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().connection_made(transport)

    class Server(SmtpServer):
        def factory(self):
            return NoDelaySMTP(self.handler, **self.SMTP_kwargs)

    return Server()


def drain(env: dict, workdir: Path, *, emails: int, mailers: int) -> dict:
    """The Procfile's mailer process(es) send ``emails`` queued confirmations (PDF and .ics attached)
    to a local SMTP server (aiosmtpd, loopback); timed from their start until every one has its
    sent_at. The server's inbox must then hold exactly the queued Message-IDs, each once."""
    from django.db.models import Max, Min

    from tickets.models import OutgoingEmail
    from tools.servers import procfile

    message_ids = due_confirmations(emails)
    waiting = OutgoingEmail.objects.filter(message_id__in=message_ids)
    smtp = smtp_server()
    smtp.start()
    mailer_env = {
        **env,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp.port),
        "MAILER_INTERVAL_SECONDS": "0.1",
    }
    processes: list[subprocess.Popen] = []
    logs = [workdir / f"mailer-{index}.log" for index in range(mailers)]
    try:
        started = time.perf_counter()
        for log in logs:
            processes.append(
                subprocess.Popen(
                    procfile("mailer"),
                    cwd=ROOT,
                    env=mailer_env,
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = started + 60 + emails / 5  # bounded: 10x slower than the target still ends
        while waiting.filter(sent_at__isnull=True).exists():
            if time.perf_counter() > deadline or any(process.poll() is not None for process in processes):
                output = "\n".join(log.read_text() for log in logs)
                raise RuntimeError(f"the mailers did not send every e-mail in time:\n{output}")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        cpu = sum(cpu_seconds(process.pid) for process in processes)  # start-up included
    finally:
        for process in processes:
            if process.poll() is None:
                process.terminate()  # the mailer stops after its current batch
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        smtp.close()
    received = smtp.inbox.message_ids()
    span = waiting.aggregate(first=Min("sent_at"), last=Max("sent_at"))
    first_to_last = (span["last"] - span["first"]).total_seconds()
    sizes = [len(message.as_bytes()) for message in smtp.inbox.messages[:20]]
    return {
        "emails": emails,
        "mailers": mailers,
        "seconds": elapsed,
        "per_s": emails / elapsed,
        "per_s_first_to_last": (emails - 1) / first_to_last if first_to_last else float("inf"),
        "received": len(received),
        "lost": len(set(message_ids) - set(received)),
        "doubled": len(received) - len(set(received)),
        "unexpected": len(set(received) - set(message_ids)),
        "retried": waiting.filter(attempts__gt=1).count(),
        "cpu_ms_per_message": cpu * 1000 / emails,
        "message_bytes": statistics.mean(sizes) if sizes else 0,
    }


def scanners(server: GunicornServer, door: dict, *, pairs: int = SCANNERS // 2) -> dict:
    """``2 * pairs`` scanners at the door of a fresh event at once, in pairs: both scanners of a pair
    present each code of their share (every pair another share, in an order of its own) at the same
    moment (a barrier per code), so every ticket is presented twice concurrently. Exactly one of the
    two may get 200; afterwards the database must hold one entry per ticket."""
    import http.client
    import random
    import threading

    from tickets.models import CheckIn, Ticket

    event_id, codes = door["scanner_event"], door["scanner_codes"]
    shares = [codes[pair::pairs] for pair in range(pairs)]
    for pair, share in enumerate(shares):
        random.Random(pair).shuffle(share)
    path = f"/api/events/{event_id}/checkin/"
    headers = {"Authorization": f"Bearer {door['token']}", "Content-Type": "application/json"}
    host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
    answers: list[list[tuple[str, int, str]]] = [[] for _ in range(2 * pairs)]
    failures: list[str] = []
    together = [threading.Barrier(2, timeout=30) for _ in range(pairs)]
    began: list[float] = []
    start = threading.Barrier(2 * pairs, action=lambda: began.append(time.perf_counter()), timeout=30)

    def scan(scanner: int) -> None:
        pair = scanner % pairs
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            start.wait()
            for code in shares[pair]:
                together[pair].wait()  # both scanners of the pair send this code now
                connection.request("POST", path, body=json.dumps({"code": code}), headers=headers)
                response = connection.getresponse()
                body = response.read()
                error = ""
                if response.status != 200:
                    try:
                        error = json.loads(body).get("code", "")
                    except ValueError:
                        error = body[:80].decode(errors="replace")
                answers[scanner].append((code, response.status, error))
        except Exception as error:  # noqa: BLE001 - reported, and the target then fails
            failures.append(repr(error))
            together[pair].abort()
            start.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=scan, args=(scanner,)) for scanner in range(2 * pairs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120 + len(codes) / 10)  # bounded
    elapsed = time.perf_counter() - began[0] if began else 0.0
    every = [answer for scanner in answers for answer in scanner]
    admitted: dict[str, int] = {}
    statuses: dict[int, int] = {}
    for code, status, _ in every:
        statuses[status] = statuses.get(status, 0) + 1
        if status == 200:
            admitted[code] = admitted.get(code, 0) + 1
    already = sum(1 for _, status, error in every if status == 409 and error == "already_checked_in")
    return {
        "scanners": 2 * pairs,
        "tickets": len(codes),
        "requests": len(every),
        "seconds": elapsed,
        "rps": len(every) / elapsed if elapsed else 0.0,
        "statuses": statuses,
        "admitted": statuses.get(200, 0),
        "already_checked_in": already,
        "other": len(every) - statuses.get(200, 0) - already,
        "server_errors": sum(n for status, n in statuses.items() if status >= 500),
        "let_in_twice": sum(1 for n in admitted.values() if n > 1),
        "never_let_in": len(codes) - len(admitted),
        "check_in_rows": CheckIn.objects.filter(ticket__event_id=event_id).count(),
        "tickets_checked_in": Ticket.objects.filter(
            event_id=event_id, status=Ticket.Status.CHECKED_IN
        ).count(),
        "failures": failures,
    }


def staff_session_cookie() -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.sessions.backends.db import SessionStore

    staff = get_user_model().objects.create_superuser(username="bench-staff", password="x", email="")
    session = SessionStore()
    session[SESSION_KEY] = str(staff.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = staff.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- Report ---------------------------------------------------------------------------------------


def report(results: dict) -> str:
    health = results["scenarios"]["health"]["rps"]
    machine = results["machine"]
    lines = [
        f"machine: {machine['cores']} cores; server: gunicorn {machine['workers']} workers x "
        f"{machine['threads']} threads; load: wrk, one connection per thread; "
        f"PostgreSQL {machine['postgres']}",
        "",
        f"{'scenario':<40}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'x health':>10}  notes",
    ]
    for name, row in results["scenarios"].items():
        note = row.get("note", "")
        lines.append(
            f"{name:<40}{row['rps']:>10.0f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}{row['errors']:>8}"
            f"{row['rps'] / health:>10.2f}  {note}"
        )
    if "invariants" in results:
        inv = results["invariants"]
        lines += [
            "",
            "invariants after hot seats and best available (all must be 0): "
            + ", ".join(f"{k}={v}" for k, v in inv.items()),
        ]
    if "best_available" in results:
        lines.append(
            f"best available: {results['best_available']['reservations']} reservations of 4, "
            f"{results['best_available']['not_side_by_side']} not side by side in one row"
        )
    if "grids" in results:
        g, w = results["grids"], results["grids"]["writes"]
        lines += [
            "",
            f"grid under writes (8b / 8a, target >= 0.5): {g['writes_ratio']:.2f}; "
            f"holder / anonymous under writes (8c / 8b, target >= 0.8): {g['holder_ratio']:.2f}; "
            f"{GRID_READERS} viewers, gzip; holders hold {g['viewer_holds']} seats each; writes: "
            f"{GRID_WRITERS} customers, {w['rps']:.0f} holds and releases/s, statuses {w['statuses']}",
        ]
    s = results.get("stadium", {})
    if "grid_cold_ms" in s:
        lines += [
            "",
            f"stadium: {s['seats']} seats created in {s['create_s']:.2f} s; grid {s['grid_cold_ms']:.0f} ms "
            f"first build, then {s['grid_ms']:.0f} ms, "
            f"{s['grid_bytes'] / 1e6:.2f} MB plain / {s['grid_gzip_ms']:.0f} ms, "
            f"{s['grid_gzip_bytes'] / 1e6:.2f} MB gzip; "
            f"304 {s['grid_304_ms']:.1f} ms; admin seat changelist {s['admin_changelist_ms']:.0f} ms, "
            f"event page with the seat drawing {s['admin_event_page_ms']:.0f} ms "
            f"({s['admin_event_page_bytes'] / 1e6:.2f} MB)",
        ]
    if "storm" in results:
        t = results["storm"]
        whole = (
            f" against {s['grid_gzip_bytes'] / 1e6:.2f} MB gzip / {s['grid_bytes'] / 1e6:.2f} MB plain for a "
            "whole grid"
            if "grid_bytes" in s
            else ""
        )
        lines += [
            f"storm: {t['storm_rps']:.0f} holds/releases a second on the stadium while {t['viewers']} "
            f"viewers followed the feed: {t['polls_per_s']:.0f} polls/s, {t['bytes_per_poll']:.0f} B a poll "
            f"(gzip){whole}; {t['seats_changed']} seats changed; copies differing from a fresh grid: "
            f"{t['copies_differing']} of {t['viewers']}; failed polls: {t['poll_failures']}",
        ]
    c = results["scenarios"]
    if "2e checkout, e-mail on (4 seats)" in c:
        off, on = c["2 checkout (4 seats)"], c["2e checkout, e-mail on (4 seats)"]
        rounds = ", ".join(
            f"{'on' if run['email'] else 'off'} {run['reservations_per_s']:.0f}" for run in on["by_round"]
        )
        lines.append(
            f"e-mail on checkout: {on['reservations_per_s']:.0f} confirmed reservations/s with an e-mail "
            f"queued for each vs {off['reservations_per_s']:.0f} without: {on['email_ratio']:.2f} x "
            f"(reservations/s in {len(on['by_round'])} interleaved rounds of "
            f"{off['seconds'] / len(off['rounds']):.0f} s: {rounds})"
        )
    if "drain" in results:
        m = results["drain"]
        lines.append(
            f"e-mail drain: {m['emails']} confirmation e-mails (4 tickets, PDF and .ics, "
            f"{m['message_bytes'] / 1000:.0f} KB each) sent by {m['mailers']} mailer process(es) to a local "
            f"SMTP server in {m['seconds']:.1f} s from their start: {m['per_s']:.0f} messages/s "
            f"({m['per_s_first_to_last']:.0f}/s from the first to the last sent); inbox: {m['received']} "
            f"messages, lost {m['lost']}, doubled {m['doubled']}, not queued {m['unexpected']}, "
            f"retried {m['retried']}; the mailers' CPU: {m['cpu_ms_per_message']:.0f} ms a message (start-up "
            f"included), at most {machine['cores'] * 1000 / max(m['cpu_ms_per_message'], 1):.0f} messages/s "
            f"on all {machine['cores']} cores"
        )
    if "scanners" in results:
        d = results["scanners"]
        lines.append(
            f"scanners: {d['scanners']} at once, in pairs presenting the same code at the same moment, on "
            f"{d['tickets']} tickets ({d['issue_s']:.1f} s to issue them and scenario 7's through "
            f"reservations): {d['requests']} check-ins in {d['seconds']:.1f} s ({d['rps']:.0f}/s): "
            f"{d['admitted']} x 200, {d['already_checked_in']} x 409 already_checked_in, {d['other']} other "
            f"({d['server_errors']} 5xx); let in twice {d['let_in_twice']}, never {d['never_let_in']}; "
            f"CheckIn rows {d['check_in_rows']}, tickets checked in {d['tickets_checked_in']}"
            + (f"; failures: {d['failures'][:3]}" if d["failures"] else "")
        )
    if "expiry" in results:
        e = results["expiry"]
        lines.append(
            f"expiry: {e['holds']} expired holds released in {e['set_based_s']:.2f} s (set-based) vs "
            f"{e['per_row_s']:.2f} s (per-row save loop): {e['speedup']:.0f}x"
        )
    if "boxoffice" in results:
        b = results["boxoffice"]
        lines.append(
            f"box office: report of {b['report_sections']} sections and {b['report_days']} days of sales "
            f"(21 above); attendee list of {b['csv_tickets']:,} tickets ({b['csv_bytes'] / 1e6:.1f} MB CSV, "
            f"streamed): {', '.join(f'{t:.2f}' for t in b['csv_s'])} s, median {b['csv_median_s']:.2f} s "
            f"(target < 3 s), while {BOXOFFICE_WRITERS} customers held and released "
            f"({b['csv_writes']['rps']:.0f}/s); {b['sold']:,} tickets sold in bulk in {b['sell_s']:.1f} s"
        )
    for room in results.get("waiting_room", {}).values():
        lines.append(
            f"waiting room ({room['store']}): {room['customers']:,} customers on {QUEUE_CONNECTIONS} "
            f"connections; health on that server {room['health']['rps']:.0f} req/s; place "
            f"{room['get']['rps']:.0f} req/s ({room['get']['rps'] / room['health']['rps']:.2f} x, "
            f"target >= 0.7), join {room['join']['rps']:.0f} req/s "
            f"({room['join']['rps'] / room['health']['rps']:.2f} x, target >= 0.5); "
            f"the queue afterwards: {room['stats']['waiting']} waiting, {room['stats']['admitted']} admitted"
        )
    if "nodes" in results:
        n, one = results["nodes"], results["scenarios"]
        lines += [
            "",
            f"{n['nodes']} nodes on PgBouncer ({n['pgbouncer_servers']} server connections at most) "
            "and Redis: "
            f"health {n['health']['rps']:.0f} req/s (one node: {one['health']['rps']:.0f}); checkout "
            f"{n['checkout']['reservations_per_s']:.0f} confirmed reservations/s (one node: "
            f"{one['2 checkout (4 seats)']['reservations_per_s']:.0f}); errors {n['checkout']['errors']}",
        ]
    lines += ["", "targets:"] + [f"  [{'ok' if ok else 'MISSED'}] {text}" for text, ok in results["targets"]]
    return "\n".join(lines)


def targets(results: dict) -> list[tuple[str, bool]]:
    """Every target whose scenarios ran (``--only`` leaves some out)."""
    rows, health = results["scenarios"], results["scenarios"]["health"]["rps"]
    s = results.get("stadium", {})
    found: list[tuple[str, bool]] = []

    def ratio(name: str, key: str = "rps") -> float | None:
        return rows[name][key] / health if name in rows else None

    if "grids" in results:
        g = results["grids"]
        found += [
            (
                "50,000-seat whole grid, anonymous, while 64 customers hold and release >= 0.5 x the same "
                "grid with no writes",
                g["writes_ratio"] >= 0.5,
            ),
            (
                "50,000-seat whole grid as a viewer holding seats there >= 0.8 x the anonymous grid, "
                "both under the same writes",
                g["holder_ratio"] >= 0.8,
            ),
        ]
    if "boxoffice" in results:
        b = results["boxoffice"]
        (reads,) = (row for name, row in rows.items() if name.startswith("21 report"))
        found += [
            (
                f"report of the {b['report_seats']:,}-seat event < 300 ms (median) while "
                f"{BOXOFFICE_WRITERS} customers hold and release",
                reads["p50_ms"] < 300 and reads["errors"] == 0,
            ),
            (f"CSV of {b['csv_tickets']:,} tickets streams in < 3 s (median)", b["csv_median_s"] < 3),
        ]
    for store, room in results.get("waiting_room", {}).items():
        health_rps = room["health"]["rps"]
        found += [
            (f"queue place (GET) >= 0.7 x health, {store}", room["get"]["rps"] / health_rps >= 0.7),
            (f"queue join (POST) >= 0.5 x health, {store}", room["join"]["rps"] / health_rps >= 0.5),
        ]
    if "2e checkout, e-mail on (4 seats)" in rows:
        found.append(
            (
                "checkout with e-mail on >= 0.9 x checkout with e-mail off (reservations/s)",
                rows["2e checkout, e-mail on (4 seats)"]["email_ratio"] >= 0.9,
            )
        )
    if "drain" in results:
        m = results["drain"]
        found.append(
            (
                f"{m['emails']:,} confirmation e-mails drain to a local SMTP server at >= 50 messages/s, "
                "none lost or doubled",
                m["per_s"] >= 50
                and m["received"] == m["emails"]
                and not (m["lost"] or m["doubled"] or m["unexpected"]),
            )
        )
    if (checkin := ratio("7 check-in (first entries)")) is not None:
        found.append(("check-in >= 0.5 x health", checkin >= 0.5))
    if "scanners" in results:
        d = results["scanners"]
        found.append(
            (
                f"{d['scanners']} scanners on {d['tickets']:,} tickets at once: 0 double entries "
                "(one 200 a ticket, the rest 409 already_checked_in, no 5xx)",
                d["admitted"] == d["tickets"] == d["check_in_rows"] == d["tickets_checked_in"]
                and d["already_checked_in"] == d["requests"] - d["tickets"]
                and d["let_in_twice"] == d["server_errors"] == 0
                and not d["failures"],
            )
        )
    if "5a event list (50,000-seat event listed)" in rows:
        found += [
            (
                "event list with a 50,000-seat event >= 0.5 x health",
                ratio("5a event list (50,000-seat event listed)") >= 0.5,
            ),
            ("grid 304 (50,000 seats) >= 0.8 x health", ratio("5b grid 304 (50,000 seats)") >= 0.8),
            (
                "feed poll (50,000 seats, 10 changes) >= 0.6 x health",
                ratio("5c feed poll (50,000 seats)") >= 0.6,
            ),
            ("feed poll with 10 changes < 5 KB", s["feed_poll_bytes"] < 5000),
        ]
    if "storm" in results:
        t = results["storm"]
        found.append(
            (
                "every viewer's copy equals a fresh grid after the storm",
                t["copies_differing"] == 0 and not t["poll_failures"],
            )
        )
    if "create_s" in s:
        found.append(("50,000-seat venue event created in < 5 s", s["create_s"] < 5))
    if (hold := ratio("1 hold/release")) is not None:
        found.append(("hold >= 0.30 x health", hold >= 0.30))
    if "4a grid 200 (1,000 seats)" in rows:
        found += [
            ("grid 304 >= 0.80 x health", ratio("4b grid 304 (1,000 seats)") >= 0.80),
            ("grid 200 (1,000 seats) >= 0.25 x health", ratio("4a grid 200 (1,000 seats)") >= 0.25),
        ]
    if (hold4 := ratio("1b 4-seat hold (seat_ids)", "holds_per_s")) is not None:
        found.append(("4-seat hold >= 0.25 x health (holds/s)", hold4 >= 0.25))
    if (checkout := ratio("2 checkout (4 seats)", "reservations_per_s")) is not None:
        found.append(("checkout >= 0.08 confirmed reservations/s per health req/s", checkout >= 0.08))
    if "best_available" in results:
        found.append(
            (
                "best available: every block side by side in one row, none held twice",
                results["best_available"]["not_side_by_side"] == 0
                and not any(results["invariants"].values()),
            )
        )
    if "3 hot seats (64 on 10 seats)" in rows:
        found.append(("0 invariant violations after hot seats", not any(results["invariants"].values())))
    if "grid_cold_ms" in s:
        found += [
            ("50,000-seat grid < 300 ms (first build, uncached)", s["grid_cold_ms"] < 300),
            ("50,000-seat grid < 1.5 MB (gzip)", s["grid_gzip_bytes"] < 1_500_000),
        ]
    if "expiry" in results:
        found.append(
            (
                "release of expired holds >= 20x faster than the per-row loop",
                results["expiry"]["speedup"] >= 20,
            )
        )
    return found


def only_keys(value: str) -> set[str]:
    keys = {key.strip() for key in value.split(",") if key.strip()}
    unknown = keys - set(SCENARIO_KEYS)
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown scenario(s) {', '.join(sorted(unknown))}; choose from {', '.join(SCENARIO_KEYS)}"
        )
    return keys


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="seconds and tiny data (CI)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--duration", type=int, help="seconds per load scenario (default 10; smoke 1)")
    parser.add_argument("--expiry-holds", type=int, help="expired holds to release (default 20,000)")
    parser.add_argument(
        "--nodes",
        type=int,
        default=1,
        help="also run health and checkout through this many gunicorn nodes on PgBouncer and Redis",
    )
    parser.add_argument(
        "--mailers",
        type=int,
        default=2 * (os.cpu_count() or 1),
        help="mailer processes in the e-mail drain (default two a core, as README advises: a mailer "
        "waits on SMTP and the database longer than it computes)",
    )
    parser.add_argument(
        "--only",
        type=only_keys,
        help="run only these scenarios (health always runs), comma-separated: " + ", ".join(SCENARIO_KEYS),
    )
    parser.add_argument("--output", type=Path, default=RESULTS / "latest.json")
    args = parser.parse_args()
    size = SMOKE if args.smoke else FULL
    if args.duration or args.expiry_holds:
        size = replace(
            size, duration=args.duration or size.duration, expiry_holds=args.expiry_holds or size.expiry_holds
        )
    if shutil.which("wrk") is None:
        print("bench: wrk is missing; install Debian's package: apt-get install wrk", file=sys.stderr)
        return 2

    def want(key: str) -> bool:
        return args.only is None or key in args.only

    server_handle = None
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        base_url, server_handle = throwaway_server_url()
    workdir = Path(tempfile.mkdtemp(prefix="seat-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": fresh_database(base_url),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-not-secret",
        "DJANGO_SECURE": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "WARNING",
        "RATE_LIMITS": "0",  # measure the seat engine, not the limiter
        # Bench customers reserve hundreds of seats of one event each (where the setting exists).
        "TICKET_LIMIT_PER_CUSTOMER": "1000000",
    }
    server = None
    try:
        setup_django(env)
        from django.core.management import call_command
        from django.db import connection

        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        data = seed(size, want)
        door = data.pop("door")
        boxoffice, queue = data.pop("boxoffice"), data.pop("queue")
        server = GunicornServer(env, workers=args.workers, threads=args.threads, log=workdir / "gunicorn.log")
        data["grid_etags"] = [
            server.get(f"/api/events/{data['grid_event']}/seats/", {"Authorization": f"Bearer {token}"})[2][
                "ETag"
            ]
            for token in data["tokens"]
        ]
        fixture = workdir / "data.lua"
        fixture.write_text("return " + to_lua(data) + "\n")
        wrk_env = {**os.environ, "BENCH_DATA": str(fixture), "BENCH_LUA": str(LUA)}

        def run(script: str, connections: int, seconds: int | None = None, **extra: str) -> dict:
            return wrk(
                server.url,
                script,
                connections=connections,
                duration=seconds or size.duration,
                env={**wrk_env, **extra},
            )

        results: dict = {"smoke": args.smoke, "only": sorted(args.only) if args.only else None}
        scenarios = {"health": run("health.lua", HOLD_CONNECTIONS)}
        if want("1"):
            scenarios["1 hold/release"] = run("hold.lua", HOLD_CONNECTIONS)
            scenarios["1 hold/release"]["note"] = f"statuses {scenarios['1 hold/release']['statuses']}"
        if want("1b"):
            hold4 = run("hold4.lua", HOLD_CONNECTIONS)
            hold4["holds_per_s"] = hold4.pop("reservations_per_s")
            per_s = hold4["holds_per_s"]
            hold4["note"] = (
                f"{per_s:.0f} 4-seat holds/s ({4 * per_s:.0f} seats/s), each then given up; "
                f"statuses {hold4['statuses']}"
            )
            scenarios["1b 4-seat hold (seat_ids)"] = hold4
        if want("2"):
            order = CHECKOUT_ROUNDS[: size.checkout_rounds]
            round_seconds = max(1, 4 * size.duration // len(order))  # 4 durations of checkout in all
            rounds = [
                run("checkout.lua", CHECKOUT_CUSTOMERS, round_seconds, BENCH_ROUND=str(number))
                for number in range(1, len(order) + 1)
            ]
            checkout = merged([r for r, email in zip(rounds, order, strict=True) if not email])
            checkout["note"] = f"{checkout['reservations_per_s']:.0f} confirmed reservations/s"
            scenarios["2 checkout (4 seats)"] = checkout
            with_email = merged([r for r, email in zip(rounds, order, strict=True) if email])
            with_email["email_ratio"] = with_email["reservations_per_s"] / checkout["reservations_per_s"]
            with_email["by_round"] = [
                {"email": email, "reservations_per_s": r["reservations_per_s"]}
                for r, email in zip(rounds, order, strict=True)
            ]
            with_email["note"] = (
                f"{with_email['reservations_per_s']:.0f} confirmed reservations/s, "
                f"{with_email['email_ratio']:.2f} x e-mail off"
            )
            scenarios["2e checkout, e-mail on (4 seats)"] = with_email
        if want("3"):
            hot = run("hot.lua", HOT_CONNECTIONS)
            hot["note"] = f"{hot['reservations_per_s']:.0f} reservations/s; statuses {hot['statuses']}"
            scenarios["3 hot seats (64 on 10 seats)"] = hot
        if want("6"):
            best = run("best.lua", HOT_CONNECTIONS)
            best["note"] = f"{best['reservations_per_s']:.0f} reservations/s; statuses {best['statuses']}"
            scenarios["6 best available (64 on 1,000 seats)"] = best
            results["best_available"] = best_available_blocks(data["best_event"])
        if want("3") or want("6"):
            results["invariants"] = invariants()
        if want("4"):
            scenarios["4a grid 200 (1,000 seats)"] = run("grid.lua", HOLD_CONNECTIONS)
            grid304 = run("grid.lua", HOLD_CONNECTIONS, BENCH_ETAG="1")
            grid304["note"] = f"statuses {grid304['statuses']}"
            scenarios["4b grid 304 (1,000 seats)"] = grid304
        if want("7"):
            codes = door["checkin_codes"]
            door_fixture = workdir / "door.lua"
            slices = [codes[i::HOLD_CONNECTIONS] for i in range(HOLD_CONNECTIONS)]
            door_fixture.write_text(
                "return "
                + to_lua({"event": door["checkin_event"], "token": door["token"], "slices": slices})
                + "\n"
            )
            checkin = run("checkin.lua", HOLD_CONNECTIONS, BENCH_DATA=str(door_fixture))
            checkin["used_up"] = checkin["reservations"] >= len(codes) or set(checkin["statuses"]) != {200}
            checkin["note"] = f"statuses {checkin['statuses']}" + (
                "; a scanner used up its codes: a lower bound" if checkin["used_up"] else ""
            )
            scenarios["7 check-in (first entries)"] = checkin
        if want("scanners"):
            results["scanners"] = {**scanners(server, door), "issue_s": door["issue_s"]}
        stadium_results = {"create_s": data["stadium_create_s"]} if data["stadium_event"] else {}
        if want("stadium"):
            stadium_results = stadium(server, data, staff_session_cookie(), data["tokens"][0])
        if want("5"):
            reads = stadium_reads(server, data)
            stadium_results.update({f"feed_{key}": value for key, value in reads.items()})
            data.update(stadium_etag=reads["etag"], stadium_cursor=reads["cursor"])
            fixture.write_text("return " + to_lua(data) + "\n")
            scenarios["5a event list (50,000-seat event listed)"] = run(
                "stadium.lua", HOLD_CONNECTIONS, BENCH_READ="list"
            )
            stadium304 = run("stadium.lua", HOLD_CONNECTIONS, BENCH_READ="304")
            stadium304["note"] = f"statuses {stadium304['statuses']}"
            scenarios["5b grid 304 (50,000 seats)"] = stadium304
            feed = run("stadium.lua", HOLD_CONNECTIONS, BENCH_READ="feed")
            feed["note"] = f"{reads['poll_bytes']} B a poll ({reads['poll_gzip_bytes']} B gzip), 10 changes"
            scenarios["5c feed poll (50,000 seats)"] = feed
        if want("8"):
            grids = stadium_grids(server, data, wrk_env, rounds=size.grid_rounds, duration=size.duration)
            anon, anon_writes, holder = (grids["scenarios"][name] for name in GRID_SCENARIOS.values())
            grids["writes_ratio"] = anon_writes["rps"] / anon["rps"]
            grids["holder_ratio"] = holder["rps"] / anon_writes["rps"]

            def by_round(row: dict) -> str:
                return "req/s by round " + " ".join(f"{run['rps']:.0f}" for run in row["rounds"])

            anon["note"] = f"no writes; {by_round(anon)}"
            anon_writes["note"] = f"{grids['writes_ratio']:.2f} x 8a (target >= 0.5); {by_round(anon_writes)}"
            holder["note"] = f"{grids['holder_ratio']:.2f} x 8b (target >= 0.8); {by_round(holder)}"
            scenarios.update(grids.pop("scenarios"))
            results["grids"] = grids
        if want("21"):
            box = boxoffice_reads(server, boxoffice, wrk_env, workdir, duration=size.duration)
            reads, writes = box.pop("report"), box.pop("report_writes")
            reads["note"] = (
                f"p50 {reads['p50_ms']:.0f} ms, p99 {reads['p99_ms']:.0f} ms (target < 300 ms); "
                f"{BOXOFFICE_WRITERS} customers holding and releasing meanwhile: {writes['rps']:.0f}/s, "
                f"statuses {writes['statuses']}; report statuses {reads['statuses']}"
            )
            box["report_writes_rps"] = writes["rps"]
            scenarios[f"21 report ({boxoffice['report_seats']:,} seats), writes"] = reads
            results["boxoffice"] = box
        if want("22"):
            rooms = {"database": waiting_room(server, queue, wrk_env, workdir, duration=size.duration)}
            results["waiting_room"] = rooms
        if stadium_results:
            results["stadium"] = stadium_results
        if want("storm"):
            results["storm"] = stadium_storm(
                server, data, wrk_env, viewers=size.storm_viewers, duration=size.duration
            )
        if want("drain"):
            results["drain"] = drain(env, workdir, emails=size.drain_emails, mailers=args.mailers)
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
        results["machine"] = {
            "cores": os.cpu_count(),
            "workers": args.workers,
            "threads": args.threads,
            "postgres": postgres,
        }
        results["scenarios"] = scenarios
        if want("expiry"):
            results["expiry"] = expiry(size.expiry_holds)
        if want("22r"):
            server.stop()  # the Redis node gets the cores to itself, as the one-node server had
            server = None
            rooms = results.setdefault("waiting_room", {})
            rooms["redis"] = waiting_room_redis(
                env, {**queue, "event": queue["redis_event"]}, wrk_env, args, workdir, duration=size.duration
            )
        for store, room in results.get("waiting_room", {}).items():
            for key, name in (("get", "22a queue place (GET)"), ("join", "22b queue join (POST)")):
                row = dict(room[key])
                ratio = row["rps"] / room["health"]["rps"]
                row["note"] = (
                    f"{ratio:.2f} x health on that server ({room['health']['rps']:.0f} req/s); "
                    f"statuses {row['statuses']}"
                )
                scenarios[f"{name}, {store}"] = row
        if args.nodes > 1:
            results["nodes"] = several_nodes(env, data, wrk_env, args, size, workdir)
        results["targets"] = targets(results)
        print(report(results))
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nwritten: {args.output}")
        return 0
    finally:
        if server:
            server.stop()
        if server_handle is not None:
            server_handle.cleanup()
        for log in sorted(workdir.glob("*.log")):  # a 500 in a table says nothing without its traceback
            if errors := tracebacks(log):
                print(f"\nserver errors in {log.name}:\n{errors}")
        shutil.rmtree(workdir, ignore_errors=True)


def tracebacks(log: Path, limit: int = 8000) -> str:
    """What a server's log says from the line before its first traceback on (the request that
    failed, then the traceback), up to ``limit`` characters; empty when it has none."""
    text = log.read_text(errors="replace")
    first = text.find("Traceback (most recent call last)")
    if first < 0:
        return ""
    start = text.rfind("\n", 0, text.rfind("\n", 0, first)) + 1
    return text[start : start + limit]


if __name__ == "__main__":
    sys.exit(main())
