"""What the seat history costs on the hold path: hold + give up, with the history written and without,
in interleaved rounds in one process (so a shared machine's load falls on both alike), then the
report of a 50,000-seat event with holds in it. Prints figures; asserts nothing.

    createdb seat_history_bench   # an empty database of your own
    DATABASE_URL=postgres://.../seat_history_bench DJANGO_DEBUG=0 DJANGO_SECRET_KEY=x LOG_LEVEL=WARNING \
        SEAT_LOCK_SECONDS=1 .venv/bin/python bench/history_cost.py   # HOLD_ONLY=1: without the report
"""

# ruff: noqa: E402 - django.setup() must run before the project is imported

import os
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seat_reservation.settings")
import django

django.setup()
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

import reservations.services.holds as holds
from reservations import services
from reservations.demo import arena
from reservations.models import Venue

call_command("migrate", verbosity=0)
event = services.create_event(
    name="bench", location="x", event_date=timezone.now() + timedelta(days=5), total_seats=1000
)
users = [get_user_model().objects.create_user(f"u{i}-{time.time()}") for i in range(50)]
seats = list(event.seats.values_list("pk", flat=True))
real = holds.write_seats


def without_history(ids, now, *, history=(), **fields):
    return real(ids, now, **fields)


def round_(seconds):
    n, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        user = users[n % len(users)]
        seat = seats[(n * 7) % len(seats)]
        services.hold_seats(user=user, event_id=event.pk, seat_ids=[seat])
        services.unlock_seat(user=user, event_id=event.pk, seat_id=seat)
        n += 1
    return n / seconds


results = {"on": [], "off": []}
for mode in ["on", "off", "off", "on", "on", "off", "off", "on"]:
    # a fresh cooldown each round: users never re-hold a seat they just gave up (n*7 walks the hall)
    if mode == "off":
        with mock.patch.object(holds, "write_seats", without_history):
            results[mode].append(round_(4))
    else:
        results[mode].append(round_(4))
    services.release_expired_locks()
on, off = sum(results["on"]) / 4, sum(results["off"]) / 4
print(f"hold+release cycles/s, history on:  {[round(x) for x in results['on']]} mean {on:.0f}")
print(f"hold+release cycles/s, history off: {[round(x) for x in results['off']]} mean {off:.0f}")
print(f"history on / off: {on / off:.3f}")

if os.environ.get("HOLD_ONLY"):
    sys.exit(0)
# The report of a 50,000-seat event, with a few thousand holds in it.
name, _, layout = arena()
venue = Venue.objects.create(name=f"{name} {time.time()}", layout=layout)
t = time.perf_counter()
stadium = services.create_event(name="Cup", event_date=timezone.now() + timedelta(days=9), venue=venue)
print(f"stadium created in {time.perf_counter() - t:.1f} s")
ids = list(stadium.seats.values_list("pk", flat=True))
for i, user in enumerate(users):
    services.hold_seats(user=user, event_id=stadium.pk, seat_ids=ids[i * 10 : i * 10 + 10])
from boxoffice import selectors

times = []
for _ in range(5):
    t = time.perf_counter()
    report = selectors.report(stadium.pk)
    times.append((time.perf_counter() - t) * 1000)
print(
    f"report of 50,000 seats: {[round(x) for x in times]} ms; capacity {report.capacity}, held {report.held}"
)
