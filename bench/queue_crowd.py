"""A crowd at the on-sale's waiting room (issue 22's targets), bounded and self-stopping.

    python bench/queue_crowd.py                      # 20,000 customers, one node
    python bench/queue_crowd.py --nodes 2            # two gunicorn nodes on PgBouncer, one Redis
    python bench/queue_crowd.py --customers 200 --window 4 --admit-seconds 4   # seconds (the tests)

On a production-like server on loopback (the Procfile's gunicorn, PostgreSQL: DATABASE_URL or the
tests' throwaway server, Redis as REDIS_URL), with fresh data in a database of its own (seat_queue):

1. an event whose on-sale is a little in the future, behind its queue, and N customers with Bearer
   tokens created in bulk (no password hashing);
2. the customers join (``POST /api/events/{id}/queue/``) over HTTP at an even pace over ``--window``
   seconds, the first ``--before`` of them before ``onsale_at``, the rest after (kept-alive
   connections, ``--clients`` threads; with several nodes each customer goes to one node);
3. every place is read from the store (Redis) and checked: everyone who joined has one, no two share
   one, those who joined before the on-sale hold places 1..k in an order whose Spearman rank
   correlation with their arrival order is near 0 (|rho| < 5/sqrt(k): five standard deviations of a
   random order), later arrivals come after them in arrival order (one whose join had ended before
   another's began is ahead of them); then the Procfile's ``waitingroom`` admitter (one per node)
   runs for ``--admit-seconds`` and the admissions (from the store) are checked: in place order,
   never more than the pace allows in any window (``per_minute / 60`` a second plus at most one
   second's credit, as ``waitingroom.stores`` documents) nor ``per_minute`` in any minute;
4. a table is printed; the exit status is 1 when an invariant fails (a missed time target is
   reported, not failed: the machine may be shared).

Everything it starts it stops; ``--max-seconds`` bounds the whole run.
"""

import argparse
import http.client
import json
import math
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from bisect import bisect_left
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.servers import GunicornServer, PgBouncer, RedisServer, _stop, procfile  # noqa: E402
from tools.with_postgres import throwaway_server_url  # noqa: E402

DATABASE = "seat_queue"  # not bench/run.py's seat_bench: both may run on one server


def fresh_database(base_url: str) -> str:
    import psycopg

    parts = urlsplit(base_url)
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DATABASE}")
    return urlunsplit(parts._replace(path=f"/{DATABASE}"))


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "seat_reservation.settings"
    import django

    django.setup()


def customers_with_tokens(count: int) -> list[tuple[int, str]]:
    """``count`` customers (unusable passwords: nothing hashed) and a Bearer token each, in bulk."""
    import secrets

    from django.contrib.auth import get_user_model

    from reservations.auth import token_digest
    from reservations.models import ApiToken

    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"crowd{i}", password="!") for i in range(count)], batch_size=2000
    )
    tokens = [secrets.token_urlsafe(32) for _ in users]
    ApiToken.objects.bulk_create(
        [
            ApiToken(user_id=user.pk, digest=token_digest(token))
            for user, token in zip(users, tokens, strict=True)
        ],
        batch_size=2000,
    )
    return [(user.pk, token) for user, token in zip(users, tokens, strict=True)]


def spearman(xs: list[float], ys: list[float]) -> float:
    """Spearman's rank correlation (no ties expected: places are unique, times nearly so)."""
    n = len(xs)
    if n < 3:
        return float("nan")

    def ranks(values: list[float]) -> list[int]:
        order = sorted(range(n), key=values.__getitem__)
        out = [0] * n
        for rank, index in enumerate(order):
            out[index] = rank
        return out

    rx, ry = ranks(xs), ranks(ys)
    d2 = sum((a - b) ** 2 for a, b in zip(rx, ry, strict=True))
    return 1 - 6 * d2 / (n * (n * n - 1))


