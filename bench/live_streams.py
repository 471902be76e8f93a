"""Live seat maps by push against polling (issue 23's targets), bounded and self-stopping.

    python bench/live_streams.py                    # 10,000 streams on the 50,000-seat arena event
    python bench/live_streams.py --streams 2000     # fewer
    python bench/live_streams.py --smoke            # 60 streams on a small arena, seconds (the smoke test)

On loopback it starts what a deployment runs (tools/servers.py, commands from the Procfile): gunicorn
behind Pushpin (``manage.py pushpin``, deploy/pushpin/'s configuration) and the relay, on PostgreSQL
(DATABASE_URL's server or the tests' throwaway one) in a fresh database of its own (seat_live), with the
arena event of ``reservations.demo.arena()``. ``--clients`` client processes (asyncio, raw streams:
``live/tests/sse.py``'s Crowd) open ``--streams`` SSE streams through Pushpin, each from the cursor of
one whole grid its process read (as the React app opens its stream once the grid is loaded), and keep
their copy of the map. Then, each window ``--seconds`` long with a hold made through the API every
``--hold-every`` seconds:

A. the relay's CPU with 100 streams on the event;
B. the same with every stream open: for each hold, the time from its HTTP answer to each stream
   applying it (p50, p99, max over the streams; how many got it), and the CPU of web, relay, Pushpin;
S. a storm (``--storm-seconds``): customers hold and give up seats, some holds shortened to run out
   by time within seconds (as the tests do: ``locked_until`` moved); then every copy must equal a
   fresh grid (``GET /api/events/{id}/seats/``);
C. the relay's CPU with two more events followed (50 streams each), holds spread over the three;
D. the streams closed, the same number of maps poll the change feed every 5 s instead (the React app
   without push: ``?since=<cursor>``, ``If-None-Match`` when the address is the last one's) straight
   at gunicorn, for the same window and holds: requests served a second, errors, web CPU.

It prints a table; the exit status is 1 when a copy differs from the grid or a stream missed a hold (a
missed time target is reported, not failed: the machine may be shared). ``--max-seconds`` bounds the run.
"""

import argparse
import asyncio
import contextlib
import functools
import gzip
import http.client
import multiprocessing
import os
import random
import resource
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
from collections import ChainMap, Counter
from dataclasses import dataclass, field
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from live.tests.sse import Crowd, Viewer  # noqa: E402
from tools.servers import GunicornServer, PushpinServer, RelayServer, _with_descendants  # noqa: E402

SMALL_CROWD = 100  # window A's streams; C's on the two other events, half each


# --- The client processes ----------------------------------------------------------------------------


@dataclass
class BenchViewer(Viewer):
    """A stream's copy of the map kept as its changes over one grid its process shares (10,000 copies
    of 50,000 seats would not fit), noting when it first saw each watched seat held."""

    watch: frozenset = frozenset()
    seen: dict = field(default_factory=dict)  # watched seat id -> time.time() it was applied

    def apply(self, data: dict) -> bool:
        if not super().apply(data):
            return False
        now = time.time()
        for seat in data["seats"]:
            if seat["status"] == "locked" and seat["id"] in self.watch:
                self.seen.setdefault(seat["id"], now)
        return True

    def differs(self, truth: dict[int, str], changed: set[int]) -> bool:
        """Whether this copy differs from ``truth``; ``changed``: the seats where truth and the shared
        grid differ."""
        if not isinstance(self.seats, ChainMap):  # a whole grid replaced the shared one
            return self.seats != truth
        return any(self.seats.get(seat) != truth.get(seat) for seat in changed | self.seats.maps[0].keys())


class BenchCrowd(Crowd):
    # Every stream of a process gets the same message: decoded once (read, never changed).
    decode = staticmethod(functools.lru_cache(maxsize=512)(orjson.loads))