def join_crowd(urls: list[str], event_id: int, customers: list, start: float, window: float, clients: int):
    """Each customer POSTs once at start + i * window / N (or as soon as their thread is free):
    returns (index, sent, done, status, state) per customer, times from time.time()."""
    n = len(customers)
    results: list = [None] * n
    path = f"/api/events/{event_id}/queue/"

    def run(thread: int) -> None:
        connections: dict[str, http.client.HTTPConnection] = {}
        for i in range(thread, n, clients):
            url = urls[i % len(urls)]
            due = start + i * window / n
            if (wait := due - time.time()) > 0:
                time.sleep(wait)
            host = urlsplit(url)
            sent = time.time()
            status, state = 0, None
            for _attempt in range(2):  # a kept-alive connection the server closed: once more
                conn = connections.get(url) or http.client.HTTPConnection(
                    host.hostname, host.port, timeout=10
                )
                connections[url] = conn
                try:
                    conn.request(
                        "POST",
                        path,
                        body=b"",
                        headers={"Authorization": f"Bearer {customers[i][1]}", "Content-Length": "0"},
                    )
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                    if status == 200:
                        state = json.loads(body)["queue"]["state"]
                    break
                except (OSError, http.client.HTTPException):
                    conn.close()
                    connections.pop(url, None)
                    status = -1
            results[i] = (i, sent, time.time(), status, state)
        for conn in connections.values():
            conn.close()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, range(clients)))
    return results


def health_rate(urls: list[str], requests: int, clients: int) -> float:
    """GET /api/health/ req/s through the same client as the joins, unpaced: what this machine's
    loopback, client and server can do now (the joins' figure is read against it)."""

    def run(thread: int) -> None:
        connections = {}
        for i in range(thread, requests, clients):
            url = urlsplit(urls[i % len(urls)])
            conn = connections.get(url) or http.client.HTTPConnection(url.hostname, url.port, timeout=10)
            connections[url] = conn
            conn.request("GET", "/api/health/")
            conn.getresponse().read()
        for conn in connections.values():
            conn.close()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(run, range(clients)))
    return requests / (time.perf_counter() - started)


def max_in_window(times: list[int], width_ms: int) -> int:
    """The most of ``times`` (sorted, ms) in any half-open window [t, t + width)."""
    best = 0
    for index, moment in enumerate(times):
        best = max(best, bisect_left(times, moment + width_ms) - index)
    return best


def check_places(joins: list, customers: list, places: dict[int, int], onsale: float) -> tuple[dict, list]:
    """The figures and the failed invariants of the places after the draw."""
    failures = []
    joined = [row for row in joins if row[3] == 200]
    # Answered before the on-sale: in the lobby; sent after it: a place in arrival order. The store
    # counts whole milliseconds: a join within a millisecond of onsale_at is neither.
    before = [row for row in joined if row[2] < onsale - 0.001]
    after = [row for row in joined if row[1] >= onsale + 0.001]
    straddling = len(joined) - len(before) - len(after)
    place_of = {row[0]: places.get(customers[row[0]][0]) for row in joined}
    missing = [i for i, place in place_of.items() if place is None]
    if missing:
        failures.append(f"{len(missing)} customers who joined have no place")
    if len(places) != len(set(places.values())):
        failures.append(f"two customers share a place: {len(places)} customers, {len(set(places.values()))}")
    if sorted(places.values()) != list(range(1, len(places) + 1)):
        failures.append("the places are not 1..N")
    if len(places) != len(joined):
        failures.append(f"{len(places)} places for {len(joined)} customers who joined")
    wrong_state = sum(row[4] != "before_onsale" for row in before) + sum(row[4] != "waiting" for row in after)
    if wrong_state:
        failures.append(f"{wrong_state} join answers with the wrong state (before_onsale / waiting)")
    before_places = [place_of[row[0]] or 0 for row in before]
    after_places = [place_of[row[0]] or 0 for row in after]
    if before_places and after_places and max(before_places) >= min(after_places):
        failures.append("a later arrival is ahead of someone who joined before the on-sale")
    # Arrival order: when they sent their join (customers are sent in schedule order).
    rho_before = spearman([row[1] for row in before], before_places)
    bound = 5 / math.sqrt(max(len(before) - 1, 1))
    if len(before) >= 3 and not abs(rho_before) < bound:
        failures.append(
            f"pre-on-sale order correlates with arrival: rho {rho_before:.4f} (bound {bound:.4f})"
        )
    # Later arrivals: whoever's join had ended before another's began is ahead of them.
    by_done = sorted(after, key=lambda row: row[2])
    out_of_order, pointer, best = 0, 0, 0
    for row in sorted(after, key=lambda row: row[1]):
        while pointer < len(by_done) and by_done[pointer][2] < row[1]:
            best = max(best, place_of[by_done[pointer][0]] or 0)
            pointer += 1
        out_of_order += best > (place_of[row[0]] or 0)
    if out_of_order:
        failures.append(f"{out_of_order} later arrivals behind someone who arrived after them")
    figures = {
        "joined": len(joined),
        "errors": len(joins) - len(joined),
        "before": len(before),
        "after": len(after),
        "straddling": straddling,
        "places": len(places),
        "distinct_places": len(set(places.values())),
        "rho_before": rho_before,
        "rho_bound": bound,
        "rho_after": spearman([row[1] for row in after], after_places),
        "after_out_of_order": out_of_order,
    }
    return figures, failures


def check_admissions(admitted_ms: dict[int, int], places: dict[int, int], per_minute: int) -> tuple:
    """The admission curve and the failed invariants: in place order, within the pace."""
    failures = []
    admitted_places = sorted(places[user] for user in admitted_ms)
    if admitted_places != list(range(1, len(admitted_places) + 1)):
        failures.append("admissions are not the first places in order")
    times = sorted(admitted_ms.values())
    rate = per_minute / 60
    credit = max(rate, 1)  # the pace's most credit: one second's worth, or one admission
    windows = {}
    for seconds in (1, 10, 60):
        most = max_in_window(times, seconds * 1000)
        allowed = min(per_minute, math.floor(rate * seconds + credit)) if seconds == 60 else rate * seconds
        bound = min(per_minute, math.floor(rate * seconds + credit + 1e-9))
        windows[seconds] = (most, allowed, bound)
        if most > bound:
            failures.append(f"{most} admissions in {seconds} s, more than the pace's {bound}")
    curve: list[int] = []
    if times:
        first = times[0]
        curve = [0] * ((times[-1] - first) // 1000 + 1)
        for moment in times:
            curve[(moment - first) // 1000] += 1
    return {"admitted": len(times), "windows": windows, "curve": curve, "rate": rate}, failures


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument(
        "--nodes", type=int, default=1, help="gunicorn nodes (2+: behind PgBouncer, one Redis)"
    )
    parser.add_argument("--window", type=float, default=20, help="seconds over which the customers join")
    parser.add_argument(
        "--before", type=float, default=0.5, help="share of customers joining before onsale_at"
    )
    parser.add_argument("--per-minute", type=int, default=600, help="the queue's admissions per minute")
    parser.add_argument("--admit-seconds", type=float, default=20, help="how long the admitter runs")
    parser.add_argument("--clients", type=int, default=32, help="client threads (kept-alive connections)")
    parser.add_argument(
        "--workers", type=int, default=(os.cpu_count() or 2) * 2, help="in all, split by node"
    )
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--target-seconds", type=float, default=30, help="the joins' time target")
    parser.add_argument("--health-requests", type=int, default=2000, help="health GETs, for comparison")
    parser.add_argument("--max-seconds", type=int, default=600, help="the whole run's hard limit")
    args = parser.parse_args()
    for tool in ("redis-server", *(["pgbouncer"] if args.nodes > 1 else [])):
        if shutil.which(tool) is None:
            print(f"queue_crowd: {tool} is missing (apt-get install {tool})", file=sys.stderr)
            return 2

    def out_of_time(*_):
        raise SystemExit(f"queue_crowd: stopped after --max-seconds {args.max_seconds}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.max_seconds)
    began = time.monotonic()
    server_handle, redis, bouncer, nodes, admitters = None, None, None, [], []
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        base_url, server_handle = throwaway_server_url()
    workdir = Path(tempfile.mkdtemp(prefix="seat-queue-"))
    try:
        redis = RedisServer(workdir)
        env = {
            **os.environ,
            "DATABASE_URL": fresh_database(base_url),
            "REDIS_URL": redis.url,
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-not-secret",
            "DJANGO_SECURE": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "RATE_LIMITS": "0",  # measure the queue, not the limiter
        }
        setup_django(env)
        from datetime import UTC, datetime, timedelta

        from django.conf import settings
        from django.core.management import call_command
        from django.db import connection
        from django.utils import timezone

        from reservations import services as reservations
        from waitingroom import services
        from waitingroom.stores import RedisStore

        phase = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", verbosity=0, interactive=False)
        print(f"queue_crowd: database ready in {time.monotonic() - phase:.0f} s", flush=True)
        started = time.perf_counter()
        customers = customers_with_tokens(args.customers)
        seed_s = time.perf_counter() - started
        event = reservations.create_event(
            name="Crowd on-sale",
            location="Bench Arena",
            event_date=timezone.now() + timedelta(days=30),
            total_seats=100,
            seats_per_row=10,
        )
        node_env = env
        if args.nodes > 1:
            bouncer = PgBouncer(connection.settings_dict, pool_size=2 * (os.cpu_count() or 2))
            node_env = {**env, "DATABASE_URL": bouncer.url, "DB_TRANSACTION_POOLING": "1"}
        workers = max(1, args.workers // args.nodes)
        for index in range(args.nodes):
            log = workdir / f"node-{index}.log"
            nodes.append(GunicornServer(node_env, workers=workers, threads=args.threads, log=log))
        health = health_rate([node.url for node in nodes], args.health_requests, args.clients)
        # The schedule: joins from 1 s from now for --window seconds; the on-sale --before of the way in.
        start = time.time() + 1
        onsale = start + args.before * args.window
        services.configure_sale(
            event_id=event.pk,
            onsale_at=datetime.fromtimestamp(onsale, tz=UTC),
            queue_enabled=True,
            per_minute=args.per_minute,
            max_active=args.customers,  # the rate alone limits admission here
        )
        joins = join_crowd(
            [node.url for node in nodes], event.pk, customers, start, args.window, args.clients
        )
        join_s = max(row[2] for row in joins) - start
        statuses: dict[int, int] = {}
        for row in joins:
            statuses[row[3]] = statuses.get(row[3], 0) + 1
        store = RedisStore(redis.url)
        _, _, places_key, active_key, _ = store._keys(event.pk)
        # The draw happens at the first store operation after the on-sale (here, if no join made it).
        store.stats(event_id=event.pk, onsale_at=datetime.fromtimestamp(onsale, tz=UTC), now=timezone.now())
        places = {
            int(user): int(score) for user, score in store.redis.zrange(places_key, 0, -1, withscores=True)
        }
        place_figures, failures = check_places(joins, customers, places, onsale)
        # The admitter: the Procfile's process, one per node (each step is atomic: more are safe), for
        # --admit-seconds from when the first says it started (Django's start is slow on a busy machine).
        logs = [workdir / f"admitter-{index}.log" for index in range(args.nodes)]
        for log in logs:
            admitters.append(
                subprocess.Popen(
                    procfile("waitingroom"),
                    cwd=ROOT,
                    env=node_env,
                    stdout=log.open("w"),
                    stderr=subprocess.STDOUT,
                )
            )
        deadline = time.monotonic() + 60
        while not any("admitter started" in log.read_text() for log in logs):
            if time.monotonic() > deadline or any(process.poll() is not None for process in admitters):
                raise RuntimeError(
                    "the admitter did not start:\n" + "\n".join(log.read_text() for log in logs)
                )
            time.sleep(0.1)
        time.sleep(args.admit_seconds)
        for process in admitters:
            _stop(process)
        seconds = settings.QUEUE_ADMISSION_SECONDS * 1000
        admitted = {
            int(user): int(score) - seconds
            for user, score in store.redis.zrange(active_key, 0, -1, withscores=True)
        }
        admission, admit_failures = check_admissions(admitted, places, args.per_minute)
        failures += admit_failures
        if not admitted:
            failures.append("the admitter admitted nobody:\n" + "\n".join(log.read_text() for log in logs))
        if statuses.get(200, 0) != len(joins):
            failures.append(f"joins not answered 200: {statuses}")
        print(
            report(
                args,
                place_figures,
                admission,
                statuses,
                health,
                join_s,
                seed_s,
                time.monotonic() - began,
                failures,
            )
        )
        return 1 if failures else 0
    finally:
        signal.alarm(0)
        for process in admitters:
            _stop(process)
        for node in nodes:
            node.stop()
        if bouncer:
            bouncer.stop()
        if redis:
            redis.stop()
        if server_handle is not None:
            server_handle.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


def report(
    args,
    p: dict,
    a: dict,
    statuses: dict,
    health: float,
    join_s: float,
    seed_s: float,
    total_s: float,
    failures,
) -> str:
    topology = "1 node" if args.nodes == 1 else f"{args.nodes} nodes on PgBouncer"
    met = join_s <= args.target_seconds
    lines = [
        f"queue crowd: {args.customers:,} customers, {topology}, Redis store, "
        f"{args.workers} workers x {args.threads} threads, {args.clients} client threads, "
        f"{os.cpu_count()} cores",
        f"  customers + tokens created in        {seed_s:.1f} s",
        f"  joins over HTTP                       {p['joined'] + p['errors']:,} in {join_s:.1f} s "
        f"({(p['joined'] + p['errors']) / join_s:.0f}/s; target <= {args.target_seconds:.0f} s: "
        f"{'met' if met else 'MISSED'}); statuses {statuses}",
        f"  GET /api/health/ through the same client, unpaced: {health:.0f} req/s "
        f"(joins at {(p['joined'] + p['errors']) / join_s / health:.2f} x health)",
        f"  joined before / after the on-sale     {p['before']:,} / {p['after']:,} "
        f"(straddling it, left out of the order checks: {p['straddling']})",
        f"  places / distinct                     {p['places']:,} / {p['distinct_places']:,}",
        f"  Spearman rho, arrival vs place, before on-sale   {p['rho_before']:+.4f} "
        f"(near 0: |rho| < {p['rho_bound']:.4f})",
        f"  Spearman rho, arrival vs place, after on-sale    {p['rho_after']:+.4f} "
        f"(arrival order; pairs out of order: {p['after_out_of_order']})",
        f"  admitter ({args.nodes} process(es)) for {args.admit_seconds:.0f} s at {args.per_minute}/min "
        f"({a['rate']:.1f}/s): {a['admitted']} admitted, in place order",
    ]
    for seconds, (most, _allowed, bound) in a["windows"].items():
        lines.append(
            f"    most in any {seconds:>2} s: {most:>5}   (rate x {seconds} s = {a['rate'] * seconds:.0f}; "
            f"pace bound with 1 s credit {bound})"
        )
    curve = a["curve"]
    lines.append("    admitted per second: " + " ".join(str(n) for n in curve))
    lines.append(
        "    admitted per 10 s:   "
        + " ".join(str(sum(curve[i : i + 10])) for i in range(0, len(curve), 10))
        + f"   (allowed {a['rate'] * 10:.0f})"
    )
    lines.append(f"  total run {total_s:.0f} s")
    lines.append("invariants: " + ("all hold" if not failures else "FAILED\n  - " + "\n  - ".join(failures)))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