def read_json(url: str) -> dict:
    host, port = url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port.split("/")[0]), timeout=120)
    path = "/" + url.split("/", 3)[3]
    connection.request("GET", path)
    body = connection.getresponse().read()
    connection.close()
    return orjson.loads(body)


def client_main(conn) -> None:
    """A client process: follows the commands of the bench over ``conn`` until "stop"."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    crowds: list[tuple[int, BenchCrowd]] = []
    grids: dict[int, tuple[dict, str]] = {}
    while True:
        command, *args = conn.recv()
        if command == "follow":
            host, port, web_url, event_id, count, watch, opening = args
            if event_id not in grids:
                grid = read_json(f"{web_url}/api/events/{event_id}/seats/")
                grids[event_id] = ({seat["id"]: seat["status"] for seat in grid["seats"]}, grid["cursor"])
            base, cursor = grids[event_id]
            path = f"/api/events/{event_id}/seats/stream/"
            viewers = [
                BenchViewer(path, seats=ChainMap({}, base), cursor=cursor, watch=frozenset(watch))
                for _ in range(count)
            ]
            crowds.append((event_id, BenchCrowd(host, port, viewers, opening=opening)))
            conn.send(count)
        elif command == "state":
            viewers = [viewer for _, crowd in crowds for viewer in crowd.viewers]
            conn.send(
                {
                    "streams": len(viewers),
                    "open": sum(viewer.opened > 0 for viewer in viewers),
                    "connects": sum(viewer.connects for viewer in viewers),
                    "opened": sum(viewer.opened for viewer in viewers),
                    "gaps": sum(viewer.gaps for viewer in viewers),
                    "messages": sum(viewer.messages for viewer in viewers),
                    "errors": Counter(viewer.error for viewer in viewers if viewer.error).most_common(3),
                }
            )
        elif command == "seen":
            (event_id, seats) = args
            viewers = [viewer for event, crowd in crowds if event == event_id for viewer in crowd.viewers]
            conn.send({seat: [viewer.seen.get(seat) for viewer in viewers] for seat in seats})
        elif command == "differ":
            event_id, truth = args
            base = grids[event_id][0]
            changed = {seat for seat, status in truth.items() if base.get(seat) != status}
            viewers = [viewer for event, crowd in crowds if event == event_id for viewer in crowd.viewers]
            conn.send(sum(viewer.differs(truth, changed) for viewer in viewers))
        elif command == "close":
            for _, crowd in crowds:
                crowd.close()
            crowds.clear()
            conn.send(True)
        elif command == "poll":
            conn.send(asyncio.run(poll_maps(*args)))
        elif command == "stop":
            return


async def poll_maps(
    host: str, port: int, event_id: int, cursor: str, count: int, seconds: float, interval: float, pool: int
) -> dict:
    """``count`` maps each polling the change feed every ``interval`` seconds (after its last answer,
    as TanStack Query's refetchInterval does) for ``seconds``, over ``pool`` kept-alive connections (the
    proxy in front of the web nodes keeps a pool likewise)."""
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    connections: asyncio.Queue = asyncio.Queue()
    for _ in range(pool):
        connections.put_nowait(None)
    statuses: Counter = Counter()
    late = []  # seconds each poll was sent after it was due (the server, so the pool, behind)

    async def request(link, path: str, etag: str | None):
        if link is None:
            link = await asyncio.open_connection(host, port)
        reader, writer = link
        revalidate = f"If-None-Match: {etag}\r\n" if etag else ""
        head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept-Encoding: gzip\r\n"
        writer.write(f"{head}{revalidate}\r\n".encode())
        await writer.drain()
        status = int((await reader.readline()).split()[1])
        headers = {}
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode().partition(":")
            headers[name.strip().lower()] = value.strip()
        body = await reader.readexactly(int(headers.get("content-length", 0)))
        if headers.get("connection", "").lower() == "close":
            writer.close()
            link = None
        return link, status, headers, body

    async def follow(index: int) -> None:
        current, etag, last_path = cursor, None, None
        offset = interval * index / count  # the maps' polls spread over the interval
        if offset >= seconds:
            return
        await asyncio.sleep(offset)
        due = loop.time()
        while due < end:
            path = f"/api/events/{event_id}/seats/?since={current}"
            link = await connections.get()
            if loop.time() >= end:  # the window is over while it waited for a connection: not sent
                connections.put_nowait(link)
                statuses["not sent"] += 1
                return
            late.append(loop.time() - due)
            try:
                link, status, headers, body = await request(link, path, etag if path == last_path else None)
                statuses[status] += 1
                if status == 200:
                    answer = orjson.loads(gzip.decompress(body) if headers.get("content-encoding") else body)
                    current, etag = answer["cursor"], headers.get("etag")
                last_path = path
            except (OSError, ValueError, IndexError, asyncio.IncompleteReadError):
                statuses["error"] += 1
                link = None
            finally:
                connections.put_nowait(link)
            due = loop.time() + interval
            await asyncio.sleep(max(0.0, due - loop.time()))

    started = loop.time()
    await asyncio.gather(*(follow(index) for index in range(count)))
    return {"statuses": dict(statuses), "seconds": loop.time() - started, "late": late}


class Clients:
    """The client processes, each asked the same thing at once."""

    def __init__(self, count: int):
        context = multiprocessing.get_context("spawn")
        self.pipes, self.processes = [], []
        for _ in range(count):
            parent, child = context.Pipe()
            process = context.Process(target=client_main, args=(child,), daemon=True)
            process.start()
            self.pipes.append(parent)
            self.processes.append(process)

    def ask(self, *commands: tuple) -> list:
        """Command ``i`` to process ``i`` (one command: to all of them); their answers."""
        commands = commands if len(commands) == len(self.pipes) else commands * len(self.pipes)
        for pipe, command in zip(self.pipes, commands, strict=True):
            pipe.send(command)
        return [pipe.recv() for pipe in self.pipes]

    def state(self) -> dict:
        states = self.ask(("state",))
        total = {key: sum(state[key] for state in states) for key in states[0] if key != "errors"}
        total["errors"] = [error for state in states for error in state["errors"]]
        return total

    def stop(self) -> None:
        for pipe in self.pipes:
            with contextlib.suppress(OSError):
                pipe.send(("stop",))
        for process in self.processes:
            process.join(10)
            if process.is_alive():
                process.kill()


def say(message: str) -> None:
    print(f"live_streams: {message}", flush=True)


def split(total: int, parts: int) -> list[int]:
    return [total // parts + (index < total % parts) for index in range(parts)]


# --- The bench process -------------------------------------------------------------------------------


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of a process and all its descendants, living or ended."""
    import psutil

    try:
        root = psutil.Process(pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


class Meter:
    """CPU seconds of named process trees over a window (``with Meter(...) as meter``)."""

    def __init__(self, pids: dict[str, int]):
        self.pids = pids

    def __enter__(self):
        self.started = time.monotonic()
        self.before = {name: tree_cpu(pid) for name, pid in self.pids.items()}
        return self

    def __exit__(self, *exc):
        self.seconds = time.monotonic() - self.started
        self.cpu = {name: tree_cpu(pid) - self.before[name] for name, pid in self.pids.items()}


class Api:
    """Customers' requests through Pushpin (the browsers' way in), one kept-alive connection each."""

    def __init__(self, port: int, tokens: list[str]):
        self.port, self.tokens, self.local = port, tokens, threading.local()
        self.statuses: Counter = Counter()

    def post(self, path: str, token: str) -> int:
        for _attempt in range(2):
            connection = getattr(self.local, "connection", None) or http.client.HTTPConnection(
                "127.0.0.1", self.port, timeout=30
            )
            self.local.connection = connection
            try:
                headers = {"Authorization": f"Bearer {token}", "Content-Length": "0"}
                connection.request("POST", path, body=b"", headers=headers)
                response = connection.getresponse()
                response.read()
                self.statuses[response.status] += 1
                return response.status
            except (OSError, http.client.HTTPException):
                connection.close()
                self.local.connection = None
        self.statuses["error"] += 1
        return 0

    def hold(self, event_id: int, seat: int, token: str) -> tuple[int, float]:
        status = self.post(f"/api/events/{event_id}/seats/{seat}/lock/", token)
        return status, time.time()

    def release(self, event_id: int, seat: int, token: str) -> int:
        return self.post(f"/api/events/{event_id}/seats/{seat}/unlock/", token)


def paced_holds(api: Api, events: list[int], seats: dict[int, list[int]], seconds: float, every: float):
    """A hold every ``every`` seconds for ``seconds``, round the ``events``, each by another customer;
    (event, seat, status, answered at) per hold."""
    holds, started = [], time.monotonic()
    for index in range(int(seconds / every)):
        time.sleep(max(0.0, started + index * every - time.monotonic()))
        event = events[index % len(events)]
        seat = seats[event].pop()
        status, answered = api.hold(event, seat, api.tokens[index % len(api.tokens)])
        holds.append((event, seat, status, answered))
    time.sleep(max(0.0, started + seconds - time.monotonic()))
    return holds


def wait_for(condition, seconds: float) -> float:
    """Seconds until ``condition()`` held (inf if it did not within ``seconds``)."""
    started = time.monotonic()
    while not condition():
        if time.monotonic() - started > seconds:
            return float("inf")
        time.sleep(0.2)
    return time.monotonic() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def storm(api: Api, event_id: int, seat_ids: list[int], seconds: float, customers: int) -> dict:
    """Customers hold and give up seats for ``seconds``; a third of the holds kept are shortened to
    run out by time within 0.5-3 s (they write nothing when they do)."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from reservations.models import Seat

    counts: Counter = Counter()
    ends = []
    lock = threading.Lock()

    def customer(index: int) -> None:
        rng, token = random.Random(index), api.tokens[-1 - index]
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                seat = rng.choice(seat_ids)
                status, _ = api.hold(event_id, seat, token)
                with lock:
                    counts["holds"] += 1
                if status != 200:
                    continue
                roll = rng.random()
                if roll < 0.4:
                    api.release(event_id, seat, token)
                    with lock:
                        counts["releases"] += 1
                elif roll < 0.7:
                    end = timezone.now() + timedelta(seconds=rng.uniform(0.5, 3))
                    Seat.objects.filter(pk=seat).update(locked_until=end)
                    with lock:
                        counts["run_out"] += 1
                        ends.append(end)
        finally:
            connection.close()

    threads = [threading.Thread(target=customer, args=(index,)) for index in range(customers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    last_end = max(ends, default=timezone.now())
    wait = (last_end - timezone.now()).total_seconds()
    if wait > 0:
        time.sleep(wait)  # the last shortened hold has run out: only the relay can tell the maps now
    return dict(counts)


def truth(web: GunicornServer, event_id: int) -> dict[int, str]:
    _, body, _ = web.get(f"/api/events/{event_id}/seats/")
    return {seat["id"]: seat["status"] for seat in orjson.loads(body)["seats"]}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--streams", type=int, help="open seat maps (default 10,000; smoke 60)")
    parser.add_argument("--smoke", action="store_true", help="seconds and a small arena (the smoke test)")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--seconds", type=float, help="each measuring window (default 20; smoke 2)")
    parser.add_argument("--hold-every", type=float, help="seconds between paced holds (default 0.5)")
    parser.add_argument("--storm-seconds", type=float, help="the storm (default 10; smoke 2)")
    parser.add_argument("--poll-every", type=float, default=5, help="the polling maps' interval (the app's)")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 2) * 2)
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--opening", type=int, default=200, help="streams waiting for their answer at once")
    parser.add_argument("--max-seconds", type=int, default=1200, help="the whole run's hard limit")
    args = parser.parse_args()
    streams = args.streams or (60 if args.smoke else 10_000)
    seconds = args.seconds or (1 if args.smoke else 20)
    storm_seconds = args.storm_seconds or (1 if args.smoke else 10)
    hold_every = args.hold_every or (0.25 if args.smoke else 0.5)
    blocks = (10, 10, 1, 0) if args.smoke else (50, 50, 5, 3)  # demo.arena: rows, seats, touchline, goal end
    if shutil.which("pushpin") is None:
        print("live_streams: pushpin is missing (apt-get install pushpin)", file=sys.stderr)
        return 2
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # Pushpin inherits it: a socket a stream
    if streams + 1000 > hard:
        print(f"live_streams: {streams} streams need more than the fd limit {hard}", file=sys.stderr)
        return 2

    def out_of_time(*_):
        raise SystemExit(f"live_streams: stopped after --max-seconds {args.max_seconds}")

    signal.signal(signal.SIGALRM, out_of_time)
    signal.alarm(args.max_seconds)
    from queue_crowd import customers_with_tokens
    from run import create_stadium, fresh_database, setup_django

    from tools.with_postgres import throwaway_server_url

    began = time.monotonic()
    server_handle, started, clients = None, [], None
    base_url = os.environ.get("DATABASE_URL")
    if not base_url:
        base_url, server_handle = throwaway_server_url()
    workdir = Path(tempfile.mkdtemp(prefix="seat-live-"))
    try:
        env = {
            **os.environ,
            "DATABASE_URL": fresh_database(base_url, "seat_live"),
            "DJANGO_DEBUG": "0",
            "DJANGO_SECRET_KEY": "bench-only-not-secret",
            "DJANGO_SECURE": "0",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "RATE_LIMITS": "0",
            "SEAT_HOLD_LIMIT": "1000000",
            "PUSH_SIG_KEY": "bench-only-signing-key-of-32-bytes",  # every stream's Grip-Sig verified
        }
        setup_django(env)
        from django.conf import settings
        from django.core.management import call_command

        clients = Clients(args.clients)  # started while the database is made: they import meanwhile
        call_command("migrate", verbosity=0)
        events = []
        for suffix in ("", " 2", " 3"):
            event, _ = create_stadium(blocks, suffix)
            events.append(event.pk)
        from reservations.models import Seat

        seat_ids = {
            event: list(Seat.objects.filter(event_id=event).values_list("pk", flat=True)) for event in events
        }
        main_event = events[0]
        rng = random.Random(23)
        for event in events:
            rng.shuffle(seat_ids[event])
        holds_per_window = int(seconds / hold_every)
        # The paced holds' seats (windows A, B, a third of C, D), watched by the streams; the storm's.
        watched = seat_ids[main_event][: 4 * holds_per_window]
        paced = {event: seat_ids[event][: 4 * holds_per_window] for event in events}
        paced[main_event] = list(watched)
        storm_seats = seat_ids[main_event][4 * holds_per_window :]
        tokens = [token for _, token in customers_with_tokens(200)]
        say(f"database ready in {time.monotonic() - began:.0f} s")

        # gunicorn's socket, bound before Pushpin routes to it, with a backlog for a crowd.
        listener = socket.create_server(("127.0.0.1", 0), backlog=4096)
        pushpin = PushpinServer(f"127.0.0.1:{listener.getsockname()[1]}", workdir, env)
        started.append(pushpin)
        env["PUSH_URL"] = pushpin.control_url
        web = GunicornServer(
            env,
            workers=args.workers,
            threads=args.threads,
            log=workdir / "web.log",
            listener=listener,
            start_seconds=180,
        )
        started.append(web)
        relay = RelayServer(env, workdir / "relay.log")
        started.append(relay)
        pids = {"web": web.process.pid, "relay": relay.process.pid, "pushpin": pushpin.process.pid}
        # Where the CPU goes besides: each of Pushpin's processes, and the client processes.
        for pid in _with_descendants(pushpin.process.pid)[1:]:
            pids[f"pushpin {Path(f'/proc/{pid}/comm').read_text().strip()}"] = pid
        for index, process in enumerate(clients.processes):
            pids[f"client {index + 1}"] = process.pid
        api = Api(pushpin.port, tokens)
        results: dict = {"streams": streams, "seconds": seconds, "hold_every": hold_every}
        results["load_before"] = os.getloadavg()

        def follow(event: int, count: int, watch=()) -> None:
            commands = [
                ("follow", "127.0.0.1", pushpin.port, web.url, event, part, list(watch), args.opening)
                for part in split(count, args.clients)
            ]
            clients.ask(*commands)

        def all_open(expected: int) -> bool:
            return clients.state()["open"] >= expected

        # A: the relay with a small crowd on one event.
        small = min(SMALL_CROWD, streams // 2)
        results["small"] = small
        follow(main_event, small, watched)
        results["open_small_s"] = wait_for(lambda: all_open(small), 120)
        with Meter(pids) as window_a:
            holds_a = paced_holds(api, [main_event], paced, seconds, hold_every)

        # B: every stream open; the time from each hold's answer to each stream.
        opening_started = time.monotonic()
        follow(main_event, streams - small, watched)
        wait_for(lambda: all_open(streams), 600)
        results["open_all_s"] = time.monotonic() - opening_started
        say(f"{clients.state()['open']:,} streams open in {results['open_all_s']:.0f} s")
        results["after_open"] = clients.state()
        results["load_b"] = os.getloadavg()
        with Meter(pids) as window_b:
            holds_b = paced_holds(api, [main_event], paced, seconds, hold_every)
        holds_ok = [hold for hold in holds_b if hold[2] == 200]

        def everyone_has_last() -> bool:
            if not holds_ok:
                return True
            seen = [
                s for answer in clients.ask(("seen", main_event, [holds_ok[-1][1]])) for s in answer.values()
            ]
            return all(value is not None for times in seen for value in times)

        results["last_hold_wait_s"] = wait_for(everyone_has_last, 30)
        seen: dict[int, list] = {hold[1]: [] for hold in holds_ok}
        for answer in clients.ask(("seen", main_event, list(seen))):
            for seat, times in answer.items():
                seen[seat] += times
        latencies, per_hold = [], []
        for _event, seat, _status, answered in holds_ok:
            got = [moment - answered for moment in seen[seat] if moment is not None]
            latencies += got
            per_hold.append(
                {
                    "got": len(got),
                    "p50": percentile(got, 0.5),
                    "p99": percentile(got, 0.99),
                    "max": max(got, default=float("nan")),
                }
            )
        results["b"] = {
            "holds": len(holds_b),
            "holds_ok": len(holds_ok),
            "streams_got_all": sum(hold["got"] == streams for hold in per_hold),
            "missing": sum(streams - hold["got"] for hold in per_hold),
            "p50": percentile(latencies, 0.5),
            "p99": percentile(latencies, 0.99),
            "max": max(latencies, default=float("nan")),
            "worst_hold_p99": max((hold["p99"] for hold in per_hold), default=float("nan")),
            "worst_hold_max": max((hold["max"] for hold in per_hold), default=float("nan")),
        }

        say(f"B: {len(holds_b)} holds, every stream had the last after {results['last_hold_wait_s']:.1f} s")
        # S: a storm, with holds running out by time; then every copy against the grid.
        with Meter(pids) as window_s:
            results["storm"] = storm(api, main_event, storm_seats, storm_seconds, customers=8)
        expected = truth(web, main_event)

        def differing() -> int:
            return sum(clients.ask(("differ", main_event, expected)))

        results["storm_converged_s"] = wait_for(lambda: differing() == 0, 30)
        expected = truth(web, main_event)  # again: nothing is moving now
        results["storm_differ"] = differing()
        results["storm_changed"] = sum(status != "available" for status in expected.values())
        results["after_storm"] = clients.state()

        say(f"S: the storm, {results['storm_differ']} copies differ")
        # C: two more events followed, holds spread over the three.
        for event in events[1:]:
            follow(event, small // 2)
        wait_for(lambda: all_open(streams + 2 * (small // 2)), 120)
        with Meter(pids) as window_c:
            paced_holds(api, events, paced, seconds, hold_every)

        say("C: three events")
        # D: the streams closed; the same maps poll the change feed every 5 s for the same window.
        clients.ask(("close",))
        relay.stop()
        started.remove(relay)
        cursor = orjson.loads(web.get(f"/api/events/{main_event}/seats/")[1])["cursor"]
        pool = max(8, args.workers * args.threads // args.clients)
        polls = {}

        def poll() -> None:
            commands = [
                ("poll", "127.0.0.1", web.port, main_event, cursor, part, seconds, args.poll_every, pool)
                for part in split(streams, args.clients)
            ]
            polls["answers"] = clients.ask(*commands)

        with Meter({"web": web.process.pid}) as window_d:
            poller = threading.Thread(target=poll)
            poller.start()
            holds_d = paced_holds(api, [main_event], paced, seconds, hold_every)
            poller.join()
        statuses: Counter = Counter()
        for answer in polls["answers"]:
            statuses.update(answer["statuses"])
        late = [moment for answer in polls["answers"] for moment in answer["late"]]
        results["d"] = {
            "statuses": dict(statuses),
            "served_per_s": (statuses[200] + statuses[304]) / window_d.seconds,
            "due_per_s": streams / args.poll_every,
            "late_p50": percentile(late, 0.5),
            "late_p99": percentile(late, 0.99),
            "holds": len(holds_d),
        }
        results["windows"] = {
            "A": (window_a, len(holds_a)),
            "B": (window_b, len(holds_b)),
            "S": (window_s, results["storm"]["holds"]),
            "C": (window_c, holds_per_window),
            "D": (window_d, len(holds_d)),
        }
        results["api_statuses"] = dict(api.statuses)
        results["relay_interval"] = settings.LIVE_RELAY_INTERVAL_SECONDS
        results["load_after"] = os.getloadavg()
        results["total_s"] = time.monotonic() - began
        failures = []
        if results["storm_differ"]:
            failures.append(
                f"{results['storm_differ']} of {streams} copies differ from the grid after the storm"
            )
        if results["b"]["missing"]:
            failures.append(f"{results['b']['missing']} hold deliveries never reached their stream")
        if not holds_ok:
            failures.append("no paced hold was answered 200")
        print(report(args, results, failures))
        return 1 if failures else 0
    finally:
        signal.alarm(0)
        if clients:
            clients.stop()
        for server in reversed(started):
            server.stop()
        if server_handle is not None:
            server_handle.cleanup()
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, r: dict, failures: list[str]) -> str:
    streams, b, d, w = r["streams"], r["b"], r["d"], r["windows"]

    def ms(value: float) -> str:
        return f"{1000 * value:.0f} ms"

    def cpu(window, name: str) -> float:
        return window[0].cpu.get(name, 0.0)

    def share(window, name: str) -> str:
        return f"{cpu(window, name):6.2f} s ({100 * cpu(window, name) / window[0].seconds:3.0f}% of a core)"

    def tick_ms(key: str) -> float:
        return 1000 * cpu(w[key], "relay") / (w[key][0].seconds / r["relay_interval"])

    met = b["p99"] < 1
    push_web = cpu(w["B"], "web")
    poll_web = cpu(w["D"], "web")
    lines = [
        f"live streams: {streams:,} SSE streams through Pushpin, {args.clients} client processes, "
        f"gunicorn {args.workers} x {args.threads}, {os.cpu_count()} cores, windows of {r['seconds']:g} s, "
        f"a hold every {r['hold_every']} s; load average before {r['load_before'][0]:.1f}, "
        f"during B {r['load_b'][0]:.1f}, after {r['load_after'][0]:.1f}",
        f"  streams opened in {r['open_all_s']:.1f} s ({r['after_open']['connects']:,} connections for "
        f"{r['after_open']['open']:,} streams)",
        f"  B: hold answered -> applied by each stream: p50 {ms(b['p50'])}, p99 {ms(b['p99'])}, max "
        f"{ms(b['max'])} over {b['holds_ok']} holds x {streams:,} streams (target p99 < 1 s: "
        f"{'met' if met else 'MISSED'}); worst hold's p99 {ms(b['worst_hold_p99'])}, "
        f"max {ms(b['worst_hold_max'])}",
        f"     every stream got the hold: {b['streams_got_all']} of {b['holds_ok']} holds; "
        f"deliveries missing {b['missing']}",
        f"  S: storm {r['storm']}: copies differing from the grid {r['storm_differ']} of {streams:,} "
        f"(converged {r['storm_converged_s']:.1f} s after the last hold ran out; {r['storm_changed']} seats "
        f"not available); gaps {r['after_storm']['gaps']}, reconnections "
        f"{r['after_storm']['connects'] - r['after_storm']['open']}",
        "  CPU seconds in each window (all processes of each):",
        f"    {'window':<44} {'web':>26} {'relay':>26} {'pushpin':>26}",
    ]
    names = {
        "A": f"A {r['small']} streams, 1 event",
        "B": f"B {streams:,} streams, 1 event",
        "S": "S the storm",
        "C": f"C {streams:,} + 2 x {r['small'] // 2} streams, 3 events",
    }
    for key, name in names.items():
        lines.append(
            f"    {name:<44} "
            + " ".join(f"{share(w[key], process):>26}" for process in ("web", "relay", "pushpin"))
        )
    parts = [name for name in w["B"][0].cpu if name.startswith(("pushpin ", "client "))]
    lines.append("    B by process: " + ", ".join(f"{name} {cpu(w['B'], name):.1f} s" for name in parts))
    lines.append(
        f"  relay CPU per tick ({r['relay_interval']} s): A {tick_ms('A'):.2f} ms, B {tick_ms('B'):.2f} ms "
        f"(x{tick_ms('B') / max(tick_ms('A'), 1e-9):.2f} for x{streams / r['small']:.0f} streams), "
        f"C {tick_ms('C'):.2f} ms (x{tick_ms('C') / max(tick_ms('A'), 1e-9):.2f} for 3 events of as many "
        "seats each, the same holds a second)"
    )
    lines += [
        f"  D: {streams:,} maps polling every {args.poll_every:.0f} s instead: "
        f"{d['served_per_s']:.0f} polls/s served of {d['due_per_s']:.0f}/s due, statuses {d['statuses']}, "
        f"polls late p50 {d['late_p50']:.1f} s p99 {d['late_p99']:.1f} s",
        f"    web CPU {share(w['D'], 'web')} against push (B) web + relay + pushpin "
        f"{cpu(w['B'], 'web') + cpu(w['B'], 'relay') + cpu(w['B'], 'pushpin'):.2f} s: polling / push "
        f"= {poll_web / max(push_web + cpu(w['B'], 'relay') + cpu(w['B'], 'pushpin'), 1e-9):.1f} x "
        f"(web alone {poll_web / max(push_web, 1e-9):.1f} x)",
        f"  API statuses (holds, releases) {r['api_statuses']}; total run {r['total_s']:.0f} s",
        "invariants: " + ("all hold" if not failures else "FAILED\n  - " + "\n  - ".join(failures)),
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
